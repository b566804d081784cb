// Facts about maintenance-window run history that the live reader and the patch-outcome check share: how far back
// runs count, which runs finished, and which documents patch.

/** How far back window executions are read (live: filter ExecutedAfter) and judged (the check ignores older runs). */
export const WINDOW_EXECUTION_LOOKBACK_DAYS = 35;

/**
 * The patching documents: their task runs are followed down to the invocations (other tasks' invocations are not
 * read). https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html
 */
export const PATCH_TASK_DOCUMENTS: readonly string[] = [
  'AWS-RunPatchBaseline',
  'AWS-RunPatchBaselineAssociation',
  'AWS-RunPatchBaselineWithHooks',
];

/**
 * Terminal statuses of a window execution that ran something (SKIPPED_OVERLAPPING ran nothing; PENDING,
 * IN_PROGRESS and CANCELLING have not ended). Valid values from the SSM API reference:
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowExecution.html
 */
export const FINISHED_RUN_STATUSES: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAILED',
  'TIMED_OUT',
  'CANCELLED',
]);

/** The document a TaskArn names: the name itself, or the last part of a document ARN (…:document/NAME). */
export function taskDocumentName(taskArn: string): string {
  const at = taskArn.lastIndexOf('document/');
  return at === -1 ? taskArn : taskArn.slice(at + 'document/'.length);
}

/** Of several runs, the latest finished one by start time (runs without a start time never count). */
export function latestFinishedRun<T>(
  runs: Iterable<T>,
  read: (run: T) => { id: unknown; status: unknown; startMs: number },
  notBeforeMs = Number.NEGATIVE_INFINITY,
): T | undefined {
  let best: { run: T; start: number } | undefined;
  for (const run of runs) {
    const { id, status, startMs } = read(run);
    if (typeof id !== 'string' || !FINISHED_RUN_STATUSES.has(String(status))) continue;
    if (Number.isNaN(startMs) || startMs < notBeforeMs) continue;
    if (best === undefined || startMs > best.start) best = { run, start: startMs };
  }
  return best?.run;
}
