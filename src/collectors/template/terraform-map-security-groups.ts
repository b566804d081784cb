// Terraform plan → security groups: inline ingress/egress blocks, and the aws_security_group_rule and
// aws_vpc_security_group_{ingress,egress}_rule resources that add to them.

import type { DeploySecurityGroup, DeploySecurityGroupRule, Maybe, Ref } from './deploy-model.js';
import {
  declaredId,
  declaredName,
  note,
  type PlanContext,
  type PlanResource,
} from './terraform-map-context.js';
import { readRef, readRefList } from './terraform-map-references.js';
import {
  afterApply,
  child,
  isDeclared,
  isUnknown,
  items,
  readBoolean,
  readNumber,
  readText,
  readTextMap,
  type PlanNode,
} from './terraform-map-values.js';

type RulePeer = Pick<
  DeploySecurityGroupRule,
  'CidrIp' | 'CidrIpv6' | 'SourcePrefixListId' | 'DestinationPrefixListId' | 'GroupIdPeer'
>;

/** Terraform accepts "all" for every protocol; EC2 answers "-1". Ports do not apply to it. */
function portsAndProtocol(protocol: Maybe<string> | undefined, from: PlanNode, to: PlanNode) {
  const IpProtocol = protocol === 'all' ? '-1' : (protocol ?? afterApply());
  if (IpProtocol === '-1') return { IpProtocol };
  const FromPort = readNumber(from);
  const ToPort = readNumber(to);
  return { IpProtocol, ...(FromPort !== undefined && { FromPort }), ...(ToPort !== undefined && { ToPort }) };
}

function peersOfBlock(
  ctx: PlanContext,
  group: PlanResource,
  block: PlanNode,
  egress: boolean,
  groupId: string,
) {
  const texts = (name: string): Maybe<string>[] => {
    const list = readRefList(ctx, group, child(block, name));
    return list === undefined ? [] : Array.isArray(list) ? list : [list];
  };
  const prefixKey = egress ? 'DestinationPrefixListId' : 'SourcePrefixListId';
  const peers: RulePeer[] = [
    ...texts('cidr_blocks').map((CidrIp) => ({ CidrIp })),
    ...texts('ipv6_cidr_blocks').map((CidrIpv6) => ({ CidrIpv6 })),
    ...texts('prefix_list_ids').map((id) => ({ [prefixKey]: id })),
    ...texts('security_groups').map((GroupIdPeer) => ({ GroupIdPeer })),
  ];
  if (readBoolean(child(block, 'self')) === true) peers.push({ GroupIdPeer: groupId });
  return peers;
}

/** One inline block → one rule per peer (EC2 answers a permission per CIDR, prefix list and group). */
function rulesOfBlocks(ctx: PlanContext, group: PlanResource, key: 'ingress' | 'egress', groupId: string) {
  const node = child(group.node, key);
  if (isUnknown(node)) return isDeclared(node) ? [{ IpProtocol: afterApply() }] : [];
  return items(node).flatMap((block): DeploySecurityGroupRule[] => {
    const ports = portsAndProtocol(
      readText(child(block, 'protocol')),
      child(block, 'from_port'),
      child(block, 'to_port'),
    );
    const description = readText(child(block, 'description'));
    const extra = typeof description === 'string' && description !== '' ? { Description: description } : {};
    return peersOfBlock(ctx, group, block, key === 'egress', groupId).map((peer) => ({
      ...ports,
      ...peer,
      ...extra,
    }));
  });
}

interface StandaloneRule {
  groupId: Ref | undefined;
  egress: boolean | undefined;
  rule: DeploySecurityGroupRule;
}

function legacyRule(ctx: PlanContext, resource: PlanResource): StandaloneRule[] {
  const node = resource.node;
  const type = readText(child(node, 'type'));
  const egress = type === 'egress' ? true : type === 'ingress' ? false : undefined;
  const groupId = readRef(ctx, resource, child(node, 'security_group_id'));
  const ports = portsAndProtocol(
    readText(child(node, 'protocol')),
    child(node, 'from_port'),
    child(node, 'to_port'),
  );
  const list = (name: string) => {
    const values = readRefList(ctx, resource, child(node, name));
    return values === undefined ? [] : Array.isArray(values) ? values : [values];
  };
  const source = readRef(ctx, resource, child(node, 'source_security_group_id'));
  const peers: RulePeer[] = [
    ...list('cidr_blocks').map((CidrIp) => ({ CidrIp })),
    ...list('ipv6_cidr_blocks').map((CidrIpv6) => ({ CidrIpv6 })),
    ...list('prefix_list_ids').map((id) =>
      egress === true ? { DestinationPrefixListId: id } : { SourcePrefixListId: id },
    ),
    ...(source !== undefined ? [{ GroupIdPeer: source }] : []),
    ...(readBoolean(child(node, 'self')) === true && groupId !== undefined ? [{ GroupIdPeer: groupId }] : []),
  ];
  return peers.map((peer) => ({ groupId, egress, rule: { ...ports, ...peer, location: resource.location } }));
}

