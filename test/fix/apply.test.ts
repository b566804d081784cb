// `ssmguard fix --apply` end to end against the loopback AWS endpoint seeded with the example fleet: plan, apply,
// re-scan (every repairable link fixed, every "needs a person" link unchanged), a second apply that changes
// nothing, a target changed after planning refused, throttling and AccessDenied mid-apply, and undo.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiJson, FleetApiData } from '../../src/collectors/api/api-data.js';
import type { LogLine } from '../../src/fix/apply/apply-log.js';
import { fixerPolicyFor } from '../../src/fix/apply/fixer-policy.js';
import { evaluateActions } from '../../src/iam/index.js';
import type { PolicyDocument } from '../../src/inventory/model.js';
import type { FixPlan } from '../../src/fix/plan/plan-types.js';
import { buildExampleFleet } from '../../src/generator/example-fleet.js';
import { EXAMPLE_FLEET_FACTS as F } from '../../src/generator/example-fleet-facts.js';
import { runCli } from '../cli/cli-harness.js';
import {
  cleanUp,
  type ReportResult,
  resultsOf,
  sealAwsEnvironment,
  serveFleet,
  tempDir,
} from '../cli/live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const NOW = F.collectedAt;
const live = (url: string): string[] => ['--live', '--endpoint-url', url, '--region', F.region];

async function planFor(
  url: string,
  dir: string,
  extra: string[] = [],
): Promise<{ file: string; plan: FixPlan }> {
  const file = join(dir, 'plan.json');
  const run = await runCli([
    'fix',
    ...live(url),
    '--format',
    'json',
    '--output',
    file,
    '--now',
    NOW,
    ...extra,
  ]);
  expect(run.code).toBe(0);
  return { file, plan: JSON.parse(readFileSync(file, 'utf8')) as FixPlan };
}

const apply = (url: string, file: string, extra: string[] = []) =>
  runCli(['fix', '--apply', file, '--yes', '--endpoint-url', url, ...extra]);

async function scan(url: string): Promise<ReportResult[]> {
  return resultsOf((await runCli(['scan', ...live(url), '--format', 'json', '--now', NOW])).stdout);
}

const logOf = (file: string): LogLine[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogLine);

const writes = (counts: Map<string, number>): number =>
  [...counts].filter(([op]) => !/:(Describe|Get|List)/.test(op)).reduce((sum, [, n]) => sum + n, 0);

function fresh(): FleetApiData {
  return structuredClone(buildExampleFleet());
}

