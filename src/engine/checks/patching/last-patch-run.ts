// Named check: the latest maintenance-window patch install (Operation=Install) that reached the instance succeeded for it.

import { DataUnavailableError } from '../../../inventory/coverage.js';
import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type {
  Ec2Instance,
  MaintenanceWindow,
  MaintenanceWindowExecution,
  MaintenanceWindowExecutionTask,
  MaintenanceWindowExecutionTaskInvocation,
  ResourceFamily,
  Scope,
} from '../../../inventory/model.js';
import {
  latestFinishedRun,
  PATCH_TASK_DOCUMENTS,
  taskDocumentName,
  WINDOW_EXECUTION_LOOKBACK_DAYS,
} from '../../../inventory/window-runs.js';
import type { Evidence } from '../../types.js';
import { CheckDataError } from '../check-data-error.js';
import type { NamedCheck } from '../named-check.js';

interface Params {
  /** Task runs of these documents count as patch runs. */
  patchTaskDocuments: string[];
  /** Runs that started earlier than this many days before the evaluation are not looked at. */
  lookbackDays: number;
}

const DAY_MS = 86_400_000;

/** The run history of an inventory, joined once: runs per window, task runs per run, invocations per instance. */
interface RunIndex {
  windowsByScope: Map<string, MaintenanceWindow[]>;
  runsByWindow: Map<string, MaintenanceWindowExecution[]>;
  tasksByRun: Map<string, MaintenanceWindowExecutionTask[]>;
  taskRunById: Map<string, MaintenanceWindowExecutionTask>;
  invocationsByInstance: Map<string, MaintenanceWindowExecutionTaskInvocation[]>;
  /** Invocations whose Parameters name no instance, by window execution. */
  unattributedByRun: Map<string, MaintenanceWindowExecutionTaskInvocation[]>;
  /** Per lookback start: the latest finished run of each window (undefined: none). */
  latestByWindow: Map<number, Map<string, MaintenanceWindowExecution | undefined>>;
}

const RUN_INDEX = Symbol('window-run-index');

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function runIndex(index: InventoryIndex): RunIndex {
  return index.derived(RUN_INDEX, (ix) => {
    const inventory = ix.inventory;
    const out: RunIndex = {
      windowsByScope: new Map(),
      runsByWindow: new Map(),
      tasksByRun: new Map(),
      taskRunById: new Map(),
      invocationsByInstance: new Map(),
      unattributedByRun: new Map(),
      latestByWindow: new Map(),
    };
    for (const w of inventory.maintenanceWindows) push(out.windowsByScope, `${w.accountId}|${w.region}`, w);
    for (const run of inventory.maintenanceWindowExecutions) push(out.runsByWindow, run.windowId, run);
    for (const task of inventory.maintenanceWindowExecutionTasks) {
      push(out.tasksByRun, task.windowExecutionId, task);
      out.taskRunById.set(task.taskExecutionId, task);
    }
    for (const invocation of inventory.maintenanceWindowExecutionTaskInvocations) {
      if ((invocation.instanceIds ?? []).length === 0)
        push(out.unattributedByRun, invocation.windowExecutionId, invocation);
      for (const id of new Set(invocation.instanceIds ?? [])) push(out.invocationsByInstance, id, invocation);
    }
    return out;
  });
}

function latestRun(
  runs: RunIndex,
  windowId: string,
  notBeforeMs: number,
): MaintenanceWindowExecution | undefined {
  let byWindow = runs.latestByWindow.get(notBeforeMs);
  if (!byWindow) runs.latestByWindow.set(notBeforeMs, (byWindow = new Map()));
  if (!byWindow.has(windowId)) {
    const latest = latestFinishedRun(
      runs.runsByWindow.get(windowId) ?? [],
      (r) => ({
        id: r.windowExecutionId,
        status: r.status,
        startMs: r.startTime === undefined ? Number.NaN : Date.parse(r.startTime),
      }),
      notBeforeMs,
    );
    byWindow.set(windowId, latest);
  }
  return byWindow.get(windowId);
}

/** Throws DataUnavailableError unless a per-parent family was read for that parent. */
function needParent(index: InventoryIndex, family: ResourceFamily, scope: Scope, parentId: string): void {
  const state = index.coverage.parentState(family, scope, parentId);
  if (state.status !== 'read') throw new DataUnavailableError(family, scope, state, parentId);
}

