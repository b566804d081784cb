// `rules validate` and `policy validate`: every problem of a file with its position, case files validated as cases,
// policy packs against their own schema, and nothing to validate is not "valid".

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESOURCE_FAMILIES } from '../../src/inventory/model.js';
import { packageRoot, shippedPoliciesDir, shippedRulesDir } from '../../src/package-root.js';
import { runCli } from './cli-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'ssmguard-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const RULE = [
  'id: ec2-instance-user-rule',
  'title: A user rule for the validate tests',
  'resourceType: AWS::EC2::Instance',
  'severity: low',
  'link: imds',
  'description: Checks the metadata endpoint.',
  'parameters:',
  '  wanted: { description: the value, schema: { type: string }, default: enabled }',
  'check: { path: metadataOptions.httpEndpoint, equals: { param: wanted } }',
  'reason: EC2.IMDS_DISABLED',
  'reasons: { EC2.IMDS_DISABLED: disabled }',
  'message: "Instance {{resource.id}} has IMDS {{actual}}."',
  'remediation: { text: Enable it. }',
  '',
].join('\n');
const CASES = [
  '- name: enabled',
  '  resource: { metadataOptions: { httpEndpoint: enabled } }',
  '  expect: COMPLIANT',
  '',
].join('\n');

const shippedCount = (suffix: RegExp): number =>
  readdirSync(shippedRulesDir(), { recursive: true, encoding: 'utf8' }).filter((f) => suffix.test(f)).length;

describe('ssmguard rules validate', () => {
  it('validates the shipped rules and their case files, naming both schemas', async () => {
    const run = await runCli(['rules', 'validate', shippedRulesDir()]);
    const rules = shippedCount(/(?<!\.test)\.yaml$/);
    const cases = shippedCount(/\.test\.yaml$/);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      `valid: ${rules} rule files (schemas/rule.schema.json), ${cases} case files (schemas/rule-cases.schema.json)\n`,
    );
    expect(run.code).toBe(0);
  });

  it('validates a .test.yaml given alone as cases, with the rule beside it', async () => {
    const file = join(shippedRulesDir(), 'ec2', 'ec2-instance-imds-available.test.yaml');
    const run = await runCli(['rules', 'validate', file]);
    expect(run.stdout).toBe('valid: 1 case file (schemas/rule-cases.schema.json)\n');
    expect(run.stderr).not.toMatch(/must be object/);
    expect(run.code).toBe(0);
  });

  it('reports every problem of a cases file: schema, parameters the rule lacks, and times', async () => {
    const dir = folder('bad-cases', {
      'ec2-instance-user-rule.yaml': RULE,
      'ec2-instance-user-rule.test.yaml': [
        '- name: one',
        '  resource: {}',
        '  expect: COMPLIANT',
        '  params: { wnated: x }',
        '- resource: {}',
        '  expect: COMPLIANT',
        '  now: yesterday',
        '- name: three',
        '  resource: {}',
        '  expect: COMPLIANT',
        '  unreadable: [ec2:routes]',
        '  inventory: { widgets: [] }',
        '',
      ].join('\n'),
    });
    const run = await runCli(['rules', 'validate', dir]);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /test\.yaml:4:13 at \[0\]\.params\.wnated: rule ec2-instance-user-rule has no parameter/,
      ),
      expect.stringMatching(/test\.yaml:5:3 at \[1\]: missing required field "name"/),
      expect.stringMatching(/test\.yaml:7:3 at \[1\]\.now: "yesterday" is not an ISO 8601 time/),
      expect.stringMatching(/test\.yaml:11:16 at \[2\]\.unreadable\[0\]: "ec2:routes" is not allowed/),
      expect.stringMatching(/test\.yaml:12:16 at \[2\]\.inventory\.widgets: unknown key "widgets"/),
      '5 problems in 1 file; checked 1 rule file (schemas/rule.schema.json), 1 case file (schemas/rule-cases.schema.json)',
    ]);
    expect(run.code).toBe(2);
  });

  it('says which rule file a cases file lacks', async () => {
    const dir = folder('orphan-cases', { 'ec2-instance-gone.test.yaml': CASES });
    const run = await runCli(['rules', 'validate', dir]);
    expect(run.stderr).toContain(
      'ec2-instance-gone.test.yaml:1:1 at (root): no rule file ec2-instance-gone.yaml',
    );
    expect(run.code).toBe(2);
  });

  it('reports every problem of several rule files at once, in reading order', async () => {
    const dir = folder('bad-rules', {
      'ec2-instance-user-rule.yaml': RULE.replace('severity: low', 'severity: lowest').replace(
        'link: imds',
        'link: imds\ncolour: red',
      ),
      'ec2-instance-other.yaml': RULE.replace(
        'id: ec2-instance-user-rule',
        'id: ec2-instance-mismatch',
      ).replace('metadataOptions.httpEndpoint', 'metadataOptions.nosuch'),
    });
    const run = await runCli(['rules', 'validate', dir]);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /ec2-instance-other\.yaml:1:1 at id: id "ec2-instance-mismatch" must equal the file name/,
      ),
      expect.stringMatching(
        /ec2-instance-other\.yaml:9:\d+ at check\.path: invalid path "metadataOptions\.nosuch"/,
      ),
      expect.stringMatching(/ec2-instance-user-rule\.yaml:4:1 at severity: "lowest" is not allowed/),
      expect.stringMatching(/ec2-instance-user-rule\.yaml:6:1 at colour: unknown field "colour"/),
      '4 problems in 2 files; checked 2 rule files (schemas/rule.schema.json)',
    ]);
    expect(run.code).toBe(2);
  });

  it('checks a policy pack found among the files against the policy schema, not the rule schema', async () => {
    const dir = folder('with-policy', {
      'pack.yaml': 'name: p\ndescription: d\nrules:\n  include: [nosuch]\n',
    });
    const run = await runCli(['rules', 'validate', dir]);
    expect(run.stderr).toContain('pack.yaml:4:13 at rules.include[0]: unknown rule id "nosuch"');
    expect(run.stderr).toContain('checked 1 policy pack (schemas/policy.schema.json)');
    expect(run.stderr).not.toMatch(/rule\.schema\.json|required field "id"/);
    expect(run.code).toBe(2);
  });

  it('is what scan --rules reports too: every problem of the file, not the first', async () => {
    const dir = folder('scan-rules', {
      'ec2-instance-user-rule.yaml': RULE.replace('severity: low', 'severity: lowest').replace(
        'link: imds',
        'link: imds\ncolour: red',
      ),
    });
    const run = await runCli(['scan', join(packageRoot(), 'examples', 'example-fleet'), '--rules', dir]);
    expect(run.stderr).toMatch(/4:1 at severity/);
    expect(run.stderr).toMatch(/6:1 at colour/);
    expect(run.code).toBe(2);
  });
});