// Each test plans, applies and re-scans the fleet live a few times: seconds alone, longer on a busy machine.
describe('ssmguard fix --apply (loopback endpoint, example fleet)', { timeout: 180_000 }, () => {
  it('repairs every repairable link, leaves every "needs a person" link as it was, and a second apply changes nothing', async () => {
    // Prepare
    const endpoint = await serveFleet(fresh());
    const dir = tempDir();
    const { file, plan } = await planFor(endpoint.url, dir);
    const before = await scan(endpoint.url);

    // Act
    const first = await apply(endpoint.url, file);
    const after = await scan(endpoint.url);
    const writesAfterFirst = writes(endpoint.counts);
    const second = await apply(endpoint.url, file, ['--log', join(dir, 'second.jsonl')]);

    // Assess
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${plan.changes.length} applied`);
    expect(first.stdout).toContain('ec2-instance-profile-attached: NON_COMPLIANT → COMPLIANT — 200');
    expect(first.stdout).toContain('sudo systemctl restart amazon-ssm-agent');
    const status = (results: ReportResult[], ruleId: string, id: string) =>
      results.find((r) => r.ruleId === ruleId && r.resourceId === id)?.status;
    for (const change of plan.changes) {
      for (const fix of change.fixes)
        for (const id of fix.resourceIds)
          expect([fix.ruleId, id, status(after, fix.ruleId, id)]).toEqual([fix.ruleId, id, 'COMPLIANT']);
    }
    for (const item of plan.needsPerson) {
      expect([item.ruleId, item.resourceId, status(after, item.ruleId, item.resourceId)]).toEqual([
        item.ruleId,
        item.resourceId,
        status(before, item.ruleId, item.resourceId),
      ]);
    }
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${plan.changes.length} already-done`);
    expect(writes(endpoint.counts)).toBe(writesAfterFirst);
  });

  it('skips a change someone already made since the plan (its "after" holds) and applies the rest', async () => {
    // Prepare
    const fleet = fresh();
    const endpoint = await serveFleet(fleet);
    const { file, plan } = await planFor(endpoint.url, tempDir());
    const groups = fleet.accounts[0]!.regions[0]!.DescribeSecurityGroups.SecurityGroups as ApiJson[];
    groups.find((g) => g.GroupId === F.securityGroups.sshFromAnywhere)!.IpPermissions = [];

    // Act
    const run = await apply(endpoint.url, file);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${plan.changes.length - 1} applied, 1 already-done`);
  });

  it('refuses a change whose target moved to a third state since the plan, naming both states', async () => {
    // Prepare
    const fleet = fresh();
    const endpoint = await serveFleet(fleet);
    const { file, plan } = await planFor(endpoint.url, tempDir());
    const first = plan.changes.find((c) => c.kind === 'ec2:associate-iam-instance-profile')!;
    const instances = (fleet.accounts[0]!.regions[0]!.DescribeInstances.Reservations as ApiJson[]).flatMap(
      (r) => r.Instances as ApiJson[],
    );
    const changed = instances.find((i) => i.InstanceId === first.target.resourceId)!;
    changed.IamInstanceProfile = {
      Arn: 'arn:aws:iam::111122223333:instance-profile/SomeoneElsesProfile',
      Id: 'AIPAEXAMPLE',
    };

    // Act
    const run = await apply(endpoint.url, file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`REFUSED ${first.id}`);
    expect(run.stdout).toContain(
      'changed since the plan: planned before {"instanceProfileArn":null}, now {"instanceProfileArn":"arn:aws:iam::111122223333:instance-profile/SomeoneElsesProfile"}',
    );
    expect(changed.IamInstanceProfile).toMatchObject({ Arn: expect.stringContaining('SomeoneElsesProfile') });
  });

  it('survives throttling, records AccessDenied accurately, and the same plan re-runs to completion', async () => {
    // Prepare
    const endpoint = await serveFleet(fresh());
    const dir = tempDir();
    const { file, plan } = await planFor(endpoint.url, dir);
    endpoint.setFaults([
      { operation: 'ec2:AssociateIamInstanceProfile', kind: 'throttle', firstN: 3 },
      { operation: 'ec2:ModifyInstanceMetadataOptions', kind: 'access-denied' },
    ]);

    // Act
    const first = await apply(endpoint.url, file, ['--log', join(dir, 'first.jsonl')]);
    endpoint.setFaults([]);
    const again = await apply(endpoint.url, file, ['--log', join(dir, 'again.jsonl')]);

    // Assess
    const imds = plan.changes.find((c) => c.kind === 'ec2:modify-instance-metadata-options')!;
    const entries = logOf(join(dir, 'first.jsonl')).filter((l) => l.type === 'change');
    expect(entries).toHaveLength(plan.changes.length);
    expect(entries.find((e) => e.change.id === imds.id)).toMatchObject({
      outcome: 'failed',
      errorCode: 'UnauthorizedOperation',
    });
    expect(entries.filter((e) => e.outcome === 'applied')).toHaveLength(plan.changes.length - 1);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`FAILED ${imds.id}`);
    expect(endpoint.counts.get('ec2:AssociateIamInstanceProfile')).toBe(200 + 3);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`1 applied, ${plan.changes.length - 1} already-done`);
  });

  it('undoes what the log says was applied, except what AWS cannot reverse', async () => {
    // Prepare
    const endpoint = await serveFleet(fresh());
    const dir = tempDir();
    const { file, plan } = await planFor(endpoint.url, dir);
    const before = await scan(endpoint.url);
    await apply(endpoint.url, file, ['--log', join(dir, 'apply.jsonl')]);

    // Act
    const undo = await runCli([
      'fix',
      '--undo',
      join(dir, 'apply.jsonl'),
      '--yes',
      '--endpoint-url',
      endpoint.url,
    ]);
    const after = await scan(endpoint.url);

    // Assess
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain(`${plan.changes.length - 1} undone, 1 not-reversible`);
    const differing = after
      .filter((r, i) => r.status !== before[i]?.status)
      .map((r) => `${r.ruleId}|${r.resourceId}`);
    expect(differing).toEqual([`ec2-instance-not-hybrid-activated|${F.ec2AsHybridInstanceId}`]);
    // The plan's own policy (--format policy) allows every call apply and undo made, and holds nothing they did not call.
    const policy = fixerPolicyFor(plan) as unknown as PolicyDocument;
    const called = [...endpoint.counts.keys()];
    const decide = (action: string, resource = '*') => {
      const result = evaluateActions({
        identityPolicies: [{ id: 'fixer', policy: { document: policy } }],
        actions: [action],
        resource,
      });
      return result.status === 'EVALUATED' ? result.decisions[0]!.decision : result.status;
    };
    expect(called.filter((op) => decide(op) !== 'ALLOWED')).toEqual([]);
    const granted = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]).flatMap(
      (s) => s.Action as string[],
    );
    expect(granted.filter((action) => action !== 'iam:PassRole' && !called.includes(action))).toEqual([]);
    expect(decide('iam:PassRole', `arn:aws:iam::${F.accountId}:role/${F.roles.healthy}`)).toBe('ALLOWED');
    expect(decide('iam:PassRole', `arn:aws:iam::${F.accountId}:role/${F.roles.explicitDeny}`)).toBe(
      'NOT_ALLOWED',
    );
  });

  it('asks for --yes when stdin is not a terminal, and applies nothing', async () => {
    const endpoint = await serveFleet(fresh());
    const { file } = await planFor(endpoint.url, tempDir());
    const run = await runCli(['fix', '--apply', file, '--endpoint-url', endpoint.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('add --yes');
    expect(writes(endpoint.counts)).toBe(0);
  });
});
