// Named check: a maintenance window that selects the instance runs a patch Install on it that can run (the
// per-instance patch-window link: enabled, fires soon, time before its cutoff, Operation=Install, a usable role).

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type {
  Ec2Instance,
  MaintenanceWindow,
  MaintenanceWindowTarget,
  MaintenanceWindowTask,
} from '../../../inventory/model.js';
import { taskDocumentName } from '../../../inventory/window-runs.js';
import type { Evidence } from '../../types.js';
import type { CheckResult, NamedCheck } from '../named-check.js';
import { targetSelectsByTag } from '../patch-targeted-by-tag.js';
import {
  judgePatchWindow,
  WINDOW_PATCH_PARAMETERS,
  type WindowPatchParams,
  type WindowVerdict,
} from './window-patches.js';

/** The patch tasks of one window that reach the instance, and the window target that selects it. */
interface Reach {
  tasks: MaintenanceWindowTask[];
  /** The first target (or task listing) that selects the instance, for the evidence. */
  via?: string;
  /** A resource-group target of a patch task: it may select the instance, which the inventory cannot tell. */
  resourceGroupTarget?: MaintenanceWindowTarget;
}

interface Judged {
  window: MaintenanceWindow;
  verdict: WindowVerdict;
  via: string | undefined;
}

const VERDICTS = Symbol('patch-window-verdicts-by-tasks');

/**
 * Does a window target select the instance? Its entries are ANDed (tag:KEY values ORed, tag-key, InstanceIds);
 * undefined for a resource group, whose members the inventory does not hold.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html
 */
function targetSelects(target: MaintenanceWindowTarget, instance: Ec2Instance): boolean | undefined {
  let unknown = false;
  for (const entry of target.targets) {
    const selects =
      entry.key === 'InstanceIds'
        ? entry.values.includes(instance.instanceId)
        : targetSelectsByTag(entry, instance.tags);
    if (selects === false) return false;
    if (selects === undefined) unknown = true;
  }
  return target.targets.length > 0 && (unknown ? undefined : true);
}

/** The window's patch tasks that run on the instance: on a window target that selects it, or listing it. */
function reachingTasks(
  index: InventoryIndex,
  window: MaintenanceWindow,
  instance: Ec2Instance,
  documents: readonly string[],
): Reach {
  const targets = index.windowTargets(window);
  const selecting = new Map<string, boolean | undefined>();
  for (const t of targets) selecting.set(t.windowTargetId, targetSelects(t, instance));
  const reach: Reach = { tasks: [] };
  for (const task of index.windowTasks(window)) {
    if (!documents.includes(taskDocumentName(task.taskArn))) continue;
    for (const entry of task.targets) {
      const ids = entry.key === 'WindowTargetIds' ? entry.values : [];
      const listed = entry.key === 'InstanceIds' && entry.values.includes(instance.instanceId);
      const target = ids.find((id) => selecting.get(id) === true);
      if (listed || target !== undefined) {
        reach.tasks.push(task);
        reach.via ??= listed ? `task ${task.windowTaskId} lists it` : `target ${target}`;
        break;
      }
      const group = ids.find((id) => selecting.has(id) && selecting.get(id) === undefined);
      if (group !== undefined) reach.resourceGroupTarget ??= targets.find((t) => t.windowTargetId === group);
    }
  }
  return reach;
}

/**
 * The window's verdict for a set of its tasks: many instances share a window and a task set, and judging a
 * schedule is the costly part. Errors are not memoised (they are rare, and carry the instance's own context).
 */
function judgeOnce(
  index: InventoryIndex,
  window: MaintenanceWindow,
  tasks: readonly MaintenanceWindowTask[],
  params: WindowPatchParams,
  nowMs: number,
): WindowVerdict {
  const memo = index.derived(VERDICTS, () => new Map<string, WindowVerdict>());
  const key = [
    window.windowId,
    nowMs,
    params.horizonDays,
    params.patchDocuments.join(','),
    ...tasks.map((t) => t.windowTaskId),
  ].join('|');
  let verdict = memo.get(key);
  if (verdict === undefined) {
    verdict = judgePatchWindow(window, index, params, nowMs, { tasks });
    memo.set(key, verdict);
  }
  return verdict;
}

