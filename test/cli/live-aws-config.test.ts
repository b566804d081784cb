// A live scan configured as the AWS CLI is: endpoints from the environment and the shared config (the named
// profile's, not the default's), the explicit flag first, a missing profile named, and retries from
// AWS_MAX_ATTEMPTS / max_attempts / AWS_RETRY_MODE — enough by default that 40 % throttling changes no result.
// Only the loopback endpoint is called.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import type { FaultSpec } from '../support/aws-endpoint/faults.js';
import { runCli } from './cli-harness.js';
import { cleanUp, FAKE_KEY_ID, resultsOf, sealAwsEnvironment, serveFleet, tempDir } from './live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const example = buildExampleFleet();
const NOW = example.collectedAt;
const REGIONS = example.accounts[0]!.regions.flatMap((region) => ['--region', region.region]);
/** Nothing listens here: a scan sent to it fails, so a passing scan proves which endpoint was used. */
const DEAD_URL = 'http://127.0.0.1:9';
/**
 * 40 % of all calls throttled, each service in its own protocol's error format, seeded so runs repeat; and the
 * first call of one operation per protocol for sure (EC2 query XML, SSM JSON 1.1, IAM and STS query XML).
 */
const THROTTLE_40: FaultSpec[] = [
  ...['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'iam:GetAccountAuthorizationDetails'].map(
    (operation): FaultSpec => ({ operation, kind: 'throttle', firstN: 1 }),
  ),
  { operation: 'sts:GetCallerIdentity', kind: 'throttle', firstN: 1 },
  { operation: '*', kind: 'throttle', fraction: 0.4, seed: 40 },
];
/** Short retry waits (SSMGUARD_RETRY_BASE_DELAY_MS), so the throttled scans stay fast; attempts and mode stay. */
const FAST_RETRIES = { env: { SSMGUARD_RETRY_BASE_DELAY_MS: '1' } };

/** A shared config file holding `text`, used through AWS_CONFIG_FILE. */
function configFile(text: string): string {
  const file = join(tempDir(), 'config');
  writeFileSync(file, text);
  return file;
}

/** A profile's own keys; the environment's are removed where a test uses it, as a user of profiles has none. */
const credentials = `aws_access_key_id = ${FAKE_KEY_ID}\naws_secret_access_key = loopback-secret\n`;
const NO_ENV_KEYS = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };

async function scan(extra: string[], io: Parameters<typeof runCli>[1] = {}) {
  return runCli(['scan', '--live', ...REGIONS, '--format', 'json', '--now', NOW, ...extra], io);
}

/** Requests per service (`ec2`, `ssm`, `iam`, `sts`) an endpoint received. */
function callsPerService(counts: Map<string, number>): Record<string, number> {
  const perService: Record<string, number> = {};
  for (const [operation, count] of counts) {
    const service = operation.split(':')[0]!;
    perService[service] = (perService[service] ?? 0) + count;
  }
  return perService;
}

