// Maps an SSM DescribeMaintenanceWindows response into MaintenanceWindow models.

import type { MaintenanceWindow } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

/** Maps DescribeMaintenanceWindows (`WindowIdentities`): state, schedule, duration and cutoff of each window. */
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
    const timezone = ctx.string(o.ScheduleTimezone, 'ScheduleTimezone', path);
    if (timezone !== undefined) window.scheduleTimezone = timezone;
    const offset = ctx.number(o.ScheduleOffset, 'ScheduleOffset', path);
    if (offset !== undefined) window.scheduleOffset = offset;
    const duration = ctx.number(o.Duration, 'Duration', path);
    if (duration !== undefined) window.durationHours = duration;
    const cutoff = ctx.number(o.Cutoff, 'Cutoff', path);
    if (cutoff !== undefined) window.cutoffHours = cutoff;
    // StartDate, EndDate and NextExecutionTime are strings in the API (ISO 8601), not timestamps.
    const start = ctx.string(o.StartDate, 'StartDate', path);
    if (start !== undefined) window.startDate = start;
    const end = ctx.string(o.EndDate, 'EndDate', path);
    if (end !== undefined) window.endDate = end;
    const next = ctx.string(o.NextExecutionTime, 'NextExecutionTime', path);
    if (next !== undefined) window.nextExecutionTime = next;
    items.push(window);
  }
  return ctx.result(items);
}
