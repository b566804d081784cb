// The typed errors of reading AWS CLI JSON input files and folders.

import { CheckerError } from '../../errors.js';

/** Stable codes: the CLI keys its help text on these. */
export type InputFileErrorCode =
  | 'INPUT_PATH_MISSING'
  | 'INPUT_FILE_UNREADABLE'
  | 'INPUT_JSON_INVALID'
  | 'INPUT_GZIP_INVALID'
  | 'INPUT_MANIFEST_INVALID'
  | 'INPUT_CONFLICTING_DUPLICATE';

/**
 * One input that could not be used: a missing path, an unreadable file, JSON that does not parse (truncated,
 * empty, hand-edited; with the 1-based line and column where parsing stopped) or a bad ssmguard manifest.
 */
export class InputFileError extends CheckerError {
  readonly code: InputFileErrorCode;
  constructor(
    code: InputFileErrorCode,
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    options?: ErrorOptions,
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${detail}`, options);
    this.name = 'InputFileError';
    this.code = code;
  }
}

/** All input errors of one load, so a user fixes every file in one pass. */
export class AwsCliInputError extends CheckerError {
  readonly code = 'INPUT_FILES_INVALID';
  constructor(readonly errors: readonly InputFileError[]) {
    super(
      `${errors.length} input file error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
    this.name = 'AwsCliInputError';
  }
}
