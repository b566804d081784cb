// Waivers: load-time validation (file, line, YAML path), and applied / expired / unused judged at evaluation time.

import { describe, expect, it } from 'vitest';

import { NAMED_CHECKS } from '../../src/engine/checks/index.js';
import type { Evaluation } from '../../src/engine/types.js';
import { RuleFileError, RuleSetError } from '../../src/errors.js';
import { tagsFromMap } from '../../src/inventory/tags.js';
import { shippedRulesDir } from '../../src/package-root.js';
import { checkPolicyAt, parsePolicyPack, resolvePolicy } from '../../src/policy/policy-pack.js';
import { applyWaivers, isOwnerValid, parseExpiry, type Waiver } from '../../src/policy/waivers.js';
import { hasFailures } from '../../src/report/build-report.js';
import { loadRules } from '../../src/ruleset/load-rules.js';
import { buildFixedReport } from '../fixtures/report/fixed-report.js';

const pack = (waivers: string): string =>
  `name: p\ndescription: d\nrules:\n  include: ["*"]\nwaivers:\n${waivers}`;

function loadError(text: string): RuleFileError {
  try {
    parsePolicyPack('policies/p.yaml', text);
  } catch (error) {
    if (error instanceof RuleFileError) return error;
    if (error instanceof RuleSetError) return error.errors[0]!;
    throw error;
  }
  throw new Error('expected a load error');
}

const result = (over: Partial<Evaluation>): Evaluation => ({
  ruleId: 'r1',
  resourceType: 'AWS::EC2::Instance',
  resourceId: 'i-1',
  accountId: '111122223333',
  region: 'eu-west-1',
  status: 'NON_COMPLIANT',
  severity: 'high',
  evidence: [],
  ...over,
});

const waiver = (over: Partial<Waiver>): Waiver => ({
  id: 'w',
  ruleId: 'r1',
  scope: {},
  reason: 'because',
  owner: 'me',
  expires: '2025-06-30',
  expiresAtMs: parseExpiry('2025-06-30')!,
  yamlPath: 'waivers[0]',
  ...over,
});

const AT = Date.parse('2025-03-01T00:00:00Z');

describe('waiver loading', () => {
  it('loads a waiver with reason, owner, expiry, ticket and a scope', () => {
    // Act
    const { waivers } = parsePolicyPack(
      'policies/p.yaml',
      pack(
        '  - id: w1\n    rule: r1\n    account: "111122223333"\n    tag: { key: Team, value: a }\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n    ticket: T-1\n',
      ),
    );
    // Assess
    expect(waivers).toEqual([
      expect.objectContaining({
        id: 'w1',
        ruleId: 'r1',
        scope: { accountId: '111122223333', tag: { key: 'Team', value: 'a' } },
        ticket: 'T-1',
        expiresAtMs: Date.parse('2025-07-01T00:00:00Z'),
      }),
    ]);
  });

  it.for([
    [
      'reason',
      '  - rule: r1\n    owner: o@example.com\n    expires: 2025-06-30\n',
      'missing required field "reason"',
    ],
    [
      'expires',
      '  - rule: r1\n    reason: r\n    owner: o@example.com\n',
      'missing required field "expires"',
    ],
    ['owner', '  - rule: r1\n    reason: r\n    expires: 2025-06-30\n', 'missing required field "owner"'],
  ] as const)('fails to load a waiver without %s, naming file, line and YAML path', ([, yaml, detail]) => {
    // Act
    const error = loadError(pack(yaml));
    // Assess
    expect(error.file).toBe('policies/p.yaml');
    expect(error.yamlPath).toBe('waivers[0]');
    expect(error.line).toBe(6);
    expect(error.detail).toBe(detail);
    expect(error.message).toMatch(/^policies\/p\.yaml:6:\d+ at waivers\[0\]: /);
  });

  it.for([
    [
      'an impossible date',
      '  - rule: r1\n    reason: r\n    owner: o@example.com\n    expires: 2025-02-30\n',
      'waivers[0].expires',
      'is not a real date',
    ],
    [
      'a malformed date',
      '  - rule: r1\n    reason: r\n    owner: o@example.com\n    expires: next week\n',
      'waivers[0].expires',
      'must match pattern',
    ],
    [
      'an unscoped "*"',
      '  - rule: "*"\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n',
      'waivers[0].rule',
      'must name an account, region, resource or tag',
    ],
    [
      'an unknown field',
      '  - rule: r1\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n    scope: x\n',
      'waivers[0].scope',
      'unknown field "scope"',
    ],
    [
      'an unquoted account id',
      '  - rule: r1\n    account: 111122223333\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n',
      'waivers[0].account',
      'must be string',
    ],
    [
      'a duplicate id',
      '  - { id: a, rule: r1, reason: r, owner: o@example.com, expires: 2025-06-30 }\n  - { id: a, rule: r1, reason: r, owner: o@example.com, expires: 2025-06-30 }\n',
      'waivers[1].id',
      'duplicate waiver id',
    ],
  ] as const)('rejects %s at load', ([, yaml, path, detail]) => {
    const error = loadError(pack(yaml));
    expect(error.yamlPath).toBe(path);
    expect(error.detail).toContain(detail);
    expect(error.line).toBeGreaterThan(5);
  });

  it('rejects a waiver for a rule that does not exist when the policy is resolved', async () => {
    // Prepare
    const policy = parsePolicyPack(
      'policies/p.yaml',
      pack('  - rule: no-such-rule\n    reason: r\n    owner: o@example.com\n    expires: 2025-06-30\n'),
    );
    const rules = await loadRules([shippedRulesDir()]);
    // Act / Assess
    expect(() => resolvePolicy(rules, policy, NAMED_CHECKS)).toThrow(
      /waivers\[0\]\.rule: unknown rule id "no-such-rule"/,
    );
  });
});

