// Maps SSM DescribePatchBaselines and GetPatchBaseline responses into patch-baseline models.

import type { PatchApprovalRule, PatchBaselineDetail, PatchBaselineIdentity } from '../../inventory/model.js';
import {
  isJsonObject,
  jsonTypeOf,
  MappingContext,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/**
 * Maps DescribePatchBaselines (`BaselineIdentities[{BaselineId, BaselineName, OperatingSystem, DefaultBaseline}]`).
 * Read unfiltered, it lists AWS's predefined baselines and the account's own, so the default of each OS is known.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribePatchBaselines.html
 */
export function mapPatchBaselines(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<PatchBaselineIdentity> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'BaselineIdentities');
  if (list === undefined) return ctx.result([], false);
  const items: PatchBaselineIdentity[] = [];
  for (let b = 0; b < list.length; b++) {
    const path = `BaselineIdentities[${b}]`;
    const o = list[b];
    if (!ctx.entry(o, path)) continue;
    const baselineId = ctx.requiredString(o.BaselineId, 'BaselineId', path);
    if (baselineId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const item: PatchBaselineIdentity = {
      accountId,
      region,
      baselineId,
      defaultBaseline: ctx.boolean(o.DefaultBaseline, 'DefaultBaseline', path) ?? false,
    };
    const name = ctx.string(o.BaselineName, 'BaselineName', path);
    if (name !== undefined) item.baselineName = name;
    const os = ctx.string(o.OperatingSystem, 'OperatingSystem', path);
    if (os !== undefined) item.operatingSystem = os;
    items.push(item);
  }
  return ctx.result(items);
}

/**
 * Maps GetPatchBaseline (one baseline at the top level): its approval rules, explicit approvals and rejections.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetPatchBaseline.html
 */
export function mapPatchBaseline(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<PatchBaselineDetail> {
  const ctx = new MappingContext(origin, scope);
  if (!isJsonObject(body)) {
    ctx.issue('RESPONSE_INVALID', '', `expected an object, got ${jsonTypeOf(body)}`);
    return ctx.result([], false);
  }
  const baselineId = ctx.requiredString(body.BaselineId, 'BaselineId', '$');
  if (baselineId === undefined) return ctx.result([], false);
  const { accountId, region } = ctx.scope(undefined, undefined);
  const detail: PatchBaselineDetail = {
    accountId,
    region,
    baselineId,
    approvalRules: approvalRules(ctx, body.ApprovalRules),
    globalFilters: filterGroup(ctx, body.GlobalFilters, 'GlobalFilters', '$'),
    approvedPatches: ctx.stringList(body.ApprovedPatches, 'ApprovedPatches', '$'),
    rejectedPatches: ctx.stringList(body.RejectedPatches, 'RejectedPatches', '$'),
    sources: ctx.fieldList(body.Sources, 'Sources', 'Name', '$'),
  };
  const optional: [keyof PatchBaselineDetail, unknown][] = [
    ['baselineName', body.Name],
    ['operatingSystem', body.OperatingSystem],
    ['approvedPatchesComplianceLevel', body.ApprovedPatchesComplianceLevel],
    ['rejectedPatchesAction', body.RejectedPatchesAction],
  ];
  const fields = detail as unknown as Record<string, unknown>;
  for (const [key, value] of optional) {
    const text = ctx.string(value, key, '$');
    if (text !== undefined) fields[key] = text;
  }
  return ctx.result([detail]);
}

/** `ApprovalRules.PatchRules[{PatchFilterGroup, ApproveAfterDays | ApproveUntilDate, ComplianceLevel, …}]`. */
function approvalRules(ctx: MappingContext, value: unknown): PatchApprovalRule[] {
  const group = ctx.object(value, 'ApprovalRules', '$');
  if (group === undefined) return [];
  const list = ctx.array(group.PatchRules, 'PatchRules', 'ApprovalRules');
  const rules: PatchApprovalRule[] = [];
  for (let r = 0; r < list.length; r++) {
    const path = `ApprovalRules.PatchRules[${r}]`;
    const o = list[r];
    if (!ctx.entry(o, path)) continue;
    const rule: PatchApprovalRule = {
      filters: filterGroup(ctx, o.PatchFilterGroup, 'PatchFilterGroup', path),
    };
    const days = ctx.number(o.ApproveAfterDays, 'ApproveAfterDays', path);
    if (days !== undefined) rule.approveAfterDays = days;
    const until = ctx.string(o.ApproveUntilDate, 'ApproveUntilDate', path);
    if (until !== undefined) rule.approveUntilDate = until;
    const level = ctx.string(o.ComplianceLevel, 'ComplianceLevel', path);
    if (level !== undefined) rule.complianceLevel = level;
    const nonSecurity = ctx.boolean(o.EnableNonSecurity, 'EnableNonSecurity', path);
    if (nonSecurity !== undefined) rule.enableNonSecurity = nonSecurity;
    rules.push(rule);
  }
  return rules;
}

/** `{PatchFilters: [{Key, Values}]}` → key to values; filters without a string key are dropped with an issue. */
function filterGroup(
  ctx: MappingContext,
  value: unknown,
  key: string,
  path: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const group = ctx.object(value, key, path);
  if (group === undefined) return out;
  const groupPath = path === '$' ? key : `${path}.${key}`;
  const list = ctx.array(group.PatchFilters, 'PatchFilters', groupPath);
  for (let f = 0; f < list.length; f++) {
    const fPath = `${groupPath}.PatchFilters[${f}]`;
    const o = list[f];
    if (!ctx.entry(o, fPath)) continue;
    const name = ctx.requiredString(o.Key, 'Key', fPath);
    if (name !== undefined) out[name] = ctx.stringList(o.Values, 'Values', fPath);
  }
  return out;
}
