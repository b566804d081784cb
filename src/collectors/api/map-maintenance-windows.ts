// Maps an SSM DescribeMaintenanceWindows response into MaintenanceWindow models.

import type { MaintenanceWindow } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

/** Maps DescribeMaintenanceWindows (`WindowIdentities`). */
export function mapMaintenanceWindows(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindow> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'WindowIdentities');
  if (list === undefined) return ctx.result([], false);
  const items: MaintenanceWindow[] = [];
  for (let w = 0; w < list.length; w++) {
    const path = `WindowIdentities[${w}]`;
    const o = list[w];
    if (!ctx.entry(o, path)) continue;
    const windowId = ctx.requiredString(o.WindowId, 'WindowId', path);
    if (windowId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const window: MaintenanceWindow = {
      accountId,
      region,
      windowId,
      enabled: ctx.boolean(o.Enabled, 'Enabled', path) ?? false,
    };
    const name = ctx.string(o.Name, 'Name', path);
    if (name !== undefined) window.name = name;
    const schedule = ctx.string(o.Schedule, 'Schedule', path);
    if (schedule !== undefined) window.schedule = schedule;
    items.push(window);
  }
  return ctx.result(items);
}
