// Reads one API response kind under the concurrency limit, turning a service error into an ApiFailure.

import type { ApiFailure, ApiResponseKind } from '../api/api-data.js';
import { classifySdkError } from './live-scan-error.js';
import type { Semaphore } from './semaphore.js';

/** Where a kind was read, for progress reports and error messages. */
export interface KindScope {
  accountId: string;
  /** The region, or "global" for IAM. */
  region: string;
}

/** One finished read, as the progress display sees it. */
export interface KindProgress extends KindScope {
  kind: ApiResponseKind;
  status: 'done' | 'failed';
}

/** Shared by every collector of a scan: the concurrency limit and the progress sink. */
export interface CollectOptions {
  /** Bounds concurrent API work across kinds, regions and accounts (none: unbounded). */
  limiter?: Semaphore;
  onKindDone?: (event: KindProgress) => void;
  /** Account id for progress events and messages (collectors do not look it up themselves). */
  accountId?: string;
  /** The collection's clock (epoch ms): the run history is read back from it. Absent: the system clock. */
  nowMs?: number;
  /** Read only these kinds (the Lambda's scoped reads); every kind when absent. */
  only?: ReadonlySet<ApiResponseKind>;
}

/**
 * Runs `read` (which may page through many calls) holding one permit. A service error is recorded in
 * `failures` for `kind` and yields `undefined`; credential and network errors propagate as LiveScanError.
 */
export async function readKind<T>(
  kind: ApiResponseKind,
  region: string,
  failures: ApiFailure[],
  options: CollectOptions,
  read: () => Promise<T>,
): Promise<T | undefined> {
  if (options.only !== undefined && !options.only.has(kind)) return undefined;
  const scope = { accountId: options.accountId ?? 'unknown', region };
  const run = async (): Promise<T | undefined> => {
    try {
      const value = await read();
      options.onKindDone?.({ ...scope, kind, status: 'done' });
      return value;
    } catch (error) {
      const failure = classifySdkError(error, `${kind} in ${scope.accountId}/${region}`);
      failures.push({ kind, ...failure });
      options.onKindDone?.({ ...scope, kind, status: 'failed' });
      return undefined;
    }
  };
  return options.limiter ? options.limiter.run(run) : run();
}

/** Records that `kind` could not be read because the call it depends on failed. */
export function dependentFailure(kind: ApiResponseKind, dependency: ApiFailure): ApiFailure {
  return {
    kind,
    code: dependency.code,
    message: `not read: ${dependency.kind} failed (${dependency.message})`,
  };
}

/**
 * One read per call, in parallel under the limiter, each call belonging to one parent (a window's targets, a task's
 * GetMaintenanceWindowTask, a baseline's GetPatchBaseline): a failed call is a failure of its parent alone, and the
 * other calls' responses are kept. One progress event for the kind.
 */
export async function perCall<C, R>(
  calls: C[],
  kind: ApiResponseKind,
  region: string,
  failures: ApiFailure[],
  options: CollectOptions,
  parentOf: (call: C) => string,
  read: (call: C) => Promise<R>,
): Promise<R[]> {
  const quiet = { ...options, onKindDone: undefined };
  let failed = false;
  const responses = await Promise.all(
    calls.map(async (call) => {
      const own: ApiFailure[] = [];
      const response = await readKind(kind, region, own, quiet, () => read(call));
      for (const failure of own) failures.push({ ...failure, parentId: parentOf(call) });
      if (own.length > 0) failed = true;
      return response;
    }),
  );
  const scope = { accountId: options.accountId ?? 'unknown', region, kind };
  options.onKindDone?.({ ...scope, status: failed ? 'failed' : 'done' });
  return responses.filter((response): response is Awaited<R> => response !== undefined) as R[];
}
