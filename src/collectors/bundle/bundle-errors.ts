// The typed errors of reading and writing inventory bundles.

import { CheckerError } from '../../errors.js';

/** A bundle file that could not be read or written (missing file, permissions, corrupt gzip, too large). */
export class BundleIoError extends CheckerError {
  readonly code = 'BUNDLE_IO_FAILED';
  constructor(
    readonly file: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${detail}`, options);
    this.name = 'BundleIoError';
  }
}

/** A bundle file that is not valid JSON (truncated, hand-edited); names the line and column when known. */
export class BundleJsonError extends CheckerError {
  readonly code = 'BUNDLE_JSON_INVALID';
  constructor(
    readonly file: string,
    detail: string,
    readonly line?: number,
    readonly column?: number,
    options?: ErrorOptions,
  ) {
    super(
      `${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: not valid JSON: ${detail}`,
      options,
    );
    this.name = 'BundleJsonError';
  }
}

/** A bundle written by a version of ssmguard whose model this one does not read (or not a bundle at all). */
export class BundleVersionError extends CheckerError {
  readonly code = 'BUNDLE_VERSION_UNSUPPORTED';
  constructor(
    readonly file: string,
    readonly found: unknown,
    readonly supported: readonly number[],
  ) {
    super(
      found === undefined
        ? `${file}: no schemaVersion; is it an inventory bundle written by "ssmguard export"?`
        : `${file}: bundle schemaVersion ${JSON.stringify(found)} is not supported (this ssmguard reads ${supported.join(', ')}); ` +
            'export it again with this version of ssmguard',
    );
    this.name = 'BundleVersionError';
  }
}
