// The state of a change's target as an inventory shows it: the "before" a plan records and the state that
// `fix --apply` compares with before and after on a fresh read. Pure: one function per change kind.

import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Inventory, Scope, SecurityGroup, SecurityGroupRule } from '../../inventory/model.js';
import type { Change, ChangeKind, ChangeParams, GroupRef, IpPermission, JsonValue } from './plan-types.js';

type Observer<K extends ChangeKind> = (
  params: ChangeParams[K],
  scope: Scope,
  index: InventoryIndex,
) => JsonValue;

const roleNamed = (index: InventoryIndex, accountId: string, roleName: string) =>
  index.inventory.roles.find((role) => role.accountId === accountId && role.roleName === roleName);

const profileNamed = (inventory: Inventory, accountId: string, name: string) =>
  inventory.instanceProfiles.find(
    (profile) => profile.accountId === accountId && profile.instanceProfileName === name,
  );

/** The security group a reference names, if the inventory holds it. */
export function findGroup(
  index: InventoryIndex,
  accountId: string,
  ref: GroupRef,
): SecurityGroup | undefined {
  if ('groupId' in ref) return index.securityGroup(ref.groupId);
  return index.inventory.securityGroups.find(
    (group) =>
      group.accountId === accountId && group.vpcId === ref.vpcId && group.groupName === ref.groupName,
  );
}

/** True when a normalised model rule is exactly the one-peer permission (ports ignored for all-traffic). */
export function ruleMatchesPermission(rule: SecurityGroupRule, permission: IpPermission): boolean {
  const protocol = permission.IpProtocol === '-1' ? 'all' : permission.IpProtocol;
  if (rule.protocol !== protocol) return false;
  if (protocol !== 'all' && (rule.fromPort !== permission.FromPort || rule.toPort !== permission.ToPort))
    return false;
  return (
    rule.cidrIpv4 === permission.IpRanges?.[0]?.CidrIp &&
    rule.cidrIpv6 === permission.Ipv6Ranges?.[0]?.CidrIpv6 &&
    rule.referencedGroupId === permission.UserIdGroupPairs?.[0]?.GroupId &&
    rule.prefixListId === permission.PrefixListIds?.[0]?.PrefixListId
  );
}

const hasIngress = (group: SecurityGroup | undefined, permission: IpPermission): boolean =>
  group?.ingress.some((rule) => ruleMatchesPermission(rule, permission)) ?? false;

const documentOf = (policy: { document: unknown } | { parseError: string } | undefined): JsonValue =>
  policy && 'document' in policy ? (policy.document as JsonValue) : null;

const OBSERVERS: { [K in ChangeKind]: Observer<K> } = {
  'iam:create-role': (p, { accountId }, index): JsonValue => {
    const role = roleNamed(index, accountId, p.roleName);
    return role ? { exists: true, trustPolicy: documentOf(role.trustPolicy) } : { exists: false };
  },
  'iam:attach-role-policy': (p, { accountId }, index) => ({
    attached:
      roleNamed(index, accountId, p.roleName)?.attachedPolicies.some((a) => a.policyArn === p.policyArn) ??
      false,
  }),
  'iam:put-role-policy': (p, { accountId }, index) => ({
    policyDocument: documentOf(
      roleNamed(index, accountId, p.roleName)?.inlinePolicies.find((i) => i.policyName === p.policyName)
        ?.policy,
    ),
  }),
  'iam:create-instance-profile': (p, { accountId }, index) => ({
    exists: profileNamed(index.inventory, accountId, p.instanceProfileName) !== undefined,
  }),
  'iam:add-role-to-instance-profile': (p, { accountId }, index) => ({
    roles: (profileNamed(index.inventory, accountId, p.instanceProfileName)?.roleArns ?? []).map(
      (arn) => arn.split('/').pop() ?? arn,
    ),
  }),
  'ec2:associate-iam-instance-profile': (p, _a, index) => instanceProfileState(index, p.instanceId),
  'ec2:replace-iam-instance-profile-association': (p, _a, index) => instanceProfileState(index, p.instanceId),
  'ssm:update-service-setting': (_p, scope, index) => {
    const setting = index.dhmcSetting(scope);
    return { settingValue: setting === undefined ? null : (setting.roleName ?? '$None') };
  },
  'ec2:modify-instance-metadata-options': (p, _a, index): JsonValue => {
    const instance = index.instance(p.instanceId);
    return instance
      ? { httpEndpoint: instance.metadataOptions?.httpEndpoint ?? 'enabled' }
      : { exists: false };
  },
  'ec2:revoke-security-group-ingress': (p, _a, index) => ({
    present: hasIngress(index.securityGroup(p.groupId), p.permission),
  }),
  'ec2:create-security-group': (p, { accountId }, index) => ({
    exists: findGroup(index, accountId, { groupName: p.groupName, vpcId: p.vpcId }) !== undefined,
  }),
  'ec2:authorize-security-group-ingress': (p, { accountId }, index) => ({
    present: hasIngress(findGroup(index, accountId, p.group), p.permission),
  }),
  'ec2:create-vpc-endpoint': (p, { accountId }, index): JsonValue => {
    const endpoint = index.inventory.vpcEndpoints.find(
      (e) =>
        e.accountId === accountId &&
        e.vpcId === p.vpcId &&
        e.serviceName === p.serviceName &&
        e.endpointType === 'Interface' &&
        !['deleted', 'deleting', 'failed', 'rejected'].includes(e.state),
    );
    return endpoint ? { exists: true, privateDnsEnabled: endpoint.privateDnsEnabled } : { exists: false };
  },
  'ssm:update-maintenance-window-target': (p, _a, index) => {
    const target = index
      .allWindowTargets()
      .find((t) => t.windowId === p.windowId && t.windowTargetId === p.windowTargetId);
    return target ? { targets: target.targets.map((t) => ({ Key: t.key, Values: [...t.values] })) } : null;
  },
  'ssm:deregister-managed-instance': (p, { accountId }, index) => ({
    registered: index.inventory.managedNodes.some(
      (node) => node.accountId === accountId && node.instanceId === p.managedInstanceId,
    ),
  }),
};

function instanceProfileState(index: InventoryIndex, instanceId: string): JsonValue {
  const instance = index.instance(instanceId);
  if (!instance) return { exists: false };
  return { instanceProfileArn: instance.iamInstanceProfileArn ?? null };
}

/** What observing a change's target needs. */
export type ObservedChange = Pick<Change, 'kind' | 'params' | 'accountId' | 'region'>;

/** The target's state now, in the inventory given. */
export function observeTarget(change: ObservedChange, index: InventoryIndex): JsonValue {
  const observer = OBSERVERS[change.kind] as Observer<ChangeKind>;
  return observer(change.params, { accountId: change.accountId, region: change.region }, index);
}

/** Structural equality of two JSON values (object key order ignored). */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameJson(v, b[i]!));
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  const ob = b as Record<string, JsonValue>;
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(ob, k) && sameJson((a as Record<string, JsonValue>)[k]!, ob[k]!))
  );
}
