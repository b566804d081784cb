// The `--live` side of `scan` and `export`: its flags, and the door to a live collection (loaded on use).

import type { Command } from 'commander';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE } from '../collectors/live/retry-settings.js';
import { UsageError } from '../errors.js';
import { parseAccountId, parseInputRegion } from './arguments.js';
import type { LoadedInput, LoadInputOptions } from './load-input.js';
import type { CliIo } from './cli-io.js';
import type { LiveFlags } from './live-flags.js';

export type { LiveFlags } from './live-flags.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Flags that only mean something with `--live`, by their option name. */
const LIVE_ONLY: [keyof LiveFlags, string][] = [
  ['profile', '--profile'],
  ['endpointUrl', '--endpoint-url'],
  ['roleName', '--role-name'],
  ['accounts', '--accounts'],
  ['organization', '--organization'],
  ['concurrency', '--concurrency'],
  ['maxAttempts', '--max-attempts'],
];

/**
 * Adds `--live` and its flags to a command. `--region` is not added here: `scan` already has it (for
 * input files) and it must be repeatable there; commands without it get it from `addRegionOption`.
 */
export function addLiveOptions(command: Command): Command {
  command
    .option('--live', 'read the fleet from AWS now (SDK default credential chain) instead of files')
    .option('--profile <name>', 'with --live: shared-config profile for the credentials')
    .option(
      '--endpoint-url <url>',
      'with --live: one endpoint URL for every AWS service (emulators, proxies)',
    )
    .option(
      '--role-name <name>',
      'with --live: role to assume in each account (with --accounts or --organization)',
    )
    .option(
      '--accounts <id...>',
      'with --live: account ids to scan through --role-name (space or comma separated)',
    )
    .option(
      '--organization',
      "with --live: scan every active account of the caller's organization through --role-name",
    )
    .option('--concurrency <n>', 'with --live: most API reads in flight at once (default 8)');
  // `fix` registers its own --max-attempts for --apply first (other default); the flag means the same there.
  if (!command.options.some((option) => option.long === '--max-attempts')) {
    command.option(
      '--max-attempts <n>',
      `with --live: attempts per API call, the first included (default: AWS_MAX_ATTEMPTS, else the profile's max_attempts, else ${DEFAULT_MAX_ATTEMPTS}, in ${DEFAULT_RETRY_MODE} mode)`,
    );
  }
  return command;
}

/** The repeatable `--region` option, worded for both live scans and input files. */
export function addRegionOption(command: Command): Command {
  return command.option(
    '--region <region>',
    'with --live: region to scan (repeatable, or "all" for every enabled region); else the region of input files whose folders and content do not say',
    collect,
  );
}

/** The account and region options of an offline load; rejects live-only flags given without `--live`. */
export function offlineInputOptions(flags: LiveFlags): LoadInputOptions {
  for (const [key, name] of LIVE_ONLY) {
    if (flags[key] !== undefined) throw new UsageError(`${name} only applies to a live scan: add --live`);
  }
  const regions = flags.region ?? [];
  if (regions.length > 1) {
    throw new UsageError(
      '--region is given once for input files (several regions need --live, or folders per region)',
    );
  }
  return { accountId: parseAccountId(flags.account), region: parseInputRegion(regions[0]) };
}

/**
 * Reads the fleet from AWS and maps it into an inventory (src/cli/live-collection.ts). The SDK clients load only
 * here, when a command runs with `--live`: importing them costs an offline scan about a second.
 */
export async function collectLiveInventory(
  paths: readonly string[],
  flags: LiveFlags,
  io: CliIo,
): Promise<LoadedInput> {
  const live = await import('./live-collection.js');
  return live.collectLiveInventory(paths, flags, io);
}
