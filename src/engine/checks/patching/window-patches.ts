// Whether a maintenance window really patches: enabled, a schedule that fires within the horizon, time left
// before its cutoff, an AWS-RunPatchBaseline task with Operation=Install on a tag-based target, and a service
// role that exists and trusts Systems Manager (or the service-linked role).

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { MaintenanceWindow, MaintenanceWindowTask } from '../../../inventory/model.js';
import { evaluateTrustPolicy } from '../../../iam/trust-policy.js';
import type { CauseRef, Evidence } from '../../types.js';
import { CheckDataError } from '../check-data-error.js';
import { SSM_SERVICE_PRINCIPAL } from '../iam-role-trusted.js';
import type { CheckResult, NamedCheck } from '../named-check.js';
import { taskDocumentName } from '../../../inventory/window-runs.js';
import { judgeSchedule } from './window-timing.js';

export interface WindowPatchParams {
  horizonDays: number;
  patchDocuments: string[];
}

export const WINDOW_PATCH_PARAMETERS = {
  horizonDays: { type: 'number', exclusiveMinimum: 0, default: 8 },
  patchDocuments: {
    type: 'array',
    items: { type: 'string' },
    default: ['AWS-RunPatchBaseline', 'AWS-RunPatchBaselineWithHooks'],
  },
} as const;

// A task with no ServiceRoleArn runs as the Systems Manager service-linked role.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/using-service-linked-roles-service-action-1.html
const SERVICE_LINKED_ROLE = /:role\/aws-service-role\/ssm\.amazonaws\.com\/AWSServiceRoleForAmazonSSM$/;

/** A window's verdict, shared by the window rule and the per-instance patch-window link. */
export type WindowVerdict = CheckResult & { cause?: CauseRef };

/** The patch tasks of a window (those running one of the documents), guarded by the window's own task call. */
export function patchTasksOf(
  index: InventoryIndex,
  window: MaintenanceWindow,
  documents: readonly string[],
): MaintenanceWindowTask[] {
  return index.windowTasks(window).filter((t) => documents.includes(taskDocumentName(t.taskArn)));
}

/** Judge only some of a window's patch tasks: those that reach one instance (the per-instance patch-window link). */
export interface WindowTaskScope {
  tasks: readonly MaintenanceWindowTask[];
}

/** A patch task that would install: what stands in its way, or undefined when nothing does. */
type TaskProblem =
  | { kind: 'fail'; reason: string; detail: string }
  | { kind: 'unverifiable'; reason: string; detail: string }
  | { kind: 'error'; error: Error };

