// The SSM awsJson1_1 operations the live collectors call, served from the fleet's region data.

import type { ApiJson, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { baselineKey } from '../../../src/inventory/patch-baseline-id.js';
import type { AwsRequest } from './aws-request.js';
import { isoToEpochSeconds } from './json-timestamps.js';
import { cutPage, type PageLimits, type PageTokens, pageSize } from './pagination.js';
import { AwsWireError, missingParameter } from './wire-error.js';

/** What an SSM handler sees. */
export interface SsmContext {
  request: Extract<AwsRequest, { protocol: 'json' }>;
  accountId: string;
  data: RegionApiData | undefined;
  tokens: PageTokens;
}

// Timestamp members of InstanceInformation, Activation and ServiceSetting (SSM model 2014-11-06).
const TIMESTAMPS = new Set([
  'LastPingDateTime',
  'RegistrationDate',
  'LastAssociationExecutionDate',
  'LastSuccessfulAssociationExecutionDate',
  'ExpirationDate',
  'CreatedDate',
  'LastModifiedDate',
  // GetPatchBaseline.
  'ModifiedDate',
  'OperationStartTime',
  'OperationEndTime',
  'LastNoRebootInstallOperationTime',
  // Maintenance-window run history.
  'StartTime',
  'EndTime',
]);

const limits = (min: number, max: number, defaultSize: number): PageLimits => ({
  parameter: 'MaxResults',
  min,
  max,
  defaultSize,
});

// MaxResults ranges from the SSM model (InstanceInformationMaxResults 5..50, MaintenanceWindowMaxResults
// 10..100, …); the documented default page size is 10.
const LISTS: Record<string, { key: keyof RegionApiData; listKey: string; limits: PageLimits }> = {
  DescribeInstanceInformation: {
    key: 'DescribeInstanceInformation',
    listKey: 'InstanceInformationList',
    limits: limits(5, 50, 10),
  },
  DescribeActivations: { key: 'DescribeActivations', listKey: 'ActivationList', limits: limits(1, 50, 10) },
  DescribeMaintenanceWindows: {
    key: 'DescribeMaintenanceWindows',
    listKey: 'WindowIdentities',
    limits: limits(10, 100, 10),
  },
  DescribePatchGroups: { key: 'DescribePatchGroups', listKey: 'Mappings', limits: limits(1, 100, 10) },
  // PatchBaselineMaxResults 1..100.
  DescribePatchBaselines: {
    key: 'DescribePatchBaselines',
    listKey: 'BaselineIdentities',
    limits: limits(1, 100, 10),
  },
};

const PER_WINDOW: Record<
  string,
  { key: 'DescribeMaintenanceWindowTargets' | 'DescribeMaintenanceWindowTasks'; listKey: string }
> = {
  DescribeMaintenanceWindowTargets: { key: 'DescribeMaintenanceWindowTargets', listKey: 'Targets' },
  DescribeMaintenanceWindowTasks: { key: 'DescribeMaintenanceWindowTasks', listKey: 'Tasks' },
};

/** Answers one SSM operation with its JSON output (timestamps as epoch seconds). */
export function handleSsm(context: SsmContext): unknown {
  const { request, data } = context;
  const { body, operation } = request;
  // The run history takes its own Filters (ExecutedBefore/After, STATUS), before the listing filters below.
  if (operation === 'DescribeMaintenanceWindowExecutions') return describeWindowExecutions(context);
  if (operation === 'DescribeMaintenanceWindowExecutionTasks') return describeExecutionTasks(context);
  if (operation === 'DescribeMaintenanceWindowExecutionTaskInvocations')
    return describeTaskInvocations(context);
  const filters = instanceInformationFilters(operation, body);
  const list = LISTS[operation];
  if (list) {
    const size = pageSize('ssm', list.limits, body.MaxResults);
    const page = cutPage(
      'ssm',
      context.tokens,
      scope(context, JSON.stringify(body.Filters ?? null)),
      listOf(data?.[list.key], list.listKey).filter(filters),
      size,
      body.NextToken,
    );
    return isoToEpochSeconds({ [list.listKey]: page.items, NextToken: page.nextToken }, TIMESTAMPS);
  }
  const perWindow = PER_WINDOW[operation];
  if (perWindow) {
    const windowId = body.WindowId;
    if (typeof windowId !== 'string' || windowId === '') throw missingParameter('ssm', 'WindowId');
    // Input validation comes before the existence check, as in the service.
    const size = pageSize('ssm', limits(10, 100, 10), body.MaxResults);
    const windows = listOf(data?.DescribeMaintenanceWindows, 'WindowIdentities');
    if (!windows.some((window) => window.WindowId === windowId)) {
      throw new AwsWireError('DoesNotExistException', `Maintenance window ${windowId} does not exist`);
    }
    const items = (data?.[perWindow.key] ?? [])
      .flatMap((response) => listOf(response, perWindow.listKey))
      .filter((item) => item.WindowId === windowId);
    const page = cutPage('ssm', context.tokens, scope(context, windowId), items, size, body.NextToken);
    return isoToEpochSeconds({ [perWindow.listKey]: page.items, NextToken: page.nextToken }, TIMESTAMPS);
  }
  if (operation === 'DescribeInstancePatchStates') return describeInstancePatchStates(context);
  if (operation === 'GetMaintenanceWindowTask') return getMaintenanceWindowTask(context);
  if (operation === 'GetPatchBaseline') return getPatchBaseline(context);
  if (operation === 'GetServiceSetting') {
    const settingId = body.SettingId;
    if (typeof settingId !== 'string' || settingId === '') throw missingParameter('ssm', 'SettingId');
    const setting = data?.GetServiceSetting?.ServiceSetting as ApiJson | undefined;
    // The setting may be requested by path or by ARN; both end with the same path.
    if (!setting || !(settingId === setting.SettingId || String(setting.ARN ?? '').endsWith(settingId))) {
      throw new AwsWireError('ServiceSettingNotFound', `No setting found for ${settingId}`);
    }
    return isoToEpochSeconds({ ServiceSetting: setting }, TIMESTAMPS);
  }
  throw new AwsWireError('UnknownOperationException', `Unknown operation AmazonSSM.${operation}`);
}

/**
 * DescribeInstancePatchStates: `InstanceIds` is required, 1..50 of them (InstanceIdList), MaxResults 10..100;
 * ids without a patch state are simply absent from the answer.
 */
function describeInstancePatchStates(context: SsmContext): unknown {
  const { body } = context.request;
  const ids = body.InstanceIds;
  if (!Array.isArray(ids)) throw missingParameter('ssm', 'InstanceIds');
  if (ids.length < 1 || ids.length > 50) {
    throw new AwsWireError(
      'ValidationException',
      `1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  const size = pageSize('ssm', limits(10, 100, 10), body.MaxResults);
  const wanted = new Set(ids.map(String));
  const items = listOf(context.data?.DescribeInstancePatchStates, 'InstancePatchStates').filter((state) =>
    wanted.has(String(state.InstanceId)),
  );
  const page = cutPage('ssm', context.tokens, scope(context, ids.join(',')), items, size, body.NextToken);
  return isoToEpochSeconds({ InstancePatchStates: page.items, NextToken: page.nextToken }, TIMESTAMPS);
}

/**
 * DescribeMaintenanceWindowExecutions: WindowId required; Filters ExecutedBefore / ExecutedAfter (ISO 8601 times,
 * compared with StartTime), MaxResults 10..100.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeMaintenanceWindowExecutions.html
 */
function describeWindowExecutions(context: SsmContext): unknown {
  const { body } = context.request;
  const windowId = requiredId(body, 'WindowId');
  const size = pageSize('ssm', limits(10, 100, 10), body.MaxResults);
  const windows = listOf(context.data?.DescribeMaintenanceWindows, 'WindowIdentities');
  if (!windows.some((window) => window.WindowId === windowId))
    throw new AwsWireError('DoesNotExistException', `Maintenance window ${windowId} does not exist`);
  const window = executionTimeFilter(body.Filters);
  const items = (context.data?.DescribeMaintenanceWindowExecutions ?? [])
    .flatMap((response) => listOf(response, 'WindowExecutions'))
    .filter((run) => run.WindowId === windowId && window(Date.parse(String(run.StartTime))));
  const extra = `${windowId}:${JSON.stringify(body.Filters ?? null)}`;
  const page = cutPage('ssm', context.tokens, scope(context, extra), items, size, body.NextToken);
  return isoToEpochSeconds({ WindowExecutions: page.items, NextToken: page.nextToken }, TIMESTAMPS);
}

/** ExecutedBefore / ExecutedAfter, each with one ISO 8601 value; any other key is rejected as the service does. */
function executionTimeFilter(filters: unknown): (startMs: number) => boolean {
  if (filters === undefined) return () => true;
  if (!Array.isArray(filters)) throw new AwsWireError('ValidationException', 'Filters must be a list');
  let after = Number.NEGATIVE_INFINITY;
  let before = Number.POSITIVE_INFINITY;
  for (const filter of filters as ApiJson[]) {
    const values = filter.Values;
    const at = Array.isArray(values) && values.length === 1 ? Date.parse(String(values[0])) : Number.NaN;
    if (Number.isNaN(at))
      throw new AwsWireError('ValidationException', `Filter ${String(filter.Key)} needs one ISO 8601 time`);
    if (filter.Key === 'ExecutedAfter') after = at;
    else if (filter.Key === 'ExecutedBefore') before = at;
    else throw new AwsWireError('ValidationException', `The filter key ${String(filter.Key)} is not valid`);
  }
  return (startMs) => startMs >= after && startMs <= before;
}

/** DescribeMaintenanceWindowExecutionTasks: WindowExecutionId required, MaxResults 10..100. */
function describeExecutionTasks(context: SsmContext): unknown {
  const { body } = context.request;
  const executionId = requiredId(body, 'WindowExecutionId');
  const size = pageSize('ssm', limits(10, 100, 10), body.MaxResults);
  knownExecution(context, executionId);
  const items = (context.data?.DescribeMaintenanceWindowExecutionTasks ?? [])
    .flatMap((response) => listOf(response, 'WindowExecutionTaskIdentities'))
    .filter((task) => task.WindowExecutionId === executionId);
  const page = cutPage('ssm', context.tokens, scope(context, executionId), items, size, body.NextToken);
  return isoToEpochSeconds(
    { WindowExecutionTaskIdentities: page.items, NextToken: page.nextToken },
    TIMESTAMPS,
  );
}

/** DescribeMaintenanceWindowExecutionTaskInvocations: WindowExecutionId and TaskId required, MaxResults 10..100. */
function describeTaskInvocations(context: SsmContext): unknown {
  const { body } = context.request;
  const executionId = requiredId(body, 'WindowExecutionId');
  const taskId = requiredId(body, 'TaskId');
  const size = pageSize('ssm', limits(10, 100, 10), body.MaxResults);
  knownExecution(context, executionId);
  const items = (context.data?.DescribeMaintenanceWindowExecutionTaskInvocations ?? [])
    .flatMap((response) => listOf(response, 'WindowExecutionTaskInvocationIdentities'))
    .filter((i) => i.WindowExecutionId === executionId && i.TaskExecutionId === taskId);
  const extra = `${executionId}:${taskId}`;
  const page = cutPage('ssm', context.tokens, scope(context, extra), items, size, body.NextToken);
  return isoToEpochSeconds(
    { WindowExecutionTaskInvocationIdentities: page.items, NextToken: page.nextToken },
    TIMESTAMPS,
  );
}

function requiredId(body: ApiJson, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw missingParameter('ssm', name);
  return value;
}

function knownExecution(context: SsmContext, executionId: string): void {
  const known = (context.data?.DescribeMaintenanceWindowExecutions ?? [])
    .flatMap((response) => listOf(response, 'WindowExecutions'))
    .some((run) => run.WindowExecutionId === executionId);
  if (!known)
    throw new AwsWireError(
      'DoesNotExistException',
      `Maintenance window execution ${executionId} does not exist`,
    );
}

// DescribeInstanceInformation `Filters` (InstanceInformationStringFilter): keys ANDed, values ORed; only the keys
// the Lambda's scoped reads use. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstanceInformationStringFilter.html
const INSTANCE_INFORMATION_FILTERS: Record<string, { member: string; allowed?: readonly string[] }> = {
  InstanceIds: { member: 'InstanceId' },
  ResourceType: { member: 'ResourceType', allowed: ['EC2Instance', 'ManagedInstance'] },
};

function instanceInformationFilters(operation: string, body: ApiJson): (item: ApiJson) => boolean {
  if (body.InstanceInformationFilterList !== undefined)
    throw new AwsWireError(
      'ValidationException',
      'The loopback endpoint does not implement the legacy filter list',
    );
  if (body.Filters === undefined) return () => true;
  if (operation !== 'DescribeInstanceInformation' || !Array.isArray(body.Filters))
    throw new AwsWireError(
      'ValidationException',
      `The loopback endpoint does not implement ${operation} filters`,
    );
  const tests = (body.Filters as ApiJson[]).map((filter) => {
    const spec = INSTANCE_INFORMATION_FILTERS[String(filter.Key)];
    const values = filter.Values;
    if (spec === undefined)
      throw new AwsWireError(
        'InvalidFilterKey',
        `The filter key ${String(filter.Key)} is not supported here`,
      );
    if (!Array.isArray(values) || values.length < 1 || values.length > 100)
      throw new AwsWireError('ValidationException', 'Filter values must hold 1 to 100 items');
    for (const value of values)
      if (spec.allowed !== undefined && !spec.allowed.includes(String(value)))
        throw new AwsWireError('InvalidFilterValue', `The filter value ${String(value)} is not valid`);
    const accepted = new Set(values.map(String));
    return (item: ApiJson): boolean => accepted.has(String(item[spec.member]));
  });
  return (item) => tests.every((test) => test(item));
}

function scope(context: SsmContext, extra: string): string {
  return `ssm:${context.request.operation}:${context.accountId}:${context.request.region}:${extra}`;
}

function listOf(value: unknown, key: string): ApiJson[] {
  if (typeof value !== 'object' || value === null) return [];
  const list = (value as ApiJson)[key];
  return Array.isArray(list) ? (list as ApiJson[]) : [];
}

/**
 * GetMaintenanceWindowTask: `WindowId` and `WindowTaskId` are required; an unknown window or task is
 * DoesNotExistException. The fleet's recorded output wins; a task without one is answered from its
 * DescribeMaintenanceWindowTasks entry (the same task, its legacy TaskParameters and no invocation parameters).
 */
function getMaintenanceWindowTask(context: SsmContext): unknown {
  const { body } = context.request;
  const windowId = body.WindowId;
  const taskId = body.WindowTaskId;
  if (typeof windowId !== 'string' || windowId === '') throw missingParameter('ssm', 'WindowId');
  if (typeof taskId !== 'string' || taskId === '') throw missingParameter('ssm', 'WindowTaskId');
  const data = context.data;
  const windows = listOf(data?.DescribeMaintenanceWindows, 'WindowIdentities');
  if (!windows.some((window) => window.WindowId === windowId))
    throw new AwsWireError('DoesNotExistException', `Maintenance window ${windowId} does not exist`);
  const recorded = (data?.GetMaintenanceWindowTask ?? []).find(
    (task) => task.WindowId === windowId && task.WindowTaskId === taskId,
  );
  if (recorded !== undefined) return recorded;
  const listed = (data?.DescribeMaintenanceWindowTasks ?? [])
    .flatMap((response) => listOf(response, 'Tasks'))
    .find((task) => task.WindowId === windowId && task.WindowTaskId === taskId);
  if (listed === undefined)
    throw new AwsWireError(
      'DoesNotExistException',
      `Maintenance window task ${taskId} does not exist in ${windowId}`,
    );
  const { Type, ...rest } = listed;
  return { ...rest, TaskType: Type };
}

/**
 * GetPatchBaseline: `BaselineId` is required (a pb- id, or the ARN of an AWS predefined baseline); a baseline the
 * fleet records no output for is DoesNotExistException.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetPatchBaseline.html
 */
function getPatchBaseline(context: SsmContext): unknown {
  const baselineId = requiredId(context.request.body, 'BaselineId');
  const key = baselineKey(baselineId);
  const recorded = (context.data?.GetPatchBaseline ?? []).find(
    (baseline) => baselineKey(String(baseline.BaselineId)) === key,
  );
  if (recorded === undefined)
    throw new AwsWireError('DoesNotExistException', `Patch Baseline ${baselineId} does not exist.`);
  return isoToEpochSeconds(recorded, TIMESTAMPS);
}
