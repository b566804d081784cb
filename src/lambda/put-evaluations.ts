// Sends Config evaluations with PutEvaluations in batches of at most 100, checking FailedEvaluations.

import { PutEvaluationsCommand, type ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CheckerError } from '../errors.js';
import type { ConfigEvaluation } from './to-config-evaluations.js';

/** PutEvaluations accepts 0..100 evaluations per call (Config model, aws-facts §4.3). */
export const MAX_EVALUATIONS_PER_CALL = 100;

/** Config refused some evaluations; they are listed so the log shows which. */
export class PutEvaluationsError extends CheckerError {
  readonly code = 'PUT_EVALUATIONS_FAILED';
  constructor(readonly failed: readonly { resourceType?: string; resourceId?: string }[]) {
    super(
      `Config refused ${failed.length} evaluation(s), e.g. ${failed[0]?.resourceType ?? '?'} ${failed[0]?.resourceId ?? '?'}`,
    );
    this.name = 'PutEvaluationsError';
  }
}

/**
 * Sends every evaluation, 100 per call, with the event's result token. An empty list sends nothing: Config
 * needs no call to know there was nothing to judge. Every batch is sent even when an earlier one had
 * failures; the failures are thrown together at the end, so the invocation fails visibly. Returns the number
 * of calls made.
 */
export async function putEvaluations(
  client: ConfigServiceClient,
  resultToken: string,
  evaluations: readonly ConfigEvaluation[],
): Promise<number> {
  const failed: { resourceType?: string; resourceId?: string }[] = [];
  let calls = 0;
  for (let start = 0; start < evaluations.length; start += MAX_EVALUATIONS_PER_CALL) {
    const batch = evaluations.slice(start, start + MAX_EVALUATIONS_PER_CALL);
    const output = await client.send(
      new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: batch }),
    );
    calls++;
    for (const failure of output.FailedEvaluations ?? []) {
      failed.push({
        ...(failure.ComplianceResourceType !== undefined && { resourceType: failure.ComplianceResourceType }),
        ...(failure.ComplianceResourceId !== undefined && { resourceId: failure.ComplianceResourceId }),
      });
    }
  }
  if (failed.length > 0) throw new PutEvaluationsError(failed);
  return calls;
}
