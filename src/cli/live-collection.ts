// A live collection turned into an inventory: the SDK side of `--live`, loaded only when a command runs with it.

import { STSClient } from '@aws-sdk/client-sts';
import { API_RESPONSE_KINDS, type ApiFailure } from '../collectors/api/api-data.js';
import { inventoryFromFleet } from '../collectors/api/build-inventory.js';
import { assertProfileExists } from '../collectors/live/aws-profile.js';
import { collectFleet, type CollectFleetOptions } from '../collectors/live/collect-fleet.js';
import { addOrganizationToInventory } from '../collectors/live/collect-organization.js';
import { LiveScanError } from '../collectors/live/live-scan-error.js';
import { parseMaxAttempts } from '../collectors/live/retry-settings.js';
import { UsageError } from '../errors.js';
import type { Inventory } from '../inventory/model.js';
import { REGION_NAME } from './arguments.js';
import { type LoadedInput, withScps } from './load-input.js';
import type { CliIo } from './cli-io.js';
import type { LiveFlags } from './live-flags.js';
import { createProgressLine } from './progress-line.js';

/**
 * Reads the fleet from AWS with `collectFleet` and maps it into an inventory (source kind `live`, with the
 * accounts, regions, collection time and API calls per operation), with the `--scp` files added as for
 * files. Progress goes to stderr when it is a TTY. Families AWS refused are in the coverage as errors (so
 * their rules give ERROR) and listed in `warnings`; credential and network problems throw `LiveScanError`.
 */
export async function collectLiveInventory(
  paths: readonly string[],
  flags: LiveFlags,
  io: CliIo,
): Promise<LoadedInput> {
  if (paths.length > 0)
    throw new UsageError(`--live reads from AWS, not from files: drop ${paths[0]!} or --live`);
  if (flags.account !== undefined)
    throw new UsageError('--account is for input files; with --live use --accounts and --role-name');
  const options = { ...(await liveOptions(flags)), ...retryDelayOption(io.env) };
  const display = createProgressLine(io.terminalStderr ?? io.stderr, {
    isTty: io.stderrIsTty,
    clock: io.clock,
  });
  let collection;
  try {
    collection = await collectFleet({
      ...options,
      ...(flags.now !== undefined && { now: new Date(Date.parse(flags.now)).toISOString() }),
      onProgress: (event) => display.onProgress(event),
      onApiCall: (operation, total, retries) => display.onApiCall(operation, total, retries),
    });
    display.finish('done');
  } catch (error) {
    display.finish('failed');
    throw error;
  }
  const scanned = [
    ...new Set(collection.accounts.flatMap((account) => account.regions.map((region) => region.region))),
  ];
  const { inventory, issues } = inventoryFromFleet(collection, {
    kind: 'live',
    inputs: [options.endpointUrl ?? 'aws'],
    accounts: collection.accounts.map((account) => account.accountId),
    regions: scanned,
    collectedAt: collection.collectedAt,
    apiCalls: collection.apiCalls,
  });
  refuseBlindRegions(inventory);
  const failures = collection.accounts.flatMap((account) => [
    ...account.failures.map((failure) => describeFailure(failure, account.accountId, 'global')),
    ...account.regions.flatMap((region) =>
      region.failures.map((failure) => describeFailure(failure, account.accountId, region.region)),
    ),
  ]);
  if (collection.organization !== undefined) {
    addOrganizationToInventory(inventory, collection.organization);
    if (collection.organization.status === 'error') {
      const { operation, code, message } = collection.organization.failure;
      failures.push(
        `the organization's SCPs could not be read (${operation}: ${code}: ${message}): the IAM rules say ERROR`,
      );
    }
  }
  const warnings = [
    ...failures,
    ...issues.map((issue) => `${issue.origin}${issue.path ? ` at ${issue.path}` : ''}: ${issue.message}`),
  ];
  return withScps({ inventory, skipped: [], warnings }, { scpFiles: flags.scp });
}

