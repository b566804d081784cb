// Builds the SDK v3 clients of a live scan with one shared configuration and the API-call counter.

import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import {
  AdaptiveRetryStrategy,
  DefaultRateLimiter,
  MAXIMUM_RETRY_DELAY,
  StandardRetryStrategy,
} from '@smithy/core/retry';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  RetryStrategyV2,
  StandardRetryBackoffStrategy,
} from '@smithy/types';
import type { ApiCallCounter } from './api-call-counter.js';

/** Settings every client of a scan shares. Without `credentials`, the SDK's default chain runs. */
export interface ClientSettings {
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A shared-config profile (`--profile`): the clients' own `profile` option, read by the default chain. */
  profile?: string;
  /** `--endpoint-url`: one URL for every service (LocalStack, or the loopback test endpoint). */
  endpointUrl?: string;
  /** Attempts per call including the first; without it the SDK reads AWS_MAX_ATTEMPTS / `max_attempts` (else 3). */
  maxAttempts?: number;
  /** `adaptive` (default) adds client-side rate limiting on top of backoff once AWS throttles. */
  retryMode?: 'standard' | 'adaptive';
  /**
   * The first retry wait in ms, doubling per retry with full jitter up to the SDK's 20 s cap, in place of the
   * SDK's (50 ms, and 1 s after a throttle); in adaptive mode also the floor of the client-side sending rate,
   * one request per base delay (the SDK's floor is one per 2 s). For emulators and tests, whose throttling
   * does not ease when the client slows down, so that retrying under it stays fast; the SDK's own strategy for
   * `retryMode` still decides whether, how often and how fast to retry. Needs `maxAttempts`.
   */
  retryBaseDelayMs?: number;
  counter: ApiCallCounter;
}

// IAM is a global service whose requests are signed for us-east-1 (aws-facts §5.1).
const IAM_REGION = 'us-east-1';

/** The SDK v3 clients a scan uses, each built for one region and counted by `settings.counter`. */
export const awsClients = {
  ec2(settings: ClientSettings, region: string): EC2Client {
    const client = new EC2Client(config(settings, region));
    client.middlewareStack.use(settings.counter.plugin());
    return client;
  },
  ssm(settings: ClientSettings, region: string): SSMClient {
    const client = new SSMClient(config(settings, region));
    client.middlewareStack.use(settings.counter.plugin());
    return client;
  },
  sts(settings: ClientSettings, region: string): STSClient {
    const client = new STSClient(config(settings, region));
    client.middlewareStack.use(settings.counter.plugin());
    return client;
  },
  iam(settings: ClientSettings): IAMClient {
    const client = new IAMClient(config(settings, IAM_REGION));
    client.middlewareStack.use(settings.counter.plugin());
    return client;
  },
  organizations(settings: ClientSettings): OrganizationsClient {
    // Organizations, like IAM, is served from us-east-1 in the commercial partition.
    const client = new OrganizationsClient(config(settings, IAM_REGION));
    client.middlewareStack.use(settings.counter.plugin());
    return client;
  },
  config(settings: ClientSettings, region: string): ConfigServiceClient {
    const client = new ConfigServiceClient(config(settings, region));
    client.middlewareStack.use(settings.counter.plugin());
    return client;
  },
};

function config(settings: ClientSettings, region: string) {
  return {
    region,
    retryMode: settings.retryMode ?? 'adaptive',
    ...(settings.credentials !== undefined && { credentials: settings.credentials }),
    ...(settings.profile !== undefined && { profile: settings.profile }),
    ...(settings.endpointUrl !== undefined && { endpoint: settings.endpointUrl }),
    ...(settings.maxAttempts !== undefined && { maxAttempts: settings.maxAttempts }),
    ...(settings.retryBaseDelayMs !== undefined &&
      settings.maxAttempts !== undefined && {
        retryStrategy: retryStrategy(
          settings.retryMode ?? 'adaptive',
          settings.maxAttempts,
          settings.retryBaseDelayMs,
        ),
      }),
  };
}

/** The SDK's own retry strategy for `mode`, its backoff alone replaced (see `retryBaseDelayMs`). */
function retryStrategy(
  mode: 'standard' | 'adaptive',
  maxAttempts: number,
  baseDelayMs: number,
): RetryStrategyV2 {
  const backoff: StandardRetryBackoffStrategy = {
    computeNextBackoffDelay: (retries) =>
      Math.floor(Math.random() * Math.min(MAXIMUM_RETRY_DELAY, baseDelayMs * 2 ** retries)),
    // The strategy sets its base per error type (throttling or not); the replacement keeps one base.
    setDelayBase: () => {},
  };
  if (mode === 'standard') return new StandardRetryStrategy({ maxAttempts, backoff });
  const rateLimiter = new DefaultRateLimiter({ minFillRate: 1000 / Math.max(1, baseDelayMs) });
  return new AdaptiveRetryStrategy(maxAttempts, { maxAttempts, backoff, rateLimiter });
}
