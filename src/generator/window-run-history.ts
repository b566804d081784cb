// Derives a region's maintenance-window run history (executions, task runs, invocations) from its windows,
// targets, tasks, instances and managed nodes, drawing no randomness so the rest of a fleet stays as it was.

import type { ApiJson } from '../collectors/api/api-data.js';
import { cliTimestamp } from './aws-formats.js';

/** How one instance's invocation of a patch task ended, instead of SUCCESS. */
export interface RunOutcome {
  status: 'FAILED' | 'TIMED_OUT' | 'CANCELLED';
  statusDetails: string;
}

/** The run history as API responses: one executions response per window, one task response per execution, … */
export interface WindowRunHistoryData {
  executions: ApiJson[];
  tasks: ApiJson[];
  invocations: ApiJson[];
}

export interface RunHistoryInput {
  windows: readonly ApiJson[];
  windowTargets: readonly ApiJson[];
  windowTasks: readonly ApiJson[];
  /** GetMaintenanceWindowTask outputs: where a task registered with TaskInvocationParameters keeps its Operation. */
  windowTaskDetails: readonly ApiJson[];
  instances: readonly ApiJson[];
  nodes: readonly ApiJson[];
  outcomes: ReadonlyMap<string, RunOutcome>;
}

const WEEK_MS = 7 * 86_400_000;
const MINUTE_MS = 60_000;