describe('waiver owners', () => {
  it.for([
    ['an email address', 'platform-security@example.com', [], true],
    ['a sub-domain address', 'a.b+c@mail.corp.example', [], true],
    ['a declared team', '@acme/platform', ['@acme/platform'], true],
    ['a bare word', 'ops', [], false],
    ['a team the pack does not declare', '@acme/other', ['@acme/platform'], false],
    ['an address without a dotted domain', 'me@localhost', [], false],
    ['an address with a space', 'a b@example.com', [], false],
    ['two at signs', 'a@b@example.com', [], false],
  ] as const)('takes %s as %s', ([, owner, teams, valid]) => {
    expect(isOwnerValid(owner, teams)).toBe(valid);
  });

  it('rejects an owner that is neither an email nor a declared team, naming file, line and path', () => {
    const error = loadError(pack('  - rule: r1\n    reason: r\n    owner: TBD\n    expires: 2025-06-30\n'));
    expect(error.yamlPath).toBe('waivers[0].owner');
    expect(error.line).toBe(8);
    expect(error.detail).toContain('owner "TBD" is neither an email address nor a team the pack declares');
  });

  it('accepts a team handle the pack declares in waiverSettings.teams', () => {
    const text = `${pack('  - rule: r1\n    reason: r\n    owner: "@acme/ops"\n    expires: 2025-06-30\n')}waiverSettings:\n  teams: ["@acme/ops"]\n`;
    expect(parsePolicyPack('policies/p.yaml', text).waivers[0]!.owner).toBe('@acme/ops');
  });
});

describe('waiver horizon', () => {
  const at = Date.parse('2026-11-20T12:00:00Z');
  const horizonError = (text: string, atMs = at): RuleFileError | undefined => {
    try {
      checkPolicyAt(parsePolicyPack('policies/p.yaml', text), atMs);
      return undefined;
    } catch (error) {
      if (error instanceof RuleSetError) return error.errors[0];
      throw error;
    }
  };
  const one = (expires: string): string =>
    pack(`  - id: w\n    rule: r1\n    reason: r\n    owner: o@example.com\n    expires: ${expires}\n`);

  it('accepts a waiver that expires up to one year after the evaluation date', () => {
    expect(horizonError(one('2027-11-20'))).toBeUndefined();
  });

  it('rejects one that runs further, naming the file, the waiver and the limit', () => {
    const error = horizonError(one('2031-11-20'))!;
    expect(error.file).toBe('policies/p.yaml');
    expect(error.yamlPath).toBe('waivers[0].expires');
    expect(error.line).toBe(10);
    expect(error.detail).toContain('waiver "w" expires 2031-11-20, after 2027-11-20');
  });

  it('rejects the day after the one-year limit, and judges it at the evaluation time', () => {
    expect(horizonError(one('2027-11-21'))?.yamlPath).toBe('waivers[0].expires');
    expect(horizonError(one('2027-11-21'), Date.parse('2026-11-21T00:00:00Z'))).toBeUndefined();
  });

  it('takes the limit from waiverSettings.maxDays when the pack sets it', () => {
    const withMax = (days: number, expires: string): string =>
      `${one(expires)}waiverSettings:\n  maxDays: ${days}\n`;
    expect(horizonError(withMax(1825, '2031-11-19'))).toBeUndefined();
    expect(horizonError(withMax(30, '2027-01-01'))?.detail).toContain('at most 30 days');
  });

  it('lets an expired waiver load (it is reported as expired, not refused)', () => {
    expect(horizonError(one('2020-01-01'))).toBeUndefined();
  });
});

describe('parseExpiry', () => {
  it('keeps a date-only waiver valid through that day (UTC)', () => {
    expect(parseExpiry('2025-03-01')).toBe(Date.parse('2025-03-02T00:00:00Z'));
  });
  it('takes a full timestamp as the instant of expiry', () => {
    expect(parseExpiry('2025-03-01T12:00:00Z')).toBe(Date.parse('2025-03-01T12:00:00Z'));
  });
  it('rejects a timestamp on a day that does not exist, as it rejects such a date', () => {
    expect(parseExpiry('2027-02-30')).toBeUndefined();
    expect(parseExpiry('2027-02-30T12:00:00Z')).toBeUndefined();
    expect(parseExpiry('2027-04-31T00:00+02:00')).toBeUndefined();
  });
});

