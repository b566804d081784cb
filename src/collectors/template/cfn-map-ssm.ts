// CloudFormation Systems Manager resources → the DeployModel's maintenance windows, their targets and tasks, and
// patch baselines; State Manager associations are noted, not judged.

import type { CfnResource, CfnValue } from './cfn-template.js';
import {
  declaredOf,
  derivedUuid,
  maintenanceWindowId,
  noteFor,
  patchBaselineId,
  type StackIdentity,
} from './cfn-identity.js';
import { cfnBoolean, cfnNumber, cfnObject, cfnObjectList, cfnString, cfnStringList } from './cfn-values.js';
import {
  isUnresolved,
  unresolved,
  type DeployMaintenanceWindow,
  type DeployMaintenanceWindowTarget,
  type DeployMaintenanceWindowTask,
  type DeployModel,
  type DeployPatchBaseline,
  type DeployTarget,
  type Maybe,
} from './deploy-model.js';

export type SsmModel = Pick<
  DeployModel,
  'maintenanceWindows' | 'maintenanceWindowTargets' | 'maintenanceWindowTasks' | 'patchBaselines'
>;

type Notes = DeployModel['notes'];

export const SSM_TYPES: readonly string[] = [
  'AWS::SSM::MaintenanceWindow',
  'AWS::SSM::MaintenanceWindowTarget',
  'AWS::SSM::MaintenanceWindowTask',
  'AWS::SSM::PatchBaseline',
  'AWS::SSM::Association',
];

function ofType(resources: readonly CfnResource[], type: string): CfnResource[] {
  return resources.filter((r) => r.type === type);
}

function prop(resource: CfnResource, name: string): Maybe<string> | undefined {
  return cfnString(resource.properties[name], `${resource.logicalId}.${name}`);
}

function required(resource: CfnResource, name: string): Maybe<string> {
  return prop(resource, name) ?? unresolved(`${resource.logicalId} declares no ${name}`);
}

/** A name the model needs as text: an unknown one stands in as the logical id, noted. */
function nameOf(resource: CfnResource, notes: Notes): string {
  const name = required(resource, 'Name');
  if (typeof name === 'string') return name;
  notes.push(noteFor(resource, `the Name of ${resource.logicalId} is unknown until deploy (${name.reason})`));
  return resource.logicalId;
}

function mapWindow(window: CfnResource, stack: StackIdentity, notes: Notes): DeployMaintenanceWindow {
  const p = window.properties;
  const what = window.logicalId;
  const mapped: DeployMaintenanceWindow = {
    ...declaredOf(window),
    windowId: maintenanceWindowId(stack, what),
    name: nameOf(window, notes),
    schedule: required(window, 'Schedule'),
  };
  const duration = cfnNumber(p.Duration, `${what}.Duration`);
  const cutoff = cfnNumber(p.Cutoff, `${what}.Cutoff`);
  const timezone = prop(window, 'ScheduleTimezone');
  if (duration !== undefined) mapped.duration = duration;
  if (cutoff !== undefined) mapped.cutoff = cutoff;
  if (timezone !== undefined) mapped.scheduleTimezone = timezone;
  // A window past its EndDate (or before its StartDate) never runs: the patching rules judge them as deployed.
  const start = prop(window, 'StartDate');
  const end = prop(window, 'EndDate');
  const offset = cfnNumber(p.ScheduleOffset, `${what}.ScheduleOffset`);
  if (start !== undefined) mapped.startDate = start;
  if (end !== undefined) mapped.endDate = end;
  if (offset !== undefined) mapped.scheduleOffset = offset;
  return mapped;
}

/** Targets as the API's [{Key, Values}]; an unknown list is one target whose key and values are unknown. */
function targetsOf(resource: CfnResource): DeployTarget[] {
  const what = `${resource.logicalId}.Targets`;
  const targets = cfnObjectList(resource.properties.Targets, what);
  if (targets === undefined) return [];
  if (isUnresolved(targets)) return [{ Key: targets, Values: targets }];
  return targets.map((target, i) => ({
    Key: cfnString(target.Key, `${what}[${i}].Key`) ?? unresolved(`${what}[${i}] has no Key`),
    Values: cfnStringList(target.Values, `${what}[${i}].Values`) ?? [],
  }));
}

function mapWindowTarget(target: CfnResource, stack: StackIdentity): DeployMaintenanceWindowTarget {
  return {
    ...declaredOf(target),
    windowTargetId: derivedUuid(stack, target.logicalId),
    windowId: required(target, 'WindowId'),
    resourceType: required(target, 'ResourceType'),
    targets: targetsOf(target),
  };
}

type TaskParameters = DeployMaintenanceWindowTask['parameters'];

/**
 * Parameters nobody can read are recorded as an unknown Operation: it is the parameter the patching rules read
 * (AWS-RunPatchBaseline's Scan | Install), so they give ERROR instead of judging a window without it.
 */
function unknownParameters(reason: string): TaskParameters {
  return { Operation: unresolved(reason) };
}

/** One parameter's values: a list, or a single value as a list of one. */
function parameterValues(value: CfnValue, what: string): Maybe<Maybe<string>[]> {
  if (Array.isArray(value) || isUnresolved(value)) return cfnStringList(value, what) ?? [];
  const single = cfnString(value, what);
  return single === undefined ? [] : [single];
}

