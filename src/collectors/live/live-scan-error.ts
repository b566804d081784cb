// The one error a live scan aborts with, and the classification of SDK errors into "abort" or "record".

import { CheckerError } from '../../errors.js';

/** Why a live scan could not run at all (as opposed to one API being unreadable). */
export type LiveScanErrorCode =
  | 'LIVE_CREDENTIALS_INVALID'
  | 'LIVE_NETWORK_UNREACHABLE'
  | 'LIVE_NO_ACCOUNTS'
  | 'LIVE_NO_REGIONS'
  | 'LIVE_INSTANCES_UNREADABLE';

/**
 * A live scan that cannot continue: no usable credentials, or AWS (or the `--endpoint-url`) cannot be
 * reached. The CLI keys its help text on `code`; `cause` keeps the SDK error.
 */
export class LiveScanError extends CheckerError {
  constructor(
    readonly code: LiveScanErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LiveScanError';
  }
}

// Error names that mean the credentials themselves are unusable, so every further call would fail too.
// (A region that is not enabled answers UnrecognizedClientException as well, but scans only visit
// regions DescribeRegions lists or the user names.)
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'RequestExpired',
]);

// Node socket error codes the SDK retries as transient; once retries are spent, the endpoint is unreachable.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** A service's answer that makes one API kind unreadable; recorded as an ApiFailure. */
export interface ServiceFailure {
  code: string;
  message: string;
}

/**
 * Sorts an error thrown by an SDK call: credentials and network problems become a `LiveScanError`
 * (abort), an AWS service error (it carries `$metadata`) becomes a `ServiceFailure` (record and go on),
 * and anything else — a bug — is rethrown unchanged. Classified by `name`/`code`, never by message text.
 */
export function classifySdkError(error: unknown, what: string): ServiceFailure {
  if (!(error instanceof Error)) throw error;
  const name = error.name;
  const code = (error as { code?: unknown }).code;
  if (CREDENTIAL_ERRORS.has(name)) {
    // CredentialsProviderError comes from the local chain before any request: nothing was rejected yet.
    const problem =
      name === 'CredentialsProviderError' ? 'no usable AWS credentials' : 'AWS rejected the credentials';
    throw new LiveScanError('LIVE_CREDENTIALS_INVALID', `${what}: ${problem} (${name}: ${error.message})`, {
      cause: error,
    });
  }
  if (
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    name === 'TimeoutError' ||
    NETWORK_CODES.has(name)
  ) {
    throw new LiveScanError(
      'LIVE_NETWORK_UNREACHABLE',
      `${what}: cannot reach the AWS endpoint (${typeof code === 'string' ? code : name}: ${error.message})`,
      {
        cause: error,
      },
    );
  }
  if ('$metadata' in error) return { code: name, message: error.message };
  throw error;
}