/** Turns the flags into collectFleet options, checking them before any call is made. */
export async function liveOptions(flags: LiveFlags): Promise<CollectFleetOptions> {
  const accounts = (flags.accounts ?? [])
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of accounts) {
    if (!/^\d{12}$/.test(id)) throw new UsageError(`--accounts takes 12-digit AWS account ids, got "${id}"`);
  }
  if (flags.organization && accounts.length > 0)
    throw new UsageError('give either --accounts or --organization, not both');
  if ((accounts.length > 0 || flags.organization) && flags.roleName === undefined) {
    throw new UsageError(
      '--accounts and --organization need --role-name: the role ssmguard assumes in each account',
    );
  }
  if (flags.roleName !== undefined && accounts.length === 0 && !flags.organization) {
    throw new UsageError('--role-name needs the accounts to assume it in: --accounts ID… or --organization');
  }
  if (flags.endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(flags.endpointUrl)) {
    throw new UsageError(`--endpoint-url must be an http(s) URL, got "${flags.endpointUrl}"`);
  }
  let concurrency: number | undefined;
  if (flags.concurrency !== undefined) {
    concurrency = Number(flags.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${flags.concurrency}"`);
    }
  }
  const maxAttempts = flags.maxAttempts === undefined ? undefined : parseMaxAttempts(flags.maxAttempts);
  // A missing profile is named now, before its absence surfaces as "no region" or "no credentials".
  if (flags.profile !== undefined) await assertProfileExists(flags.profile);
  else if (process.env.AWS_PROFILE) await assertProfileExists(process.env.AWS_PROFILE, 'AWS_PROFILE');
  const named = (flags.region ?? [])
    .flatMap((value) => value.split(','))
    .map((region) => region.trim())
    .filter(Boolean);
  const home = await defaultRegion(flags.profile);
  let regions: string[] | 'all';
  if (named.includes('all')) regions = 'all';
  else if (named.length > 0) regions = [...new Set(named)];
  else if (home !== undefined) regions = [home];
  else
    throw new UsageError(
      '--live needs a region: --region REGION (repeatable), --region all, or AWS_REGION / a profile region',
    );
  for (const region of regions === 'all' ? [] : regions) {
    if (!REGION_NAME.test(region)) throw new UsageError(`--region: "${region}" is not an AWS region name`);
  }
  return {
    regions,
    ...(home !== undefined && regions === 'all' && { homeRegion: home }),
    ...(flags.profile !== undefined && { profile: flags.profile }),
    ...(flags.endpointUrl !== undefined && { endpointUrl: flags.endpointUrl }),
    ...(flags.roleName !== undefined && { roleName: flags.roleName }),
    ...(accounts.length > 0 && { accounts }),
    ...(flags.organization && { organization: true }),
    ...(concurrency !== undefined && { concurrency }),
    ...(maxAttempts !== undefined && { maxAttempts }),
  };
}

/**
 * Fails the scan (exit 2) when the instances of an account and region could not be read (throttled beyond the
 * attempts, denied, an account whose role could not be assumed): every instance rule starts from them, so with
 * none there is nothing to carry an ERROR and the region would read as "0 instances", exit 0 — blind, not clean.
 * A region read with zero instances is no such case (it was read). The same holds for files (NoInstanceDataError).
 */
function refuseBlindRegions(inventory: Inventory): void {
  const withInstances = new Set(inventory.instances.map((i) => `${i.accountId}/${i.region}`));
  const blind = inventory.coverage.filter(
    (entry) =>
      entry.family === 'ec2:instances' &&
      entry.status === 'error' &&
      !withInstances.has(`${entry.accountId ?? ''}/${entry.region ?? ''}`),
  );
  if (blind.length === 0) return;
  const lines = blind.map(
    (entry) =>
      `  ${entry.accountId ?? '?'}/${entry.region ?? '?'}: ${entry.error?.code ?? 'error'}: ${entry.error?.message ?? 'not read'}`,
  );
  throw new LiveScanError(
    'LIVE_INSTANCES_UNREADABLE',
    `EC2 instances could not be read (ec2:DescribeInstances), so nothing there can be judged:\n${lines.join('\n')}`,
  );
}

/**
 * SSMGUARD_RETRY_BASE_DELAY_MS: a first retry wait in whole milliseconds (0 to 60000) instead of the SDK's, for
 * emulators and tests that throttle on purpose; the attempts and the retry mode stay as configured.
 */
function retryDelayOption(env: CliIo['env']): Pick<CollectFleetOptions, 'retryBaseDelayMs'> {
  const value = env.SSMGUARD_RETRY_BASE_DELAY_MS;
  if (value === undefined || value === '') return {};
  if (!/^\d+$/.test(value) || Number(value) > 60_000) {
    throw new UsageError(
      `SSMGUARD_RETRY_BASE_DELAY_MS must be whole milliseconds from 0 to 60000, got "${value}"`,
    );
  }
  return { retryBaseDelayMs: Number(value) };
}

/** The region the SDK itself would use (AWS_REGION, then the profile's `region`), if any. */
async function defaultRegion(profile: string | undefined): Promise<string | undefined> {
  const client = new STSClient(profile === undefined ? {} : { profile });
  try {
    return await client.config.region();
  } catch {
    // The SDK's "Region is missing" is the expected answer here; the caller asks for --region instead.
    return undefined;
  } finally {
    client.destroy();
  }
}

function describeFailure(failure: ApiFailure, accountId: string, region: string): string {
  const permission = API_RESPONSE_KINDS[failure.kind].permission;
  const window = failure.parentId !== undefined ? ` for window ${failure.parentId}` : '';
  return `${failure.kind}${window} unreadable in ${accountId}/${region} (${failure.code}; needs ${permission}): rules that need it give ERROR`;
}
