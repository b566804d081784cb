// A region's patch baselines as the patch-group check reads them: a group's registrations, each OS's default, and
// what a baseline approves, each lookup guarded by the coverage of the call that reads it.

import { DataUnavailableError } from '../../../inventory/coverage.js';
import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type {
  PatchBaselineDetail,
  PatchBaselineIdentity,
  PatchGroupMapping,
  Scope,
} from '../../../inventory/model.js';
import { baselineKey } from '../../../inventory/patch-baseline-id.js';

interface BaselineIndex {
  mappingsByGroup: Map<string, PatchGroupMapping[]>;
  defaultsByOs: Map<string, PatchBaselineIdentity>;
  details: Map<string, PatchBaselineDetail>;
}

const BASELINE_INDEX = Symbol('patch-baselines-by-scope');

const scopeKey = (scope: Scope): string => `${scope.accountId}|${scope.region}`;

function baselineIndex(index: InventoryIndex): BaselineIndex {
  return index.derived(BASELINE_INDEX, (ix) => {
    const out: BaselineIndex = { mappingsByGroup: new Map(), defaultsByOs: new Map(), details: new Map() };
    for (const mapping of ix.inventory.patchGroups) {
      const key = `${scopeKey(mapping)}|${mapping.patchGroup}`;
      out.mappingsByGroup.set(key, [...(out.mappingsByGroup.get(key) ?? []), mapping]);
    }
    for (const baseline of ix.inventory.patchBaselines)
      if (baseline.defaultBaseline && baseline.operatingSystem !== undefined)
        out.defaultsByOs.set(`${scopeKey(baseline)}|${baseline.operatingSystem}`, baseline);
    for (const detail of ix.inventory.patchBaselineDetails)
      out.details.set(`${scopeKey(detail)}|${baselineKey(detail.baselineId)}`, detail);
    return out;
  });
}

/** The baselines a patch group is registered with in a scope (DescribePatchGroups), guarded. */
export function groupRegistrations(
  index: InventoryIndex,
  scope: Scope,
  patchGroup: string,
): readonly PatchGroupMapping[] {
  index.need('ssm:patch-groups', scope);
  return baselineIndex(index).mappingsByGroup.get(`${scopeKey(scope)}|${patchGroup}`) ?? [];
}

/**
 * The default baseline of an OS in a scope (DescribePatchBaselines' DefaultBaseline), or why it is unknown: the
 * listing was not read (the error), or it lists no default for the OS (undefined).
 */
export function defaultBaseline(
  index: InventoryIndex,
  scope: Scope,
  operatingSystem: string,
): PatchBaselineIdentity | DataUnavailableError | undefined {
  const state = index.coverage.state('ssm:patch-baselines', scope);
  if (state.status !== 'read') return new DataUnavailableError('ssm:patch-baselines', scope, state);
  return baselineIndex(index).defaultsByOs.get(`${scopeKey(scope)}|${operatingSystem}`);
}

/** What one baseline approves (GetPatchBaseline), or the error saying why it is not known. */
export function baselineDetail(
  index: InventoryIndex,
  scope: Scope,
  baselineId: string,
): PatchBaselineDetail | DataUnavailableError {
  const key = baselineKey(baselineId);
  const state = index.coverage.parentState('ssm:patch-baseline-details', scope, key);
  const detail = baselineIndex(index).details.get(`${scopeKey(scope)}|${key}`);
  if (state.status === 'error')
    return new DataUnavailableError('ssm:patch-baseline-details', scope, state, key);
  if (detail !== undefined) return detail;
  return new DataUnavailableError(
    'ssm:patch-baseline-details',
    scope,
    state.status === 'read' ? { status: 'missing' } : state,
    key,
  );
}

/** "CLASSIFICATION Security, Bugfix and SEVERITY Critical, Important, 7 days after release" per rule, and more. */
export function describeApprovals(detail: PatchBaselineDetail): string {
  const parts = detail.approvalRules.map((rule) => {
    const filters = Object.entries(rule.filters)
      .map(([key, values]) => `${key} ${values.join(', ')}`)
      .join(' and ');
    const when =
      rule.approveUntilDate !== undefined
        ? `released by ${rule.approveUntilDate}`
        : `${rule.approveAfterDays ?? 0} days after release`;
    return `${filters || 'every patch'}, ${when}`;
  });
  if (detail.approvedPatches.length > 0)
    parts.push(`${detail.approvedPatches.length} patches listed by name`);
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}

/** A baseline approves nothing when it has no approval rule and lists no patch: installs then install nothing. */
export function approvesNothing(detail: PatchBaselineDetail): boolean {
  return detail.approvalRules.length === 0 && detail.approvedPatches.length === 0;
}
