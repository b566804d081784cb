// The typed "this check cannot reach a verdict from the data it was given" signal of named checks.

import { CheckerError } from '../../errors.js';
import type { CauseRef, Evidence } from '../types.js';

/**
 * Thrown by a named check whose input data is present but unusable (a malformed policy document, a policy the
 * inventory does not hold). The engine turns it into an ERROR evaluation with the check's reason code, like
 * DataUnavailableError for families that were not read: "couldn't tell" never becomes a verdict.
 */
export class CheckDataError extends CheckerError {
  readonly code: string;
  constructor(
    code: string,
    /** Reason code the ERROR evaluation carries (declared in the rule's `reasons`), e.g. "IAM.POLICY_UNREADABLE". */
    readonly reason: string,
    message: string,
    /** Groups the ERROR into one root cause (e.g. the role every affected instance shares). */
    readonly causeRef?: CauseRef,
    readonly evidence: Evidence[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CheckDataError';
    this.code = code;
  }
}
