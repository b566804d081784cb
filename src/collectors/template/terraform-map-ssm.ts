// Terraform plan → SSM maintenance windows, their targets and tasks, patch baselines with their patch groups, and
// service settings (the DHMC role).

import type {
  DeployMaintenanceWindow,
  DeployMaintenanceWindowTarget,
  DeployMaintenanceWindowTask,
  DeployPatchBaseline,
  DeployServiceSetting,
  DeployTarget,
  Maybe,
} from './deploy-model.js';
import {
  declaredId,
  declaredName,
  note,
  type PlanContext,
  type PlanResource,
} from './terraform-map-context.js';
import { readRef, readRefList } from './terraform-map-references.js';
import {
  afterApply,
  child,
  firstBlock,
  items,
  readBoolean,
  readNumber,
  readText,
  readTextList,
  type PlanNode,
} from './terraform-map-values.js';

function ofType(ctx: PlanContext, type: string): PlanResource[] {
  return ctx.resources.filter((resource) => resource.type === type);
}

function idOf(ctx: PlanContext, resource: PlanResource): string {
  return declaredId(ctx, resource) ?? resource.address;
}

function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** `targets` blocks; an instance id or window target id known after apply resolves to its declared id. */
function targetsOf(ctx: PlanContext, resource: PlanResource): DeployTarget[] {
  return items(child(resource.node, 'targets')).map((block) => ({
    Key: readText(child(block, 'key')) ?? afterApply(),
    Values: readRefList(ctx, resource, child(block, 'values')) ?? [],
  }));
}

export function mapMaintenanceWindows(ctx: PlanContext): DeployMaintenanceWindow[] {
  return ofType(ctx, 'aws_ssm_maintenance_window').map((window) => {
    const value = (name: string) => child(window.node, name);
    return {
      address: window.address,
      location: window.location,
      windowId: idOf(ctx, window),
      name: declaredName(window),
      schedule: readText(value('schedule')) ?? afterApply(),
      ...defined({
        duration: readNumber(value('duration')),
        cutoff: readNumber(value('cutoff')),
        scheduleTimezone: readText(value('schedule_timezone')),
        startDate: readText(value('start_date')),
        endDate: readText(value('end_date')),
        scheduleOffset: readNumber(value('schedule_offset')),
        enabled: readBoolean(value('enabled')),
      }),
    };
  });
}

export function mapMaintenanceWindowTargets(ctx: PlanContext): DeployMaintenanceWindowTarget[] {
  return ofType(ctx, 'aws_ssm_maintenance_window_target').map((target) => ({
    address: target.address,
    location: target.location,
    windowTargetId: idOf(ctx, target),
    windowId: readRef(ctx, target, child(target.node, 'window_id')) ?? afterApply(),
    resourceType: readText(child(target.node, 'resource_type')) ?? afterApply(),
    targets: targetsOf(ctx, target),
  }));
}

/** task_invocation_parameters.run_command_parameters.parameter blocks → { Name: [values] }. */
function runCommandParameters(task: PlanResource): Record<string, Maybe<Maybe<string>[]>> {
  const invocation = firstBlock(child(task.node, 'task_invocation_parameters'));
  const runCommand = invocation && firstBlock(child(invocation, 'run_command_parameters'));
  const parameters: Record<string, Maybe<Maybe<string>[]>> = {};
  for (const parameter of runCommand === undefined ? [] : items(child(runCommand, 'parameter'))) {
    const name = readText(child(parameter, 'name'));
    if (typeof name === 'string') parameters[name] = readTextList(child(parameter, 'values')) ?? [];
  }
  return parameters;
}

export function mapMaintenanceWindowTasks(ctx: PlanContext): DeployMaintenanceWindowTask[] {
  return ofType(ctx, 'aws_ssm_maintenance_window_task').map((task) => {
    const priority = readNumber(child(task.node, 'priority'));
    return {
      address: task.address,
      location: task.location,
      windowTaskId: idOf(ctx, task),
      windowId: readRef(ctx, task, child(task.node, 'window_id')) ?? afterApply(),
      taskType: readText(child(task.node, 'task_type')) ?? afterApply(),
      taskArn: readRef(ctx, task, child(task.node, 'task_arn')) ?? afterApply(),
      targets: targetsOf(ctx, task),
      parameters: runCommandParameters(task),
      ...(priority !== undefined && { priority }),
    };
  });
}

function textsOf(node: PlanNode): Maybe<string>[] {
  const list = readTextList(node);
  return list === undefined ? [] : Array.isArray(list) ? list : [list];
}

/** approval_rule blocks in GetPatchBaseline's ApprovalRules shape. */
function approvalRulesOf(baseline: PlanResource): unknown {
  const rules = items(child(baseline.node, 'approval_rule')).map((rule) => ({
    PatchFilterGroup: {
      PatchFilters: items(child(rule, 'patch_filter')).map((filter) => ({
        Key: readText(child(filter, 'key')) ?? afterApply(),
        Values: textsOf(child(filter, 'values')),
      })),
    },
    ...defined({
      ApproveAfterDays: readNumber(child(rule, 'approve_after_days')),
      ApproveUntilDate: readText(child(rule, 'approve_until_date')),
      ComplianceLevel: readText(child(rule, 'compliance_level')),
      EnableNonSecurity: readBoolean(child(rule, 'enable_non_security')),
    }),
  }));
  return rules.length === 0 ? undefined : { PatchRules: rules };
}

export function mapPatchBaselines(ctx: PlanContext): DeployPatchBaseline[] {
  const baselines = ofType(ctx, 'aws_ssm_patch_baseline').map((baseline) => {
    const approvalRules = approvalRulesOf(baseline);
    return {
      address: baseline.address,
      location: baseline.location,
      baselineId: idOf(ctx, baseline),
      name: declaredName(baseline),
      // The provider's default, as the API's.
      operatingSystem: readText(child(baseline.node, 'operating_system')) ?? 'WINDOWS',
      patchGroups: [] as Maybe<string>[],
      ...(approvalRules !== undefined && { approvalRules }),
      approvedPatches: textsOf(child(baseline.node, 'approved_patches')),
    };
  });
  for (const group of ofType(ctx, 'aws_ssm_patch_group')) {
    const baselineId = readRef(ctx, group, child(group.node, 'baseline_id'));
    const baseline = baselines.find((candidate) => candidate.baselineId === baselineId);
    const name = readText(child(group.node, 'patch_group')) ?? afterApply();
    if (baseline !== undefined) baseline.patchGroups.push(name);
    else
      note(
        ctx,
        group,
        `patch group for baseline ${typeof baselineId === 'string' ? baselineId : '(known after apply)'}, which is not in the plan: not read`,
      );
  }
  return baselines;
}

export function mapServiceSettings(ctx: PlanContext): DeployServiceSetting[] {
  return ofType(ctx, 'aws_ssm_service_setting').map((setting) => {
    const settingId = readText(child(setting.node, 'setting_id'));
    return {
      address: setting.address,
      location: setting.location,
      settingId: typeof settingId === 'string' ? settingId : setting.address,
      settingValue: readText(child(setting.node, 'setting_value')) ?? afterApply(),
    };
  });
}
