// Writes a FleetApiData as a folder of AWS CLI JSON outputs: one file per API response, per account and region.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { ApiJson, FleetApiData, RegionApiData } from '../collectors/api/api-data.js';
import { baselineKey } from '../inventory/patch-baseline-id.js';
import { writeJsonFile } from './write-json-stream.js';

/** Options for writeAwsCliFiles. */
export interface WriteAwsCliFilesOptions {
  /** Spaces per indentation level; the AWS CLI prints JSON with 4 (Python `json.dump(indent=4)`). */
  indent?: number;
}

/** The name of the manifest file written at the top of the folder. */
export const SOURCE_MANIFEST_FILE = 'ssmguard-source.json';

const REGION_FILES: [keyof RegionApiData, string][] = [
  ['DescribeInstances', 'ec2-describe-instances.json'],
  ['DescribeSecurityGroups', 'ec2-describe-security-groups.json'],
  ['DescribeVpcs', 'ec2-describe-vpcs.json'],
  ['DescribeSubnets', 'ec2-describe-subnets.json'],
  ['DescribeRouteTables', 'ec2-describe-route-tables.json'],
  ['DescribeNetworkAcls', 'ec2-describe-network-acls.json'],
  ['DescribeVpcEndpoints', 'ec2-describe-vpc-endpoints.json'],
  ['DescribeNatGateways', 'ec2-describe-nat-gateways.json'],
  ['DescribeInternetGateways', 'ec2-describe-internet-gateways.json'],
  ['DescribeEgressOnlyInternetGateways', 'ec2-describe-egress-only-internet-gateways.json'],
  ['DescribeInstanceInformation', 'ssm-describe-instance-information.json'],
  ['DescribeActivations', 'ssm-describe-activations.json'],
  ['DescribeMaintenanceWindows', 'ssm-describe-maintenance-windows.json'],
  ['DescribePatchGroups', 'ssm-describe-patch-groups.json'],
  ['DescribePatchBaselines', 'ssm-describe-patch-baselines.json'],
  ['DescribeInstancePatchStates', 'ssm-describe-instance-patch-states.json'],
  ['GetServiceSetting', 'ssm-get-service-setting.json'],
];

function kebab(name: string): string {
  return name.replace(/[a-z0-9][A-Z]/g, (m) => `${m[0]}-${m[1]}`).toLowerCase();
}

/** The ids a list of responses names, in order. */
function idsOf(responses: readonly ApiJson[] | undefined, listKey: string, field: string): string[] {
  return (responses ?? []).flatMap((r) =>
    ((r[listKey] as ApiJson[] | undefined) ?? []).map((e) => String(e[field])),
  );
}

/** The parent id the first entry of a response names (empty responses name none and are not written). */
function firstId(response: ApiJson, listKey: string, field: string): string | undefined {
  const id = (response[listKey] as ApiJson[] | undefined)?.[0]?.[field];
  return typeof id === 'string' ? id : undefined;
}

function windowIdOf(region: RegionApiData, index: number, response: ApiJson, listKey: string): string {
  const windows = region.DescribeMaintenanceWindows.WindowIdentities;
  const fromWindows = Array.isArray(windows) ? (windows[index] as ApiJson | undefined)?.WindowId : undefined;
  const first = (response[listKey] as ApiJson[] | undefined)?.[0]?.WindowId;
  const id = fromWindows ?? first;
  return typeof id === 'string' ? id : `window-${index + 1}`;
}

/**
 * Writes every API output as `aws … --output json` prints it:
 * `<dir>/<accountId>/iam-get-account-authorization-details.json`, `<dir>/<accountId>/<region>/ec2-describe-instances.json`, …,
 * one `ec2-describe-vpc-attribute-<vpcId>-<attribute>.json` per VPC and attribute, one maintenance-window targets
 * and tasks file per window, and `<dir>/ssmguard-source.json` (`{"ssmguardSource": {"collectedAt": …}}`).
 * Files are streamed, so a 100k-instance fleet is written in bounded memory. Existing files are overwritten,
 * other files are left alone. Returns the paths written.
 */
