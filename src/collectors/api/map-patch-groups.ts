// Maps an SSM DescribePatchGroups response into PatchGroupMapping models.

import type { PatchGroupMapping } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

/** Maps DescribePatchGroups (`Mappings[{PatchGroup, BaselineIdentity}]`): which baseline a patch group uses. */
export function mapPatchGroups(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<PatchGroupMapping> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'Mappings');
  if (list === undefined) return ctx.result([], false);
  const items: PatchGroupMapping[] = [];
  for (let m = 0; m < list.length; m++) {
    const path = `Mappings[${m}]`;
    const o = list[m];
    if (!ctx.entry(o, path)) continue;
    const patchGroup = ctx.requiredString(o.PatchGroup, 'PatchGroup', path);
    const identity = ctx.object(o.BaselineIdentity, 'BaselineIdentity', path);
    const iPath = `${path}.BaselineIdentity`;
    const baselineId =
      identity === undefined ? undefined : ctx.requiredString(identity.BaselineId, 'BaselineId', iPath);
    if (identity === undefined) ctx.issue('ENTRY_INVALID', iPath, 'missing BaselineIdentity');
    if (patchGroup === undefined || identity === undefined || baselineId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const mapping: PatchGroupMapping = {
      accountId,
      region,
      patchGroup,
      baselineId,
      defaultBaseline: ctx.boolean(identity.DefaultBaseline, 'DefaultBaseline', iPath) ?? false,
    };
    const baselineName = ctx.string(identity.BaselineName, 'BaselineName', iPath);
    if (baselineName !== undefined) mapping.baselineName = baselineName;
    const os = ctx.string(identity.OperatingSystem, 'OperatingSystem', iPath);
    if (os !== undefined) mapping.operatingSystem = os;
    items.push(mapping);
  }
  return ctx.result(items);
}