interface Findings {
  judged: Judged[];
  errors: unknown[];
  resourceGroup?: MaintenanceWindowTarget;
}

function judgeWindows(
  index: InventoryIndex,
  instance: Ec2Instance,
  params: WindowPatchParams,
  nowMs: number,
): Findings {
  const found: Findings = { judged: [], errors: [] };
  for (const window of index.windowsIn(instance)) {
    // A disabled window runs nothing: whatever its targets were, it does not patch (judged below if it selects).
    const targetsRead = index.windowDataState('ssm:maintenance-window-targets', window).status === 'read';
    if (!window.enabled && !targetsRead) continue;
    try {
      const reach = reachingTasks(index, window, instance, params.patchDocuments);
      if (reach.resourceGroupTarget !== undefined) found.resourceGroup ??= reach.resourceGroupTarget;
      if (reach.tasks.length === 0) continue;
      const verdict = judgeOnce(index, window, reach.tasks, params, nowMs);
      found.judged.push({ window, verdict, via: reach.via });
      if (verdict.outcome === 'pass') return found;
    } catch (error) {
      found.errors.push(error);
    }
  }
  return found;
}

function evidenceOf(judged: readonly Judged[]): Evidence[] {
  return judged.flatMap(({ window, verdict, via }) => [
    ...verdict.evidence,
    {
      resourceId: window.windowId,
      path: 'selectedBy',
      actual: via ?? null,
      ...(verdict.outcome !== 'pass' && verdict.detail !== undefined && { note: verdict.detail }),
    },
  ]);
}

export const instancePatchWindowInstalls: NamedCheck<Ec2Instance, WindowPatchParams> = {
  name: 'instance-patch-window-installs',
  description:
    'A maintenance window that selects the instance installs patches on it, on a schedule that fires soon.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['region.maintenance-windows', 'window.targets-and-tasks', 'window.task-roles'],
  parameters: { type: 'object', additionalProperties: false, properties: WINDOW_PATCH_PARAMETERS },
  evaluate(instance, { index, params, nowMs }): CheckResult {
    index.need('ssm:maintenance-windows', instance);
    const found = judgeWindows(index, instance, params, nowMs);
    const evidence = evidenceOf(found.judged);
    const passing = found.judged.find((j) => j.verdict.outcome === 'pass');
    if (passing !== undefined)
      return {
        outcome: 'pass',
        detail: `${passing.verdict.detail ?? `window ${passing.window.windowId} installs patches`} through ${passing.via ?? 'its targets'}`,
        evidence,
      };
    // A window whose targets, tasks, Operation or role could not be read may patch the instance: fail closed.
    if (found.errors.length > 0) throw found.errors[0];
    const unverifiable = found.judged.find((j) => j.verdict.outcome === 'not-applicable');
    if (unverifiable !== undefined)
      return {
        outcome: 'not-applicable',
        ...(unverifiable.verdict.reason !== undefined && { reason: unverifiable.verdict.reason }),
        detail: `Instance ${instance.instanceId}: ${unverifiable.verdict.detail ?? 'cannot be verified'}.`,
        evidence,
      };
    if (found.resourceGroup !== undefined)
      return {
        outcome: 'not-applicable',
        reason: 'PATCH.TARGET_UNVERIFIABLE',
        detail: `Cannot be verified from this account: window ${found.resourceGroup.windowId} target ${found.resourceGroup.windowTargetId} selects a resource group, whose members are not in the inventory, and may patch instance ${instance.instanceId}.`,
        evidence,
      };
    const failing = found.judged[0];
    if (failing === undefined)
      return {
        // No reason code: nothing here is unverifiable, the targeting rule owns the finding.
        outcome: 'not-applicable',
        detail: `Instance ${instance.instanceId} is selected by no maintenance window's patch task (the targeting rule says why).`,
        evidence,
      };
    return {
      outcome: 'fail',
      ...(failing.verdict.reason !== undefined && { reason: failing.verdict.reason }),
      detail: failing.verdict.detail ?? `window ${failing.window.windowId} does not patch`,
      evidence,
      cause: failing.verdict.cause ?? {
        resourceType: 'AWS::SSM::MaintenanceWindow',
        resourceId: failing.window.windowId,
      },
    };
  },
};
