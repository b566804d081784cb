// Named check: a maintenance window selects the instance by tag (not by listing its instance id) and runs a
// patch task on that target.

import { DataUnavailableError } from '../../inventory/coverage.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { Ec2Instance, MaintenanceWindowTarget, Target } from '../../inventory/model.js';
import type { Evidence } from '../types.js';
import type { NamedCheck } from './named-check.js';

interface Params {
  /** Count only windows with a task whose document matches (e.g. AWS-RunPatchBaseline); empty = any task. */
  patchTaskDocuments: string[];
}

/** Does one Target entry select the instance through its tags? Undefined when it cannot be decided here. */
export function targetSelectsByTag(
  target: Target,
  tags: Readonly<Record<string, string>>,
): boolean | undefined {
  if (target.key.startsWith('tag:')) {
    const key = target.key.slice(4);
    return Object.hasOwn(tags, key) && target.values.includes(tags[key] as string);
  }
  if (target.key === 'tag-key') return target.values.some((k) => Object.hasOwn(tags, k));
  if (target.key.startsWith('resource-groups:')) return undefined;
  return false;
}

/** Targets within one window target are ANDed (like SSM's tag filters). */
function windowTargetSelects(
  t: MaintenanceWindowTarget,
  tags: Readonly<Record<string, string>>,
): boolean | undefined {
  let unknown = false;
  for (const target of t.targets) {
    const r = targetSelectsByTag(target, tags);
    if (r === false) return false;
    if (r === undefined) unknown = true;
  }
  return t.targets.length > 0 && (unknown ? undefined : true);
}

/**
 * Window targets of one account+region, indexed so that an instance only looks at the targets that could
 * select it: by the tag keys it carries, plus resource-group targets, plus the instance-id listings.
 */
interface ScopeTargets {
  /** Targets by the key and value of their first tag:KEY entry (an instance has one value per key). */
  byTagKeyValue: Map<string, Map<string, MaintenanceWindowTarget[]>>;
  alwaysCheck: MaintenanceWindowTarget[];
  windowsListingInstance: Map<string, string[]>;
  order: Map<MaintenanceWindowTarget, number>;
}

const TARGET_INDEX = Symbol('patch-targets-by-scope');

function targetIndex(index: InventoryIndex): Map<string, ScopeTargets> {
  return index.derived(TARGET_INDEX, (ix) => {
    const byScope = new Map<string, ScopeTargets>();
    ix.allWindowTargets().forEach((t, position) => {
      const key = `${t.accountId}|${t.region}`;
      let scope = byScope.get(key);
      if (!scope)
        byScope.set(
          key,
          (scope = {
            byTagKeyValue: new Map(),
            alwaysCheck: [],
            windowsListingInstance: new Map(),
            order: new Map(),
          }),
        );
      scope.order.set(t, position);
      // A target is indexed under the values of one tag key it requires (keys are ANDed); targets without a
      // tag:KEY entry (tag-key lists, resource groups) are checked for every instance.
      const tagEntry = t.targets.find((x) => x.key.startsWith('tag:'));
      if (tagEntry !== undefined) {
        const tagKey = tagEntry.key.slice(4);
        let byValue = scope.byTagKeyValue.get(tagKey);
        if (!byValue) scope.byTagKeyValue.set(tagKey, (byValue = new Map()));
        for (const value of new Set(tagEntry.values)) {
          const list = byValue.get(value);
          if (list) list.push(t);
          else byValue.set(value, [t]);
        }
      } else if (t.targets.some((x) => x.key !== 'InstanceIds')) {
        scope.alwaysCheck.push(t);
      }
      for (const x of t.targets) {
        if (x.key !== 'InstanceIds') continue;
        for (const id of x.values) {
          const windows = scope.windowsListingInstance.get(id);
          if (windows) windows.push(t.windowId);
          else scope.windowsListingInstance.set(id, [t.windowId]);
        }
      }
    });
    return byScope;
  });
}

const PATCH_TASK_MEMO = Symbol('patch-task-per-target');

/** Does the target's window run a patch task on it? Memoised per target and document list (many instances share a target). */
function hasPatchTask(
  index: InventoryIndex,
  t: MaintenanceWindowTarget,
  documents: readonly string[],
): boolean {
  const memo = index.derived(PATCH_TASK_MEMO, () => new Map<string, boolean>());
  const key = `${t.windowTargetId}|${documents.join(',')}`;
  let answer = memo.get(key);
  if (answer === undefined) {
    answer = index
      .tasksOfWindow(t.windowId)
      .some(
        (task) =>
          task.targets.some((x) => x.key === 'WindowTargetIds' && x.values.includes(t.windowTargetId)) &&
          (documents.length === 0 || documents.includes(task.taskArn)),
      );
    memo.set(key, answer);
  }
  return answer;
}