function startMs(
  invocation: MaintenanceWindowExecutionTaskInvocation,
  run: MaintenanceWindowExecution,
): number {
  const at = Date.parse(invocation.startTime ?? run.startTime ?? '');
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

interface PatchRun {
  run: MaintenanceWindowExecution;
  task: MaintenanceWindowExecutionTask;
  invocation: MaintenanceWindowExecutionTaskInvocation;
}

function runEvidence({ run, task, invocation }: PatchRun): Evidence {
  return {
    path: 'lastPatchRun',
    resourceId: invocation.invocationId,
    actual: {
      windowId: run.windowId,
      windowExecutionId: run.windowExecutionId,
      taskExecutionId: task.taskExecutionId,
      ...(invocation.executionId !== undefined && { commandId: invocation.executionId }),
      status: invocation.status,
      ...(invocation.statusDetails !== undefined && { statusDetails: invocation.statusDetails }),
      ...(invocation.startTime !== undefined && { startTime: invocation.startTime }),
    },
  };
}

/**
 * Judges the latest finished run of each window of the instance's region, within the lookback: the live scan reads
 * the task runs of exactly that run per window, and the invocations of its patch task runs
 * (collectors/live/collect-window-executions.ts). Of the invocations that name the instance, the latest decides.
 * An invocation is "a specific task executing on a specific target"; for Run Command it names the instances its
 * command was sent to (API_GetMaintenanceWindowExecutionTaskInvocation, and the user guide's CLI tutorial
 * mw-cli-tutorial-task-info). When one command named several instances, its status is the command's, not the
 * instance's: that outcome needs ListCommandInvocations, which is not read, so the check says so (ERROR).
 */
export const lastPatchRunSucceeded: NamedCheck<Ec2Instance, Params> = {
  name: 'last-patch-run-succeeded',
  description: 'The latest maintenance-window patch run that reached the instance succeeded for it.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['region.window-runs'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      patchTaskDocuments: { type: 'array', items: { type: 'string' }, default: [...PATCH_TASK_DOCUMENTS] },
      lookbackDays: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: WINDOW_EXECUTION_LOOKBACK_DAYS,
        default: WINDOW_EXECUTION_LOOKBACK_DAYS,
      },
    },
  },
  evaluate(instance, { index, params, nowMs }) {
    index.need('ssm:maintenance-windows', instance);
    const runs = runIndex(index);
    const notBefore = nowMs - params.lookbackDays * DAY_MS;
    const latestOfWindow = new Map<string, MaintenanceWindowExecution>();
    // Every window of the region may have patched the instance: one whose runs (or the latest run's task runs and
    // patch invocations) were not read may hold a later run, so it makes the check ERROR, never a verdict.
    for (const window of runs.windowsByScope.get(`${instance.accountId}|${instance.region}`) ?? []) {
      needParent(index, 'ssm:maintenance-window-executions', window, window.windowId);
      const run = latestRun(runs, window.windowId, notBefore);
      if (run === undefined) continue;
      latestOfWindow.set(run.windowExecutionId, run);
      needParent(index, 'ssm:maintenance-window-execution-tasks', run, run.windowExecutionId);
      for (const task of runs.tasksByRun.get(run.windowExecutionId) ?? [])
        if (isPatchTask(task, params.patchTaskDocuments))
          needParent(index, 'ssm:maintenance-window-execution-task-invocations', task, task.taskExecutionId);
    }
    let latest: PatchRun | undefined;
    const reached = new Set<string>();
    for (const invocation of runs.invocationsByInstance.get(instance.instanceId) ?? []) {
      const run = latestOfWindow.get(invocation.windowExecutionId);
      const task = runs.taskRunById.get(invocation.taskExecutionId);
      if (run === undefined || task === undefined || !isPatchTask(task, params.patchTaskDocuments)) continue;
      reached.add(run.windowExecutionId);
      // A Scan run reports missing patches and installs nothing: only an Install (or a run whose Operation is not
      // in the data, which judge() reports as unverifiable) is the instance's patch run.
      if (invocation.operation !== undefined && invocation.operation !== 'Install') continue;
      if (latest === undefined || startMs(invocation, run) > startMs(latest.invocation, latest.run))
        latest = { run, task, invocation };
    }
    unattributedRun(runs, latestOfWindow, reached, params.patchTaskDocuments, instance);
    if (latest === undefined) {
      // The check's own not-applicable detail is the message, so it names the instance.
      const detail =
        latestOfWindow.size === 0
          ? `Instance ${instance.instanceId} has no patch run to judge: no maintenance window of ${instance.region} finished a run in the last ${params.lookbackDays} days.`
          : `Instance ${instance.instanceId} has no patch run to judge: the latest run of each window in the last ${params.lookbackDays} days sent it no ${params.patchTaskDocuments.join('/')} task with Operation=Install.`;
      return { outcome: 'not-applicable', reason: 'PATCH.NO_RECENT_RUN', detail, evidence: [] };
    }
    return judge(instance, latest);
  },
};

