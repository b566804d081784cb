// The typed error of reading `--scp` files: which file, where in it, and what is wrong.

import { CheckerError } from '../../errors.js';

/**
 * A `--scp` input that cannot be used: unreadable, not JSON (with the 1-based line and column), not a shape
 * ssmguard knows, or a policy document that does not parse as IAM policy language. `where` is the JSON path of
 * the offending value inside the file ("Policies[2].Content").
 */
export class ScpFileError extends CheckerError {
  readonly code = 'SCP_FILE_INVALID';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly where?: string,
    readonly line?: number,
    readonly column?: number,
    options?: ErrorOptions,
  ) {
    super(
      `${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}${where === undefined ? '' : ` at ${where}`}: ${detail}`,
      options,
    );
    this.name = 'ScpFileError';
  }
}