export const patchTargetedByTag: NamedCheck<Ec2Instance, Params> = {
  name: 'patch-targeted-by-tag',
  description: 'Some maintenance-window target selects the instance by tag, and a patch task runs on it.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['region.maintenance-windows'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      patchTaskDocuments: { type: 'array', items: { type: 'string' }, default: ['AWS-RunPatchBaseline'] },
    },
  },
  evaluate(instance, { index, params, passEvidence = true }) {
    // Targets and tasks are one call per window: a window whose targets were not read may select the instance,
    // and a selecting window whose tasks were not read may patch it. Either makes a non-pass ERROR, never a
    // failure that blames the instance for a missing file, and never a pass (issue 10 #17).
    const unreadTargets = index.unreadWindowData('ssm:maintenance-window-targets', instance);
    const scope = targetIndex(index).get(`${instance.accountId}|${instance.region}`);
    const evidence: Evidence[] = [];
    const candidates: MaintenanceWindowTarget[] = scope ? [...scope.alwaysCheck] : [];
    if (scope) {
      // Walk the few tag keys targets use, not the instance's tags: no enumeration, no key building.
      for (const [tagKey, byValue] of scope.byTagKeyValue) {
        const value = Object.hasOwn(instance.tags, tagKey) ? instance.tags[tagKey] : undefined;
        const list = value === undefined ? undefined : byValue.get(value);
        if (list) for (const t of list) candidates.push(t);
      }
      if (candidates.length > 1) candidates.sort((a, b) => scope.order.get(a)! - scope.order.get(b)!);
    }
    // A resource-group target that may select the instance (membership is not in the inventory).
    let undecided: MaintenanceWindowTarget | undefined;
    // A window that selects the instance by tag but whose tasks were not read.
    let unreadTasks: DataUnavailableError | undefined;
    for (const t of candidates) {
      const window = index.maintenanceWindow(t.windowId);
      if (window && !window.enabled) continue;
      const tasks = index.windowDataState('ssm:maintenance-window-tasks', {
        accountId: t.accountId,
        region: t.region,
        windowId: t.windowId,
      });
      const tasksRead = tasks.status === 'read';
      const selects = windowTargetSelects(t, instance.tags);
      if (selects === undefined) {
        evidence.push({
          resourceId: t.windowTargetId,
          note: `window ${t.windowId} targets a resource group; membership cannot be checked offline`,
        });
        if (!tasksRead || hasPatchTask(index, t, params.patchTaskDocuments)) undecided ??= t;
        continue;
      }
      if (!selects) continue;
      // A patch task that was read is there, even if other tasks of the window were not.
      if (!hasPatchTask(index, t, params.patchTaskDocuments)) {
        if (tasks.status !== 'read') {
          unreadTasks ??= new DataUnavailableError('ssm:maintenance-window-tasks', t, tasks, t.windowId);
          continue;
        }
        evidence.push({
          resourceId: t.windowTargetId,
          note: `window ${t.windowId} selects it by tag but runs no ${params.patchTaskDocuments.join('/')} task on that target`,
        });
        continue;
      }
      if (!passEvidence) return { outcome: 'pass', evidence };
      return {
        outcome: 'pass',
        detail: `window ${t.windowId} target ${t.windowTargetId}`,
        evidence: [
          ...evidence,
          {
            resourceId: t.windowTargetId,
            path: 'targets',
            actual: t.targets.map((x) => `${x.key}=${x.values.join(',')}`).join(' & '),
          },
        ],
      };
    }
    if (unreadTargets !== undefined) throw unreadTargets;
    if (unreadTasks !== undefined) throw unreadTasks;
    // Resource groups select by tags or a CloudFormation stack, which may well include the instance: not knowing
    // their members must not make it NON_COMPLIANT.
    if (undecided !== undefined) {
      return {
        outcome: 'not-applicable',
        reason: 'PATCH.TARGET_UNVERIFIABLE',
        detail: `Cannot be verified from this account: no tag target selects instance ${instance.instanceId}, but window ${undecided.windowId} target ${undecided.windowTargetId} selects a resource group, whose members are not in the inventory.`,
        evidence,
      };
    }
    const byIdOnly = [...new Set(scope?.windowsListingInstance.get(instance.instanceId) ?? [])].filter(
      (windowId) => index.maintenanceWindow(windowId)?.enabled !== false,
    );
    const detail =
      byIdOnly.length > 0
        ? `it is listed by instance ID in ${byIdOnly.join(', ')}, which does not follow replacements or new instances`
        : 'no maintenance-window target selects it by tag';
    return {
      outcome: 'fail',
      detail,
      evidence,
      cause:
        byIdOnly.length > 0
          ? { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: byIdOnly[0] }
          : { key: 'no-tag-target' },
    };
  },
};