/** A UUID-shaped id from a name (FNV-1a, four rounds): stable across runs, no random draw. */
export function derivedUuid(name: string): string {
  let hex = '';
  for (let round = 0; hex.length < 32; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    hex += (h >>> 0).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function listOf(response: ApiJson, key: string): ApiJson[] {
  return Array.isArray(response[key]) ? (response[key] as ApiJson[]) : [];
}

/**
 * One run per enabled window that has a next execution: a week before it (the synthetic windows are weekly), with
 * a task run per task and, for AWS-RunPatchBaseline tasks, one invocation per selected Online EC2 node, as
 * Maintenance Windows run a Run Command task once per target node. An invocation succeeds unless `outcomes` says
 * otherwise; a task run and its execution fail when one of their invocations did.
 */
export function deriveWindowRunHistory(input: RunHistoryInput): WindowRunHistoryData {
  const online = new Set(
    input.nodes.filter((n) => n.PingStatus === 'Online').map((n) => String(n.InstanceId)),
  );
  const tagsOf = new Map<string, Map<string, string>>();
  for (const instance of input.instances) {
    const state = (instance.State as ApiJson | undefined)?.Name;
    if (state !== 'running' || !online.has(String(instance.InstanceId))) continue;
    const tags = new Map<string, string>();
    for (const tag of (instance.Tags as ApiJson[] | undefined) ?? [])
      tags.set(String(tag.Key), String(tag.Value));
    tagsOf.set(String(instance.InstanceId), tags);
  }
  const out: WindowRunHistoryData = { executions: [], tasks: [], invocations: [] };
  for (const window of input.windows) {
    const windowId = String(window.WindowId);
    const next =
      typeof window.NextExecutionTime === 'string' ? Date.parse(window.NextExecutionTime) : Number.NaN;
    if (window.Enabled === false || Number.isNaN(next)) {
      out.executions.push({ WindowExecutions: [] });
      continue;
    }
    const targets = input.windowTargets
      .flatMap((r) => listOf(r, 'Targets'))
      .filter((t) => t.WindowId === windowId);
    const tasks = input.windowTasks.flatMap((r) => listOf(r, 'Tasks')).filter((t) => t.WindowId === windowId);
    const executionId = derivedUuid(`${windowId}|execution`);
    const startMs = next - WEEK_MS;
    let endMs = startMs + MINUTE_MS;
    let failed = false;
    const taskRuns: ApiJson[] = [];
    tasks.forEach((task, t) => {
      const taskExecutionId = derivedUuid(`${executionId}|task|${t}`);
      const taskStart = startMs + (t + 1) * 1000;
      const runs =
        task.TaskArn === 'AWS-RunPatchBaseline'
          ? invocationsOf(task, targets, tagsOf, input.outcomes, {
              executionId,
              taskExecutionId,
              taskStart,
              operation: operationOf(task, input.windowTaskDetails),
            })
          : [];
      const taskFailed = runs.some((r) => r.Status !== 'SUCCESS');
      // A loop, not Math.max(...runs): spreading 100k invocations overflows the call stack.
      let taskEnd = taskStart + MINUTE_MS;
      for (const r of runs) taskEnd = Math.max(taskEnd, Date.parse(String(r.EndTime)));
      endMs = Math.max(endMs, taskEnd);
      failed ||= taskFailed;
      taskRuns.push({
        WindowExecutionId: executionId,
        TaskExecutionId: taskExecutionId,
        Status: taskFailed ? 'FAILED' : 'SUCCESS',
        StartTime: cliTimestamp(taskStart),
        EndTime: cliTimestamp(taskEnd),
        TaskArn: task.TaskArn,
        TaskType: task.Type ?? 'RUN_COMMAND',
      });
      if (task.TaskArn === 'AWS-RunPatchBaseline')
        out.invocations.push({ WindowExecutionTaskInvocationIdentities: runs });
    });
    out.tasks.push({ WindowExecutionTaskIdentities: taskRuns });
    const execution: ApiJson = {
      WindowId: windowId,
      WindowExecutionId: executionId,
      Status: failed ? 'FAILED' : 'SUCCESS',
      StartTime: cliTimestamp(startMs),
      EndTime: cliTimestamp(endMs),
    };
    if (tasks.length === 0) execution.StatusDetails = 'No tasks to execute.';
    out.executions.push({ WindowExecutions: [execution] });
  }
  return out;
}

/** The instances a task reaches (through its window targets, or listed), one invocation each. */
function invocationsOf(
  task: ApiJson,
  targets: readonly ApiJson[],
  tagsOf: ReadonlyMap<string, Map<string, string>>,
  outcomes: ReadonlyMap<string, RunOutcome>,
  run: { executionId: string; taskExecutionId: string; taskStart: number; operation: string | undefined },
): ApiJson[] {
  const reached = new Map<string, string | undefined>();
  for (const entry of (task.Targets as ApiJson[] | undefined) ?? []) {
    const values = ((entry.Values as unknown[] | undefined) ?? []).map(String);
    if (entry.Key === 'InstanceIds') {
      for (const id of values) if (tagsOf.has(id) && !reached.has(id)) reached.set(id, undefined);
      continue;
    }
    if (entry.Key !== 'WindowTargetIds') continue;
    for (const target of targets) {
      if (!values.includes(String(target.WindowTargetId))) continue;
      for (const [id, tags] of tagsOf)
        if (!reached.has(id) && selects(target, id, tags)) reached.set(id, String(target.WindowTargetId));
    }
  }
  return [...reached].map(([instanceId, windowTargetId], i) => {
    const start = run.taskStart + (i + 1) * 1000;
    const outcome = outcomes.get(instanceId);
    const invocation: ApiJson = {
      WindowExecutionId: run.executionId,
      TaskExecutionId: run.taskExecutionId,
      InvocationId: derivedUuid(`${run.taskExecutionId}|${instanceId}`),
      ExecutionId: derivedUuid(`${run.taskExecutionId}|${instanceId}|command`),
      TaskType: 'RUN_COMMAND',
      Parameters: JSON.stringify({
        documentName: task.TaskArn,
        instanceIds: [instanceId],
        maxConcurrency: task.MaxConcurrency,
        maxErrors: task.MaxErrors,
        parameters: run.operation === undefined ? {} : { Operation: [run.operation] },
      }),
      Status: outcome?.status ?? 'SUCCESS',
      StatusDetails: outcome?.statusDetails ?? 'Success',
      StartTime: cliTimestamp(start),
      EndTime: cliTimestamp(start + 20 * MINUTE_MS),
    };
    if (windowTargetId !== undefined) invocation.WindowTargetId = windowTargetId;
    return invocation;
  });
}

/** The task's Operation: its legacy TaskParameters, else the RunCommand parameters GetMaintenanceWindowTask shows. */
function operationOf(task: ApiJson, details: readonly ApiJson[]): string | undefined {
  const legacy = ((task.TaskParameters as ApiJson | undefined)?.Operation as ApiJson | undefined)?.Values;
  if (Array.isArray(legacy) && typeof legacy[0] === 'string') return legacy[0];
  const detail = details.find((d) => d.WindowTaskId === task.WindowTaskId);
  const invocation = (detail?.TaskInvocationParameters as ApiJson | undefined)?.RunCommand as
    ApiJson | undefined;
  const operation = (invocation?.Parameters as ApiJson | undefined)?.Operation;
  return Array.isArray(operation) && typeof operation[0] === 'string' ? operation[0] : undefined;
}

/** A window target's entries are ANDed: tag:KEY (values ORed) and InstanceIds; others select nothing here. */
function selects(target: ApiJson, instanceId: string, tags: ReadonlyMap<string, string>): boolean {
  const entries = (target.Targets as ApiJson[] | undefined) ?? [];
  return (
    entries.length > 0 &&
    entries.every((entry) => {
      const key = String(entry.Key);
      const values = ((entry.Values as unknown[] | undefined) ?? []).map(String);
      if (key === 'InstanceIds') return values.includes(instanceId);
      if (key.startsWith('tag:')) {
        const value = tags.get(key.slice(4));
        return value !== undefined && values.includes(value);
      }
      return false;
    })
  );
}