/** Run Command parameters: {Name: [values]}. */
function runCommandParameters(value: CfnValue | undefined, what: string): TaskParameters {
  const parameters = cfnObject(value, what);
  if (parameters === undefined) return {};
  if (isUnresolved(parameters)) return unknownParameters(parameters.reason);
  return Object.fromEntries(
    Object.entries(parameters).map(([name, v]) => [name, parameterValues(v, `${what}.${name}`)]),
  );
}

/** The legacy TaskParameters: {Name: {Values: [values]}}. */
function legacyTaskParameters(value: CfnValue | undefined, what: string): TaskParameters {
  const parameters = cfnObject(value, what);
  if (parameters === undefined) return {};
  if (isUnresolved(parameters)) return unknownParameters(parameters.reason);
  return Object.fromEntries(
    Object.entries(parameters).map(([name, v]) => {
      const entry = cfnObject(v, `${what}.${name}`);
      const values = entry === undefined ? [] : isUnresolved(entry) ? entry : (entry.Values ?? []);
      return [name, parameterValues(values, `${what}.${name}.Values`)];
    }),
  );
}

function taskParameters(task: CfnResource): TaskParameters {
  const what = task.logicalId;
  const invocation = cfnObject(task.properties.TaskInvocationParameters, `${what}.TaskInvocationParameters`);
  if (isUnresolved(invocation)) return unknownParameters(invocation.reason);
  const runCommand = cfnObject(
    invocation?.MaintenanceWindowRunCommandParameters,
    `${what}.TaskInvocationParameters.MaintenanceWindowRunCommandParameters`,
  );
  if (isUnresolved(runCommand)) return unknownParameters(runCommand.reason);
  // TaskParameters is the older place for the same parameters; TaskInvocationParameters wins where both name one.
  return {
    ...legacyTaskParameters(task.properties.TaskParameters, `${what}.TaskParameters`),
    ...runCommandParameters(
      runCommand?.Parameters,
      `${what}.MaintenanceWindowRunCommandParameters.Parameters`,
    ),
  };
}

function mapWindowTask(task: CfnResource, stack: StackIdentity): DeployMaintenanceWindowTask {
  const mapped: DeployMaintenanceWindowTask = {
    ...declaredOf(task),
    windowTaskId: derivedUuid(stack, task.logicalId),
    windowId: required(task, 'WindowId'),
    taskType: required(task, 'TaskType'),
    taskArn: required(task, 'TaskArn'),
    targets: targetsOf(task),
    parameters: taskParameters(task),
  };
  const priority = cfnNumber(task.properties.Priority, `${task.logicalId}.Priority`);
  if (priority !== undefined) mapped.priority = priority;
  return mapped;
}

function mapPatchBaseline(baseline: CfnResource, stack: StackIdentity, notes: Notes): DeployPatchBaseline {
  const p = baseline.properties;
  const what = baseline.logicalId;
  const groups = cfnStringList(p.PatchGroups, `${what}.PatchGroups`) ?? [];
  const mapped: DeployPatchBaseline = {
    ...declaredOf(baseline),
    baselineId: patchBaselineId(stack, what),
    name: nameOf(baseline, notes),
    // OperatingSystem defaults to WINDOWS (CreatePatchBaseline and AWS::SSM::PatchBaseline,
    // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreatePatchBaseline.html).
    operatingSystem: prop(baseline, 'OperatingSystem') ?? 'WINDOWS',
    patchGroups: isUnresolved(groups) ? [groups] : groups,
  };
  // ApprovalRules has GetPatchBaseline's shape ({PatchRules: [{PatchFilterGroup, ApproveAfterDays, …}]}).
  if (p.ApprovalRules !== undefined) mapped.approvalRules = p.ApprovalRules;
  const approved = cfnStringList(p.ApprovedPatches, `${what}.ApprovedPatches`);
  if (approved !== undefined) mapped.approvedPatches = isUnresolved(approved) ? [approved] : approved;
  const isDefault = cfnBoolean(p.DefaultBaseline, `${what}.DefaultBaseline`);
  if (isUnresolved(isDefault)) {
    notes.push(noteFor(baseline, `whether ${what} is the default baseline is unknown (${isDefault.reason})`));
  } else if (isDefault !== undefined) mapped.defaultBaseline = isDefault;
  return mapped;
}

/** Every Systems Manager resource of the template; associations become notes. */
export function mapSsm(resources: readonly CfnResource[], stack: StackIdentity, notes: Notes): SsmModel {
  for (const association of ofType(resources, 'AWS::SSM::Association')) {
    notes.push(
      noteFor(
        association,
        `AWS::SSM::Association ${association.logicalId} is read but not judged before deploy`,
      ),
    );
  }
  return {
    maintenanceWindows: ofType(resources, 'AWS::SSM::MaintenanceWindow').map((w) =>
      mapWindow(w, stack, notes),
    ),
    maintenanceWindowTargets: ofType(resources, 'AWS::SSM::MaintenanceWindowTarget').map((t) =>
      mapWindowTarget(t, stack),
    ),
    maintenanceWindowTasks: ofType(resources, 'AWS::SSM::MaintenanceWindowTask').map((t) =>
      mapWindowTask(t, stack),
    ),
    patchBaselines: ofType(resources, 'AWS::SSM::PatchBaseline').map((b) =>
      mapPatchBaseline(b, stack, notes),
    ),
  };
}