function vpcRule(ctx: PlanContext, resource: PlanResource, egress: boolean): StandaloneRule {
  const node = resource.node;
  const text = (name: string) => readText(child(node, name));
  const peers: RulePeer = {
    ...(text('cidr_ipv4') !== undefined && { CidrIp: text('cidr_ipv4') }),
    ...(text('cidr_ipv6') !== undefined && { CidrIpv6: text('cidr_ipv6') }),
  };
  const prefix = readRef(ctx, resource, child(node, 'prefix_list_id'));
  if (prefix !== undefined) peers[egress ? 'DestinationPrefixListId' : 'SourcePrefixListId'] = prefix;
  const peerGroup = readRef(ctx, resource, child(node, 'referenced_security_group_id'));
  if (peerGroup !== undefined) peers.GroupIdPeer = peerGroup;
  const description = text('description');
  return {
    groupId: readRef(ctx, resource, child(node, 'security_group_id')),
    egress,
    rule: {
      ...portsAndProtocol(text('ip_protocol'), child(node, 'from_port'), child(node, 'to_port')),
      ...peers,
      ...(description !== undefined && { Description: description }),
      location: resource.location,
    },
  };
}

function standaloneRules(ctx: PlanContext): { resource: PlanResource; rules: StandaloneRule[] }[] {
  return ctx.resources.flatMap((resource) => {
    if (resource.type === 'aws_security_group_rule') return [{ resource, rules: legacyRule(ctx, resource) }];
    if (resource.type === 'aws_vpc_security_group_ingress_rule')
      return [{ resource, rules: [vpcRule(ctx, resource, false)] }];
    if (resource.type === 'aws_vpc_security_group_egress_rule')
      return [{ resource, rules: [vpcRule(ctx, resource, true)] }];
    return [];
  });
}

function mapGroup(ctx: PlanContext, group: PlanResource): DeploySecurityGroup {
  const groupId = declaredId(ctx, group) ?? group.address;
  return {
    address: group.address,
    location: group.location,
    groupId,
    groupName: declaredName(group),
    vpcId: readRef(ctx, group, child(group.node, 'vpc_id')) ?? afterApply(),
    ingress: rulesOfBlocks(ctx, group, 'ingress', groupId),
    // Unlike a CloudFormation group, an aws_security_group never keeps AWS's default allow-all egress rule: the
    // provider revokes it on create and adds only the egress blocks declared ("NOTE on Egress rules",
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group).
    egress: rulesOfBlocks(ctx, group, 'egress', groupId),
    tags: readTextMap(child(group.node, 'tags')).map(({ key, value }) => ({ Key: key, Value: value })),
  };
}

/** Adds a rule resource's rules to the group they name; a group outside the plan is noted once per resource. */
function addStandaloneRules(
  ctx: PlanContext,
  groups: readonly DeploySecurityGroup[],
  resource: PlanResource,
  rules: readonly StandaloneRule[],
): void {
  const unplaced = rules.filter(({ groupId, egress, rule }) => {
    const group = groups.find((candidate) => candidate.groupId === groupId);
    if (group === undefined || egress === undefined) return true;
    (egress ? (group.egress ??= []) : group.ingress).push(rule);
    return false;
  });
  const first = unplaced[0];
  if (first === undefined) return;
  const target = typeof first.groupId === 'string' ? first.groupId : 'a group known after apply';
  note(ctx, resource, `rule for ${target}, which is not a security group of the plan: not read`, [
    { collection: 'securityGroups', resourceId: typeof first.groupId === 'string' ? first.groupId : '*' },
  ]);
}

export function mapSecurityGroups(ctx: PlanContext): DeploySecurityGroup[] {
  const groups = ctx.resources
    .filter((resource) => resource.type === 'aws_security_group')
    .map((group) => mapGroup(ctx, group));
  for (const { resource, rules } of standaloneRules(ctx)) addStandaloneRules(ctx, groups, resource, rules);
  return groups;
}
