// `ssmguard scan --live` and `ssmguard export` end to end against the loopback AWS endpoint: the same
// answer as an offline scan of the same fleet, throttling survived, AccessDenied failing closed, exit codes,
// messages and the progress line. Never real AWS: fake keys, no IMDS, no ~/.aws (see live-cli-kit.ts).

import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetApiData } from '../../src/collectors/api/api-data.js';
import { readInventoryBundle } from '../../src/collectors/bundle/index.js';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../../src/generator/write-aws-cli-files.js';
import { runCli } from './cli-harness.js';
import {
  cleanUp,
  type ReportResult,
  resultKey,
  resultsOf,
  sealAwsEnvironment,
  serveFleet,
  tempDir,
} from './live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const example = buildExampleFleet();
const NOW = example.collectedAt;

/** `scan --live` of a served fleet, JSON report judged at `NOW`. */
async function liveScan(url: string, fleet: FleetApiData, extra: string[] = []) {
  const regions = fleet.accounts[0]!.regions.flatMap((region) => ['--region', region.region]);
  return runCli([
    'scan',
    '--live',
    '--endpoint-url',
    url,
    ...regions,
    '--format',
    'json',
    '--now',
    NOW,
    ...extra,
  ]);
}

/** `scan DIR` of the same fleet written as AWS CLI JSON files. */
async function offlineScan(fleet: FleetApiData, extra: string[] = []) {
  const dir = tempDir();
  await writeAwsCliFiles(fleet, dir);
  return runCli(['scan', dir, '--format', 'json', '--now', NOW, ...extra]);
}

