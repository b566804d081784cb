// Maps the maintenance-window run history: DescribeMaintenanceWindowExecutions, …ExecutionTasks and
// …ExecutionTaskInvocations responses into the execution, task-run and invocation models.

import type {
  MaintenanceWindowExecution,
  MaintenanceWindowExecutionTask,
  MaintenanceWindowExecutionTaskInvocation,
} from '../../inventory/model.js';
import {
  isJsonObject,
  MappingContext,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/** Status, details and times, which the three shapes share (all optional in the SSM model). */
function runFields(
  ctx: MappingContext,
  o: JsonObject,
  path: string,
): { status: string; statusDetails?: string; startTime?: string; endTime?: string } {
  // Status is optional in the model; a run without one is reported as such, never as a success.
  const fields: { status: string; statusDetails?: string; startTime?: string; endTime?: string } = {
    status: ctx.string(o.Status, 'Status', path) ?? 'UNKNOWN',
  };
  const details = ctx.string(o.StatusDetails, 'StatusDetails', path);
  if (details !== undefined) fields.statusDetails = details;
  const start = ctx.timestamp(o.StartTime, 'StartTime', path);
  if (start !== undefined) fields.startTime = start;
  const end = ctx.timestamp(o.EndTime, 'EndTime', path);
  if (end !== undefined) fields.endTime = end;
  return fields;
}

/**
 * Maps `WindowExecutions` (one response per window): each run's status and times. WindowId and
 * WindowExecutionId are optional in the model but name the run, so an entry without them is dropped (an issue).
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowExecution.html
 */
export function mapWindowExecutions(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindowExecution> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'WindowExecutions');
  if (list === undefined) return ctx.result([], false);
  const items: MaintenanceWindowExecution[] = [];
  for (let e = 0; e < list.length; e++) {
    const path = `WindowExecutions[${e}]`;
    const o = list[e];
    if (!ctx.entry(o, path)) continue;
    const windowId = ctx.requiredString(o.WindowId, 'WindowId', path);
    const windowExecutionId = ctx.requiredString(o.WindowExecutionId, 'WindowExecutionId', path);
    if (windowId === undefined || windowExecutionId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    items.push({ accountId, region, windowId, windowExecutionId, ...runFields(ctx, o, path) });
  }
  return ctx.result(items);
}

/**
 * Maps `WindowExecutionTaskIdentities` (one response per window execution): each task run, with the document
 * (TaskArn) it ran. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowExecutionTaskIdentity.html
 */
export function mapWindowExecutionTasks(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindowExecutionTask> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'WindowExecutionTaskIdentities');
  if (list === undefined) return ctx.result([], false);
  const items: MaintenanceWindowExecutionTask[] = [];
  for (let t = 0; t < list.length; t++) {
    const path = `WindowExecutionTaskIdentities[${t}]`;
    const o = list[t];
    if (!ctx.entry(o, path)) continue;
    const windowExecutionId = ctx.requiredString(o.WindowExecutionId, 'WindowExecutionId', path);
    const taskExecutionId = ctx.requiredString(o.TaskExecutionId, 'TaskExecutionId', path);
    if (windowExecutionId === undefined || taskExecutionId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const task: MaintenanceWindowExecutionTask = {
      accountId,
      region,
      windowExecutionId,
      taskExecutionId,
      ...runFields(ctx, o, path),
    };
    const taskArn = ctx.string(o.TaskArn, 'TaskArn', path);
    if (taskArn !== undefined) task.taskArn = taskArn;
    const taskType = ctx.string(o.TaskType, 'TaskType', path);
    if (taskType !== undefined) task.taskType = taskType;
    items.push(task);
  }
  return ctx.result(items);
}

/**
 * Maps `WindowExecutionTaskInvocationIdentities` (one response per task run): the task run on each target. For
 * RUN_COMMAND tasks ExecutionId is the command id and Parameters, a JSON string, names the instances the command
 * was sent to (`instanceIds`), its document (`documentName`) and the document's Operation (`operation`), as the SSM user guide's CLI tutorial shows:
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/mw-cli-tutorial-task-info.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowExecutionTaskInvocationIdentity.html
 */
export function mapWindowExecutionTaskInvocations(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<MaintenanceWindowExecutionTaskInvocation> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'WindowExecutionTaskInvocationIdentities');
  if (list === undefined) return ctx.result([], false);
  const items: MaintenanceWindowExecutionTaskInvocation[] = [];
  for (let i = 0; i < list.length; i++) {
    const path = `WindowExecutionTaskInvocationIdentities[${i}]`;
    const o = list[i];
    if (!ctx.entry(o, path)) continue;
    const windowExecutionId = ctx.requiredString(o.WindowExecutionId, 'WindowExecutionId', path);
    const taskExecutionId = ctx.requiredString(o.TaskExecutionId, 'TaskExecutionId', path);
    const invocationId = ctx.requiredString(o.InvocationId, 'InvocationId', path);
    if (windowExecutionId === undefined || taskExecutionId === undefined || invocationId === undefined)
      continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const invocation: MaintenanceWindowExecutionTaskInvocation = {
      accountId,
      region,
      windowExecutionId,
      taskExecutionId,
      invocationId,
      ...runFields(ctx, o, path),
    };
    const executionId = ctx.string(o.ExecutionId, 'ExecutionId', path);
    if (executionId !== undefined) invocation.executionId = executionId;
    const taskType = ctx.string(o.TaskType, 'TaskType', path);
    if (taskType !== undefined) invocation.taskType = taskType;
    const windowTargetId = ctx.string(o.WindowTargetId, 'WindowTargetId', path);
    if (windowTargetId !== undefined) invocation.windowTargetId = windowTargetId;
    const parameters = ctx.string(o.Parameters, 'Parameters', path);
    if (parameters !== undefined) readParameters(ctx, parameters, `${path}.Parameters`, invocation);
    items.push(invocation);
  }
  return ctx.result(items);
}

/**
 * Reads `instanceIds` and `documentName` from an invocation's Parameters string. Parameters that are not JSON
 * (or whose instanceIds is not a list of strings) leave the instances unknown, with an issue: the invocation
 * then answers for no instance, and the instances it ran on stay without a verdict rather than a wrong one.
 */
function readParameters(
  ctx: MappingContext,
  text: string,
  path: string,
  invocation: MaintenanceWindowExecutionTaskInvocation,
): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Automation, Lambda and Step Functions invocations carry their own parameter shapes; only JSON is read.
    ctx.issue('FIELD_INVALID', path, 'Parameters is not JSON; the instances it names are unknown');
    return;
  }
  if (!isJsonObject(parsed)) return;
  const ids = parsed.instanceIds;
  if (Array.isArray(ids)) {
    if (ids.every((id): id is string => typeof id === 'string')) invocation.instanceIds = [...ids];
    else ctx.issue('FIELD_INVALID', `${path}.instanceIds`, 'instanceIds holds a value that is not a string');
  }
  if (typeof parsed.documentName === 'string') invocation.documentName = parsed.documentName;
  // The document's own parameters, e.g. {"Operation":["Install"],"RebootOption":["RebootIfNeeded"]}: a Scan run
  // installs nothing, so the patch-run rule must know which one ran.
  const documentParameters = parsed.parameters;
  if (!isJsonObject(documentParameters)) return;
  const operation = documentParameters.Operation;
  if (Array.isArray(operation) && typeof operation[0] === 'string') invocation.operation = operation[0];
  else if (operation !== undefined)
    ctx.issue('FIELD_INVALID', `${path}.parameters.Operation`, 'Operation is not a list of strings');
}
