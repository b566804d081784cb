// The plan's shell script, run by the real AWS CLI against the loopback endpoint, reaches the end state
// `ssmguard fix --apply` reaches on an identical fleet: the same IAM roles, profiles and policies, the same
// instance profiles, metadata options, security-group rules and DHMC setting, and the same re-scan verdicts.

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiJson, FleetApiData } from '../../src/collectors/api/api-data.js';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { EXAMPLE_FLEET_FACTS as F } from '../../src/generator/example-fleet-facts.js';
import { runCli } from '../cli/cli-harness.js';
import {
  cleanUp,
  resultsOf,
  sealAwsEnvironment,
  serveFleet,
  tempDir,
  type ReportResult,
} from '../cli/live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const NOW = F.collectedAt;
const live = (url: string): string[] => ['--live', '--endpoint-url', url, '--region', F.region];

/** The AWS CLI on PATH (v1 or v2: the script passes --endpoint-url itself), or undefined. */
function awsCli(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

// CI installs the AWS CLI (.ci/run) and sets SSMGUARD_REQUIRE_AWS_CLI, so there the test cannot be skipped.
const cli = awsCli();
const required = process.env.SSMGUARD_REQUIRE_AWS_CLI === '1';

async function scan(url: string): Promise<string[]> {
  const results: ReportResult[] = resultsOf(
    (await runCli(['scan', ...live(url), '--format', 'json', '--now', NOW])).stdout,
  );
  return results.map((r) => `${r.ruleId} ${r.resourceId} ${r.status}`).sort();
}

/** What the changes touch, without the ids and dates AWS assigns at creation (they differ between two runs). */
function endState(fleet: FleetApiData): unknown {
  const account = fleet.accounts[0]!;
  const gaad = account.GetAccountAuthorizationDetails as ApiJson;
  const region = account.regions.find((r) => r.region === F.region)!;
  const instances = (region.DescribeInstances!.Reservations as ApiJson[]).flatMap(
    (r) => r.Instances as ApiJson[],
  );
  const name = (arn: unknown): string => String(arn).slice(String(arn).lastIndexOf('/') + 1);
  return {
    roles: (gaad.RoleDetailList as ApiJson[])
      .map((r) => ({
        name: r.RoleName,
        path: r.Path,
        trust: decodeURIComponent(String(r.AssumeRolePolicyDocument)),
        attached: (r.AttachedManagedPolicies as ApiJson[]).map((p) => p.PolicyArn).sort(),
        inline: (r.RolePolicyList as ApiJson[])
          .map((p) => `${String(p.PolicyName)}=${decodeURIComponent(String(p.PolicyDocument))}`)
          .sort(),
        profiles: (r.InstanceProfileList as ApiJson[]).map((p) => p.InstanceProfileName).sort(),
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    instances: instances
      .map((i) => ({
        id: i.InstanceId,
        profile: i.IamInstanceProfile === undefined ? null : name((i.IamInstanceProfile as ApiJson).Arn),
        metadata: i.MetadataOptions,
      }))
      .sort((a, b) => String(a.id).localeCompare(String(b.id))),
    securityGroups: (region.DescribeSecurityGroups!.SecurityGroups as ApiJson[])
      .map((g) => ({ id: g.GroupId, ingress: g.IpPermissions, egress: g.IpPermissionsEgress }))
      .sort((a, b) => String(a.id).localeCompare(String(b.id))),
    dhmc: region.GetServiceSetting,
  };
}

/**
 * The example fleet with only the first few of its 200 profile-less instances: the script runs one AWS CLI process
 * per command (about a second each), and every other kind of change stays in the plan.
 */
function trimmedFleet(keepProfileless = 2): FleetApiData {
  const fleet = structuredClone(buildExampleFleet());
  let kept = 0;
  for (const region of fleet.accounts[0]!.regions) {
    for (const reservation of (region.DescribeInstances?.Reservations ?? []) as ApiJson[]) {
      reservation.Instances = (reservation.Instances as ApiJson[]).filter(
        (i) => i.IamInstanceProfile !== undefined || kept++ < keepProfileless,
      );
    }
  }
  return fleet;
}

describe.runIf(cli !== undefined || required)('the fix plan as a shell script', { timeout: 240_000 }, () => {
  it('run by the AWS CLI reaches the end state --apply reaches', async () => {
    // Prepare: two identical fleets, one repaired by --apply, the other by the script.
    expect(cli, 'the AWS CLI is required here (SSMGUARD_REQUIRE_AWS_CLI=1)').toBeDefined();
    const byApply = trimmedFleet();
    const byScript = trimmedFleet();
    const applyEndpoint = await serveFleet(byApply);
    const scriptEndpoint = await serveFleet(byScript);
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    const scriptFile = join(dir, 'plan.sh');
    const plan = await runCli([
      'fix',
      ...live(applyEndpoint.url),
      '--format',
      'json',
      '--output',
      planFile,
      '--now',
      NOW,
    ]);
    expect(plan.code).toBe(0);
    const script = await runCli([
      'fix',
      ...live(scriptEndpoint.url),
      '--format',
      'script',
      '--output',
      scriptFile,
      '--now',
      NOW,
    ]);
    expect(script.code).toBe(0);
    const before = endState(byScript);
    const commands = readFileSync(scriptFile, 'utf8')
      .split('\n')
      .filter((l) => /^(aws|association=)/.test(l));
    expect(commands.length).toBeGreaterThan(2);

    // Act
    const applied = await runCli(['fix', '--apply', planFile, '--yes', '--endpoint-url', applyEndpoint.url]);
    const home = tempDir();
    writeFileSync(join(home, 'config'), '[default]\noutput = json\n');
    // Asynchronously: the loopback endpoint answers from this process's event loop.
    await promisify(execFile)('sh', [scriptFile], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_ENDPOINT_URL: scriptEndpoint.url,
        AWS_ACCESS_KEY_ID: 'AKIDLOOPBACKSCRIPT',
        AWS_SECRET_ACCESS_KEY: 'loopback-secret',
        AWS_DEFAULT_REGION: F.region,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
      },
    });

    // Assess: the script changed something, and exactly what --apply changed.
    expect(applied.code).toBe(0);
    expect(endState(byScript)).not.toEqual(before);
    expect(endState(byScript)).toEqual(endState(byApply));
    expect(await scan(scriptEndpoint.url)).toEqual(await scan(applyEndpoint.url));
  });
});