describe('ssmguard scan --live', () => {
  it('gives the same results as an offline scan of the same fleet (example fleet)', async () => {
    // Prepare
    const endpoint = await serveFleet(example);

    // Act
    const live = await liveScan(endpoint.url, example);
    const offline = await offlineScan(example);

    // Assess
    expect(live.stderr).toBe('');
    expect(live.code).toBe(offline.code);
    const results = resultsOf(live.stdout);
    expect(results.length).toBeGreaterThan(100);
    expect(results.some((result) => result.status === 'NON_COMPLIANT')).toBe(true);
    expect(results).toEqual(resultsOf(offline.stdout));
  });

  it('gives the same results as an offline scan across accounts and regions (generated fleet)', async () => {
    // Prepare
    const fleet = generateFleet({
      seed: 21,
      instances: 600,
      accounts: 2,
      regions: ['us-east-1', 'eu-west-1'],
    });
    const endpoint = await serveFleet(fleet, { callerAccountId: '999988887777' });
    const accounts = fleet.accounts.map((account) => account.accountId).join(',');

    // Act
    const live = await liveScan(endpoint.url, fleet, [
      '--role-name',
      'ssmguard-scan',
      '--accounts',
      accounts,
    ]);
    const offline = await offlineScan(fleet);

    // Assess
    expect(live.stderr).toBe('');
    const results = resultsOf(live.stdout);
    expect(
      new Set(results.map((result) => `${result.accountId}/${result.region}`)).size,
    ).toBeGreaterThanOrEqual(4);
    expect(results).toEqual(resultsOf(offline.stdout));
    expect(endpoint.counts.get('sts:AssumeRole')).toBe(2);
  });

  it('scans every account of the organization with --organization', async () => {
    const fleet = generateFleet({ seed: 22, instances: 120, accounts: 3 });
    const endpoint = await serveFleet(fleet);

    const live = await liveScan(endpoint.url, fleet, ['--role-name', 'ssmguard-scan', '--organization']);

    expect(live.stderr).toBe('');
    const accounts = new Set(resultsOf(live.stdout).map((result) => result.accountId));
    expect([...accounts].sort()).toEqual(fleet.accounts.map((account) => account.accountId).sort());
    expect(endpoint.counts.get('organizations:ListAccounts')).toBe(1);
  });

  it('scans every enabled region with --region all', async () => {
    const fleet = generateFleet({ seed: 23, instances: 80, regions: ['eu-west-1', 'us-east-1'] });
    const endpoint = await serveFleet(fleet);

    const run = await runCli([
      'scan',
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      'all',
      '--format',
      'json',
      '--now',
      NOW,
    ]);

    expect(run.stderr).toBe('');
    expect(new Set(resultsOf(run.stdout).map((result) => result.region))).toEqual(
      new Set(['eu-west-1', 'us-east-1']),
    );
    expect(endpoint.counts.get('ec2:DescribeRegions')).toBe(1);
  });

  it('adds --scp policies to a live scan as to an offline one', async () => {
    // Prepare
    const scp = join(tempDir(), 'deny-ssm.json');
    writeFileSync(
      scp,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }],
      }),
    );
    const endpoint = await serveFleet(example);

    // Act
    const live = await liveScan(endpoint.url, example, ['--scp', scp]);
    const offline = await offlineScan(example, ['--scp', scp]);
    const withoutScp = await liveScan(endpoint.url, example);

    // Assess
    expect(resultsOf(live.stdout)).toEqual(resultsOf(offline.stdout));
    expect(resultsOf(live.stdout)).not.toEqual(resultsOf(withoutScp.stdout));
  });

  it('survives injected throttling with no lost resources: same results as without', async () => {
    // Prepare: a fifth of all calls throttled (seeded), with enough attempts to get through.
    sealAwsEnvironment({ AWS_MAX_ATTEMPTS: '12' });
    const clean = await serveFleet(example);
    const throttled = await serveFleet(example, {
      faults: [{ operation: '*', kind: 'throttle', fraction: 0.2, seed: 7 }],
    });

    // Act
    const expected = await liveScan(clean.url, example);
    const actual = await liveScan(throttled.url, example);

    // Assess
    expect(actual.stderr).toBe('');
    expect(resultsOf(actual.stdout)).toEqual(resultsOf(expected.stdout));
    expect(throttled.totalCalls()).toBeGreaterThan(clean.totalCalls());
  }, 60_000);

  it('fails closed on AccessDenied for one operation: only the rules that need it change, to ERROR naming the permission', async () => {
    // Prepare
    const clean = await serveFleet(example);
    const denied = await serveFleet(example, {
      faults: [{ operation: 'ssm:DescribeInstanceInformation', kind: 'access-denied' }],
    });

    // Act
    const expected = await liveScan(clean.url, example);
    const actual = await liveScan(denied.url, example);

    // Assess
    expect(actual.code).toBe(1);
    expect(actual.stderr).toMatch(
      /warning: ssm:DescribeInstanceInformation unreadable in 111122223333\/us-east-1 \(AccessDeniedException; needs ssm:DescribeInstanceInformation\)/,
    );
    const before = new Map(resultsOf(expected.stdout).map((result) => [resultKey(result), result]));
    const after = resultsOf(actual.stdout);
    expect(after.map(resultKey).sort()).toEqual([...before.keys()].sort());
    const changed: ReportResult[] = after.filter(
      (result) => JSON.stringify(result) !== JSON.stringify(before.get(resultKey(result))),
    );
    expect(changed.length).toBeGreaterThan(0);
    for (const result of changed) {
      expect(result.status).toBe('ERROR');
      // Patch states are read for the listed nodes, so they are unreadable too (naming the listing that failed).
      expect(result.error?.permission).toMatch(/^ssm:DescribeInstance(Information|PatchStates)$/);
      expect(result.message).toMatch(/AccessDenied/);
      if (result.error?.permission === 'ssm:DescribeInstancePatchStates')
        expect(result.message).toMatch(/ssm:DescribeInstanceInformation failed/);
    }
  });

  it('exits 1 when nothing is wrong but a family is unreadable (ERROR counts as failing)', async () => {
    const fleet = generateFleet({ seed: 3, instances: 20 });
    const endpoint = await serveFleet(fleet, {
      faults: [{ operation: 'ec2:DescribeVpcEndpoints', kind: 'access-denied' }],
    });

    const run = await liveScan(endpoint.url, fleet, ['--fail-on', 'critical']);

    expect(run.code).toBe(1);
    expect(
      resultsOf(run.stdout)
        .filter((result) => result.status === 'ERROR')
        .map((result) => result.error?.permission),
    ).toContain('ec2:DescribeVpcEndpoints');
  });
});