describe('ssmguard policy validate', () => {
  const packs = [
    ...readdirSync(shippedPoliciesDir())
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(shippedPoliciesDir(), f)),
    ...readdirSync(join(shippedPoliciesDir(), 'examples'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(shippedPoliciesDir(), 'examples', f)),
  ];

  it.for(packs)('accepts the shipped pack %s', async (file) => {
    const run = await runCli(['policy', 'validate', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('valid: 1 policy pack (schemas/policy.schema.json)\n');
    expect(run.code).toBe(0);
  });

  it('checks rule ids against the shipped rules plus --rules folders', async () => {
    const rules = folder('user-rules', {
      'ec2-instance-user-rule.yaml': RULE,
      'ec2-instance-user-rule.test.yaml': CASES,
    });
    const pack = join(rules, '..', 'user-pack.yaml');
    writeFileSync(
      pack,
      'name: p\ndescription: d\nrules:\n  include: [ec2-instance-user-rule]\noverrides:\n  ec2-instance-user-rule:\n    parameters: { wanted: disabled }\n',
    );
    const without = await runCli(['policy', 'validate', pack]);
    const withRules = await runCli(['policy', 'validate', pack, '--rules', rules]);
    expect(without.stderr).toContain('unknown rule id "ec2-instance-user-rule"');
    expect(without.code).toBe(2);
    expect(withRules.stdout).toContain('valid: 1 policy pack');
    expect(withRules.code).toBe(0);
  });

  it('checks the control frameworks a pack names against the shipped mappings', async () => {
    const dir = folder('controls-pack', {});
    const pack = join(dir, 'controls-pack.yaml');
    writeFileSync(
      pack,
      'name: p\ndescription: d\nrules:\n  include: ["*"]\ncontrols: [nist-800-53, iso-27001]\n',
    );
    const run = await runCli(['policy', 'validate', pack]);
    expect(run.stderr).toContain(
      'controls-pack.yaml:5:25 at controls[1]: unknown control framework "iso-27001"',
    );
    expect(run.code).toBe(2);
  });
});

describe('schemas/rule-cases.schema.json', () => {
  const schema = JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', 'rule-cases.schema.json'), 'utf8'),
  ) as {
    items: {
      properties: {
        missing: { items: { enum: string[] } };
        inventory: { propertyNames: { enum: string[] } };
      };
    };
  };
  const inventory = JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', 'inventory.schema.json'), 'utf8'),
  ) as {
    properties: Record<string, unknown>;
  };

  it('names exactly the data families of the model', () => {
    expect(schema.items.properties.missing.items.enum).toEqual([...RESOURCE_FAMILIES]);
  });

  it('names exactly the inventory collections of the model', () => {
    const collections = Object.keys(inventory.properties).filter(
      // The organization tree is not a resource collection a case can hold.
      (key) => !['schemaVersion', 'source', 'coverage', 'organizations'].includes(key),
    );
    expect([...schema.items.properties.inventory.propertyNames.enum].sort()).toEqual(collections.sort());
  });
});
