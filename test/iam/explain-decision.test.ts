// IAM decisions as data a reviewer can check: per layer and level, the deciding statements and the ones passed
// over, with each condition's policy values, request value and outcome; in the JSON report and in explain.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ActionDecision } from '../../src/iam/evaluate-actions.js';
import { explainDecision } from '../../src/iam/explain-decision.js';
import { explanationLines } from '../../src/report/explain-decision-text.js';
import { runCli } from '../cli/cli-harness.js';

const CONDITIONAL_DENY: ActionDecision = {
  action: 'ssm:UpdateInstanceInformation',
  resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc',
  decision: 'EXPLICIT_DENY',
  deniedBy: ['scp'],
  statements: [
    {
      policy: 'RegionFence',
      layer: 'scp',
      level: 'OU ou-ab12-cdefgh34',
      statementIndex: 0,
      sid: 'DenyOutsideEu',
      effect: 'Deny',
      conditionTrace: [
        {
          operator: 'StringNotEquals',
          key: 'aws:RequestedRegion',
          values: ['eu-central-1'],
          context: '"eu-west-1"',
          result: true,
        },
      ],
    },
  ],
  notApplied: [
    {
      policy: 'arn:aws:iam::111122223333:policy/vpce-only',
      layer: 'identity',
      statementIndex: 1,
      effect: 'Deny',
      conditionTrace: [
        {
          operator: 'StringNotEquals',
          key: 'aws:SourceVpce',
          values: ['vpce-1'],
          context: '"vpce-1"',
          result: false,
        },
      ],
    },
  ],
};

describe('explainDecision', () => {
  it('groups the statements by layer (identity first) and level, each with its role and condition trace', () => {
    const x = explainDecision(CONDITIONAL_DENY);
    expect(x.layers.map((l) => [l.layer, l.level])).toEqual([
      ['identity', undefined],
      ['scp', 'OU ou-ab12-cdefgh34'],
    ]);
    expect(x.layers[0]!.statements[0]).toMatchObject({ role: 'not-applied', effect: 'Deny' });
    expect(x.layers[1]!.statements[0]).toMatchObject({
      role: 'decides',
      sid: 'DenyOutsideEu',
      conditions: [{ key: 'aws:RequestedRegion', context: '"eu-west-1"', result: true }],
    });
  });

  it('names a level that allows nothing even without a statement to show', () => {
    const x = explainDecision({
      action: 'ssm:UpdateInstanceInformation',
      resource: '*',
      decision: 'NOT_ALLOWED',
      deniedBy: ['scp'],
      statements: [],
      blockingLevels: ['OU ou-nested'],
    });
    expect(x.layers).toEqual([{ layer: 'scp', level: 'OU ou-nested', statements: [], blocks: true }]);
    expect(explanationLines(x)).toEqual(['scp OU ou-nested: allows nothing']);
  });

  it('renders the chain for explain: layer, statement, each condition with the request value', () => {
    expect(explanationLines(explainDecision(CONDITIONAL_DENY))).toEqual([
      'identity: arn:aws:iam::111122223333:policy/vpce-only statement #2 Deny — does not apply (conditions false)',
      '    StringNotEquals aws:SourceVpce "vpce-1" (request: "vpce-1") → false',
      'scp OU ou-ab12-cdefgh34: RegionFence statement #1 (DenyOutsideEu) Deny — decides',
      '    StringNotEquals aws:RequestedRegion "eu-central-1" (request: "eu-west-1") → true',
    ]);
  });
});

describe('the JSON report', () => {
  it('carries an explanation for every IAM permission decision, passes included, valid against the schema', async () => {
    const run = await runCli(['demo', '--format', 'json', '--evidence', 'all']);
    const report = JSON.parse(run.stdout) as {
      results: { ruleId: string; status: string; evidence: { path?: string; explanation?: unknown }[] }[];
    };
    const grants = report.results.filter((r) => r.ruleId === 'ec2-instance-role-grants-ssm-core');
    const decided = grants.filter((r) => r.status === 'COMPLIANT' || r.status === 'NON_COMPLIANT');
    expect(decided.length).toBeGreaterThan(20);
    for (const result of decided) {
      const permissions = result.evidence.filter((e) => e.path === 'role.permissions');
      expect(permissions.length).toBeGreaterThan(0);
      for (const e of permissions) expect(e.explanation).toBeDefined();
    }
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
