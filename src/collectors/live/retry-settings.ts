// How often and how a live scan retries a call: AWS_MAX_ATTEMPTS / `max_attempts` and AWS_RETRY_MODE /
// `retry_mode` found by the SDK's own loader, with ssmguard's defaults where nothing is configured.

import { getProfileName, loadConfig } from '@smithy/core/config';
import { CONFIG_MAX_ATTEMPTS, CONFIG_RETRY_MODE, ENV_MAX_ATTEMPTS, ENV_RETRY_MODE } from '@smithy/core/retry';
import { UsageError } from '../../errors.js';

export type RetryMode = 'standard' | 'adaptive';

export interface RetrySettings {
  maxAttempts: number;
  retryMode: RetryMode;
}

/**
 * Attempts per call when nothing is configured (the SDK's default is 3). Throttled attempts are independent
 * enough that with a share p of requests throttled, a call is lost only if all k attempts are: p^k. At p = 0.4,
 * k = 3 loses 6.4 % of calls (the 180 of 665 results in ERROR); k = 20 loses 0.4^20 ≈ 1.1e-8, so even a
 * 10,000-call scan loses any call with probability ≈ 1e-4. The price is time, and only while throttled: the
 * SDK's backoff grows from 1 s after a throttle, doubling to a 20 s cap, and adaptive mode slows sending.
 */
export const DEFAULT_MAX_ATTEMPTS = 20;
/** Adaptive: the standard backoff plus the SDK's client-side rate limiter once AWS throttles. */
export const DEFAULT_RETRY_MODE: RetryMode = 'adaptive';
/** The most `--max-attempts` / AWS_MAX_ATTEMPTS accepts: at 20 s a wait, 100 attempts is already ~30 minutes. */
export const MAX_ATTEMPTS_LIMIT = 100;

/**
 * The retry settings of a scan: `explicit` (the `--max-attempts` flag, or a caller's option) wins; else the
 * environment, then the profile (AWS_PROFILE or `profile`), as the SDK and the AWS CLI read them ("Retry
 * behavior", https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html); else ssmguard's
 * defaults. The SDK's own loader and setting names find the values; they are checked here, strictly and once,
 * because the SDK itself drops a value it cannot parse without a word (AWS_MAX_ATTEMPTS=ten would silently be
 * the default) and takes "0" or "3x" as numbers.
 */
export async function resolveRetrySettings(
  explicit: Partial<RetrySettings>,
  profile?: string,
): Promise<RetrySettings> {
  const scope = profile === undefined ? {} : { profile };
  const inProfile = (name: string): string => `${name} of profile ${getProfileName(scope)}`;
  const attempts = await loadConfig(
    {
      environmentVariableSelector: (env) => setting(env[ENV_MAX_ATTEMPTS], ENV_MAX_ATTEMPTS),
      configFileSelector: (section) => setting(section[CONFIG_MAX_ATTEMPTS], inProfile(CONFIG_MAX_ATTEMPTS)),
      default: undefined,
    },
    scope,
  )();
  const mode = await loadConfig(
    {
      environmentVariableSelector: (env) => setting(env[ENV_RETRY_MODE], ENV_RETRY_MODE),
      configFileSelector: (section) => setting(section[CONFIG_RETRY_MODE], inProfile(CONFIG_RETRY_MODE)),
      default: undefined,
    },
    scope,
  )();
  return {
    maxAttempts:
      explicit.maxAttempts ??
      (attempts === undefined ? DEFAULT_MAX_ATTEMPTS : parseMaxAttempts(attempts.value, attempts.source)),
    retryMode:
      explicit.retryMode ??
      (mode === undefined ? DEFAULT_RETRY_MODE : parseRetryMode(mode.value, mode.source)),
  };
}

/** `--max-attempts N` (or the configured value named by `source`): a whole number from 1 to MAX_ATTEMPTS_LIMIT. */
export function parseMaxAttempts(value: string, source = '--max-attempts'): number {
  const attempts = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || attempts < 1 || attempts > MAX_ATTEMPTS_LIMIT) {
    throw new UsageError(
      `${source} must be a whole number of attempts from 1 to ${MAX_ATTEMPTS_LIMIT} (the first try included), got "${value}"`,
    );
  }
  return attempts;
}

function parseRetryMode(value: string, source: string): RetryMode {
  const mode = value.trim();
  if (mode === 'standard' || mode === 'adaptive') return mode;
  // `legacy` is an AWS CLI and boto mode; the SDK for JavaScript v3 knows standard and adaptive only.
  throw new UsageError(`${source} must be standard or adaptive, got "${value}"`);
}

/** A value as found, with where (an empty value counts as unset, as for the SDK). */
function setting(value: string | undefined, source: string): { value: string; source: string } | undefined {
  return value === undefined || value.trim() === '' ? undefined : { value, source };
}