describe('applyWaivers', () => {
  const noTags = (): undefined => undefined;

  it('waives a matching NON_COMPLIANT result and reports the waiver as applied', () => {
    const d = applyWaivers([result({})], [waiver({})], AT, noTags);
    expect(d.applied.get(0)?.id).toBe('w');
    expect(d.outcomes[0]).toMatchObject({ state: 'applied', resultIndexes: [0] });
  });

  it('no longer applies an expired waiver and reports what it would have covered', () => {
    const d = applyWaivers(
      [result({})],
      [waiver({ expires: '2025-02-28', expiresAtMs: parseExpiry('2025-02-28')! })],
      AT,
      noTags,
    );
    expect(d.applied.size).toBe(0);
    expect(d.outcomes[0]).toMatchObject({ state: 'expired', resultIndexes: [0] });
  });

  it('judges expiry at the evaluation time, not the wall clock: valid through its last day', () => {
    const w = waiver({ expires: '2025-03-01', expiresAtMs: parseExpiry('2025-03-01')! });
    expect(
      applyWaivers([result({})], [w], Date.parse('2025-03-01T23:59:59Z'), noTags).outcomes[0]!.state,
    ).toBe('applied');
    expect(
      applyWaivers([result({})], [w], Date.parse('2025-03-02T00:00:00Z'), noTags).outcomes[0]!.state,
    ).toBe('expired');
  });

  it('reports a waiver that matches no failing result as unused', () => {
    const d = applyWaivers(
      [result({ status: 'COMPLIANT' }), result({ ruleId: 'r2' })],
      [waiver({})],
      AT,
      noTags,
    );
    expect(d.applied.size).toBe(0);
    expect(d.outcomes[0]!.state).toBe('unused');
  });

  it('never waives an ERROR: what could not be read is not an accepted risk', () => {
    const d = applyWaivers([result({ status: 'ERROR' })], [waiver({})], AT, noTags);
    expect(d.outcomes[0]!.state).toBe('unused');
  });

  it.for([
    ['account', { accountId: '111122223333' }, true],
    ['other account', { accountId: '999999999999' }, false],
    ['region', { region: 'eu-west-1' }, true],
    ['other region', { region: 'us-east-1' }, false],
    ['resource', { resourceId: 'i-1' }, true],
    ['other resource', { resourceId: 'i-2' }, false],
    ['tag key and value', { tag: { key: 'Team', value: 'legacy' } }, true],
    ['tag key only', { tag: { key: 'Team' } }, true],
    ['tag with other value', { tag: { key: 'Team', value: 'x' } }, false],
    ['inherited-looking tag key', { tag: { key: 'constructor' } }, false],
  ] as const)('scopes by %s', ([, scope, applies]) => {
    const tags = tagsFromMap({ Team: 'legacy' });
    const d = applyWaivers([result({})], [waiver({ ruleId: '*', scope })], AT, () => tags);
    expect(d.applied.has(0)).toBe(applies);
  });

  it('applies the first matching waiver when several cover a result', () => {
    const d = applyWaivers([result({})], [waiver({ id: 'a' }), waiver({ id: 'b' })], AT, () => undefined);
    expect(d.applied.get(0)?.id).toBe('a');
    expect(d.outcomes.map((o) => o.state)).toEqual(['applied', 'unused']);
  });
});

describe('waivers in the report', () => {
  it('shows the waived result as WAIVED with its waiver, outside root causes, and not failing --fail-on', async () => {
    // Act
    const report = await buildFixedReport();
    // Assess
    const waived = report.results.filter((r) => r.status === 'WAIVED');
    expect(waived).toEqual([
      expect.objectContaining({ ruleId: 'ec2-instance-no-inbound-ssm-ports', waiverId: 'bastion-ssh' }),
    ]);
    expect(report.rootCauses.some((c) => c.ruleId === 'ec2-instance-no-inbound-ssm-ports')).toBe(false);
    expect(report.summary.byStatus.WAIVED).toBe(1);
    expect(report.rules.find((r) => r.ruleId === 'ec2-instance-no-inbound-ssm-ports')!.counts.WAIVED).toBe(1);
    expect(report.waivers.map((w) => [w.id, w.state, w.results])).toEqual([
      ['bastion-ssh', 'applied', 1],
      ['old-patch-exception', 'expired', 2],
      ['unused-exception', 'unused', 0],
    ]);
    // With the non-compliant results removed, the waived one left alone does not fail even at "info".
    const onlyWaived = { ...report, results: report.results.filter((r) => r.status !== 'NON_COMPLIANT') };
    expect(hasFailures(onlyWaived, 'info')).toBe(false);
    expect(hasFailures(report, 'critical')).toBe(true);
  });
});