/** Judges one window (see the module comment); throws CheckDataError where the data cannot decide. */
export function judgePatchWindow(
  window: MaintenanceWindow,
  index: InventoryIndex,
  params: WindowPatchParams,
  nowMs: number,
  only?: WindowTaskScope,
): WindowVerdict {
  const id = window.windowId;
  const cause: CauseRef = { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: id };
  const tasks = only?.tasks ?? patchTasksOf(index, window, params.patchDocuments);
  const evidence: Evidence[] = [
    {
      resourceId: id,
      path: 'schedule',
      actual: window.schedule ?? null,
      note: `time zone ${window.scheduleTimezone ?? 'UTC'}`,
    },
  ];
  if (tasks.length === 0)
    return {
      outcome: 'not-applicable',
      detail: `window ${id} runs no ${params.patchDocuments.join('/')} task`,
      evidence,
    };
  const fail = (reason: string, detail: string): WindowVerdict => ({
    outcome: 'fail',
    reason,
    detail,
    evidence,
    cause,
  });
  if (!window.enabled) return fail('PATCH.WINDOW_DISABLED', `window ${id} is disabled`);
  const timing = judgeSchedule(window, params.horizonDays, nowMs);
  if (timing !== undefined) {
    if (timing.outcome === 'fail') return fail(timing.reason, timing.detail);
    return {
      outcome: 'not-applicable',
      reason: 'PATCH.SCHEDULE_UNVERIFIABLE',
      detail: timing.detail,
      evidence,
    };
  }
  if (window.durationHours === undefined || window.cutoffHours === undefined)
    throw new CheckDataError(
      'DATA_INCOMPLETE',
      'PATCH.WINDOW_UNREADABLE',
      `window ${id} has no Duration or Cutoff in the data`,
    );
  // "No maintenance window tasks are permitted to start after the resulting endtime minus the number of hours
  // you specify for Cutoff" (CreateMaintenanceWindow): a cutoff as long as the window leaves no time to start one.
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html
  if (window.cutoffHours >= window.durationHours)
    return fail(
      'PATCH.NO_TIME_BEFORE_CUTOFF',
      `window ${id} lasts ${window.durationHours} h with a ${window.cutoffHours} h cutoff, so no task can start`,
    );
  // For one instance the tasks that reach it are given, by whatever target: SSM runs a task on listed instance
  // ids too (the targeting rule, not this one, says why that is fragile).
  const problems = tasks.map((task) => taskProblem(index, window, task, only === undefined));
  if (problems.some((p) => p === undefined))
    return {
      outcome: 'pass',
      detail: `window ${id} installs patches (${window.schedule})`,
      evidence,
    };
  // Nothing installs. A task whose Operation or role could not be read might: that is an ERROR, not a failure.
  const error = problems.find((p) => p?.kind === 'error');
  if (error?.kind === 'error') throw error.error;
  const failure = problems.find((p) => p?.kind === 'fail');
  const unverifiable = problems.find((p) => p?.kind === 'unverifiable');
  if (unverifiable !== undefined && unverifiable.kind === 'unverifiable')
    return { outcome: 'not-applicable', reason: unverifiable.reason, detail: unverifiable.detail, evidence };
  if (failure !== undefined && failure.kind === 'fail') {
    // The most telling reason: a Scan-only window says so even when another patch task has other trouble.
    const scanOnly = problems.find((p) => p?.kind === 'fail' && p.reason === 'PATCH.SCAN_ONLY_WINDOW');
    const chosen = scanOnly?.kind === 'fail' ? scanOnly : failure;
    return fail(chosen.reason, chosen.detail);
  }
  throw new Error(`window ${id}: no verdict for its patch tasks`);
}

/** What keeps one patch task from installing, in the order SSM would meet it; undefined when nothing does. */
function taskProblem(
  index: InventoryIndex,
  window: MaintenanceWindow,
  task: MaintenanceWindowTask,
  requireTagTarget: boolean,
): TaskProblem | undefined {
  const id = window.windowId;
  let operation: string | undefined;
  try {
    operation = operationOf(index, task);
  } catch (error) {
    return { kind: 'error', error: error as Error };
  }
  if (operation !== 'Install') {
    if (operation !== undefined && /^\{\{.*\}\}$/.test(operation.trim()))
      return {
        kind: 'error',
        error: new CheckDataError(
          'OPERATION_UNRESOLVED',
          'PATCH.OPERATION_UNKNOWN',
          `cannot read the Operation of window ${id} task ${task.windowTaskId}: it is ${operation}, resolved only when the task runs`,
        ),
      };
    // Operation is a required parameter of AWS-RunPatchBaseline (Scan or Install): without one the command is
    // rejected and nothing is installed, which is not the same finding as a deliberate Scan.
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html
    if (operation === undefined)
      return {
        kind: 'fail',
        reason: 'PATCH.OPERATION_MISSING',
        detail: `window ${id} runs ${task.taskArn} (task ${task.windowTaskId}) with no Operation parameter, which the document requires, so it installs nothing`,
      };
    return {
      kind: 'fail',
      reason: 'PATCH.SCAN_ONLY_WINDOW',
      detail: `window ${id} runs ${task.taskArn} with Operation=${operation}: a ${operation} installs nothing`,
    };
  }
  if (requireTagTarget && !targetsByTag(index, window, task))
    return {
      kind: 'fail',
      reason: 'PATCH.INSTALL_NOT_ON_TAG_TARGET',
      detail: `window ${id} runs its Install task on no tag-based target`,
    };
  try {
    return serviceRoleProblem(index, window, task);
  } catch (error) {
    return { kind: 'error', error: error as Error };
  }
}

