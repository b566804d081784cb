// Writes DescribeMaintenanceWindows, DescribeMaintenanceWindowTargets/Tasks (one response per window) and
// GetMaintenanceWindowTask for a DeployModel.

import type { ApiJson } from '../api/api-data.js';
import type {
  DeployMaintenanceWindow,
  DeployMaintenanceWindowTarget,
  DeployMaintenanceWindowTask,
  DeployTarget,
} from './deploy-model.js';
import type { ReferencedCollection, Site, SynthesisContext } from './synthesis-context.js';

// The target keys whose values name resources of the template: a literal id from elsewhere is recorded.
// A Map, not an object literal: the key comes from the template, and "__proto__" must not hit Object.prototype.
const TARGET_VALUE_COLLECTIONS: ReadonlyMap<string, ReferencedCollection> = new Map([
  ['InstanceIds', 'instances'],
  ['WindowTargetIds', 'maintenanceWindowTargets'],
]);

export interface MaintenanceWindowResponses {
  DescribeMaintenanceWindows: ApiJson;
  DescribeMaintenanceWindowTargets: ApiJson[];
  DescribeMaintenanceWindowTasks: ApiJson[];
  GetMaintenanceWindowTask: ApiJson[];
}

/** Every window with its targets and tasks; a target or task of an undeclared window gets that window's response. */
export function maintenanceWindowResponses(ctx: SynthesisContext): MaintenanceWindowResponses {
  const windows = ctx.model.maintenanceWindows.map((window) => windowIdentity(ctx, window));
  const targets = byWindow(
    ctx,
    ctx.model.maintenanceWindowTargets,
    'maintenanceWindowTargets',
    (t, site, windowId) => windowTarget(ctx, t, site, windowId),
  );
  const details: ApiJson[] = [];
  const tasks = byWindow(
    ctx,
    ctx.model.maintenanceWindowTasks,
    'maintenanceWindowTasks',
    (t, site, windowId) => {
      const task = windowTask(ctx, t, site, windowId);
      if (task === undefined) return undefined;
      if (task.detail !== undefined) details.push(task.detail);
      return task.summary;
    },
  );
  return {
    DescribeMaintenanceWindows: { WindowIdentities: windows },
    DescribeMaintenanceWindowTargets: [...targets].map(([, Targets]) => ({ Targets })),
    DescribeMaintenanceWindowTasks: [...tasks].map(([, Tasks]) => ({ Tasks })),
    GetMaintenanceWindowTask: details,
  };
}

/**
 * A window's identity. New windows are enabled (CreateMaintenanceWindow has no Enabled: only an update disables
 * one, https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html); an
 * unknown Enabled is written as disabled, which never makes a window look like it runs.
 */
/** The window's optional settings and the DescribeMaintenanceWindows fields they are written as (when known). */
const WINDOW_FIELDS = [
  ['schedule', 'Schedule'],
  ['duration', 'Duration'],
  ['cutoff', 'Cutoff'],
  ['scheduleTimezone', 'ScheduleTimezone'],
  ['startDate', 'StartDate'],
  ['endDate', 'EndDate'],
  ['scheduleOffset', 'ScheduleOffset'],
] as const satisfies readonly (readonly [keyof DeployMaintenanceWindow, string])[];

function windowIdentity(ctx: SynthesisContext, window: DeployMaintenanceWindow): ApiJson {
  const site = ctx.declare(window, window.windowId, 'maintenanceWindows');
  const json: ApiJson = {
    WindowId: window.windowId,
    Name: window.name,
    Enabled: window.enabled === undefined ? true : (ctx.known(window.enabled, site, 'enabled') ?? false),
  };
  for (const [property, field] of WINDOW_FIELDS) {
    const value = ctx.known(window[property], site, property);
    if (value !== undefined) json[field] = value;
  }
  return json;
}

