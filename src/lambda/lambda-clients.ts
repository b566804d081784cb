// Builds the Lambda's SDK clients per account and region (assuming a member-account role for organization rules).

import { createApiCallCounter } from '../collectors/live/api-call-counter.js';
import { awsClients, type ClientSettings } from '../collectors/live/aws-clients.js';
import { assumeRoleCredentials } from '../collectors/live/identity.js';
import type { LambdaClients } from './handle-config-event.js';

export interface LambdaClientOptions {
  /** The function's own account (from its ARN); events of other accounts need `memberRoleName`. */
  ownAccountId?: string;
  /** Role to assume in member accounts (organization rules): reads and PutEvaluations run there. */
  memberRoleName?: string;
  /** One endpoint for every service (tests: the loopback endpoint). */
  endpointUrl?: string;
}

/** Clients per account and region, and the running count of the calls they made (per operation). */
export interface LambdaClientFactory {
  clients(accountId: string | undefined, region: string): LambdaClients;
  apiCallCounts(): Record<string, number>;
}

/**
 * A client factory for the runtime. Clients are cached per account and region across warm invocations. For an
 * organization rule the function lives in the administrator account, while the rule, its result token and the
 * resources live in the member account, so everything runs with the member role's credentials there (the
 * pattern of the AWS RDK's assume-role mode).
 */
export function lambdaClientFactory(options: LambdaClientOptions): LambdaClientFactory {
  const cache = new Map<string, LambdaClients>();
  const counter = createApiCallCounter();
  const base: ClientSettings = {
    counter,
    retryMode: 'standard',
    ...(options.endpointUrl !== undefined && { endpointUrl: options.endpointUrl }),
  };
  const clients = (accountId: string | undefined, region: string): LambdaClients => {
    const key = `${accountId ?? ''}\u0000${region}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let settings = base;
    if (
      accountId !== undefined &&
      options.memberRoleName !== undefined &&
      accountId !== options.ownAccountId
    ) {
      const sts = awsClients.sts(base, region);
      settings = {
        ...base,
        credentials: assumeRoleCredentials(sts, accountId, options.memberRoleName, 'ssmguard-config-rule'),
      };
    }
    const built: LambdaClients = {
      config: awsClients.config(settings, region),
      ec2: awsClients.ec2(settings, region),
      ssm: awsClients.ssm(settings, region),
      iam: awsClients.iam(settings),
    };
    cache.set(key, built);
    return built;
  };
  return { clients, apiCallCounts: () => counter.snapshot() };
}