describe('ssmguard export', () => {
  it('export --live writes a bundle that scan re-runs offline with the same results, at the collection time', async () => {
    // Prepare
    const endpoint = await serveFleet(example);
    const bundle = join(tempDir(), 'fleet.json.gz');

    // Act
    const exported = await runCli([
      'export',
      '--live',
      '--endpoint-url',
      endpoint.url,
      '--region',
      'us-east-1',
      '--out',
      bundle,
    ]);
    const inventory = await readInventoryBundle(bundle);
    const rescan = await runCli(['scan', bundle, '--format', 'json']);
    const live = await liveScan(endpoint.url, example, ['--now', inventory.source.collectedAt!]);

    // Assess
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(
      /^wrote .*fleet\.json\.gz: \d+ instances, 1 account\(s\), 1 region\(s\), \d+ API calls, collected \d{4}-/,
    );
    expect(inventory.source).toMatchObject({
      kind: 'live',
      accounts: ['111122223333'],
      regions: ['us-east-1'],
    });
    expect(inventory.source.apiCalls).toMatchObject({
      'ec2:DescribeInstances': 1,
      'iam:GetAccountAuthorizationDetails': 1,
      'sts:GetCallerIdentity': 1,
    });
    const calls = Object.values(inventory.source.apiCalls ?? {}).reduce((sum, count) => sum + count, 0);
    expect(calls).toBe(endpoint.totalCalls() / 2);
    expect(rescan.code).toBe(live.code);
    expect(resultsOf(rescan.stdout)).toEqual(resultsOf(live.stdout));
    expect((JSON.parse(rescan.stdout) as { source: { evaluatedAt: string } }).source.evaluatedAt).toBe(
      inventory.source.collectedAt,
    );
  });

  it('export PATH writes a bundle from AWS CLI JSON that scans like the folder', async () => {
    const dir = tempDir();
    await writeAwsCliFiles(example, dir);
    const bundle = join(tempDir(), 'fleet.json');

    const exported = await runCli(['export', dir, '--out', bundle]);
    const fromBundle = await runCli(['scan', bundle, '--format', 'json', '--now', NOW]);
    const fromFolder = await runCli(['scan', dir, '--format', 'json', '--now', NOW]);

    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(
      /^wrote .*fleet\.json: \d+ instances, 1 account\(s\), 1 region\(s\), collected 2026-11-20T12:00:00.000Z\n$/,
    );
    expect(resultsOf(fromBundle.stdout)).toEqual(resultsOf(fromFolder.stdout));
  });

  it('needs --out', async () => {
    const run = await runCli(['export', '--live', '--region', 'us-east-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/export needs --out FILE/);
  });
});

describe('ssmguard scan --live: failures that stop the scan', () => {
  it('says once, without a stack trace, that the endpoint is unreachable (exit 2)', async () => {
    // Prepare: a port that was just free, so nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });

    // Act
    const run = await runCli([
      'scan',
      '--live',
      '--endpoint-url',
      `http://127.0.0.1:${port}`,
      '--region',
      'us-east-1',
    ]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^ssmguard: sts:GetCallerIdentity: cannot reach the AWS endpoint \(ECONNREFUSED: .*\)\nhint: check the network path to AWS/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says once that AWS rejected the credentials (exit 2)', async () => {
    // Key ids naming an account the endpoint does not know answer InvalidClientTokenId, as AWS does.
    sealAwsEnvironment({ AWS_ACCESS_KEY_ID: 'AKIA999999999999ABCD' });
    const endpoint = await serveFleet(example);

    const run = await runCli(['scan', '--live', '--endpoint-url', endpoint.url, '--region', 'us-east-1']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^ssmguard: sts:GetCallerIdentity: AWS rejected the credentials \(InvalidClientTokenId: .*\)\nhint: check the credentials the SDK found/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(2);
    expect(endpoint.totalCalls()).toBe(1);
  });

  it('says once that no credentials were found (exit 2)', async () => {
    sealAwsEnvironment({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const endpoint = await serveFleet(example);

    const run = await runCli(['scan', '--live', '--endpoint-url', endpoint.url, '--region', 'us-east-1']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^ssmguard: sts:GetCallerIdentity: no usable AWS credentials \(CredentialsProviderError: .*\)\nhint: check the credentials/,
    );
    expect(endpoint.totalCalls()).toBe(0);
  });

  it.each([
    [['scan', '--live', 'some/dir', '--region', 'us-east-1'], /--live reads from AWS, not from files/],
    [
      ['scan', '--live', '--region', 'us-east-1', '--accounts', '111122223333'],
      /--accounts and --organization need --role-name/,
    ],
    [['scan', '--live', '--region', 'us-east-1', '--role-name', 'x'], /--role-name needs the accounts/],
    [
      ['scan', '--live', '--region', 'us-east-1', '--role-name', 'x', '--accounts', '12345'],
      /12-digit AWS account ids, got "12345"/,
    ],
    [
      ['scan', '--live', '--region', 'us-east-1', '--concurrency', '0'],
      /--concurrency must be a whole number from 1 to 64/,
    ],
    [['scan', '--live', '--region', 'mars-1'], /"mars-1" is not an AWS region name/],
    [['scan', '--live'], /--live needs a region/],
    [['scan', 'some/dir', '--profile', 'prod'], /--profile only applies to a live scan: add --live/],
    [
      ['scan', 'some/dir', '--region', 'us-east-1', '--region', 'eu-west-1'],
      /--region is given once for input files/,
    ],
  ])('rejects %j before any call', async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('live scan progress', () => {
  it('redraws one line on stderr when it is a TTY: accounts, regions, families, API calls', async () => {
    const endpoint = await serveFleet(example);

    const run = await runCli(
      ['scan', '--live', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--format', 'json'],
      { stderrIsTty: true },
    );

    const frames = run.stderr.split('\r\x1b[2K').filter(Boolean);
    expect(frames[0]).toBe('live scan: connecting…');
    expect(frames.at(-1)).toMatch(/^live scan: 1 account · 1 region · families (\d+)\/\1 · \d+ API calls\n$/);
    expect(run.stderr.match(/\n/g)).toHaveLength(1);
    expect(resultsOf(run.stdout).length).toBeGreaterThan(0);
  });

  it('writes nothing to stderr without a TTY', async () => {
    const endpoint = await serveFleet(example);

    const run = await runCli(
      ['scan', '--live', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--format', 'json'],
      { stderrIsTty: false },
    );

    expect(run.stderr).toBe('');
  });

  it('erases the line when the scan stops on an error', async () => {
    sealAwsEnvironment({ AWS_ACCESS_KEY_ID: 'AKIA999999999999ABCD' });
    const endpoint = await serveFleet(example);

    const run = await runCli(['scan', '--live', '--endpoint-url', endpoint.url, '--region', 'us-east-1'], {
      stderrIsTty: true,
    });

    const erase = '\r\x1b[2K';
    expect(run.stderr.startsWith(`${erase}live scan: connecting…`)).toBe(true);
    expect(run.stderr).toContain(`${erase}ssmguard: sts:GetCallerIdentity: AWS rejected the credentials`);
  });
});