export async function writeAwsCliFiles(
  fleet: FleetApiData,
  dir: string,
  options: WriteAwsCliFilesOptions = {},
): Promise<string[]> {
  const indent = options.indent ?? 4;
  const written: string[] = [];
  const write = async (path: string, value: unknown): Promise<void> => {
    await writeJsonFile(path, value, indent);
    written.push(path);
  };
  await mkdir(dir, { recursive: true });
  await write(join(dir, SOURCE_MANIFEST_FILE), { ssmguardSource: { collectedAt: fleet.collectedAt } });
  for (const account of fleet.accounts) {
    const accountDir = join(dir, account.accountId);
    await mkdir(accountDir, { recursive: true });
    await write(
      join(accountDir, 'iam-get-account-authorization-details.json'),
      account.GetAccountAuthorizationDetails,
    );
    for (const region of account.regions) {
      const regionDir = join(accountDir, region.region);
      await mkdir(regionDir, { recursive: true });
      for (const [key, file] of REGION_FILES)
        if (region[key] !== undefined) await write(join(regionDir, file), region[key]);
      for (const response of region.DescribeVpcAttribute) {
        const vpcId = typeof response.VpcId === 'string' ? response.VpcId : 'vpc';
        const attribute = Object.keys(response).find((k) => k !== 'VpcId') ?? 'attribute';
        await write(
          join(regionDir, `ec2-describe-vpc-attribute-${vpcId}-${kebab(attribute)}.json`),
          response,
        );
      }
      for (const [index, response] of region.DescribeMaintenanceWindowTargets.entries()) {
        const windowId = windowIdOf(region, index, response, 'Targets');
        await write(join(regionDir, `ssm-describe-maintenance-window-targets-${windowId}.json`), response);
      }
      for (const [index, response] of region.DescribeMaintenanceWindowTasks.entries()) {
        const windowId = windowIdOf(region, index, response, 'Tasks');
        await write(join(regionDir, `ssm-describe-maintenance-window-tasks-${windowId}.json`), response);
      }
      for (const response of region.GetPatchBaseline ?? []) {
        const name = `ssm-get-patch-baseline-${baselineKey(String(response.BaselineId))}.json`;
        await write(join(regionDir, name), response);
      }
      for (const response of region.GetMaintenanceWindowTask ?? []) {
        const name = `ssm-get-maintenance-window-task-${String(response.WindowId)}-${String(response.WindowTaskId)}.json`;
        await write(join(regionDir, name), response);
      }
      // The run history: executions per window, task runs per execution, invocations per task run, each file
      // named after its parent (the name says which parent an empty list answers for).
      for (const [index, response] of (region.DescribeMaintenanceWindowExecutions ?? []).entries()) {
        const windowId = windowIdOf(region, index, response, 'WindowExecutions');
        await write(join(regionDir, `ssm-describe-maintenance-window-executions-${windowId}.json`), response);
      }
      // The generator lists task runs in execution order and invocations in patch-task-run order, so an empty
      // response (a run without tasks) still gets its parent's id.
      const executionIds = idsOf(
        region.DescribeMaintenanceWindowExecutions,
        'WindowExecutions',
        'WindowExecutionId',
      );
      for (const [index, response] of (region.DescribeMaintenanceWindowExecutionTasks ?? []).entries()) {
        const parent =
          firstId(response, 'WindowExecutionTaskIdentities', 'WindowExecutionId') ?? executionIds[index];
        await write(
          join(regionDir, `ssm-describe-maintenance-window-execution-tasks-${parent}.json`),
          response,
        );
      }
      const patchRunIds = (region.DescribeMaintenanceWindowExecutionTasks ?? [])
        .flatMap((r) => (r.WindowExecutionTaskIdentities as ApiJson[] | undefined) ?? [])
        .filter((t) => t.TaskArn === 'AWS-RunPatchBaseline')
        .map((t) => String(t.TaskExecutionId));
      for (const [index, response] of (
        region.DescribeMaintenanceWindowExecutionTaskInvocations ?? []
      ).entries()) {
        const parent =
          firstId(response, 'WindowExecutionTaskInvocationIdentities', 'TaskExecutionId') ??
          patchRunIds[index];
        await write(
          join(regionDir, `ssm-describe-maintenance-window-execution-task-invocations-${parent}.json`),
          response,
        );
      }
    }
  }
  return written;
}
