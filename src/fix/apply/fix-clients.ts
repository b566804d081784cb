// The SDK v3 clients `fix --apply` and `--undo` write through: one per service (and region), the SDK's
// adaptive retry for throttling, every request counted.

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import { createApiCallCounter } from '../../collectors/live/api-call-counter.js';
import { awsClients, type ClientSettings } from '../../collectors/live/aws-clients.js';

export interface FixClients {
  iam(): IAMClient;
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
  sts(): STSClient;
  /** Requests per operation (`"ec2:AssociateIamInstanceProfile"`), retries included. */
  calls(): Record<string, number>;
  destroy(): void;
}

export interface FixClientOptions {
  profile?: string;
  endpointUrl?: string;
  /** Attempts per call including the first (default 5: writes are few, and worth waiting for when throttled). */
  maxAttempts?: number;
}

export function createFixClients(options: FixClientOptions): FixClients {
  const counter = createApiCallCounter();
  const settings: ClientSettings = {
    counter,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.endpointUrl !== undefined && { endpointUrl: options.endpointUrl }),
  };
  const cache = new Map<string, { destroy(): void }>();
  const cached = <T extends { destroy(): void }>(key: string, make: () => T): T => {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      cache.set(key, client);
    }
    return client;
  };
  return {
    iam: () => cached('iam', () => awsClients.iam(settings)),
    ec2: (region) => cached(`ec2:${region}`, () => awsClients.ec2(settings, region)),
    ssm: (region) => cached(`ssm:${region}`, () => awsClients.ssm(settings, region)),
    sts: () => cached('sts', () => awsClients.sts(settings, 'us-east-1')),
    calls: () => counter.snapshot(),
    destroy: () => {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}