/** Groups items by their window (declared windows first, each with a response even when empty). */
function byWindow<T extends DeployMaintenanceWindowTarget | DeployMaintenanceWindowTask>(
  ctx: SynthesisContext,
  items: readonly T[],
  collection: string,
  write: (item: T, site: Site, windowId: string) => ApiJson | undefined,
): Map<string, ApiJson[]> {
  const groups = new Map<string, ApiJson[]>(ctx.model.maintenanceWindows.map((w) => [w.windowId, []]));
  for (const item of items) {
    const id = 'windowTargetId' in item ? item.windowTargetId : item.windowTaskId;
    const site = ctx.declare(item, id, collection);
    const windowId = ctx.reference(item.windowId, 'maintenanceWindows', site, 'windowId');
    // Written even when its window is unknown, so every unknown inside it is recorded; then left out.
    const json = write(item, site, windowId ?? '');
    if (windowId === undefined || json === undefined) continue;
    groups.set(windowId, [...(groups.get(windowId) ?? []), json]);
  }
  return groups;
}

/** A `[{Key, Values}]` list; an entry whose key or values are unknown is left out (recorded). */
function targetList(
  ctx: SynthesisContext,
  targets: readonly DeployTarget[],
  site: Site,
  base: string,
): ApiJson[] {
  const out: ApiJson[] = [];
  targets.forEach((target, i) => {
    const key = ctx.known(target.Key, site, `${base}[${i}].Key`);
    const collection = key === undefined ? undefined : TARGET_VALUE_COLLECTIONS.get(key);
    const values = ctx.knownList(target.Values, site, `${base}[${i}].Values`, (value, path) => {
      if (collection !== undefined && !ctx.isDeclared(collection, value)) ctx.outside(value, site, path);
    });
    if (key !== undefined && !isUnresolvedList(target.Values)) out.push({ Key: key, Values: values });
  });
  return out;
}

function isUnresolvedList(values: DeployTarget['Values']): boolean {
  return !Array.isArray(values);
}

function windowTarget(
  ctx: SynthesisContext,
  target: DeployMaintenanceWindowTarget,
  site: Site,
  windowId: string,
): ApiJson | undefined {
  const resourceType = ctx.known(target.resourceType, site, 'resourceType');
  const targets = targetList(ctx, target.targets, site, 'targets');
  // An unknown ResourceType would read as INSTANCE (the mapper's default): the target is left out instead.
  if (resourceType === undefined) return undefined;
  return {
    WindowId: windowId,
    WindowTargetId: target.windowTargetId,
    ResourceType: resourceType,
    Targets: targets,
  };
}

/**
 * A task, as DescribeMaintenanceWindowTasks lists it and as GetMaintenanceWindowTask answers. The parameters are
 * written as TaskInvocationParameters (what AWS::SSM::MaintenanceWindowTask and aws_ssm_maintenance_window_task
 * register), which the list does not show: a collector reads them with GetMaintenanceWindowTask. A task whose type
 * or document is unknown is left out: no task never patches anything.
 */
function windowTask(
  ctx: SynthesisContext,
  task: DeployMaintenanceWindowTask,
  site: Site,
  windowId: string,
): { summary: ApiJson; detail?: ApiJson } | undefined {
  const type = ctx.known(task.taskType, site, 'taskType');
  const taskArn = ctx.known(task.taskArn, site, 'taskArn');
  const targets = targetList(ctx, task.targets, site, 'targets');
  const priority = ctx.known(task.priority, site, 'priority');
  // Null prototype: parameter names come from the template ("__proto__" must stay a name).
  const parameters = Object.create(null) as Record<string, string[]>;
  for (const [name, values] of Object.entries(task.parameters)) {
    if (isUnresolvedList(values)) {
      ctx.known(values, site, `parameters.${name}`);
      continue;
    }
    parameters[name] = ctx.knownList(values, site, `parameters.${name}`);
  }
  if (type === undefined || taskArn === undefined) return undefined;
  const summary: ApiJson = {
    WindowId: windowId,
    WindowTaskId: task.windowTaskId,
    TaskArn: taskArn,
    Type: type,
    Targets: targets,
  };
  if (priority !== undefined) summary.Priority = priority;
  // Only Run Command tasks carry the patch Operation; the others need no second read.
  if (type !== 'RUN_COMMAND') return { summary };
  const detail: ApiJson = {
    WindowId: windowId,
    WindowTaskId: task.windowTaskId,
    TaskArn: taskArn,
    TaskType: type,
    Targets: targets,
    TaskParameters: {},
    TaskInvocationParameters: { RunCommand: { Parameters: parameters } },
  };
  if (priority !== undefined) detail.Priority = priority;
  return { summary, detail };
}
