// Maps AWS Config AWS::SSM::PatchCompliance items into instance patch states, as far as the items carry them.

import type { InstancePatchState, PatchStateField } from '../../inventory/model.js';
import { isJsonObject, type JsonObject, type MapIssue } from '../api/mapping-context.js';
import type { ConfigurationItem } from './configuration-item.js';

export const PATCH_COMPLIANCE_TYPE = 'AWS::SSM::PatchCompliance';

/**
 * What a PatchCompliance item never carries. It holds what Patch Manager reported through PutComplianceItems: one
 * summary (baseline, patch group, status, counts by compliance severity, ExecutionType "Command") and one entry
 * per patch (Id, Title, Classification, Severity, PatchState, InstalledTime, …), but not the operation (Scan or
 * Install) that reported them nor when it ran. Rules that need these say "cannot be verified" (ERROR).
 */
export const NOT_IN_PATCH_COMPLIANCE: readonly PatchStateField[] = [
  'operation',
  'operationStartTime',
  'operationEndTime',
  // Not read by any rule, and whether Patch Manager reports not-applicable patches as compliance items is not
  // documented: left unknown rather than counted.
  'notApplicableCount',
  'otherNonCompliantCount',
];

/**
 * The per-patch PatchState values and the patch-state count each adds to (the states DescribeInstancePatchStates
 * counts): https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-compliance-states.html
 */
type CountField = Exclude<PatchStateField, 'operation' | 'operationStartTime' | 'operationEndTime'>;

const STATE_COUNTS: Readonly<Record<string, CountField>> = {
  INSTALLED: 'installedCount',
  INSTALLED_OTHER: 'installedOtherCount',
  INSTALLED_PENDING_REBOOT: 'installedPendingRebootCount',
  INSTALLED_REJECTED: 'installedRejectedCount',
  MISSING: 'missingCount',
  FAILED: 'failedCount',
};

/** The summary's non-compliant counts by compliance severity (the baseline's ComplianceLevel). */
const NON_COMPLIANT_COUNTS = [
  'NonCompliantCriticalCount',
  'NonCompliantHighCount',
  'NonCompliantMediumCount',
  'NonCompliantLowCount',
  'NonCompliantInformationalCount',
  'NonCompliantUnspecifiedCount',
] as const;

// The item's resource id names the node's inventory: "AWS::SSM::ManagedInstanceInventory/i-0abc…".
const NODE_ID = /(?:^|\/)((?:i|mi)-[0-9a-f]{8,17})$/;

export type PatchComplianceResult = { state: InstancePatchState } | { issue: MapIssue };

/**
 * One item's patch state. configuration["AWS:ComplianceItem"].Content.Patch holds the `ComplianceSummary` entry and
 * one entry per patch, keyed by patch id. What is derived, and how:
 * - installed / installed-other / pending-reboot / rejected / missing / failed: the patches in each PatchState
 *   (written "Installed", "InstalledPendingReboot" or "INSTALLED_PENDING_REBOOT": compared without case or "_");
 * - critical non-compliant: the summary's NonCompliantCriticalCount, which counts by the baseline's compliance
 *   severity as DescribeInstancePatchStates' CriticalNonCompliantCount does;
 * - security non-compliant: the item has no such count (classifications are OS-specific words), so it is known
 *   only when the summary reports no non-compliant patch at all (then it is 0); otherwise unknown;
 * - operation and its times: never (NOT_IN_PATCH_COMPLIANCE).
 * A summary without its counts leaves every count unknown. An item that names no node, has no Patch content or no
 * baseline is an issue, and its node gets no patch state from it.
 */
export function patchStateFromComplianceItem(
  item: ConfigurationItem,
  origin: string,
  scope: { accountId: string; region: string },
): PatchComplianceResult {
  const path = `${item.resourceType} ${item.resourceId}`;
  const fail = (message: string): { issue: MapIssue } => ({
    issue: { code: 'ENTRY_INVALID', origin, path, message },
  });
  const instanceId = NODE_ID.exec(item.resourceId)?.[1];
  if (instanceId === undefined)
    return fail('the resource id names no managed node (expected "AWS::SSM::ManagedInstanceInventory/i-…")');
  const compliance = isJsonObject(item.configuration) ? item.configuration['AWS:ComplianceItem'] : undefined;
  const content = isJsonObject(compliance) ? compliance.Content : undefined;
  const patches = isJsonObject(content) ? content.Patch : undefined;
  if (!isJsonObject(patches))
    return fail('configuration has no "AWS:ComplianceItem".Content.Patch object; item ignored');
  const summary = isJsonObject(patches.ComplianceSummary) ? patches.ComplianceSummary : undefined;
  const entries = Object.entries(patches).flatMap(([key, value]) =>
    key !== 'ComplianceSummary' && isJsonObject(value) ? [value] : [],
  );
  const baselineId =
    text(summary?.PatchBaselineId) ??
    entries.map((e) => text(e.PatchBaselineId)).find((id) => id !== undefined);
  if (baselineId === undefined) return fail('no PatchBaselineId in the compliance summary or its patches');

  const state: InstancePatchState = {
    ...scope,
    instanceId,
    patchGroup: text(summary?.PatchGroup) ?? entries.map((e) => text(e.PatchGroup)).find(Boolean) ?? '',
    baselineId,
    // Placeholders for what the item does not carry; named in unknownFields, so no rule reads them.
    operation: '',
    operationStartTime: '',
    operationEndTime: '',
    installedCount: 0,
    installedOtherCount: 0,
    installedPendingRebootCount: 0,
    installedRejectedCount: 0,
    missingCount: 0,
    failedCount: 0,
    notApplicableCount: 0,
    criticalNonCompliantCount: 0,
    securityNonCompliantCount: 0,
    otherNonCompliantCount: 0,
  };
  const unknown = new Set<PatchStateField>(NOT_IN_PATCH_COMPLIANCE);
  for (const entry of entries) {
    const field = STATE_COUNTS[stateKey(entry.PatchState)];
    if (field !== undefined) state[field] += 1;
  }
  const nonCompliant = summary === undefined ? undefined : summaryCounts(summary);
  if (nonCompliant === undefined) {
    for (const field of Object.values(STATE_COUNTS)) unknown.add(field);
    unknown.add('criticalNonCompliantCount');
    unknown.add('securityNonCompliantCount');
  } else {
    state.criticalNonCompliantCount = nonCompliant.critical;
    // Security non-compliant patches are among the missing, failed, rejected and pending-reboot ones
    // (API_InstancePatchState, SecurityNonCompliantCount), all of which the summary counts as non-compliant.
    if (nonCompliant.total !== 0) unknown.add('securityNonCompliantCount');
  }
  state.unknownFields = [...unknown].sort();
  return { state };
}

/** "Installed", "InstalledPendingReboot" and "INSTALLED_PENDING_REBOOT" all name one state. */
function stateKey(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toUpperCase();
}

/** The summary's critical and total non-compliant counts, or undefined when any of them is absent or not a count. */
function summaryCounts(summary: JsonObject): { critical: number; total: number } | undefined {
  let total = 0;
  for (const key of NON_COMPLIANT_COUNTS) {
    const value = count(summary[key]);
    if (value === undefined) return undefined;
    total += value;
  }
  return { critical: count(summary.NonCompliantCriticalCount)!, total };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A count as Config records it: a number, or a string of digits (inventory attributes are strings). */
function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
