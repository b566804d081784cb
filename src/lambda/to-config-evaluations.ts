// Turns engine evaluations into Config `Evaluation`s: compliance verdicts only, annotations within Config's limits.

import type { Compliance, Evaluation } from '../engine/types.js';

/** One PutEvaluations entry (SDK v3 input shape). */
export interface ConfigEvaluation {
  ComplianceResourceType: string;
  ComplianceResourceId: string;
  ComplianceType: Compliance;
  Annotation?: string;
  OrderingTimestamp: Date;
}

/** Config rejects annotations longer than this (PutEvaluations model: Annotation 1..256). */
export const MAX_ANNOTATION = 256;

/**
 * The annotation Config shows next to the verdict: the reason code first ("IAM.NO_INSTANCE_PROFILE: …"), so
 * the console's list and advanced queries can be grouped by it, then the message, cut to 256 characters with
 * an ellipsis. Undefined when there is nothing to say: an empty annotation is invalid (aws-facts §0 #11).
 */
export function annotationOf(reason: string | undefined, message: string | undefined): string | undefined {
  const text = [reason, message?.trim()]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(': ');
  if (text === '') return undefined;
  // Cut by code points so a surrogate pair is never split; Config counts UTF-16 units, which is ≥ code points.
  if (text.length <= MAX_ANNOTATION) return text;
  let cut = text.slice(0, MAX_ANNOTATION - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Splits evaluations into Config entries and the ERROR ones. An ERROR means ssmguard could not tell (data it
 * could not read); sending it as NON_COMPLIANT would blame the resource, and Config has no ERROR verdict, so
 * it is never sent: the caller logs it and publishes it as the rule's failure metric, and Config keeps the
 * last real verdict.
 */
export function toConfigEvaluations(
  evaluations: readonly Evaluation[],
  orderingTimestamp: Date,
): { entries: ConfigEvaluation[]; errors: Evaluation[] } {
  const entries: ConfigEvaluation[] = [];
  const errors: Evaluation[] = [];
  for (const evaluation of evaluations) {
    if (evaluation.status === 'ERROR') {
      errors.push(evaluation);
      continue;
    }
    entries.push(
      entry(
        evaluation.resourceType,
        evaluation.resourceId,
        evaluation.status,
        annotationOf(evaluation.reason, evaluation.message),
        orderingTimestamp,
      ),
    );
  }
  return { entries, errors };
}

/** A Config entry for a resource judged outside the engine (deleted, out of scope, gone since the last run). */
export function entry(
  resourceType: string,
  resourceId: string,
  compliance: Compliance,
  annotation: string | undefined,
  orderingTimestamp: Date,
): ConfigEvaluation {
  const result: ConfigEvaluation = {
    ComplianceResourceType: resourceType,
    ComplianceResourceId: resourceId,
    ComplianceType: compliance,
    OrderingTimestamp: orderingTimestamp,
  };
  if (annotation !== undefined) result.Annotation = annotation;
  return result;
}
