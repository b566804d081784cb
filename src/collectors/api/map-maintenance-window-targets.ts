// Maps an SSM DescribeMaintenanceWindowTargets response into MaintenanceWindowTarget models.

import type { MaintenanceWindowTarget } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';
import { mapTargets } from './map-targets.js';

/** Maps DescribeMaintenanceWindowTargets (one response per window; each target names its window). */
export function mapMaintenanceWindowTargets(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindowTarget> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'Targets');
  if (list === undefined) return ctx.result([], false);
  const items: MaintenanceWindowTarget[] = [];
  for (let t = 0; t < list.length; t++) {
    const path = `Targets[${t}]`;
    const o = list[t];
    if (!ctx.entry(o, path)) continue;
    const windowId = ctx.requiredString(o.WindowId, 'WindowId', path);
    const windowTargetId = ctx.requiredString(o.WindowTargetId, 'WindowTargetId', path);
    if (windowId === undefined || windowTargetId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const target: MaintenanceWindowTarget = {
      accountId,
      region,
      windowId,
      windowTargetId,
      resourceType: ctx.string(o.ResourceType, 'ResourceType', path) ?? 'INSTANCE',
      targets: mapTargets(ctx, o, 'Targets', path),
    };
    const name = ctx.string(o.Name, 'Name', path);
    if (name !== undefined) target.name = name;
    items.push(target);
  }
  return ctx.result(items);
}
