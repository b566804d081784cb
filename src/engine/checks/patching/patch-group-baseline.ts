// Named check: the instance's patch group is registered with a baseline for the instance's operating system, and
// that baseline approves something; otherwise it says which default baseline the instance falls back to.

import { DataUnavailableError } from '../../../inventory/coverage.js';
import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Ec2Instance, PatchGroupMapping } from '../../../inventory/model.js';
import type { Evidence } from '../../types.js';
import type { CheckResult, NamedCheck } from '../named-check.js';
import { type BaselineOs, baselineOsOf } from './baseline-os.js';
import {
  approvesNothing,
  baselineDetail,
  defaultBaseline,
  describeApprovals,
  groupRegistrations,
} from './patch-baselines.js';

/**
 * The group Patch Manager reads: the `PatchGroup` tag, else `Patch Group` — which it cannot read while
 * instance-metadata tags are enabled (tag keys with spaces are not allowed there). An empty value names no group.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-patch-groups.html
 */
function patchGroupOf(instance: Ec2Instance): string | undefined {
  const tag = instance.tags.PatchGroup;
  if (tag !== undefined && tag !== '') return tag;
  const legacy = instance.tags['Patch Group'];
  if (legacy === undefined || legacy === '') return undefined;
  return instance.metadataOptions?.instanceMetadataTags === 'enabled' ? undefined : legacy;
}

const baselineName = (m: { baselineName?: string; baselineId: string }): string =>
  m.baselineName !== undefined ? `${m.baselineName} (${m.baselineId})` : m.baselineId;

/**
 * A node in a patch group uses the baseline registered for the group and the node's OS; a group with no baseline
 * for that OS leaves the node on the OS's default baseline, as a node without a group
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-patch-groups.html). Patch Manager
 * picks the OS from the node itself, so the check takes it from the managed-node entry.
 */
export const patchGroupBaseline: NamedCheck<Ec2Instance, Record<string, never>> = {
  name: 'patch-group-baseline',
  description:
    "The instance's patch group has a baseline for its OS that approves patches (else: which default applies).",
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.managed-node', 'region.patch-groups', 'region.patch-baselines'],
  parameters: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(instance, { index }) {
    const node = index.managedNodeOf(instance);
    if (node === undefined)
      return notApplicable('is not a managed node, so Patch Manager applies no baseline to it');
    const group = patchGroupOf(instance);
    if (group === undefined)
      return notApplicable(
        'is in no patch group, so the default baseline of its OS applies (ec2-instance-patch-group-tagged reports it)',
      );
    const os = baselineOsOf(instance, node);
    if (os === undefined)
      return {
        outcome: 'not-applicable',
        reason: 'PATCH.OS_UNVERIFIABLE',
        detail: `cannot be verified: SSM reports platform ${JSON.stringify(node.platformName ?? node.platformType ?? 'unknown')}${node.platformVersion !== undefined ? ` version ${node.platformVersion}` : ''}, which does not say which baseline operating system Patch Manager uses for it`,
        evidence: [{ path: 'managedNode.platformName', actual: node.platformName ?? null }],
      };
    const registrations = groupRegistrations(index, instance, group);
    const own = registrations.find((m) => m.operatingSystem === os);
    return own !== undefined
      ? judgeRegistered(index, instance, group, own)
      : judgeFallback(index, instance, group, os, registrations);
  },
};

function notApplicable(why: string): CheckResult {
  return { outcome: 'not-applicable', detail: `it ${why}`, evidence: [] };
}

/** The group has a baseline for the OS: it passes unless that baseline approves nothing. */
function judgeRegistered(
  index: InventoryIndex,
  instance: Ec2Instance,
  group: string,
  mapping: PatchGroupMapping,
): CheckResult {
  const detail = baselineDetail(index, instance, mapping.baselineId);
  if (detail instanceof DataUnavailableError) throw detail;
  const evidence: Evidence[] = [
    { path: 'patchGroup', actual: group },
    {
      path: 'patchBaseline',
      resourceId: mapping.baselineId,
      actual: { approves: describeApprovals(detail) },
    },
  ];
  if (approvesNothing(detail))
    return {
      outcome: 'fail',
      reason: 'PATCH.BASELINE_APPROVES_NOTHING',
      detail: `patch group ${group} uses baseline ${baselineName(mapping)}, which has no approval rule and approves no patch by name, so an Install installs nothing`,
      evidence,
      cause: { key: `approves-nothing|${mapping.baselineId}` },
    };
  return {
    outcome: 'pass',
    detail: `patch group ${group} uses baseline ${baselineName(mapping)} for ${mapping.operatingSystem ?? 'its OS'}, which approves ${describeApprovals(detail)}`,
    evidence,
  };
}

/** No baseline for the OS: the instance falls back to the OS default; say which and what it approves. */
function judgeFallback(
  index: InventoryIndex,
  instance: Ec2Instance,
  group: string,
  os: BaselineOs,
  registrations: readonly PatchGroupMapping[],
): CheckResult {
  const registered = registrations.map(
    (m) => `${baselineName(m)} for ${m.operatingSystem ?? 'an unknown OS'}`,
  );
  const where =
    registered.length === 0
      ? `patch group ${group} is registered with no patch baseline`
      : `patch group ${group} is registered only with ${registered.join(', ')}, not with a baseline for ${os}`;
  return {
    outcome: 'fail',
    reason: registered.length === 0 ? 'PATCH.GROUP_NOT_REGISTERED' : 'PATCH.GROUP_NO_BASELINE_FOR_OS',
    detail: `${where}, so this ${os} instance falls back to ${fallbackText(index, instance, os)}`,
    evidence: [
      { path: 'patchGroup', actual: group },
      { path: 'operatingSystem', actual: os },
      { path: 'patchGroupBaselines', actual: registrations.map((m) => m.baselineId) },
    ],
    cause: { key: `group-os|${group}|${os}` },
  };
}

/** "the default baseline AWS-… (arn…), which approves …", or what of it could not be read. */
function fallbackText(index: InventoryIndex, instance: Ec2Instance, os: BaselineOs): string {
  const fallback = defaultBaseline(index, instance, os);
  if (fallback instanceof DataUnavailableError)
    return `the default baseline for ${os}, which could not be read (${fallback.message})`;
  if (fallback === undefined)
    return `the default baseline for ${os}, though the region's baselines list no default for ${os}`;
  const detail = baselineDetail(index, instance, fallback.baselineId);
  const approves =
    detail instanceof DataUnavailableError
      ? `what it approves could not be read (${detail.message})`
      : `which approves ${describeApprovals(detail)}`;
  return `the default baseline ${baselineName(fallback)}, ${approves}`;
}
