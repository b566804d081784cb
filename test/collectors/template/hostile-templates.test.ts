// What ssmguard does not read must not read as a pass: resources attaching to targets it cannot place, types it
// does not map, macros it does not expand; and hostile names (prototype keys) are names like any other.

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/cli-harness.js';

const HOSTILE = new URL('../../fixtures/template/cloudformation/hostile/', import.meta.url).pathname;
const PLANS = new URL('../../fixtures/template/terraform/', import.meta.url).pathname;
const NOW = '2026-11-20T12:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'ssmguard-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  ruleId: string;
  status: string;
  reason?: string;
  message?: string;
}

async function scan(file: string): Promise<{ code: number; stderr: string; results: Result[] }> {
  const output = join(dir, 'report.json');
  rmSync(output, { force: true });
  const run = await runCli(['scan', file, '--format', 'json', '--output', output, '--now', NOW]);
  if (run.code === 2) return { code: 2, stderr: run.stderr, results: [] };
  return { ...run, results: (JSON.parse(readFileSync(output, 'utf8')) as { results: Result[] }).results };
}

const statusOf = (results: Result[], ruleId: string): string[] =>
  results.filter((r) => r.ruleId === ruleId).map((r) => r.status);

describe('what ssmguard cannot place is unknown until deployed', () => {
  it.each([
    [
      'a Deny policy on roles chosen by an unknown condition',
      'deny-if-role.json',
      'ec2-instance-role-grants-ssm-core',
    ],
    [
      'a deny-all entry on an ACL chosen by an unknown condition',
      'nacl-if-acl.json',
      'ec2-instance-network-path-to-ssm',
    ],
    ['an Elastic IP on the instance (not read)', 'eip.json', 'ec2-instance-network-path-to-ssm'],
    ['an endpoint whose VPC is unknown', 'vpce-if-vpc.json', 'ec2-instance-network-path-to-ssm'],
    [
      'an Auto Scaling group launching from override templates',
      'asg-mixed.json',
      'ec2-instance-profile-attached',
    ],
  ])('%s: ERROR, never COMPLIANT', async (_what, file, ruleId) => {
    const { results } = await scan(join(HOSTILE, file));
    const statuses = statusOf(results, ruleId);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 'ERROR')).toBe(true);
    expect(results.find((r) => r.ruleId === ruleId)?.reason).toBe('DEPLOY.UNKNOWN_UNTIL_DEPLOYED');
  });

  it('a Terraform default ACL without rules and an unread Deny attachment: ERROR, never COMPLIANT', async () => {
    const { results } = await scan(join(PLANS, 'unread-default-acl', 'plan.json'));
    expect(statusOf(results, 'ec2-instance-network-path-to-ssm')).toEqual(['ERROR']);
    expect(statusOf(results, 'ec2-instance-role-grants-ssm-core')).toEqual(['ERROR']);
    const path = results.find((r) => r.ruleId === 'ec2-instance-network-path-to-ssm');
    expect(path?.message).toMatch(/aws_default_network_acl is not read/);
  });
});

describe('templates ssmguard refuses rather than judges in part', () => {
  it.each([
    ['a macro transform', 'transform.json', /Transform MyCompanyMacro is not expanded by ssmguard/],
    ['an Fn::ForEach', 'foreach.json', /Fn::ForEach::\w+ is not expanded by ssmguard/],
  ])('%s: exit 2 naming the file, line and what to scan instead', async (_what, file, message) => {
    const run = await scan(join(HOSTILE, file));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(`${join(HOSTILE, file)}:`);
    expect(run.stderr).toMatch(/--template-stage Processed/);
  });

  it('two inputs declaring the same resource: exit 2 naming both', async () => {
    const copy = join(dir, 'copy', 'plan.json');
    cpSync(join(PLANS, 'sg-22-open', 'plan.json'), copy);
    const run = await runCli(['scan', join(PLANS, 'sg-22-open', 'plan.json'), copy, '--now', NOW]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the two inputs declare the same resource/);
  });
});

describe('prototype keys are names like any other', () => {
  it.each([
    ['logical ids __proto__, constructor, hasOwnProperty', 'proto-ids.json'],
    ['parameters named toString and constructor', 'proto-params.json'],
  ])('%s: scanned, no crash', async (_what, file) => {
    const run = await scan(join(HOSTILE, file));
    expect(run.stderr).not.toMatch(/internal error|is not a function|Cannot convert/);
    expect(run.code).not.toBe(2);
    expect(run.results.length).toBeGreaterThan(0);
  });
});

describe('where the stack deploys, and when its windows run', () => {
  it('a condition on the region, with none given: ERROR; with --region: decided', async () => {
    const file = join(HOSTILE, 'region-cond.json');
    const unknown = await scan(file);
    const rule = 'ec2-instance-profile-attached';
    expect(statusOf(unknown.results, rule)).toEqual(['ERROR']);
    expect(unknown.results.find((r) => r.ruleId === rule)?.message).toMatch(/AWS::Region is not known/);
    const output = join(dir, 'region.json');
    await runCli([
      'scan',
      file,
      '--region',
      'us-east-1',
      '--format',
      'json',
      '--output',
      output,
      '--now',
      NOW,
    ]);
    const given = (JSON.parse(readFileSync(output, 'utf8')) as { results: Result[] }).results;
    expect(statusOf(given, rule)).toEqual(['COMPLIANT']);
  });

  it.each([
    ['past its EndDate', 'win-ended.json'],
    ['before its StartDate', 'win-future.json'],
  ])('a window %s does not patch, as deployed', async (_what, file) => {
    const { results } = await scan(join(HOSTILE, file));
    const window = results.find((r) => r.ruleId === 'ssm-maintenance-window-patches');
    expect(window?.status).toBe('NON_COMPLIANT');
    expect(window?.reason).toMatch(/^PATCH\.SCHEDULE_/);
  });
});