/**
 * The task's Operation: from the legacy TaskParameters DescribeMaintenanceWindowTasks prints, else from its
 * GetMaintenanceWindowTask output (TaskInvocationParameters). Throws when neither is in the data: DescribeMaintenance
 * WindowTasks does not show the parameters of a task registered with TaskInvocationParameters.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowTask.html
 */
export function operationOf(index: InventoryIndex, task: MaintenanceWindowTask): string | undefined {
  const legacy = task.parameters?.Operation;
  if (legacy !== undefined && legacy.length > 0) return legacy[0];
  const detail = index.windowTaskDetail(task);
  if (detail === undefined)
    throw new CheckDataError(
      'DATA_MISSING',
      'PATCH.OPERATION_UNKNOWN',
      `cannot read the Operation of window ${task.windowId} task ${task.windowTaskId} (${task.taskArn}): DescribeMaintenanceWindowTasks prints only the legacy TaskParameters; give the output of 'aws ssm get-maintenance-window-task --window-id ${task.windowId} --window-task-id ${task.windowTaskId}'`,
      { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: task.windowId },
    );
  return detail.parameters?.Operation?.[0];
}

/** The task runs on a window target that selects by tag (tag:KEY, tag-key) or resource group, not instance ids. */
function targetsByTag(
  index: InventoryIndex,
  window: MaintenanceWindow,
  task: MaintenanceWindowTask,
): boolean {
  const targetIds = task.targets.filter((t) => t.key === 'WindowTargetIds').flatMap((t) => t.values);
  return index
    .windowTargets(window)
    .filter((t) => targetIds.includes(t.windowTargetId))
    .some((t) => t.targets.length > 0 && t.targets.every((x) => x.key !== 'InstanceIds'));
}

function serviceRoleProblem(
  index: InventoryIndex,
  window: MaintenanceWindow,
  task: MaintenanceWindowTask,
): TaskProblem | undefined {
  const arn = task.serviceRoleArn;
  if (arn === undefined || SERVICE_LINKED_ROLE.test(arn)) return undefined;
  index.need('iam:authorization-details', window);
  const role = index.roleByArn(arn);
  if (role === undefined)
    return {
      kind: 'fail',
      reason: 'PATCH.SERVICE_ROLE_MISSING',
      detail: `window ${window.windowId} task ${task.windowTaskId} runs as ${arn}, which does not exist`,
    };
  const trust = evaluateTrustPolicy(role.trustPolicy, SSM_SERVICE_PRINCIPAL);
  if (trust.status === 'ERROR')
    throw new CheckDataError(
      trust.error.code,
      'PATCH.SERVICE_ROLE_UNREADABLE',
      `role ${role.roleName}: ${trust.error.message}`,
    );
  if (trust.decision === 'TRUSTED' || trust.decision === 'WILDCARD') return undefined;
  // A Condition (aws:SourceAccount, aws:SourceArn, as AWS recommends against the confused deputy) is judged with
  // the request Systems Manager makes, which no inventory holds.
  if (trust.decision === 'CONDITIONAL')
    return {
      kind: 'unverifiable',
      reason: 'PATCH.SERVICE_ROLE_CONDITIONAL',
      detail: `Cannot be verified from this account: window ${window.windowId} task ${task.windowTaskId} runs as ${role.roleName}, whose trust of ssm.amazonaws.com depends on a Condition`,
    };
  return {
    kind: 'fail',
    reason: 'PATCH.SERVICE_ROLE_UNTRUSTED',
    detail: `window ${window.windowId} task ${task.windowTaskId} runs as ${role.roleName}, whose trust policy does not let ssm.amazonaws.com assume it`,
  };
}

export const maintenanceWindowPatches: NamedCheck<MaintenanceWindow, WindowPatchParams> = {
  name: 'maintenance-window-patches',
  description: 'The window is enabled, fires within the horizon, and runs a patch Install on a tag target.',
  resourceTypes: ['AWS::SSM::MaintenanceWindow'],
  needs: ['window.targets-and-tasks', 'window.task-roles'],
  parameters: { type: 'object', additionalProperties: false, properties: WINDOW_PATCH_PARAMETERS },
  evaluate(window, { index, params, nowMs }) {
    return judgePatchWindow(window, index, params, nowMs);
  },
};