describe('endpoint configuration', () => {
  it("sends a --profile scan to that profile's endpoint_url, not the default profile's", async () => {
    // Prepare
    const endpoint = await serveFleet(example);
    const reference = await scan(['--endpoint-url', endpoint.url]);
    sealAwsEnvironment({
      ...NO_ENV_KEYS,
      AWS_CONFIG_FILE: configFile(
        `[default]\nendpoint_url = ${DEAD_URL}\n${credentials}` +
          `[profile audit]\nendpoint_url = ${endpoint.url}\n${credentials}`,
      ),
    });
    const before = endpoint.totalCalls();

    // Act
    const run = await scan(['--profile', 'audit']);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(reference.code);
    expect(resultsOf(run.stdout)).toEqual(resultsOf(reference.stdout));
    expect(endpoint.totalCalls() - before).toBe(before);
    expect(process.env.AWS_PROFILE).toBeUndefined();
  });

  it('uses AWS_ENDPOINT_URL, and lets --endpoint-url win over it', async () => {
    const endpoint = await serveFleet(example);
    sealAwsEnvironment({ AWS_ENDPOINT_URL: endpoint.url });
    const fromEnvironment = await scan([]);
    expect(fromEnvironment.stderr).toBe('');
    expect(resultsOf(fromEnvironment.stdout).length).toBeGreaterThan(0);

    sealAwsEnvironment({ AWS_ENDPOINT_URL: DEAD_URL, AWS_ENDPOINT_URL_EC2: DEAD_URL });
    const fromFlag = await scan(['--endpoint-url', endpoint.url]);
    expect(fromFlag.stderr).toBe('');
    expect(resultsOf(fromFlag.stdout)).toEqual(resultsOf(fromEnvironment.stdout));
  });

  it.for([
    {
      name: '--profile nosuch',
      args: ['--profile', 'nosuch'],
      env: {},
      says: 'profile nosuch not found (--profile)',
    },
    {
      name: 'AWS_PROFILE=nosuch',
      args: [],
      env: { AWS_PROFILE: 'nosuch' },
      says: 'profile nosuch not found (AWS_PROFILE)',
    },
  ])('names a profile that does not exist ($name) before any call', async ({ args, env, says }) => {
    const endpoint = await serveFleet(example);
    sealAwsEnvironment(env);
    const run = await scan([...args, '--endpoint-url', endpoint.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(says);
    expect(run.stderr).toContain('ssmguard-no-aws-config');
    expect(endpoint.totalCalls()).toBe(0);
  });
});

describe('retries under heavy throttling', () => {
  it('changes no result at 40 percent throttling with the default attempts and mode (adaptive)', async () => {
    // Prepare: nothing configured, so the defaults decide.
    sealAwsEnvironment({ AWS_MAX_ATTEMPTS: undefined });
    const clean = await serveFleet(example);
    const throttled = await serveFleet(example, { faults: THROTTLE_40 });

    // Act
    const expected = await scan(['--endpoint-url', clean.url]);
    const actual = await scan(['--endpoint-url', throttled.url], FAST_RETRIES);

    // Assess
    expect(actual.stderr).toBe('');
    expect(actual.code).toBe(expected.code);
    expect(resultsOf(actual.stdout)).toEqual(resultsOf(expected.stdout));
    // Every protocol's throttling answer was retried: EC2 query XML (RequestLimitExceeded, 503), SSM's JSON
    // ThrottlingException, IAM and STS query XML Throttling.
    const cleanCalls = callsPerService(clean.counts);
    const throttledCalls = callsPerService(throttled.counts);
    for (const service of ['ec2', 'ssm', 'iam', 'sts']) {
      expect(throttledCalls[service], service).toBeGreaterThan(cleanCalls[service] ?? 0);
    }
  });

  it('changes no result in standard mode from AWS_RETRY_MODE either', async () => {
    sealAwsEnvironment({ AWS_MAX_ATTEMPTS: undefined, AWS_RETRY_MODE: 'standard' });
    const clean = await serveFleet(example);
    const throttled = await serveFleet(example, { faults: THROTTLE_40 });
    const expected = await scan(['--endpoint-url', clean.url]);
    const actual = await scan(['--endpoint-url', throttled.url], FAST_RETRIES);
    expect(actual.stderr).toBe('');
    expect(resultsOf(actual.stdout)).toEqual(resultsOf(expected.stdout));
  });

  it("honours the profile's max_attempts: with one attempt, one throttled call is an ERROR", async () => {
    // Prepare: only the first DescribeInstanceInformation is throttled; any retry would read it.
    const faults: FaultSpec[] = [
      { operation: 'ssm:DescribeInstanceInformation', kind: 'throttle', firstN: 1 },
    ];
    const throttled = await serveFleet(example, { faults });
    sealAwsEnvironment({
      ...NO_ENV_KEYS,
      AWS_MAX_ATTEMPTS: undefined,
      AWS_CONFIG_FILE: configFile(`[profile audit]\nmax_attempts = 1\n${credentials}`),
    });

    // Act
    const run = await scan(['--profile', 'audit', '--endpoint-url', throttled.url], FAST_RETRIES);

    // Assess
    expect(run.stderr).toContain('ssm:DescribeInstanceInformation unreadable');
    expect(run.stderr).toContain('ThrottlingException');
    const online = resultsOf(run.stdout).filter((result) => result.ruleId === 'ec2-instance-ssm-online');
    const blinded = online.filter((result) => result.region === 'us-east-1');
    expect(blinded.length).toBeGreaterThan(0);
    // Running instances cannot be judged (stopped ones stay NOT_APPLICABLE, as the rule documents).
    expect(blinded.filter((result) => result.status === 'COMPLIANT')).toEqual([]);
    const errors = blinded.filter((result) => result.status === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    for (const result of errors) expect(result.message).toContain('ThrottlingException');
    // Not retried: the endpoint saw no second DescribeInstanceInformation for that region.
    expect(throttled.counts.get('ssm:DescribeInstanceInformation')).toBe(REGIONS.length / 2);
  });

  it('lets --max-attempts win over AWS_MAX_ATTEMPTS', async () => {
    const throttled = await serveFleet(example, { faults: THROTTLE_40 });
    const clean = await serveFleet(example);
    sealAwsEnvironment({ AWS_MAX_ATTEMPTS: '1' });
    const expected = await scan(['--endpoint-url', clean.url]);
    const run = await scan(['--max-attempts', '20', '--endpoint-url', throttled.url], FAST_RETRIES);
    expect(run.stderr).toBe('');
    expect(resultsOf(run.stdout)).toEqual(resultsOf(expected.stdout));
  });
});
