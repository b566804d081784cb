// The same rules on real Terraform plans (`terraform show -json`): each scenario gives the verdict of its
// deployed equivalent in the example fleet, and points at the `resource` block in the .tf file.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FLEET_FACTS as F } from '../../../src/generator/example-fleet-facts.js';
import { exampleFleetDir } from '../../../src/package-root.js';
import { runCli } from '../../cli/cli-harness.js';

const PLANS = new URL('../../fixtures/template/terraform/', import.meta.url).pathname;
const NOW = '2026-11-20T12:00:00.000Z';

interface Result {
  ruleId: string;
  resourceId: string;
  status: string;
  reason?: string;
  message?: string;
  location?: { file: string; line: number; address: string };
}

let dir: string;
let deployed: Result[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssmguard-plan-'));
  deployed = await scan('deployed', [exampleFleetDir()]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(name: string, args: string[]): Promise<Result[]> {
  const output = join(dir, `${name}.json`);
  const run = await runCli(['scan', ...args, '--format', 'json', '--output', output, '--now', NOW]);
  expect(run.code, run.stderr).not.toBe(2);
  return (JSON.parse(readFileSync(output, 'utf8')) as { results: Result[] }).results;
}

const planScan = (scenario: string): Promise<Result[]> =>
  scan(scenario, [join(PLANS, scenario, 'plan.json'), '--context', exampleFleetDir()]);

const of = (results: Result[], address: string, ruleId: string): Result | undefined =>
  results.find((r) => r.location?.address === address && r.ruleId === ruleId);

const deployedOf = (resourceId: string, ruleId: string): Result | undefined =>
  deployed.find((r) => r.resourceId === resourceId && r.ruleId === ruleId);

/** The line of `resource "TYPE" "NAME" {` in the scenario's main.tf. */
function resourceLine(scenario: string, address: string): number {
  const [type, name] = address.replace(/\[\d+\]$/, '').split('.');
  const lines = readFileSync(join(PLANS, scenario, 'main.tf'), 'utf8').split('\n');
  return lines.findIndex((l) => l.startsWith(`resource "${type}" "${name}"`)) + 1;
}

describe('scan PLAN --context EXPORT', () => {
  it('an Auto Scaling group whose launch template lacks a profile: the story, before deploy', async () => {
    const results = await planScan('asg-no-profile');
    const story = deployedOf(F.inventory.firstInstanceId, 'ec2-instance-profile-attached');
    for (const address of ['aws_autoscaling_group.web[0]', 'aws_autoscaling_group.web[1]']) {
      const r = of(results, address, 'ec2-instance-profile-attached');
      expect(r?.status).toBe('NON_COMPLIANT');
      expect(r?.reason).toBe(story?.reason);
      expect(r?.location?.file).toBe(join(PLANS, 'asg-no-profile', 'main.tf'));
      expect(r?.location?.line).toBe(resourceLine('asg-no-profile', address));
    }
  });

  it('a role whose permissions boundary cuts SSM', async () => {
    const results = await planScan('boundary-cuts-ssm');
    const r = of(results, 'aws_instance.app', 'ec2-instance-role-grants-ssm-core');
    expect(r?.status).toBe('NON_COMPLIANT');
    expect(r?.reason).toBe(deployedOf(F.boundaryDenyInstanceId, 'ec2-instance-role-grants-ssm-core')?.reason);
    expect(r?.location?.line).toBe(resourceLine('boundary-cuts-ssm', 'aws_instance.app'));
  });

  it('a security group opening 22 to the internet', async () => {
    const results = await planScan('sg-22-open');
    const r = of(results, 'aws_instance.bastion', 'ec2-instance-no-inbound-ssm-ports');
    expect(r?.status).toBe('NON_COMPLIANT');
    expect(r?.reason).toBe(deployedOf(F.sshOpenInstanceId, 'ec2-instance-no-inbound-ssm-ports')?.reason);
  });

  it('a maintenance window targeting instance ids', async () => {
    const results = await planScan('window-instance-ids');
    const rule = 'ssm-maintenance-window-targets-use-tags';
    const r = results.find(
      (x) => x.ruleId === rule && x.location?.address.startsWith('aws_ssm_maintenance_window_target.'),
    );
    const theirs = deployed.find(
      (x) => x.ruleId === rule && x.message?.includes(`window ${F.instanceIdTargetWindowId} target`),
    );
    expect(r?.status).toBe('NON_COMPLIANT');
    expect(r?.reason).toBe(theirs?.reason);
  });

  it('a VPC with private subnets and complete interface endpoints: a network path, credentials and permissions', async () => {
    const results = await planScan('vpc-private-endpoints');
    for (const ruleId of [
      'ec2-instance-network-path-to-ssm',
      'ec2-instance-profile-attached',
      'ec2-instance-role-trusts-ec2',
      'ec2-instance-role-grants-ssm-core',
      'ec2-instance-egress-https',
    ]) {
      const r = of(results, 'module.app.aws_instance.this', ruleId);
      expect(`${ruleId} ${r?.status}`, r?.message).toBe(`${ruleId} COMPLIANT`);
    }
  });
});
