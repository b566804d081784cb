// Reads the recent run history of a region's maintenance windows: each window's executions of the last 35 days,
// the task runs of its latest finished execution, and the invocations of those task runs that patch.

import {
  paginateDescribeMaintenanceWindowExecutions,
  paginateDescribeMaintenanceWindowExecutionTaskInvocations,
  paginateDescribeMaintenanceWindowExecutionTasks,
  type MaintenanceWindowExecution,
  type MaintenanceWindowExecutionTaskIdentity,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { ApiFailure, ApiResponseKind } from '../api/api-data.js';
import { type PageFold, tapPages } from './page-fold.js';
import { type CollectOptions, readKind } from './read-kind.js';
import {
  latestFinishedRun,
  PATCH_TASK_DOCUMENTS,
  taskDocumentName,
  WINDOW_EXECUTION_LOOKBACK_DAYS,
} from '../../inventory/window-runs.js';

// MaintenanceWindowMaxResults: 10..100 for all three operations (SSM model 2014-11-06).
const PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

export interface WindowRunHistory<R> {
  DescribeMaintenanceWindowExecutions: R[];
  DescribeMaintenanceWindowExecutionTasks: R[];
  DescribeMaintenanceWindowExecutionTaskInvocations: R[];
}

/**
 * Reads the run history of the listed windows with the fewest calls that answer "how did the latest patch run
 * go for each instance": per window one (paginated) DescribeMaintenanceWindowExecutions filtered to the lookback,
 * then only for its latest finished execution the task runs, and only for the task runs of a patching document the
 * invocations. A failed call is a failure of its parent alone (window, window execution or task run).
 */
export async function readWindowRunHistory<R>(
  fold: PageFold<R>,
  client: SSMClient,
  region: string,
  windowIds: readonly string[],
  failures: ApiFailure[],
  options: CollectOptions,
): Promise<Partial<WindowRunHistory<R>>> {
  const wanted = (kind: ApiResponseKind): boolean => options.only === undefined || options.only.has(kind);
  if (!wanted('ssm:DescribeMaintenanceWindowExecutions')) return {};
  const quiet = { ...options, onKindDone: undefined };
  const since = new Date((options.nowMs ?? Date.now()) - WINDOW_EXECUTION_LOOKBACK_DAYS * DAY_MS);
  const out: WindowRunHistory<R> = {
    DescribeMaintenanceWindowExecutions: [],
    DescribeMaintenanceWindowExecutionTasks: [],
    DescribeMaintenanceWindowExecutionTaskInvocations: [],
  };
  const failed = new Set<ApiResponseKind>();
  const call = async <T>(
    kind: ApiResponseKind,
    parentId: string,
    read: () => Promise<T>,
  ): Promise<T | undefined> => {
    const own: ApiFailure[] = [];
    const result = await readKind(kind, region, own, quiet, read);
    for (const failure of own) failures.push({ ...failure, parentId });
    if (own.length > 0) failed.add(kind);
    return result;
  };
  await Promise.all(
    windowIds.map(async (WindowId) => {
      const runs: MaintenanceWindowExecution[] = [];
      const executions = await call('ssm:DescribeMaintenanceWindowExecutions', WindowId, () =>
        fold.pages(
          'ssm:DescribeMaintenanceWindowExecutions',
          ['WindowExecutions'],
          tapPages(
            paginateDescribeMaintenanceWindowExecutions(
              { client, pageSize: PAGE_SIZE },
              // ExecutedAfter takes an ISO 8601 timestamp (the AWS CLI reference's example).
              { WindowId, Filters: [{ Key: 'ExecutedAfter', Values: [since.toISOString()] }] },
            ),
            (page) => runs.push(...(page.WindowExecutions ?? [])),
          ),
        ),
      );
      if (executions === undefined) return;
      out.DescribeMaintenanceWindowExecutions.push(executions);
      const latest = latestFinished(runs);
      if (latest === undefined || !wanted('ssm:DescribeMaintenanceWindowExecutionTasks')) return;
      await readTaskRuns(latest, out, call, fold, client, wanted);
    }),
  );
  for (const kind of Object.keys(out).map((p) => `ssm:${p}` as ApiResponseKind))
    if (wanted(kind))
      options.onKindDone?.({
        accountId: options.accountId ?? 'unknown',
        region,
        kind,
        status: failed.has(kind) ? 'failed' : 'done',
      });
  return out;
}

/** The task runs of one window execution, then the invocations of its patching task runs. */
async function readTaskRuns<R>(
  windowExecutionId: string,
  out: WindowRunHistory<R>,
  call: <T>(kind: ApiResponseKind, parentId: string, read: () => Promise<T>) => Promise<T | undefined>,
  fold: PageFold<R>,
  client: SSMClient,
  wanted: (kind: ApiResponseKind) => boolean,
): Promise<void> {
  const taskRuns: MaintenanceWindowExecutionTaskIdentity[] = [];
  const tasks = await call('ssm:DescribeMaintenanceWindowExecutionTasks', windowExecutionId, () =>
    fold.pages(
      'ssm:DescribeMaintenanceWindowExecutionTasks',
      ['WindowExecutionTaskIdentities'],
      tapPages(
        paginateDescribeMaintenanceWindowExecutionTasks(
          { client, pageSize: PAGE_SIZE },
          { WindowExecutionId: windowExecutionId },
        ),
        (page) => taskRuns.push(...(page.WindowExecutionTaskIdentities ?? [])),
      ),
    ),
  );
  if (tasks === undefined) return;
  out.DescribeMaintenanceWindowExecutionTasks.push(tasks);
  if (!wanted('ssm:DescribeMaintenanceWindowExecutionTaskInvocations')) return;
  const patching = taskRuns.filter(
    (t) =>
      typeof t.TaskExecutionId === 'string' &&
      typeof t.TaskArn === 'string' &&
      PATCH_TASK_DOCUMENTS.includes(taskDocumentName(t.TaskArn)),
  );
  await Promise.all(
    patching.map(async (taskRun) => {
      const TaskId = taskRun.TaskExecutionId as string;
      const invocations = await call('ssm:DescribeMaintenanceWindowExecutionTaskInvocations', TaskId, () =>
        fold.pages(
          'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
          ['WindowExecutionTaskInvocationIdentities'],
          paginateDescribeMaintenanceWindowExecutionTaskInvocations(
            { client, pageSize: PAGE_SIZE },
            { WindowExecutionId: windowExecutionId, TaskId },
          ),
        ),
      );
      if (invocations !== undefined) out.DescribeMaintenanceWindowExecutionTaskInvocations.push(invocations);
    }),
  );
}

/** The id of the latest execution that finished (by start time), if any. */
function latestFinished(runs: readonly MaintenanceWindowExecution[]): string | undefined {
  const run = latestFinishedRun(runs, (r) => ({
    id: r.WindowExecutionId,
    status: r.Status,
    startMs: r.StartTime instanceof Date ? r.StartTime.getTime() : Number.NaN,
  }));
  return run?.WindowExecutionId;
}
