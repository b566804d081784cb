// Builds the SDK v3 clients of a live scan with one shared configuration and the API-call counter.

import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ApiCallCounter } from './api-call-counter.js';

/** Settings every client of a scan shares. Without `credentials`, the SDK's default chain runs. */
export interface ClientSettings {
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A shared-config profile (`--profile`): the clients' own `profile` option, read by the default chain. */
  profile?: string;
  /** `--endpoint-url`: one URL for every service (LocalStack, or the loopback test endpoint). */
  endpointUrl?: string;
  /** Attempts per call including the first (SDK default 3). */
  maxAttempts?: number;
  /** `adaptive` (default) adds client-side rate limiting on top of backoff once AWS throttles. */
  retryMode?: 'standard' | 'adaptive';
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
  };
}
