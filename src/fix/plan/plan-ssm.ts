// Plans the Systems Manager side: maintenance-window targets listing instance IDs become the tag target that
// selects exactly the same instances, and EC2 instances registered as hybrid (mi-) nodes are deregistered once
// their instance profile is in place.

import type { Ec2Instance, MaintenanceWindowTarget } from '../../inventory/model.js';
import { failing, type PlanContext } from './plan-context.js';
import type { MaintenanceTarget } from './plan-types.js';

const PATCH_GROUP_KEYS = ['PatchGroup', 'Patch Group'];

export function planWindowTargets(context: PlanContext): void {
  const { builder, index } = context;
  for (const result of failing(context, 'ssm-maintenance-window-targets-use-tags', [
    'PATCH.TARGETS_BY_INSTANCE_ID',
  ])) {
    const target = index
      .allWindowTargets()
      .find((t) => t.windowTargetId === result.resourceId && t.accountId === result.accountId);
    const replacement = target
      ? tagTargetFor(context, target)
      : { why: `window target ${result.resourceId} is not in the inventory` };
    if ('why' in replacement || !target) {
      builder.person(result, 'why' in replacement ? replacement.why : 'window target not found');
      continue;
    }
    const group = builder.group(
      `ssm-maintenance-window-targets-use-tags|${target.windowId}|${target.windowTargetId}`,
      `Window ${target.windowId} targets instance IDs — target tag ${replacement.targets[0]!.Key.slice(4)}=${replacement.targets[0]!.Values[0]} instead`,
      result.ruleId,
      'PATCH.TARGETS_BY_INSTANCE_ID',
    );
    const instanceIds = replacement.instances.map((i) => i.instanceId);
    const notTargeted = failing(context, 'ec2-instance-patch-targeted-by-tag', ['PATCH.NOT_TARGETED_BY_TAG'])
      .map((r) => r.resourceId)
      .filter((id) => instanceIds.includes(id));
    // The window whose Install ran on no tag target then runs it on one (the target keeps its id).
    const windowInstalls = failing(context, 'ssm-maintenance-window-patches', [
      'PATCH.INSTALL_NOT_ON_TAG_TARGET',
    ]).some((r) => r.resourceId === target.windowId && r.accountId === target.accountId);
    builder.add(group, {
      kind: 'ssm:update-maintenance-window-target',
      accountId: target.accountId,
      region: target.region,
      target: { resourceType: 'AWS::SSM::MaintenanceWindowTarget', resourceId: target.windowTargetId },
      params: {
        windowId: target.windowId,
        windowTargetId: target.windowTargetId,
        targets: replacement.targets,
      },
      after: { targets: replacement.targets },
      summary: `make window target ${target.windowTargetId} (${target.windowId}) select ${replacement.targets[0]!.Key}=${replacement.targets[0]!.Values[0]} instead of ${instanceIds.length} instance IDs`,
      // The target keeps its id, so the window's tasks that name it keep running on it.
      fixes: [
        {
          ruleId: result.ruleId,
          reason: 'PATCH.TARGETS_BY_INSTANCE_ID',
          resourceIds: [target.windowTargetId],
        },
        ...(notTargeted.length > 0
          ? [
              {
                ruleId: 'ec2-instance-patch-targeted-by-tag',
                reason: 'PATCH.NOT_TARGETED_BY_TAG',
                resourceIds: notTargeted,
              },
            ]
          : []),
        ...(windowInstalls
          ? [
              {
                ruleId: 'ssm-maintenance-window-patches',
                reason: 'PATCH.INSTALL_NOT_ON_TAG_TARGET',
                resourceIds: [target.windowId],
              },
            ]
          : []),
      ],
    });
    builder.covers(group, [target.windowTargetId, ...instanceIds]);
  }
}

