// Maps an SSM DescribeInstancePatchStates (or …ForPatchGroup) response into InstancePatchState models.

import type { InstancePatchState } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

// Count members of InstancePatchState (SSM model 2014-11-06); absent counts are 0, as the API omits zeros.
const COUNTS = [
  ['installedCount', 'InstalledCount'],
  ['installedOtherCount', 'InstalledOtherCount'],
  ['installedPendingRebootCount', 'InstalledPendingRebootCount'],
  ['installedRejectedCount', 'InstalledRejectedCount'],
  ['missingCount', 'MissingCount'],
  ['failedCount', 'FailedCount'],
  ['notApplicableCount', 'NotApplicableCount'],
  ['criticalNonCompliantCount', 'CriticalNonCompliantCount'],
  ['securityNonCompliantCount', 'SecurityNonCompliantCount'],
  ['otherNonCompliantCount', 'OtherNonCompliantCount'],
] as const;

/**
 * Maps `InstancePatchStates`: one entry per managed node, its latest patch operation and the patch counts it
 * reported. InstanceId, PatchGroup, BaselineId, Operation and the operation times are required by the API model
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstancePatchState.html).
 */
export function mapInstancePatchStates(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<InstancePatchState> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'InstancePatchStates');
  if (list === undefined) return ctx.result([], false);
  const items: InstancePatchState[] = [];
  for (let s = 0; s < list.length; s++) {
    const path = `InstancePatchStates[${s}]`;
    const o = list[s];
    if (!ctx.entry(o, path)) continue;
    const instanceId = ctx.requiredString(o.InstanceId, 'InstanceId', path);
    const baselineId = ctx.requiredString(o.BaselineId, 'BaselineId', path);
    const operation = ctx.requiredString(o.Operation, 'Operation', path);
    const start = requiredTimestamp(ctx, o.OperationStartTime, 'OperationStartTime', path);
    const end = requiredTimestamp(ctx, o.OperationEndTime, 'OperationEndTime', path);
    if (!instanceId || !baselineId || !operation || !start || !end) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const state = {
      accountId,
      region,
      instanceId,
      // An instance without a patch-group tag reports the empty string.
      patchGroup: ctx.string(o.PatchGroup, 'PatchGroup', path) ?? '',
      baselineId,
      operation,
      operationStartTime: start,
      operationEndTime: end,
    } as InstancePatchState;
    for (const [field, key] of COUNTS) state[field] = ctx.number(o[key], key, path) ?? 0;
    const reboot = ctx.string(o.RebootOption, 'RebootOption', path);
    if (reboot !== undefined) state.rebootOption = reboot;
    const noReboot = ctx.timestamp(
      o.LastNoRebootInstallOperationTime,
      'LastNoRebootInstallOperationTime',
      path,
    );
    if (noReboot !== undefined) state.lastNoRebootInstallOperationTime = noReboot;
    items.push(state);
  }
  return ctx.result(items);
}

function requiredTimestamp(
  ctx: MappingContext,
  value: unknown,
  key: string,
  path: string,
): string | undefined {
  if (value === undefined || value === null) {
    ctx.issue('ENTRY_INVALID', `${path}.${key}`, `missing ${key}`);
    return undefined;
  }
  return ctx.timestamp(value, key, path);
}
