// Shared pieces of the live CLI tests: a sealed AWS environment (fake keys, no IMDS, no ~/.aws), the
// loopback endpoint per test, temp folders, and the results of a JSON report.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { FleetApiData } from '../../src/collectors/api/api-data.js';
import {
  type AwsEndpoint,
  type AwsEndpointOptions,
  startAwsEndpoint,
} from '../support/aws-endpoint/start-aws-endpoint.js';

/** Never real: the loopback endpoint maps key ids without 12 digits to the fleet's first account. */
export const FAKE_KEY_ID = 'AKIDLOOPBACKTEST';

/**
 * Points the SDK's default credential chain at fake env keys and nothing else: no shared config files,
 * no IMDS, no profile or region from the developer's shell, one attempt per call (aws-facts §0 #15).
 */
export function sealAwsEnvironment(overrides: Record<string, string | undefined> = {}): void {
  const env: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: FAKE_KEY_ID,
    AWS_SECRET_ACCESS_KEY: 'loopback-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONFIG_FILE: join(tmpdir(), 'ssmguard-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'ssmguard-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

/** Endpoints and folders a test made, for `cleanUp` in afterEach. */
const endpoints: AwsEndpoint[] = [];
const folders: string[] = [];

export async function serveFleet(
  fleet: FleetApiData,
  options: Omit<AwsEndpointOptions, 'fleet'> = {},
): Promise<AwsEndpoint> {
  const endpoint = await startAwsEndpoint({ fleet, ...options });
  endpoints.push(endpoint);
  return endpoint;
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-live-'));
  folders.push(dir);
  return dir;
}

export async function cleanUp(): Promise<void> {
  vi.unstubAllEnvs();
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.stop()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One result of a JSON report, as far as these tests look at it. */
export interface ReportResult {
  ruleId: string;
  resourceId: string;
  accountId?: string;
  region?: string;
  status: string;
  message?: string;
  error?: { code: string; message: string; permission?: string };
}

export function resultsOf(stdout: string): ReportResult[] {
  return (JSON.parse(stdout) as { results: ReportResult[] }).results;
}

/** A stable key per result, to pair the results of two scans. */
export const resultKey = (result: ReportResult): string =>
  `${result.ruleId}|${result.accountId ?? ''}|${result.region ?? ''}|${result.resourceId}`;
