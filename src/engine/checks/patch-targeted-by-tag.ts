// Named check: a maintenance window selects the instance by tag (not by listing its instance id) and runs a
// patch task on that target.

import type { Ec2Instance, MaintenanceWindowTarget, Target } from '../../inventory/model.js';
import type { Evidence } from '../types.js';
import type { NamedCheck } from './named-check.js';

interface Params {
  /** Count only windows with a task whose document matches (e.g. AWS-RunPatchBaseline); empty = any task. */
  patchTaskDocuments: string[];
}

/** Does one Target entry select the instance through its tags? Undefined when it cannot be decided here. */
export function targetSelectsByTag(target: Target, tags: Readonly<Record<string, string>>): boolean | undefined {
  if (target.key.startsWith('tag:')) {
    const key = target.key.slice(4);
    return Object.hasOwn(tags, key) && target.values.includes(tags[key] as string);
  }
  if (target.key === 'tag-key') return target.values.some((k) => Object.hasOwn(tags, k));
  if (target.key.startsWith('resource-groups:')) return undefined;
  return false;
}

/** Targets within one window target are ANDed (like SSM's tag filters). */
function windowTargetSelects(t: MaintenanceWindowTarget, tags: Readonly<Record<string, string>>): boolean | undefined {
  let unknown = false;
  for (const target of t.targets) {
    const r = targetSelectsByTag(target, tags);
    if (r === false) return false;
    if (r === undefined) unknown = true;
  }
  return t.targets.length > 0 && (unknown ? undefined : true);
}

export const patchTargetedByTag: NamedCheck<Ec2Instance, Params> = {
  name: 'patch-targeted-by-tag',
  description: 'Some maintenance-window target selects the instance by tag, and a patch task runs on it.',
  resourceTypes: ['AWS::EC2::Instance'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: { patchTaskDocuments: { type: 'array', items: { type: 'string' }, default: ['AWS-RunPatchBaseline'] } },
  },
  evaluate(instance, { index, params }) {
    const targets = index.windowTargetsIn(instance);
    const evidence: Evidence[] = [];
    const byIdOnly: string[] = [];
    const tasksRead = index.coverage.state('ssm:maintenance-window-tasks', instance).status === 'read';
    for (const t of targets) {
      const window = index.maintenanceWindow(t.windowId);
      if (window && !window.enabled) continue;
      if (t.targets.some((x) => x.key === 'InstanceIds' && x.values.includes(instance.instanceId))) byIdOnly.push(t.windowId);
      const selects = windowTargetSelects(t, instance.tags);
      if (selects === undefined) {
        evidence.push({ resourceId: t.windowTargetId, note: `window ${t.windowId} targets a resource group; membership cannot be checked offline` });
        continue;
      }
      if (!selects) continue;
      if (tasksRead) {
        const tasks = index.tasksOfWindow(t.windowId).filter(
          (task) =>
            task.targets.some((x) => x.key === 'WindowTargetIds' && x.values.includes(t.windowTargetId)) &&
            (params.patchTaskDocuments.length === 0 || params.patchTaskDocuments.includes(task.taskArn)),
        );
        if (tasks.length === 0) {
          evidence.push({ resourceId: t.windowTargetId, note: `window ${t.windowId} selects it by tag but runs no ${params.patchTaskDocuments.join('/')} task on that target` });
          continue;
        }
      }
      return {
        outcome: 'pass',
        detail: `window ${t.windowId} target ${t.windowTargetId}`,
        evidence: [...evidence, { resourceId: t.windowTargetId, path: 'targets', actual: t.targets.map((x) => `${x.key}=${x.values.join(',')}`).join(' & ') }],
      };
    }
    const detail = byIdOnly.length > 0
      ? `it is listed by instance ID in ${[...new Set(byIdOnly)].join(', ')}, which does not follow replacements or new instances`
      : 'no maintenance-window target selects it by tag';
    return {
      outcome: 'fail',
      detail,
      evidence,
      cause: byIdOnly.length > 0 ? { resourceType: 'AWS::SSM::MaintenanceWindow', resourceId: byIdOnly[0] } : { key: 'no-tag-target' },
    };
  },
};
