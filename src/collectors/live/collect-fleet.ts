// A whole live scan: credentials, accounts (own, listed, or the organization's), regions, and every
// account × region collected under one concurrency bound, with API calls counted and progress reported.

import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UsageError } from '../../errors.js';
import type {
  ApiFailure,
  ApiResponseKind,
  CollectedAccountData,
  CollectedRegionData,
} from '../api/api-data.js';
import { API_RESPONSE_KINDS } from '../api/api-data.js';
import { createApiCallCounter } from './api-call-counter.js';
import { awsClients, type ClientSettings } from './aws-clients.js';
import { withProfile } from './aws-profile.js';
import { collectEc2 } from './collect-ec2.js';
import { collectIam } from './collect-iam.js';
import { collectSsm } from './collect-ssm.js';
import { collectOrganization, type OrganizationRead } from './collect-organization.js';
import { assumeRoleCredentials, callerAccountId, organizationAccountIds } from './identity.js';
import { classifySdkError, LiveScanError } from './live-scan-error.js';
import type { KindProgress } from './read-kind.js';
import { resolveRetrySettings, type RetryMode } from './retry-settings.js';
import { Semaphore } from './semaphore.js';

export interface CollectFleetOptions {
  /** Regions to scan, or every region enabled in each account (EC2 DescribeRegions). */
  regions: string[] | 'all';
  /** Shared-config profile for the base credentials (`--profile`). */
  profile?: string;
  /** One endpoint for every service (`--endpoint-url`). */
  endpointUrl?: string;
  /** Role to assume in every scanned account (`--role-name`); needed for `accounts`/`organization`. */
  roleName?: string;
  /** Accounts to scan through `roleName` (`--accounts`). */
  accounts?: string[];
  /** Scan every active account of the caller's organization through `roleName`. */
  organization?: boolean;
  /** Most API reads in flight at once across kinds, regions and accounts (default 8). */
  concurrency?: number;
  onProgress?: (event: LiveScanProgress) => void;
  /**
   * Each HTTP request as it is sent (`"ssm:DescribeInstanceInformation"`, retries too), with the running total
   * and how many of them were retries.
   */
  onApiCall?: (operation: string, total: number, retries: number) => void;
  /** Base credentials; without them (and without `profile`) the SDK's default chain runs. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Region for STS, Organizations and DescribeRegions (default: the first scanned region, else us-east-1). */
  homeRegion?: string;
  /**
   * Attempts per call, the first included (`--max-attempts`); else AWS_MAX_ATTEMPTS, then the profile's
   * `max_attempts`; else DEFAULT_MAX_ATTEMPTS. Tests lower it where retries only add waiting.
   */
  maxAttempts?: number;
  /** Else AWS_RETRY_MODE, then the profile's `retry_mode`; else `adaptive` (backoff plus client-side rate limiting). */
  retryMode?: RetryMode;
  /** Shorter retry waits for emulators and tests (see `ClientSettings.retryBaseDelayMs`). */
  retryBaseDelayMs?: number;
  /**
   * The time the maintenance-window run history is read back from (its last 35 days); default when the scan
   * starts. `scan --live --now` sets it, so a pinned evaluation time judges the runs a scan at that time reads.
   */
  now?: string;
  /** RoleSessionName for AssumeRole (shows up in the scanned accounts' CloudTrail). */
  sessionName?: string;
}

/** A kind read finished; `completed`/`planned` count kinds over the scan (planned grows as regions resolve). */
export interface LiveScanProgress extends KindProgress {
  completed: number;
  planned: number;
  apiCalls: number;
}

export interface FleetCollection {
  accounts: CollectedAccountData[];
  /** HTTP requests made per operation (`"ec2:DescribeInstances"`), retries included. */
  apiCalls: Record<string, number>;
  /** When the scan started (ISO). */
  collectedAt: string;
  /** With `organization`: the tree and its SCPs (or why they could not be read). */
  organization?: OrganizationRead;
}

const REGION_KINDS = (Object.keys(API_RESPONSE_KINDS) as ApiResponseKind[]).filter(
  (kind) => kind !== 'iam:GetAccountAuthorizationDetails',
);

/**
 * Runs a live scan. Credential and network problems abort with one `LiveScanError`; an API a role may
 * not call (AccessDenied, UnauthorizedOperation, OptInRequired, throttled out…) is recorded as an
 * `ApiFailure` on its account or region and the scan goes on, so the evaluation can fail closed.
 */
export async function collectFleet(options: CollectFleetOptions): Promise<FleetCollection> {
  // Under the profile, so the SDK reads that profile's endpoint_url and retry settings too (see withProfile).
  return withProfile(options.profile, () => collectUnderProfile(options));
}

