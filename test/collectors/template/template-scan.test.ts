// The same rules on a CloudFormation template before deploy: the example fleet's scenarios written as a template
// give the deployed fleet's verdicts, with each finding pointing at the template line that declares it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FLEET_FACTS as F } from '../../../src/generator/example-fleet-facts.js';
import { exampleFleetDir } from '../../../src/package-root.js';
import { runCli } from '../../cli/cli-harness.js';

const FIXTURES = new URL('../../fixtures/template/cloudformation/', import.meta.url).pathname;
const TEMPLATE = join(FIXTURES, 'example-scenarios.yaml');
const NOW = '2026-11-20T12:00:00.000Z';

interface Location {
  file: string;
  line: number;
  column?: number;
  address: string;
}
interface Result {
  ruleId: string;
  resourceId: string;
  status: string;
  reason?: string;
  message?: string;
  location?: Location;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssmguard-template-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scanJson(
  name: string,
  args: string[],
): Promise<{ code: number; stderr: string; results: Result[] }> {
  const output = join(dir, `${name}.json`);
  const run = await runCli(['scan', ...args, '--format', 'json', '--output', output, '--now', NOW]);
  if (run.code === 2) return { code: run.code, stderr: run.stderr, results: [] };
  const report = JSON.parse(readFileSync(output, 'utf8')) as { results: Result[] };
  return { code: run.code, stderr: run.stderr, results: report.results };
}

/** The line of `  LogicalId:` in the template (what a finding must point at). */
function lineOf(logicalId: string): number {
  const lines = readFileSync(TEMPLATE, 'utf8').split('\n');
  return lines.findIndex((l) => l === `  ${logicalId}:`) + 1;
}

// Rules decided by what a template declares; the rest need a running fleet (managed nodes, patch states, runs).
const DECLARED_RULES = [
  'ec2-instance-profile-attached',
  'ec2-instance-role-trusts-ec2',
  'ec2-instance-role-grants-ssm-core',
  'ec2-instance-network-path-to-ssm',
  'ec2-instance-egress-https',
  'ec2-instance-no-inbound-ssm-ports',
  'ec2-instance-imdsv2-required',
  'ec2-instance-imds-available',
];

// Template resource → the deployed instance of the example fleet that is its equivalent.
const EQUIVALENTS: [string, string][] = [
  ['Bastion', F.sshOpenInstanceId],
  ['DevTools', F.boundaryDenyInstanceId],
  ['SharedTools', F.healthyEndpointInstanceIds[0]],
  ['BillingA', F.instanceIdTargetedInstanceIds[0]],
  ['InventoryGroup[0]', F.inventory.firstInstanceId],
  ['InventoryGroup[1]', F.inventory.lastInstanceId],
];

describe('scan TEMPLATE --context EXPORT', () => {
  let template: Result[];
  let deployed: Result[];
  beforeAll(async () => {
    template = (await scanJson('template', [TEMPLATE, '--context', exampleFleetDir()])).results;
    deployed = (await scanJson('deployed', [exampleFleetDir()])).results;
  });

  const byAddress = (address: string): Result[] => template.filter((r) => r.location?.address === address);
  const verdict = (r: Result | undefined): string => `${r?.status} ${r?.reason ?? ''}`;

  it.each(EQUIVALENTS)('%s gives the verdicts of deployed %s', (address, instanceId) => {
    const own = byAddress(address);
    expect(own.length).toBeGreaterThan(0);
    for (const ruleId of DECLARED_RULES) {
      const mine = own.find((r) => r.ruleId === ruleId);
      const theirs = deployed.find((r) => r.ruleId === ruleId && r.resourceId === instanceId);
      expect(`${ruleId}: ${verdict(mine)}`).toBe(`${ruleId}: ${verdict(theirs)}`);
    }
  });

  it('the window targeting instance ids fails like the deployed one', () => {
    const targets = 'ssm-maintenance-window-targets-use-tags';
    const mine = byAddress('BillingWindowTarget').find((r) => r.ruleId === targets);
    const theirs = deployed.find(
      (r) => r.ruleId === targets && r.message?.includes(`window ${F.instanceIdTargetWindowId} target`),
    );
    expect(mine?.status).toBe('NON_COMPLIANT');
    expect(verdict(mine)).toBe(verdict(theirs));
    const patches = 'ssm-maintenance-window-patches';
    const window = byAddress('BillingWindow').find((r) => r.ruleId === patches);
    expect(verdict(window)).toBe(
      verdict(deployed.find((r) => r.ruleId === patches && r.resourceId === F.instanceIdTargetWindowId)),
    );
  });

  it('names the failures the template would deploy', () => {
    const failing = (address: string, ruleId: string): Result | undefined =>
      byAddress(address).find((r) => r.ruleId === ruleId && r.status === 'NON_COMPLIANT');
    expect(failing('InventoryGroup[0]', 'ec2-instance-profile-attached')).toBeDefined();
    expect(failing('DevTools', 'ec2-instance-role-grants-ssm-core')).toBeDefined();
    expect(failing('Bastion', 'ec2-instance-no-inbound-ssm-ports')).toBeDefined();
    expect(
      byAddress('SharedTools').find((r) => r.ruleId === 'ec2-instance-network-path-to-ssm')?.status,
    ).toBe('COMPLIANT');
  });

  it('points every result at the line that declares its resource', () => {
    for (const address of ['Bastion', 'DevTools', 'SharedTools', 'BillingWindow']) {
      const own = byAddress(address);
      expect(own.length).toBeGreaterThan(0);
      for (const r of own) expect(r.location).toMatchObject({ file: TEMPLATE, line: lineOf(address) });
    }
    for (const r of byAddress('InventoryGroup[0]')) expect(r.location?.line).toBe(lineOf('InventoryGroup'));
  });

  it('lists what the template declares but ssmguard does not read in the report (source.skipped)', () => {
    const report = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as {
      source: { skipped?: { input: string; reason: string }[] };
    };
    expect(report.source.skipped).toContainEqual({
      input: `${TEMPLATE}:${lineOf('NatAddress')} NatAddress`,
      reason: 'AWS::EC2::EIP is not read by ssmguard',
    });
  });

  it('says what only a running fleet can tell is unknown until deployed, never a pass', () => {
    for (const ruleId of [
      'ec2-instance-ssm-online',
      'ec2-instance-ssm-agent-current',
      'ec2-instance-patched-recently',
    ]) {
      const r = byAddress('SharedTools').find((x) => x.ruleId === ruleId);
      expect(r?.status, ruleId).toBe('ERROR');
      expect(r?.reason, ruleId).toBe('DEPLOY.UNKNOWN_UNTIL_DEPLOYED');
    }
  });
});

describe('scan TEMPLATE without context', () => {
  it('cannot tell whether DHMC gives a profile-less instance credentials: ERROR, not a guess', async () => {
    const { results } = await scanJson('no-context', [TEMPLATE]);
    const r = results.find(
      (x) => x.ruleId === 'ec2-instance-profile-attached' && x.location?.address === 'InventoryGroup[0]',
    );
    expect(r?.status).toBe('ERROR');
    expect(r?.message).toMatch(/Unknown until deployed: ssm:dhmc-setting/);
    expect(r?.message).toMatch(/--context/);
    const bastion = results.find(
      (x) => x.ruleId === 'ec2-instance-no-inbound-ssm-ports' && x.location?.address === 'Bastion',
    );
    expect(bastion?.status).toBe('NON_COMPLIANT');
  });
});

describe('other commands on a template', () => {
  it('explain names the broken link of an instance the template would launch', async () => {
    const { results } = await scanJson('explain-source', [TEMPLATE, '--context', exampleFleetDir()]);
    const id = results.find((r) => r.location?.address === 'InventoryGroup[0]')!.resourceId;
    const run = await runCli(['explain', id, TEMPLATE, '--context', exampleFleetDir(), '--now', NOW]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/instance profile/i);
  });

  it('export and fix refuse a template, saying what to do instead', async () => {
    const out = join(dir, 'bundle.json');
    const exported = await runCli(['export', TEMPLATE, '--out', out]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/scan the template or plan itself/);
    const fixed = await runCli(['fix', TEMPLATE]);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toMatch(/names the lines to change/);
  });
});

describe('policy packs, waivers and exit codes on a template', () => {
  it('a tag-scoped waiver waives the bastion finding; findings left fail the scan (exit 1)', async () => {
    const policy = join(dir, 'bastion-waiver.yaml');
    writeFileSync(
      policy,
      [
        'name: bastion-waiver',
        'description: The bastion keeps SSH for now.',
        'rules:',
        '  include: ["*"]',
        'waivers:',
        '  - id: bastion-ssh',
        '    rule: ec2-instance-no-inbound-ssm-ports',
        '    tag: { key: Name, value: bastion-01 }',
        '    reason: The bastion keeps SSH until the Session Manager rollout.',
        '    owner: platform-security@example.com',
        '    expires: "2027-03-01"',
        '',
      ].join('\n'),
    );
    const output = join(dir, 'waived.json');
    const run = await runCli([
      'scan',
      TEMPLATE,
      '--context',
      exampleFleetDir(),
      '--policy',
      policy,
      '--format',
      'json',
      '--output',
      output,
      '--now',
      NOW,
    ]);
    expect(run.code).toBe(1);
    const { results } = JSON.parse(readFileSync(output, 'utf8')) as {
      results: (Result & { waiverId?: string })[];
    };
    const bastion = results.find(
      (r) => r.location?.address === 'Bastion' && r.ruleId === 'ec2-instance-no-inbound-ssm-ports',
    );
    expect(bastion?.status).toBe('WAIVED');
    expect(bastion?.waiverId).toBe('bastion-ssh');
  });

  it('--fail-on none reports without failing (exit 0)', async () => {
    const run = await runCli(['scan', TEMPLATE, '--fail-on', 'none', '--quiet', '--now', NOW]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Systems Manager readiness of 7 EC2 instances/);
  });
});
