// The rule tester checks the cases themselves: parameters against the rule's schemas, data-family names.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.js';

const RULE = `id: ec2-instance-test-ports
title: Test rule with a parameter
resourceType: AWS::EC2::Instance
severity: low
link: exposure
description: A rule used by the tester tests.
parameters:
  ports:
    description: ports
    schema: { type: array, items: { type: integer } }
    default: [22]
check:
  check: no-inbound-ports
  with: { ports: { param: ports } }
reason: NET.INBOUND_SSM_PORT
reasons: { NET.INBOUND_SSM_PORT: open }
message: "Instance {{resource.id}}: {{detail}}."
remediation: { text: Close it. }
`;

async function runCases(cases: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-tester-'));
  writeFileSync(join(dir, 'ec2-instance-test-ports.yaml'), RULE);
  writeFileSync(join(dir, 'ec2-instance-test-ports.test.yaml'), cases);
  return runCli(['test', dir]);
}

describe('rule tester', () => {
  it.for([
    ['an unknown parameter', '  params: { portz: [22] }\n', /has no parameter "portz"/],
    [
      'a parameter of the wrong type',
      '  params: { ports: ["ssh"] }\n',
      /parameter "ports": \/0 must be integer/,
    ],
    [
      'an unknown data family',
      '  missing: [ec2:routes]\n',
      /\[0\]\.missing\[0\]: "ec2:routes" is not allowed: must be one of "ec2:instances"/,
    ],
  ] as const)('fails a case with %s', async ([, extra, expected]) => {
    const run = await runCases(`- name: case\n  resource: {}\n${extra}  expect: COMPLIANT\n`);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(expected);
  });

  it('passes a well-formed case', async () => {
    const run = await runCases(
      '- name: case\n  resource: {}\n  params: { ports: [3389] }\n  expect: COMPLIANT\n',
    );
    expect(run.stdout).toMatch(/1 passed, 0 failed/);
    expect(run.code).toBe(0);
  });
});
