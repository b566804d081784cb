// The typed error of the IAM evaluator: malformed or missing policy documents and invalid inputs.

import { CheckerError } from '../errors.js';

/** Stable codes; `cli/` keys its friendly help on these. */
export type IamEvaluationErrorCode = 'IAM_POLICY_MALFORMED' | 'IAM_POLICY_UNAVAILABLE' | 'IAM_ACTION_INVALID';

/** Where in the policy set the problem sits, so a report can point at it. */
export interface IamErrorLocation {
  /** Policy ARN (managed, boundary), name (inline) or SCP name. */
  policy?: string;
  layer?: 'identity' | 'boundary' | 'scp' | 'endpoint' | 'trust';
  statementIndex?: number;
}

/**
 * Why the evaluator could not reach a verdict. It is returned inside an ERROR result, never thrown by the
 * evaluator: a policy we cannot read must make the dependent rule ERROR, never ALLOWED and never NOT_ALLOWED.
 */
export class IamEvaluationError extends CheckerError {
  readonly code: IamEvaluationErrorCode;
  readonly location: IamErrorLocation;

  constructor(
    code: IamEvaluationErrorCode,
    detail: string,
    location: IamErrorLocation = {},
    options?: ErrorOptions,
  ) {
    super(describe(detail, location), options);
    this.name = 'IamEvaluationError';
    this.code = code;
    this.location = location;
  }
}

function describe(detail: string, location: IamErrorLocation): string {
  const where = [
    location.layer,
    location.policy,
    location.statementIndex === undefined ? undefined : `Statement[${location.statementIndex}]`,
  ].filter((part): part is string => part !== undefined);
  return where.length === 0 ? detail : `${where.join(' ')}: ${detail}`;
}
