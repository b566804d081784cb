// Collects one region's Systems Manager state: managed nodes, activations, maintenance windows (with
// their targets and tasks), patch groups and the Default Host Management Configuration setting.

import {
  GetServiceSettingCommand,
  paginateDescribeActivations,
  paginateDescribeInstanceInformation,
  paginateDescribeMaintenanceWindows,
  paginateDescribeMaintenanceWindowTargets,
  paginateDescribeMaintenanceWindowTasks,
  paginateDescribePatchGroups,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { ApiFailure, ApiJson, ApiResponseKind, CollectedRegionData } from '../api/api-data.js';
import { mergePages } from './collect-ec2.js';
import { type CollectOptions, dependentFailure, readKind } from './read-kind.js';
import { toCliJson } from './to-cli-json.js';

/** The SSM part of a region's collected data. */
export type SsmCollection = Pick<
  CollectedRegionData,
  | 'DescribeInstanceInformation'
  | 'DescribeActivations'
  | 'DescribeMaintenanceWindows'
  | 'DescribeMaintenanceWindowTargets'
  | 'DescribeMaintenanceWindowTasks'
  | 'DescribePatchGroups'
  | 'GetServiceSetting'
> & { failures: ApiFailure[] };

// Largest page each API accepts (SSM model: InstanceInformationMaxResults 5..50, activations 1..50,
// MaintenanceWindowMaxResults 10..100, PatchBaselineMaxResults 1..100).
export const SSM_PAGE_SIZES = {
  DescribeInstanceInformation: 50,
  DescribeActivations: 50,
  DescribeMaintenanceWindows: 100,
  DescribeMaintenanceWindowTargets: 100,
  DescribeMaintenanceWindowTasks: 100,
  DescribePatchGroups: 100,
} as const;

/** The setting that turns on Default Host Management Configuration (DHMC) in a region. */
export const DHMC_SETTING_ID = '/ssm/managed-instance/default-ec2-instance-management-role';

/**
 * Reads every SSM kind of one region (the client is bound to it). Window targets and tasks are one
 * response per window, in the order DescribeMaintenanceWindows listed the windows.
 */
export async function collectSsm(
  client: SSMClient,
  region: string,
  options: CollectOptions = {},
): Promise<SsmCollection> {
  const failures: ApiFailure[] = [];
  const read = <T>(kind: ApiResponseKind, fn: () => Promise<T>): Promise<T | undefined> =>
    readKind(kind, region, failures, options, fn);

  const windows = read('ssm:DescribeMaintenanceWindows', () =>
    mergePages(
      paginateDescribeMaintenanceWindows({ client, pageSize: SSM_PAGE_SIZES.DescribeMaintenanceWindows }, {}),
      'WindowIdentities',
    ),
  );
  const windowIds = windows.then((output) =>
    output ? (output.WindowIdentities as ApiJson[]).map((window) => String(window.WindowId)) : undefined,
  );
  const [information, activations, windowOutput, patchGroups, setting, targets, tasks] = await Promise.all([
    read('ssm:DescribeInstanceInformation', () =>
      mergePages(
        paginateDescribeInstanceInformation(
          { client, pageSize: SSM_PAGE_SIZES.DescribeInstanceInformation },
          {},
        ),
        'InstanceInformationList',
      ),
    ),
    read('ssm:DescribeActivations', () =>
      mergePages(
        paginateDescribeActivations({ client, pageSize: SSM_PAGE_SIZES.DescribeActivations }, {}),
        'ActivationList',
      ),
    ),
    windows,
    read('ssm:DescribePatchGroups', () =>
      mergePages(
        paginateDescribePatchGroups({ client, pageSize: SSM_PAGE_SIZES.DescribePatchGroups }, {}),
        'Mappings',
      ),
    ),
    read('ssm:GetServiceSetting', async () =>
      toCliJson(await client.send(new GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID }))),
    ),
    windowIds.then((ids) =>
      ids
        ? perWindow(ids, 'ssm:DescribeMaintenanceWindowTargets', region, failures, options, (WindowId) =>
            mergePages(
              paginateDescribeMaintenanceWindowTargets(
                { client, pageSize: SSM_PAGE_SIZES.DescribeMaintenanceWindowTargets },
                { WindowId },
              ),
              'Targets',
            ),
          )
        : undefined,
    ),
    windowIds.then((ids) =>
      ids
        ? perWindow(ids, 'ssm:DescribeMaintenanceWindowTasks', region, failures, options, (WindowId) =>
            mergePages(
              paginateDescribeMaintenanceWindowTasks(
                { client, pageSize: SSM_PAGE_SIZES.DescribeMaintenanceWindowTasks },
                { WindowId },
              ),
              'Tasks',
            ),
          )
        : undefined,
    ),
  ]);
  const windowFailure = failures.find((failure) => failure.kind === 'ssm:DescribeMaintenanceWindows');
  if (windowFailure) {
    failures.push(dependentFailure('ssm:DescribeMaintenanceWindowTargets', windowFailure));
    failures.push(dependentFailure('ssm:DescribeMaintenanceWindowTasks', windowFailure));
  }
  return {
    ...(information && { DescribeInstanceInformation: information }),
    ...(activations && { DescribeActivations: activations }),
    ...(windowOutput && { DescribeMaintenanceWindows: windowOutput }),
    ...(targets && { DescribeMaintenanceWindowTargets: targets }),
    ...(tasks && { DescribeMaintenanceWindowTasks: tasks }),
    ...(patchGroups && { DescribePatchGroups: patchGroups }),
    ...(setting && { GetServiceSetting: setting }),
    failures,
  };
}

/** One paginated read per window, in parallel under the limiter; any failure makes the kind unreadable. */
async function perWindow(
  windowIds: string[],
  kind: ApiResponseKind,
  region: string,
  failures: ApiFailure[],
  options: CollectOptions,
  read: (windowId: string) => Promise<ApiJson>,
): Promise<ApiJson[] | undefined> {
  const own: ApiFailure[] = [];
  const quiet = { ...options, onKindDone: undefined };
  const responses = await Promise.all(
    windowIds.map((id) => readKind(kind, region, own, quiet, () => read(id))),
  );
  const scope = { accountId: options.accountId ?? 'unknown', region, kind };
  if (own.length > 0) {
    failures.push(own[0] as ApiFailure);
    options.onKindDone?.({ ...scope, status: 'failed' });
    return undefined;
  }
  options.onKindDone?.({ ...scope, status: 'done' });
  return responses as ApiJson[];
}
