// Collects one region's Systems Manager state: managed nodes (and their patch states), activations,
// maintenance windows (with their targets and tasks), patch groups and baselines, and the Default Host Management
// Configuration.

import {
  GetMaintenanceWindowTaskCommand,
  GetServiceSettingCommand,
  paginateDescribeActivations,
  paginateDescribeInstanceInformation,
  paginateDescribeMaintenanceWindows,
  paginateDescribeMaintenanceWindowTargets,
  paginateDescribeMaintenanceWindowTasks,
  paginateDescribePatchGroups,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { ApiFailure, ApiJson, ApiResponseKind } from '../api/api-data.js';
import { CLI_JSON_FOLD, type FoldedRegion, type PageFold, tapPages } from './page-fold.js';
import { type CollectOptions, dependentFailure, perCall, readKind } from './read-kind.js';
import { DHMC_SETTING_ID } from '../api/map-service-setting.js';
import { PatchStateReader } from './collect-patch-states.js';
import { readWindowRunHistory } from './collect-window-executions.js';
import { readPatchBaselines } from './collect-patch-baselines.js';

/** The SSM part of a region's collected data (by default AWS-CLI JSON; with a fold, what it made of the pages). */
export type SsmCollection<R = ApiJson> = Pick<
  FoldedRegion<R>,
  | 'DescribeInstanceInformation'
  | 'DescribeActivations'
  | 'DescribeMaintenanceWindows'
  | 'DescribeMaintenanceWindowTargets'
  | 'DescribeMaintenanceWindowTasks'
  | 'GetMaintenanceWindowTask'
  | 'DescribeMaintenanceWindowExecutions'
  | 'DescribeMaintenanceWindowExecutionTasks'
  | 'DescribeMaintenanceWindowExecutionTaskInvocations'
  | 'DescribePatchGroups'
  | 'DescribePatchBaselines'
  | 'GetPatchBaseline'
  | 'DescribeInstancePatchStates'
  | 'GetServiceSetting'
  | 'failures'
>;

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

/**
 * Reads every SSM kind of one region (the client is bound to it). Window targets and tasks are one
 * response per window, in the order DescribeMaintenanceWindows listed the windows.
 */
export function collectSsm(
  client: SSMClient,
  region: string,
  options: CollectOptions = {},
): Promise<SsmCollection> {
  return collectSsmWith(CLI_JSON_FOLD, client, region, options);
}

/** `collectSsm` with the pages of each kind handed to `fold` as they arrive, instead of merged into CLI JSON. */
export async function collectSsmWith<R>(
  fold: PageFold<R>,
  client: SSMClient,
  region: string,
  options: CollectOptions = {},
): Promise<SsmCollection<R>> {
  const failures: ApiFailure[] = [];
  const read = <T>(kind: ApiResponseKind, fn: () => Promise<T>): Promise<T | undefined> =>
    readKind(kind, region, failures, options, fn);
  const foldPages = <P extends object>(
    pages: AsyncIterable<P>,
    listKey: string,
    kind: ApiResponseKind,
  ): Promise<R> => fold.pages(kind, [listKey], pages);

  // Targets and tasks are read per window: the ids are taken from the pages as they pass, in listing order.
  const listedWindowIds: string[] = [];
  const windows = read('ssm:DescribeMaintenanceWindows', () =>
    foldPages(
      tapPages(
        paginateDescribeMaintenanceWindows(
          { client, pageSize: SSM_PAGE_SIZES.DescribeMaintenanceWindows },
          {},
        ),
        (page) => {
          for (const window of page.WindowIdentities ?? []) listedWindowIds.push(String(window.WindowId));
        },
      ),
      'WindowIdentities',
      'ssm:DescribeMaintenanceWindows',
    ),
  );
  const windowIds = windows.then((output) => (output !== undefined ? listedWindowIds : undefined));
  // Run Command tasks listed without TaskParameters were registered with TaskInvocationParameters: their
  // parameters (the patch Operation) are only in GetMaintenanceWindowTask, one call per such task.
  const undescribedTasks: { WindowId: string; WindowTaskId: string }[] = [];
  const seeTasks = (page: {
    Tasks?: { WindowId?: string; WindowTaskId?: string; Type?: string; TaskParameters?: object }[];
  }): void => {
    for (const task of page.Tasks ?? [])
      if (
        (task.Type ?? 'RUN_COMMAND') === 'RUN_COMMAND' &&
        Object.keys(task.TaskParameters ?? {}).length === 0 &&
        task.WindowId !== undefined &&
        task.WindowTaskId !== undefined
      )
        undescribedTasks.push({ WindowId: task.WindowId, WindowTaskId: task.WindowTaskId });
  };
  // Patch states are read 50 managed EC2 nodes a call, each call started as the node pages pass.
  const patchStates = new PatchStateReader(client, region, options);
  const information = read('ssm:DescribeInstanceInformation', () =>
    foldPages(
      tapPages(
        paginateDescribeInstanceInformation(
          { client, pageSize: SSM_PAGE_SIZES.DescribeInstanceInformation },
          {},
        ),
        (page) => patchStates.seeNodes(page.InstanceInformationList),
      ),
      'InstanceInformationList',
      'ssm:DescribeInstanceInformation',
    ),
  );
  const patchStateOutput = information.then(() =>
    patchStates.finish(
      fold,
      failures,
      failures.find((failure) => failure.kind === 'ssm:DescribeInstanceInformation'),
    ),
  );
  // The baselines the patch groups name are taken from the pages as they pass: GetPatchBaseline reads those.
  const groupBaselineIds: string[] = [];
  const patchGroupRead = read('ssm:DescribePatchGroups', () =>
    foldPages(
      tapPages(
        paginateDescribePatchGroups({ client, pageSize: SSM_PAGE_SIZES.DescribePatchGroups }, {}),
        (page) => {
          for (const mapping of page.Mappings ?? [])
            if (typeof mapping.BaselineIdentity?.BaselineId === 'string')
              groupBaselineIds.push(mapping.BaselineIdentity.BaselineId);
        },
      ),
      'Mappings',
      'ssm:DescribePatchGroups',
    ),
  );
  const [
    informationOutput,
    activations,
    windowOutput,
    patchGroups,
    setting,
    targets,
    tasks,
    patchStateResult,
    runHistory,
    baselines,
  ] = await Promise.all([
    information,
    read('ssm:DescribeActivations', () =>
      foldPages(
        paginateDescribeActivations({ client, pageSize: SSM_PAGE_SIZES.DescribeActivations }, {}),
        'ActivationList',
        'ssm:DescribeActivations',
      ),
    ),
    windows,
    patchGroupRead,
    read('ssm:GetServiceSetting', async () =>
      fold.single(
        'ssm:GetServiceSetting',
        await client.send(new GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID })),
      ),
    ),
    windowIds.then((ids) =>
      ids
        ? perWindow(ids, 'ssm:DescribeMaintenanceWindowTargets', region, failures, options, (WindowId) =>
            foldPages(
              paginateDescribeMaintenanceWindowTargets(
                { client, pageSize: SSM_PAGE_SIZES.DescribeMaintenanceWindowTargets },
                { WindowId },
              ),
              'Targets',
              'ssm:DescribeMaintenanceWindowTargets',
            ),
          )
        : undefined,
    ),
    windowIds.then((ids) =>
      ids
        ? perWindow(ids, 'ssm:DescribeMaintenanceWindowTasks', region, failures, options, (WindowId) =>
            foldPages(
              tapPages(
                paginateDescribeMaintenanceWindowTasks(
                  { client, pageSize: SSM_PAGE_SIZES.DescribeMaintenanceWindowTasks },
                  { WindowId },
                ),
                seeTasks,
              ),
              'Tasks',
              'ssm:DescribeMaintenanceWindowTasks',
            ),
          )
        : undefined,
    ),
    patchStateOutput,
    // The run history: executions per window, then the latest finished one's task runs and patch invocations.
    windowIds.then((ids) => (ids ? readWindowRunHistory(fold, client, region, ids, failures, options) : {})),
    readPatchBaselines(
      fold,
      client,
      region,
      patchGroupRead.then((output) => (output !== undefined ? groupBaselineIds : undefined)),
      failures,
      options,
    ),
  ]);
  const windowFailure = failures.find((failure) => failure.kind === 'ssm:DescribeMaintenanceWindows');
  if (windowFailure) {
    failures.push(dependentFailure('ssm:DescribeMaintenanceWindowTargets', windowFailure));
    failures.push(dependentFailure('ssm:DescribeMaintenanceWindowTasks', windowFailure));
    failures.push(dependentFailure('ssm:GetMaintenanceWindowTask', windowFailure));
    for (const kind of [
      'ssm:DescribeMaintenanceWindowExecutions',
      'ssm:DescribeMaintenanceWindowExecutionTasks',
      'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
    ] as const)
      if (options.only === undefined || options.only.has(kind))
        failures.push(dependentFailure(kind, windowFailure));
  }
  // A window whose task listing failed cannot say which of its tasks need the call: its details fail with it.
  for (const failure of failures.filter((f) => f.kind === 'ssm:DescribeMaintenanceWindowTasks' && f.parentId))
    failures.push({
      ...dependentFailure('ssm:GetMaintenanceWindowTask', failure),
      parentId: failure.parentId!,
    });
  const readsDetails = options.only === undefined || options.only.has('ssm:GetMaintenanceWindowTask');
  const taskDetails =
    tasks === undefined || !readsDetails
      ? undefined
      : await perCall(
          undescribedTasks,
          'ssm:GetMaintenanceWindowTask',
          region,
          failures,
          options,
          (task) => task.WindowId,
          async (task) =>
            fold.single(
              'ssm:GetMaintenanceWindowTask',
              await client.send(new GetMaintenanceWindowTaskCommand(task)),
            ),
        );
  return {
    ...(informationOutput !== undefined && { DescribeInstanceInformation: informationOutput }),
    ...(activations !== undefined && { DescribeActivations: activations }),
    ...(windowOutput !== undefined && { DescribeMaintenanceWindows: windowOutput }),
    ...(targets !== undefined && { DescribeMaintenanceWindowTargets: targets }),
    ...(tasks !== undefined && { DescribeMaintenanceWindowTasks: tasks }),
    ...(taskDetails !== undefined && { GetMaintenanceWindowTask: taskDetails }),
    ...runHistory,
    ...(patchGroups !== undefined && { DescribePatchGroups: patchGroups }),
    ...baselines,
    ...(patchStateResult !== undefined && { DescribeInstancePatchStates: patchStateResult }),
    ...(setting !== undefined && { GetServiceSetting: setting }),
    failures,
  };
}

/**
 * One paginated read per window, in parallel under the limiter. A failed window is recorded as a failure of that
 * window alone (coverage is kept per window), and the others' responses are kept.
 */
function perWindow<R>(
  windowIds: string[],
  kind: ApiResponseKind,
  region: string,
  failures: ApiFailure[],
  options: CollectOptions,
  read: (windowId: string) => Promise<R>,
): Promise<R[]> {
  return perCall(windowIds, kind, region, failures, options, (id) => id, read);
}
