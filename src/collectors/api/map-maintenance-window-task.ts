// Maps an SSM GetMaintenanceWindowTask response (one task) into a MaintenanceWindowTaskDetail.

import type { MaintenanceWindowTaskDetail } from '../../inventory/model.js';
import {
  isJsonObject,
  jsonTypeOf,
  MappingContext,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';
import { taskParameters } from './map-maintenance-window-tasks.js';

/**
 * Maps GetMaintenanceWindowTask. The parameters a Run Command task runs with are
 * `TaskInvocationParameters.RunCommand.Parameters` (a map of name → values); the deprecated `TaskParameters`
 * (name → {Values}) count only when the task has no invocation parameters, as for tasks registered before them.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetMaintenanceWindowTask.html
 */
export function mapMaintenanceWindowTask(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindowTaskDetail> {
  const ctx = new MappingContext(origin, scope);
  if (!isJsonObject(body)) {
    ctx.issue('RESPONSE_INVALID', '', `expected an object, got ${jsonTypeOf(body)}`);
    return ctx.result([], false);
  }
  const windowId = ctx.requiredString(body.WindowId, 'WindowId', '$');
  const windowTaskId = ctx.requiredString(body.WindowTaskId, 'WindowTaskId', '$');
  const taskArn = ctx.requiredString(body.TaskArn, 'TaskArn', '$');
  if (windowId === undefined || windowTaskId === undefined || taskArn === undefined)
    return ctx.result([], false);
  const { accountId, region } = ctx.scope(undefined, undefined);
  const detail: MaintenanceWindowTaskDetail = { accountId, region, windowId, windowTaskId, taskArn };
  const parameters =
    runCommandParameters(ctx, body.TaskInvocationParameters) ?? taskParameters(ctx, body.TaskParameters, '');
  if (parameters !== undefined) detail.parameters = parameters;
  return ctx.result([detail]);
}

/** `TaskInvocationParameters.RunCommand.Parameters: {Operation: ["Install"]}`; absent or empty → undefined. */
function runCommandParameters(ctx: MappingContext, value: unknown): Record<string, string[]> | undefined {
  const invocation = ctx.object(value, 'TaskInvocationParameters', '');
  const runCommand =
    invocation && ctx.object(invocation.RunCommand, 'RunCommand', 'TaskInvocationParameters');
  const map =
    runCommand && ctx.object(runCommand.Parameters, 'Parameters', 'TaskInvocationParameters.RunCommand');
  if (map === undefined) return undefined;
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let any = false;
  for (const [name, values] of Object.entries(map)) {
    out[name] = ctx.stringList(values, name, 'TaskInvocationParameters.RunCommand.Parameters');
    any = true;
  }
  return any ? out : undefined;
}
