// Maps an SSM DescribeMaintenanceWindowTasks response into MaintenanceWindowTask models.

import type { MaintenanceWindowTask } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';
import { mapTargets } from './map-targets.js';

/**
 * Maps DescribeMaintenanceWindowTasks (one response per window). A task's Targets usually reference window
 * targets (`Key: "WindowTargetIds"`); an instance is patched only when a task reaches a target matching it.
 */
export function mapMaintenanceWindowTasks(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindowTask> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'Tasks');
  if (list === undefined) return ctx.result([], false);
  const items: MaintenanceWindowTask[] = [];
  for (let t = 0; t < list.length; t++) {
    const path = `Tasks[${t}]`;
    const o = list[t];
    if (!ctx.entry(o, path)) continue;
    const windowId = ctx.requiredString(o.WindowId, 'WindowId', path);
    const windowTaskId = ctx.requiredString(o.WindowTaskId, 'WindowTaskId', path);
    const taskArn = ctx.requiredString(o.TaskArn, 'TaskArn', path);
    if (windowId === undefined || windowTaskId === undefined || taskArn === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const task: MaintenanceWindowTask = {
      accountId,
      region,
      windowId,
      windowTaskId,
      taskArn,
      type: ctx.string(o.Type, 'Type', path) ?? 'RUN_COMMAND',
      targets: mapTargets(ctx, o, 'Targets', path),
    };
    const role = ctx.string(o.ServiceRoleArn, 'ServiceRoleArn', path);
    if (role !== undefined) task.serviceRoleArn = role;
    const concurrency = ctx.string(o.MaxConcurrency, 'MaxConcurrency', path);
    if (concurrency !== undefined) task.maxConcurrency = concurrency;
    const errors = ctx.string(o.MaxErrors, 'MaxErrors', path);
    if (errors !== undefined) task.maxErrors = errors;
    const parameters = taskParameters(ctx, o.TaskParameters, path);
    if (parameters !== undefined) task.parameters = parameters;
    items.push(task);
  }
  return ctx.result(items);
}

/** `TaskParameters: {Operation: {Values: ["Install"]}}` → `{Operation: ["Install"]}`; absent or empty → undefined. */
export function taskParameters(
  ctx: MappingContext,
  value: unknown,
  path: string,
): Record<string, string[]> | undefined {
  const map = ctx.object(value, 'TaskParameters', path);
  if (map === undefined) return undefined;
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let any = false;
  for (const [name, entry] of Object.entries(map)) {
    const values = ctx.object(entry, name, `${path}.TaskParameters`);
    if (values === undefined) continue;
    out[name] = ctx.stringList(values.Values, 'Values', `${path}.TaskParameters.${name}`);
    any = true;
  }
  return any ? out : undefined;
}
