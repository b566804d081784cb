// The same rules on real Terraform plans (`terraform show -json`): each scenario gives the verdict of its
// deployed equivalent in the example fleet, and points at the `resource` block in the .tf file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

interface EditablePlan {
  planned_values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } };
  resource_changes: { address: string; change: { after_unknown: Record<string, unknown> } }[];
}

describe('plans: fail closed', () => {
  it('a subnet known only after apply: the rules that read it are ERROR, never COMPLIANT', async () => {
    const plan = JSON.parse(
      readFileSync(join(PLANS, 'boundary-cuts-ssm', 'plan.json'), 'utf8'),
    ) as EditablePlan;
    const address = 'aws_instance.app';
    delete plan.planned_values.root_module.resources.find((r) => r.address === address)!.values.subnet_id;
    plan.resource_changes.find((r) => r.address === address)!.change.after_unknown.subnet_id = true;
    const file = join(dir, 'unknown-subnet.json');
    writeFileSync(file, JSON.stringify(plan));
    const results = await scan('unknown-subnet', [file, '--context', exampleFleetDir()]);
    const path = of(results, address, 'ec2-instance-network-path-to-ssm');
    expect(path?.status).toBe('ERROR');
    expect(path?.message).toMatch(/subnetId of aws_instance\.app .*known after apply/);
    expect(results.filter((r) => r.status === 'COMPLIANT').map((r) => r.ruleId)).not.toContain(
      'ec2-instance-network-path-to-ssm',
    );
  });

  it('a truncated plan is an input error naming the file (exit 2)', async () => {
    const text = readFileSync(join(PLANS, 'sg-22-open', 'plan.json'), 'utf8');
    const file = join(dir, 'truncated-plan.json');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const run = await runCli(['scan', file, '--format', 'json', '--now', NOW]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(/PLAN_INVALID|plan/i);
  });
});