/** The tag target selecting exactly the listed instances, or why there is none. */
function tagTargetFor(
  context: PlanContext,
  target: MaintenanceWindowTarget,
): { targets: MaintenanceTarget[]; instances: Ec2Instance[] } | { why: string } {
  const ids = target.targets.find((t) => t.key === 'InstanceIds')?.values ?? [];
  if (target.targets.length !== 1 || ids.length === 0)
    return { why: 'the target combines instance IDs with other keys; choose its tag by hand' };
  const instances = ids.map((id) => context.index.instance(id));
  if (instances.some((i) => i === undefined))
    return { why: `some listed instances are not in the inventory (${ids.join(', ')})` };
  const listed = instances as Ec2Instance[];
  for (const key of PATCH_GROUP_KEYS) {
    const values = new Set(listed.map((i) => i.tags[key]));
    const value = [...values][0];
    if (values.size !== 1 || value === undefined) continue;
    const selected = context.index.inventory.instances.filter(
      (i) =>
        i.accountId === target.accountId &&
        i.region === target.region &&
        i.state !== 'terminated' &&
        i.tags[key] === value,
    );
    if (selected.length === listed.length && selected.every((i) => ids.includes(i.instanceId))) {
      return { targets: [{ Key: `tag:${key}`, Values: [value] }], instances: listed };
    }
    return {
      why: `tag ${key}=${value} also selects instances the target does not list (${selected
        .filter((i) => !ids.includes(i.instanceId))
        .slice(0, 3)
        .map((i) => i.instanceId)
        .join(', ')}); choose the tag by hand`,
    };
  }
  return {
    why: 'the listed instances share no patch-group tag (PatchGroup or Patch Group) that selects exactly them',
  };
}

export function planHybridDeregistration(context: PlanContext): void {
  const { builder, index } = context;
  for (const result of failing(context, 'ec2-instance-not-hybrid-activated', ['SSM.EC2_AS_HYBRID'])) {
    const instance = index.instance(result.resourceId);
    const nodes = instance ? index.hybridRegistrationsOf(instance) : [];
    const profileChange = builder.changes.find(
      (c) =>
        (c.kind === 'ec2:associate-iam-instance-profile' ||
          c.kind === 'ec2:replace-iam-instance-profile-association') &&
        c.params.instanceId === result.resourceId,
    );
    if (
      !instance ||
      nodes.length === 0 ||
      (!profileChange && !hasWorkingProfile(context, result.resourceId))
    ) {
      builder.person(
        result,
        "the instance's own instance profile is not in place (nor planned): deregistering its mi- node would leave it unmanaged",
      );
      continue;
    }
    const group = builder.group(
      `ec2-instance-not-hybrid-activated|SSM.EC2_AS_HYBRID|${result.resourceId}`,
      `EC2 instance ${result.resourceId} registered as a hybrid node — deregister ${nodes.map((n) => n.instanceId).join(', ')}`,
      result.ruleId,
      'SSM.EC2_AS_HYBRID',
    );
    for (const node of nodes) {
      builder.add(group, {
        kind: 'ssm:deregister-managed-instance',
        accountId: node.accountId,
        region: node.region,
        target: { resourceType: 'AWS::SSM::ManagedInstance', resourceId: node.instanceId },
        params: { managedInstanceId: node.instanceId, ec2InstanceId: result.resourceId },
        after: { registered: false },
        dependsOn: profileChange ? [profileChange.id] : [],
        summary: `deregister hybrid node ${node.instanceId} (EC2 instance ${result.resourceId})`,
        warnings: [
          'cannot be undone: a hybrid node registers again only with an activation',
          "on the host, clear the agent's hybrid registration and restart it so it registers with its EC2 identity",
        ],
        fixes: [{ ruleId: result.ruleId, reason: 'SSM.EC2_AS_HYBRID', resourceIds: [result.resourceId] }],
      });
    }
    builder.covers(group, [result.resourceId]);
  }
}

/** The instance has a profile and passed both IAM rules in the scan. */
function hasWorkingProfile(context: PlanContext, instanceId: string): boolean {
  if (context.index.instance(instanceId)?.iamInstanceProfileArn === undefined) return false;
  const iam = context.allResults.filter(
    (r) =>
      r.resourceId === instanceId &&
      (r.ruleId === 'ec2-instance-role-trusts-ec2' || r.ruleId === 'ec2-instance-role-grants-ssm-core'),
  );
  return iam.length === 2 && iam.every((r) => r.status === 'COMPLIANT');
}