/**
 * An invocation whose Parameters name no instance (or could not be read) may be this instance's: when a latest run
 * holds one of a patch task and reached the instance by no named invocation, the instance's outcome in that run is
 * unknown, so the check cannot give a verdict (fail closed).
 */
function unattributedRun(
  runs: RunIndex,
  latestOfWindow: ReadonlyMap<string, MaintenanceWindowExecution>,
  reached: ReadonlySet<string>,
  documents: readonly string[],
  instance: Ec2Instance,
): void {
  for (const [runId, invocations] of runs.unattributedByRun) {
    const run = latestOfWindow.get(runId);
    if (run === undefined || reached.has(runId)) continue;
    const unknown = invocations.find((invocation) => {
      const task = runs.taskRunById.get(invocation.taskExecutionId);
      return task !== undefined && isPatchTask(task, documents) && invocation.operation !== 'Scan';
    });
    if (unknown === undefined) continue;
    throw new CheckDataError(
      'RUN_OUTCOME_UNVERIFIABLE',
      'PATCH.RUN_OUTCOME_UNVERIFIABLE',
      `Cannot be verified: window ${run.windowId} run ${run.windowExecutionId} has patch invocation ${unknown.invocationId}, whose Parameters name no instance, so it may have been instance ${instance.instanceId}'s`,
      { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: run.windowId },
    );
  }
}

function isPatchTask(task: MaintenanceWindowExecutionTask, documents: readonly string[]): boolean {
  return task.taskArn !== undefined && documents.includes(taskDocumentName(task.taskArn));
}

function judge(instance: Ec2Instance, latest: PatchRun): ReturnType<typeof lastPatchRunSucceeded.evaluate> {
  const { run, task, invocation } = latest;
  const evidence = [runEvidence(latest)];
  const what = `window ${run.windowId} run ${run.windowExecutionId}${invocation.startTime ? ` (${invocation.startTime})` : ''} ran ${taskDocumentName(task.taskArn ?? '')}`;
  const sentTo = invocation.instanceIds ?? [];
  if (sentTo.length > 1) {
    throw new CheckDataError(
      'RUN_OUTCOME_UNVERIFIABLE',
      'PATCH.RUN_OUTCOME_UNVERIFIABLE',
      `Cannot be verified: ${what} as one command${invocation.executionId ? ` (${invocation.executionId})` : ''} for ${sentTo.length} instances, so its status ${invocation.status} is the command's, not instance ${instance.instanceId}'s; that needs 'aws ssm list-command-invocations --command-id ${invocation.executionId ?? '<command id>'} --instance-id ${instance.instanceId}', which ssmguard does not read`,
      { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: run.windowId },
      evidence,
    );
  }
  if (invocation.operation === undefined)
    throw new CheckDataError(
      'RUN_OUTCOME_UNVERIFIABLE',
      'PATCH.RUN_OUTCOME_UNVERIFIABLE',
      `Cannot be verified: ${what}${invocation.executionId ? ` (command ${invocation.executionId})` : ''}, whose Parameters carry no Operation, so whether it installed (Install) or only scanned (Scan) is not in the data`,
      { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: run.windowId },
      evidence,
    );
  const details = invocation.statusDetails ? `: ${invocation.statusDetails}` : '';
  if (invocation.status === 'SUCCESS') return { outcome: 'pass', detail: `${what}: SUCCESS`, evidence };
  if (invocation.status === 'PENDING' || invocation.status === 'IN_PROGRESS') {
    return {
      outcome: 'not-applicable',
      reason: 'PATCH.RUN_IN_PROGRESS',
      detail: `Instance ${instance.instanceId} has no finished patch run to judge: ${what}, still ${invocation.status}.`,
      evidence,
    };
  }
  return {
    outcome: 'fail',
    reason: 'PATCH.LAST_RUN_FAILED',
    detail: `${what}, which ended ${invocation.status}${details}`,
    evidence,
    cause: { key: `last-run-failed|${run.windowId}` },
  };
}
