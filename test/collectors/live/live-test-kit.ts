// Shared pieces of the live-collector tests: fake credentials, the expected collected data for a served
// fleet, and the minimum number of API calls a scan of it can make.

import type { AccountApiData, ApiJson, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { EC2_PAGE_SIZES } from '../../../src/collectors/live/collect-ec2.js';
import { GAAD_PAGE_SIZE } from '../../../src/collectors/live/collect-iam.js';
import { SSM_PAGE_SIZES } from '../../../src/collectors/live/collect-ssm.js';
import { PATCH_STATE_IDS_PER_CALL } from '../../../src/collectors/live/collect-patch-states.js';
import { PATCH_BASELINE_PAGE_SIZE } from '../../../src/collectors/live/collect-patch-baselines.js';
import { baselineKey } from '../../../src/inventory/patch-baseline-id.js';

/** Never real: the loopback endpoint maps key ids without 12 digits to the fleet's first account. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDLOOPBACKTEST', secretAccessKey: 'loopback-secret' };

/** The region kinds a scan collects, as RegionApiData keys. */
export const REGION_KEYS = [
  'DescribeInstances',
  'DescribeSecurityGroups',
  'DescribeVpcs',
  'DescribeVpcAttribute',
  'DescribeSubnets',
  'DescribeRouteTables',
  'DescribeNetworkAcls',
  'DescribeVpcEndpoints',
  'DescribeInstanceInformation',
  'DescribeActivations',
  'DescribeMaintenanceWindows',
  'DescribeMaintenanceWindowTargets',
  'DescribeMaintenanceWindowTasks',
  'DescribeMaintenanceWindowExecutions',
  'DescribeMaintenanceWindowExecutionTasks',
  'DescribeMaintenanceWindowExecutionTaskInvocations',
  'DescribePatchGroups',
  'DescribePatchBaselines',
  'GetPatchBaseline',
  'DescribeInstancePatchStates',
  'GetServiceSetting',
] as const satisfies readonly (keyof RegionApiData)[];

/** What collectIam should return for a served account: the role and policy lists, as GAAD returns them. */
export function expectedGaad(account: AccountApiData): ApiJson {
  const served = account.GetAccountAuthorizationDetails;
  return { RoleDetailList: served.RoleDetailList, Policies: served.Policies };
}

const list = (output: ApiJson | undefined, key: string): unknown[] =>
  Array.isArray(output?.[key]) ? (output[key] as unknown[]) : [];
const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

/**
 * The fewest requests that can read a fleet: every listing in pages of the largest allowed size (at
 * least one call each, even when empty), DescribeVpcAttribute twice per VPC, window targets and tasks
 * per window, patch states for every 50 managed EC2 nodes (none when there are none), one GAAD pass over
 * roles and policies, plus one STS GetCallerIdentity.
 */
export function minimumApiCalls(accounts: readonly AccountApiData[]): number {
  let calls = 1;
  for (const account of accounts) {
    const gaad = account.GetAccountAuthorizationDetails;
    calls += pages(list(gaad, 'RoleDetailList').length + list(gaad, 'Policies').length, GAAD_PAGE_SIZE);
    for (const region of account.regions) {
      const instances = list(region.DescribeInstances, 'Reservations').reduce<number>(
        (sum, reservation) => sum + list(reservation as ApiJson, 'Instances').length,
        0,
      );
      calls += pages(instances, EC2_PAGE_SIZES.DescribeInstances);
      calls += pages(
        list(region.DescribeSecurityGroups, 'SecurityGroups').length,
        EC2_PAGE_SIZES.DescribeSecurityGroups,
      );
      calls += pages(list(region.DescribeVpcs, 'Vpcs').length, EC2_PAGE_SIZES.DescribeVpcs);
      calls += 2 * list(region.DescribeVpcs, 'Vpcs').length;
      calls += pages(list(region.DescribeSubnets, 'Subnets').length, EC2_PAGE_SIZES.DescribeSubnets);
      calls += pages(
        list(region.DescribeRouteTables, 'RouteTables').length,
        EC2_PAGE_SIZES.DescribeRouteTables,
      );
      calls += pages(
        list(region.DescribeNetworkAcls, 'NetworkAcls').length,
        EC2_PAGE_SIZES.DescribeNetworkAcls,
      );
      calls += pages(
        list(region.DescribeVpcEndpoints, 'VpcEndpoints').length,
        EC2_PAGE_SIZES.DescribeVpcEndpoints,
      );
      calls += pages(
        list(region.DescribeNatGateways, 'NatGateways').length,
        EC2_PAGE_SIZES.DescribeNatGateways,
      );
      calls += pages(
        list(region.DescribeInternetGateways, 'InternetGateways').length,
        EC2_PAGE_SIZES.DescribeInternetGateways,
      );
      calls += pages(
        list(region.DescribeEgressOnlyInternetGateways, 'EgressOnlyInternetGateways').length,
        EC2_PAGE_SIZES.DescribeEgressOnlyInternetGateways,
      );
      calls += pages(
        list(region.DescribeInstanceInformation, 'InstanceInformationList').length,
        SSM_PAGE_SIZES.DescribeInstanceInformation,
      );
      calls += pages(
        list(region.DescribeActivations, 'ActivationList').length,
        SSM_PAGE_SIZES.DescribeActivations,
      );
      calls += patchingCalls(region);
      calls += 1; // GetServiceSetting
    }
  }
  return calls;
}

/** The patching chain's share of `minimumApiCalls` (the bench prints it apart). */
export function minimumPatchingCalls(accounts: readonly AccountApiData[]): number {
  let calls = 0;
  for (const account of accounts) for (const region of account.regions) calls += patchingCalls(region);
  return calls;
}

/**
 * The patching chain's fewest reads: patch states for every 50 managed EC2 nodes (none when there are none), the
 * windows, targets and tasks per window, GetMaintenanceWindowTask for each task whose listing hides its
 * parameters, the run history, the patch groups and the baselines.
 */
function patchingCalls(region: RegionApiData): number {
  let calls = 0;
  const ec2Nodes = (list(region.DescribeInstanceInformation, 'InstanceInformationList') as ApiJson[]).filter(
    (node) => String(node.InstanceId).startsWith('i-'),
  ).length;
  calls += Math.ceil(ec2Nodes / PATCH_STATE_IDS_PER_CALL);
  const windows = list(region.DescribeMaintenanceWindows, 'WindowIdentities') as ApiJson[];
  calls += pages(windows.length, SSM_PAGE_SIZES.DescribeMaintenanceWindows);
  for (const window of windows) {
    const of = (responses: ApiJson[], key: string): number =>
      responses
        .flatMap((response) => list(response, key))
        .filter((item) => (item as ApiJson).WindowId === window.WindowId).length;
    calls += pages(
      of(region.DescribeMaintenanceWindowTargets, 'Targets'),
      SSM_PAGE_SIZES.DescribeMaintenanceWindowTargets,
    );
    calls += pages(
      of(region.DescribeMaintenanceWindowTasks, 'Tasks'),
      SSM_PAGE_SIZES.DescribeMaintenanceWindowTasks,
    );
  }
  calls += (region.GetMaintenanceWindowTask ?? []).length;
  calls += runHistoryCalls(region);
  calls += pages(list(region.DescribePatchGroups, 'Mappings').length, SSM_PAGE_SIZES.DescribePatchGroups);
  calls += baselineCalls(region);
  return calls;
}

/**
 * The baselines' minimum: the listing in pages of 100, then one GetPatchBaseline per baseline in use (each one a
 * patch group names, and each OS's default), however the APIs name it (ARN or pb- id).
 */
function baselineCalls(region: RegionApiData): number {
  const listed = list(region.DescribePatchBaselines, 'BaselineIdentities') as ApiJson[];
  const inUse = new Set<string>();
  for (const mapping of list(region.DescribePatchGroups, 'Mappings') as ApiJson[])
    inUse.add(baselineKey(String((mapping.BaselineIdentity as ApiJson).BaselineId)));
  for (const baseline of listed)
    if (baseline.DefaultBaseline === true) inUse.add(baselineKey(String(baseline.BaselineId)));
  return pages(listed.length, PATCH_BASELINE_PAGE_SIZE) + inUse.size;
}

/**
 * The run history's minimum: per window one DescribeMaintenanceWindowExecutions page per 100 runs, then for the
 * latest finished run one DescribeMaintenanceWindowExecutionTasks page per 100 task runs, and for each of its
 * AWS-RunPatchBaseline task runs one invocations page per 100 invocations (MaintenanceWindowMaxResults 10..100).
 */
function runHistoryCalls(region: RegionApiData): number {
  const entries = (responses: readonly ApiJson[] | undefined, key: string): ApiJson[] =>
    (responses ?? []).flatMap((response) => list(response, key) as ApiJson[]);
  const runs = entries(region.DescribeMaintenanceWindowExecutions, 'WindowExecutions');
  const taskRuns = entries(region.DescribeMaintenanceWindowExecutionTasks, 'WindowExecutionTaskIdentities');
  const invocations = entries(
    region.DescribeMaintenanceWindowExecutionTaskInvocations,
    'WindowExecutionTaskInvocationIdentities',
  );
  let calls = 0;
  for (const window of list(region.DescribeMaintenanceWindows, 'WindowIdentities') as ApiJson[]) {
    const own = runs.filter((run) => run.WindowId === window.WindowId);
    calls += pages(own.length, 100);
    const finished = own
      .filter((run) => ['SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED'].includes(String(run.Status)))
      .sort((a, b) => Date.parse(String(b.StartTime)) - Date.parse(String(a.StartTime)))[0];
    if (finished === undefined) continue;
    const tasks = taskRuns.filter((t) => t.WindowExecutionId === finished.WindowExecutionId);
    calls += pages(tasks.length, 100);
    for (const task of tasks.filter((t) => t.TaskArn === 'AWS-RunPatchBaseline'))
      calls += pages(invocations.filter((i) => i.TaskExecutionId === task.TaskExecutionId).length, 100);
  }
  return calls;
}

/** Run-history responses as one list of entries sorted by id: the reads run in parallel, in no fixed order. */
export function runEntries(responses: readonly ApiJson[] | undefined, key: string, id: string): unknown[] {
  return (responses ?? [])
    .flatMap((response) => list(response, key) as ApiJson[])
    .sort((a, b) => String(a[id]).localeCompare(String(b[id])));
}

/** Per-window responses keyed by window id, so order and empty windows do not matter to a comparison. */
export function byWindow(responses: readonly ApiJson[] | undefined, key: string): Record<string, unknown[]> {
  const grouped: Record<string, unknown[]> = {};
  for (const response of responses ?? []) {
    for (const item of list(response, key) as ApiJson[]) (grouped[String(item.WindowId)] ??= []).push(item);
  }
  return grouped;
}