async function collectUnderProfile(options: CollectFleetOptions): Promise<FleetCollection> {
  const collectedAt = new Date().toISOString();
  if ((options.accounts?.length || options.organization) && !options.roleName) {
    throw new UsageError(
      'Scanning other accounts (--accounts, --organization) needs --role-name to assume in each',
    );
  }
  if (options.regions !== 'all' && options.regions.length === 0) {
    throw new LiveScanError('LIVE_NO_REGIONS', 'No regions to scan');
  }
  const counter = createApiCallCounter(options.onApiCall);
  const retry = await resolveRetrySettings(
    {
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
      ...(options.retryMode !== undefined && { retryMode: options.retryMode }),
    },
    options.profile,
  );
  // No `endpoint` unless one was given: the SDK then resolves the configured endpoints itself (withProfile).
  const base: ClientSettings = {
    counter,
    ...retry,
    ...(options.retryBaseDelayMs !== undefined && { retryBaseDelayMs: options.retryBaseDelayMs }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.endpointUrl !== undefined && { endpointUrl: options.endpointUrl }),
  };
  const homeRegion =
    options.homeRegion ?? (options.regions === 'all' ? undefined : options.regions[0]) ?? 'us-east-1';
  const limiter = new Semaphore(options.concurrency ?? 8);
  const progress = { completed: 0, planned: 0 };
  const onKindDone = (event: KindProgress): void => {
    progress.completed += 1;
    const apiCalls = [...counter.counts.values()].reduce((sum, count) => sum + count, 0);
    options.onProgress?.({ ...event, ...progress, apiCalls });
  };

  const sts = awsClients.sts(base, homeRegion);
  const clients: { destroy(): void }[] = [sts];
  try {
    const caller = await callerAccountId(sts);
    let accountIds = [caller];
    let organizationRead: OrganizationRead | undefined;
    if (options.organization) {
      const organizations = awsClients.organizations(base);
      clients.push(organizations);
      accountIds = await organizationAccountIds(organizations);
      organizationRead = await collectOrganization(organizations);
    } else if (options.accounts?.length) {
      accountIds = [...new Set(options.accounts)];
    }

    const accounts = await Promise.all(
      accountIds.map(async (accountId): Promise<CollectedAccountData> => {
        const settings: ClientSettings = options.roleName
          ? {
              ...base,
              credentials: assumeRoleCredentials(sts, accountId, options.roleName, options.sessionName),
            }
          : base;
        if (options.roleName) {
          const denied = await tryAssume(settings.credentials as AwsCredentialIdentityProvider, accountId);
          if (denied) return unreachableAccount(accountId, options.regions, denied);
        }
        const home = awsClients.ec2(settings, homeRegion);
        clients.push(home);
        const regions = options.regions === 'all' ? await enabledRegions(home, accountId) : options.regions;
        progress.planned += 1 + regions.length * REGION_KINDS.length;
        const scope = { limiter, onKindDone, accountId, nowMs: Date.parse(options.now ?? collectedAt) };
        const iam = awsClients.iam(settings);
        clients.push(iam);
        const [identity, ...collected] = await Promise.all([
          collectIam(iam, scope),
          ...regions.map(async (region): Promise<CollectedRegionData> => {
            const ec2 = region === homeRegion ? home : awsClients.ec2(settings, region);
            const ssm = awsClients.ssm(settings, region);
            clients.push(ec2, ssm);
            const [ec2Data, ssmData] = await Promise.all([
              collectEc2(ec2, region, scope),
              collectSsm(ssm, region, scope),
            ]);
            return {
              accountId,
              region,
              ...ec2Data,
              ...ssmData,
              failures: [...ec2Data.failures, ...ssmData.failures],
            };
          }),
        ]);
        return {
          accountId,
          ...(identity.GetAccountAuthorizationDetails && {
            GetAccountAuthorizationDetails: identity.GetAccountAuthorizationDetails,
          }),
          failures: identity.failures,
          regions: collected,
        };
      }),
    );
    return {
      accounts,
      apiCalls: counter.snapshot(),
      collectedAt,
      ...(organizationRead !== undefined && { organization: organizationRead }),
    };
  } finally {
    for (const client of clients) client.destroy();
  }
}

/** The regions enabled for an account; without them the scan cannot say what it did not look at. */
async function enabledRegions(ec2: EC2Client, accountId: string): Promise<string[]> {
  try {
    const output = await ec2.send(new DescribeRegionsCommand({}));
    const names = (output.Regions ?? []).flatMap((region) => (region.RegionName ? [region.RegionName] : []));
    if (names.length === 0)
      throw new LiveScanError('LIVE_NO_REGIONS', `ec2:DescribeRegions listed no regions for ${accountId}`);
    return names.sort();
  } catch (error) {
    if (error instanceof LiveScanError) throw error;
    const failure = classifySdkError(error, `ec2:DescribeRegions in ${accountId}`);
    throw new LiveScanError(
      'LIVE_NO_REGIONS',
      `ec2:DescribeRegions failed in ${accountId} (${failure.code}: ${failure.message})`,
      {
        cause: error,
      },
    );
  }
}

/** Assumes the role once up front; a refusal (AccessDenied…) is returned, not thrown. */
async function tryAssume(
  provider: AwsCredentialIdentityProvider,
  accountId: string,
): Promise<ApiFailure | undefined> {
  try {
    await provider();
    return undefined;
  } catch (error) {
    const failure = classifySdkError(error, `sts:AssumeRole into ${accountId}`);
    return {
      kind: 'iam:GetAccountAuthorizationDetails',
      code: failure.code,
      message: `sts:AssumeRole failed: ${failure.message}`,
    };
  }
}

/**
 * An account whose role could not be assumed: every kind is marked unreadable (fail closed), in each
 * requested region; with `regions: 'all'` its regions are unknown, so only the account-level failure stays.
 */
function unreachableAccount(
  accountId: string,
  regions: string[] | 'all',
  denied: ApiFailure,
): CollectedAccountData {
  const failure = (kind: ApiResponseKind): ApiFailure => ({
    kind,
    code: denied.code,
    message: denied.message,
  });
  return {
    accountId,
    failures: [denied],
    regions: (regions === 'all' ? [] : regions).map((region) => ({
      accountId,
      region,
      failures: REGION_KINDS.map(failure),
    })),
  };
}
