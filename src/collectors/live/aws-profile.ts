// The shared-config profile a live scan runs under (`--profile`): that it exists, and that the SDK reads every
// setting of it — credentials, region, retries, and the configured endpoints — not only some.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { ENV_PROFILE, loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from '../../errors.js';

/**
 * Refuses a profile that neither shared file holds, by name, before its absence surfaces later as "no region"
 * or "no usable credentials" (the AWS CLI says "The config profile (NAME) could not be found"). The files are
 * the SDK's own reading of AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/config and
 * ~/.aws/credentials).
 */
export async function assertProfileExists(profile: string, source = '--profile'): Promise<void> {
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  if (files.configFile[profile] !== undefined || files.credentialsFile[profile] !== undefined) return;
  const config = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
  throw new UsageError(
    `profile ${profile} not found (${source}): neither ${config} nor ${credentials} has it`,
  );
}

let active: string | undefined;

/**
 * Runs `scan` with AWS_PROFILE set to `profile`, as `aws --profile NAME` means, then restores it.
 *
 * Why: the SDK resolves the configured endpoints itself (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
 * profile's `services` section and `endpoint_url`, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS /
 * `ignore_configured_endpoint_urls`; "Service-specific endpoints",
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), but it reads that profile from
 * AWS_PROFILE only: the clients' `profile` option reaches credentials, region and retries, not endpoints
 * (@smithy/core/endpoints `getEndpointFromConfig` loads the config without it, @smithy/core 3.41). Without
 * this, `--profile audit` would send audit's credentials to the *default* profile's endpoint_url.
 * The environment is the process's, so one profile at a time: a second, different one is refused.
 */
export async function withProfile<T>(profile: string | undefined, scan: () => Promise<T>): Promise<T> {
  if (profile === undefined) return scan();
  if (active !== undefined && active !== profile)
    throw new UsageError(`a live scan under profile ${active} is running; profile ${profile} must wait`);
  const outer = active;
  const previous = process.env[ENV_PROFILE];
  active = profile;
  process.env[ENV_PROFILE] = profile;
  try {
    return await scan();
  } finally {
    active = outer;
    if (outer === undefined) {
      if (previous === undefined) delete process.env[ENV_PROFILE];
      else process.env[ENV_PROFILE] = previous;
    }
  }
}
