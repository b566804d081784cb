// Rule loading: bad rule files fail with file, line and YAML path, and never crash.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleFileError, RuleSetError } from '../../src/errors.js';
import { NAMED_CHECKS } from '../../src/engine/checks/index.js';
import { loadRules, parseRuleFile } from '../../src/ruleset/load-rules.js';
import { resolvePolicy } from '../../src/policy/policy-pack.js';

const VALID = `id: ec2-instance-test-rule
title: Test rule title
resourceType: AWS::EC2::Instance
severity: low
link: imds
description: A rule used by the loader tests.
check:
  path: metadataOptions.httpEndpoint
  equals: enabled
reason: EC2.IMDS_DISABLED
reasons:
  EC2.IMDS_DISABLED: Metadata endpoint disabled
message: "Instance {{resource.id}} has {{actual}}."
remediation:
  text: Enable it.
`;

function parse(text: string, file = 'rules/ec2/ec2-instance-test-rule.yaml'): RuleFileError {
  try {
    const rule = parseRuleFile(file, text);
    resolvePolicy([rule], undefined, NAMED_CHECKS);
  } catch (error) {
    if (error instanceof RuleFileError) return error;
    if (error instanceof RuleSetError) return error.errors[0]!;
    throw error;
  }
  throw new Error('expected a RuleFileError');
}

describe('rule loading', () => {
  it('accepts a valid rule', () => {
    expect(parseRuleFile('rules/ec2/ec2-instance-test-rule.yaml', VALID).definition.id).toBe(
      'ec2-instance-test-rule',
    );
  });

  it.for([
    {
      name: 'malformed YAML names the line and column',
      text: VALID.replace('severity: low', 'severity: [low'),
      expected: /ec2-instance-test-rule\.yaml:\d+:\d+/,
    },
    {
      name: 'a missing required field',
      text: VALID.replace(/^severity: low\n/m, ''),
      expected: /missing required field "severity"/,
    },
    {
      name: 'an unknown top-level field',
      text: `${VALID}colour: blue\n`,
      expected: /:16:1 at colour: unknown field "colour"/,
    },
    {
      name: 'an unknown operator names its YAML path and line',
      text: VALID.replace('equals: enabled', 'equalz: enabled'),
      expected: /:9:\d+ at check\.equalz: unknown key "equalz"/,
    },
    {
      name: 'a bad severity value',
      text: VALID.replace('severity: low', 'severity: urgent'),
      expected: /at severity: "urgent" is not allowed: must be one of/,
    },
    {
      name: 'an id that differs from the file name',
      text: VALID.replace('id: ec2-instance-test-rule', 'id: ec2-instance-other'),
      expected: /must equal the file name/,
    },
    {
      name: 'a path that is not in the model',
      text: VALID.replace('metadataOptions.httpEndpoint', 'metadataOptions.httpEndpont'),
      expected: /at check\.path: invalid path .*unknown field "httpEndpont"/,
    },
    {
      name: 'an operand of the wrong type',
      text: VALID.replace('equals: enabled', 'lt: enabled'),
      expected: /operator "lt" expects a number/,
    },
    {
      name: 'an undescribed reason code',
      text: VALID.replace('reason: EC2.IMDS_DISABLED', 'reason: EC2.OTHER'),
      expected: /reason EC2\.OTHER is not described/,
    },
    {
      name: 'an unknown placeholder',
      text: VALID.replace('{{actual}}', '{{secret}}'),
      expected: /at message: unknown placeholder \{\{secret\}\}/,
    },
    {
      name: 'an unknown named check',
      text: VALID.replace(/check:\n {2}path: .*\n {2}equals: enabled/, 'check:\n  check: no-such-check'),
      expected: /unknown named check "no-such-check"/,
    },
    { name: 'a YAML document that is not a mapping', text: '- just\n- a list\n', expected: /must be object/ },
    { name: 'duplicate keys', text: `${VALID}severity: high\n`, expected: /unique|duplicate/i },
  ])('rejects $name', ({ text, expected }) => {
    expect(parse(text).message).toMatch(expected);
  });

  it('collects every bad file of a folder into one error and reports duplicate ids', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ssmguard-rules-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'ec2-instance-test-rule.yaml'), VALID);
    writeFileSync(join(dir, 'b', 'ec2-instance-test-rule.yaml'), VALID);
    writeFileSync(join(dir, 'b', 'ec2-instance-broken.yaml'), 'id: [');
    // Act
    const error = await loadRules([dir]).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(RuleSetError);
    const messages = (error as RuleSetError).errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/duplicate rule id "ec2-instance-test-rule"/);
    expect(messages).toMatch(/ec2-instance-broken\.yaml:1/);
  });
});

describe('rule parameters', () => {
  it('rejects a default that breaks its own schema', () => {
    const text = VALID.replace(
      'check:',
      'parameters:\n  ports:\n    description: ports\n    schema: { type: array, items: { type: integer } }\n    default: [ssh]\ncheck:',
    );
    expect(() => parseRuleFile('rules/ec2/ec2-instance-test-rule.yaml', text)).toThrow(
      /parameters\.ports\.default: default does not match/,
    );
  });
});
