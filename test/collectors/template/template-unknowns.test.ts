// Fail closed on templates: values unknown until deploy give ERROR "unknown until deployed" (never COMPLIANT),
// references outside the template resolve against --context, and malformed templates are input errors (exit 2).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFleetDir } from '../../../src/package-root.js';
import { runCli } from '../../cli/cli-harness.js';

const FIXTURES = new URL('../../fixtures/template/cloudformation/', import.meta.url).pathname;
const NOW = '2026-11-20T12:00:00.000Z';

interface Result {
  ruleId: string;
  status: string;
  reason?: string;
  message?: string;
  location?: { address: string; line: number };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssmguard-template-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(args: string[]): Promise<{ code: number; stderr: string; results: Result[] }> {
  const output = join(dir, 'report.json');
  rmSync(output, { force: true });
  const run = await runCli(['scan', ...args, '--format', 'json', '--output', output, '--now', NOW]);
  if (run.code === 2) return { code: 2, stderr: run.stderr, results: [] };
  return {
    code: run.code,
    stderr: run.stderr,
    results: (JSON.parse(readFileSync(output, 'utf8')) as { results: Result[] }).results,
  };
}

const of = (results: Result[], address: string, ruleId: string): Result | undefined =>
  results.find((r) => r.location?.address === address && r.ruleId === ruleId);

describe('unknown until deployed', () => {
  it('an imported subnet and group: network rules ERROR naming the import, metadata rules still decide', async () => {
    const { results } = await scan([join(FIXTURES, 'unknown-values.yaml')]);
    const path = of(results, 'App', 'ec2-instance-network-path-to-ssm');
    expect(path?.status).toBe('ERROR');
    expect(path?.reason).toBe('DEPLOY.UNKNOWN_UNTIL_DEPLOYED');
    expect(path?.message).toMatch(/Fn::ImportValue of 'network-(PrivateSubnetA|AppSecurityGroup)'/);
    expect(of(results, 'App', 'ec2-instance-no-inbound-ssm-ports')?.status).toBe('ERROR');
    expect(of(results, 'App', 'ec2-instance-imdsv2-required')?.status).toBe('COMPLIANT');
    expect(of(results, 'App', 'ec2-instance-role-trusts-ec2')?.status).toBe('COMPLIANT');
  });

  it('a resource whose condition rests on a parameter without a value: every rule on it is ERROR', async () => {
    const { results } = await scan([join(FIXTURES, 'unknown-values.yaml')]);
    const worker = results.filter((r) => r.location?.address === 'Worker');
    expect(worker.length).toBeGreaterThan(5);
    for (const r of worker) expect(`${r.ruleId} ${r.status}`).toBe(`${r.ruleId} ERROR`);
  });

  it('no result of a template with unknowns is COMPLIANT where it reads one', async () => {
    const { results } = await scan([join(FIXTURES, 'unknown-values.yaml')]);
    const network = results.filter((r) => r.ruleId === 'ec2-instance-network-path-to-ssm');
    expect(network.length).toBe(2);
    expect(network.every((r) => r.status === 'ERROR')).toBe(true);
  });
});

describe('outside references and --context', () => {
  const template = join(FIXTURES, 'existing-subnet.yaml');
  const parameters = join(FIXTURES, 'existing-subnet-parameters.json');

  it('without a context, an existing subnet and group are unknown: ERROR, never a pass', async () => {
    const { results } = await scan([template, '--parameters', parameters]);
    const path = of(results, 'Reporting', 'ec2-instance-network-path-to-ssm');
    expect(path?.status).toBe('ERROR');
    expect(path?.message).toMatch(/subnet-035bfa66eeb82fa77' is not declared in the template/);
  });

  it('with the export of the account, they resolve: the existing group opens SSH to the internet', async () => {
    const { results } = await scan([template, '--parameters', parameters, '--context', exampleFleetDir()]);
    expect(of(results, 'Reporting', 'ec2-instance-network-path-to-ssm')?.status).toBe('COMPLIANT');
    expect(of(results, 'Reporting', 'ec2-instance-no-inbound-ssm-ports')?.status).toBe('NON_COMPLIANT');
    expect(of(results, 'Reporting', 'ec2-instance-role-grants-ssm-core')?.status).toBe('COMPLIANT');
  });

  it('a parameter without default or value leaves the subnet unknown', async () => {
    const { results } = await scan([template]);
    const path = of(results, 'Reporting', 'ec2-instance-network-path-to-ssm');
    expect(path?.status).toBe('ERROR');
    expect(path?.message).toMatch(/parameter SubnetId has no default and no value/);
  });
});

describe('input errors', () => {
  it('malformed YAML: exit 2 naming the file, line and column', async () => {
    const file = join(FIXTURES, 'malformed.yaml');
    const run = await scan([file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:7:`);
  });

  it('truncated JSON: exit 2 naming the file and where it stops', async () => {
    const file = join(FIXTURES, 'truncated.json');
    const run = await scan([file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:7:\\d+`));
  });

  it('a template with nothing ssmguard judges is an input error, not a clean report', async () => {
    const run = await scan([join(FIXTURES, 'nothing-to-judge.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nothing for the rules to judge/);
  });

  it('a bad parameters file is an input error', async () => {
    const run = await scan([
      join(FIXTURES, 'existing-subnet.yaml'),
      '--parameters',
      join(FIXTURES, 'malformed.yaml'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/malformed\.yaml/);
  });

  it('templates are not mixed with AWS CLI files', async () => {
    const run = await scan([join(FIXTURES, 'existing-subnet.yaml'), exampleFleetDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--context/);
  });
});
