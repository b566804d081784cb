// Property checks of the three-valued evaluator: unknown keys, more complete contexts, added Denies (fast-check).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { requestContext, type ContextSpec } from '../../src/iam/conditions/index.js';
import { evaluateActions, type ActionDecision } from '../../src/iam/evaluate-actions.js';
import { INSTANCE_ARN, doc, type Statement } from './iam-test-helpers.js';

/** The keys policies test, each with a small pool of values (known, then absent). */
const KEYS: Record<string, string[]> = {
  'aws:RequestedRegion': ['us-east-1', 'eu-west-1'],
  'aws:SourceVpce': ['vpce-1', 'vpce-2'],
  'aws:SourceIp': ['203.0.113.7', '198.51.100.7'],
  'aws:PrincipalTag/team': ['ops', 'dev'],
  'ec2:SourceInstanceARN': [INSTANCE_ARN, 'arn:aws:ec2:us-east-1:111122223333:instance/i-other'],
};
const KEY_NAMES = Object.keys(KEYS);

const conditionArb: fc.Arbitrary<Record<string, Record<string, unknown>>> = fc
  .record({
    key: fc.constantFrom(...KEY_NAMES),
    operator: fc.constantFrom(
      'StringEquals',
      'StringNotEquals',
      'StringLike',
      'StringEqualsIfExists',
      'StringNotEqualsIfExists',
      'ForAnyValue:StringEquals',
      'ForAllValues:StringEquals',
      'Null',
      'IpAddress',
      'NotIpAddress',
      'ArnLike',
    ),
    pick: fc.integer({ min: 0, max: 1 }),
    nullValue: fc.boolean(),
  })
  .map(({ key, operator, pick, nullValue }) => {
    if (operator === 'Null') return { Null: { [key]: String(nullValue) } };
    if (operator.includes('IpAddress'))
      return { [operator]: { [key]: pick === 0 ? '203.0.113.0/24' : '10.0.0.0/8' } };
    return { [operator]: { [key]: KEYS[key]![pick]! } };
  });

function statementArb(effect?: 'Allow' | 'Deny'): fc.Arbitrary<Statement> {
  return fc
    .record({
      effect: effect === undefined ? fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny') : fc.constant(effect),
      action: fc.constantFrom('*', 'ssm:*', 'ssm:UpdateInstanceInformation', 'ec2:*'),
      resource: fc.constantFrom(
        '*',
        'arn:aws:ec2:*:*:instance/*',
        '${ec2:SourceInstanceARN}',
        'arn:aws:s3:::b/*',
      ),
      conditions: fc.array(conditionArb, { maxLength: 2 }),
    })
    .map((s) => ({
      Effect: s.effect,
      Action: s.action,
      Resource: s.resource,
      ...(s.conditions.length > 0
        ? { Condition: Object.assign({}, ...s.conditions) as Record<string, unknown> }
        : {}),
    }));
}

/** Per key: a known value index, or -1 for absent. */
const fullContextArb = fc.record(
  Object.fromEntries(KEY_NAMES.map((k) => [k, fc.integer({ min: -1, max: 1 })])),
);

function spec(full: Record<string, number>, unknown: readonly string[]): ContextSpec {
  const values: Record<string, string> = {};
  const absent: string[] = [];
  const unknownKeys: Record<string, string> = {};
  for (const key of KEY_NAMES) {
    if (unknown.includes(key)) unknownKeys[key] = 'test';
    else if (full[key]! < 0) absent.push(key);
    else values[key] = KEYS[key]![full[key]!]!;
  }
  return { values, absent, unknown: unknownKeys };
}

function decide(identity: Statement[], scp: Statement[], context: ContextSpec): ActionDecision {
  const result = evaluateActions({
    identityPolicies: [{ id: 'p', policy: doc(...identity) }],
    scpLayers: [{ name: 'root', policies: [{ id: 'scp', policy: doc(...scp) }] }],
    actions: [],
    requests: [{ action: 'ssm:UpdateInstanceInformation', resource: INSTANCE_ARN }],
    context: requestContext(context),
  });
  if (result.status !== 'EVALUATED') throw result.error;
  return result.decisions[0]!;
}

const policiesArb = fc.record({
  identity: fc.array(statementArb(), { minLength: 1, maxLength: 4 }),
  scp: fc.array(statementArb(), { minLength: 1, maxLength: 3 }),
});
const DENIED = new Set(['EXPLICIT_DENY', 'NOT_ALLOWED']);

describe('three-valued evaluation properties', () => {
  test('an unknown key only turns a decision into CONDITIONAL, never flips ALLOWED and DENIED', () => {
    fc.assert(
      fc.property(
        policiesArb,
        fullContextArb,
        fc.subarray(KEY_NAMES, { minLength: 1 }),
        (p, full, hidden) => {
          const known = decide(p.identity, p.scp, spec(full, []));
          const partial = decide(p.identity, p.scp, spec(full, hidden));
          expect(known.decision).not.toBe('CONDITIONAL');
          if (partial.decision === 'ALLOWED') expect(known.decision).toBe('ALLOWED');
          if (DENIED.has(partial.decision)) expect(DENIED.has(known.decision)).toBe(true);
          if (partial.decision === 'CONDITIONAL') expect(partial.unknownKeys!.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 600 },
    );
  });

  test('a more complete context never turns a decided answer into CONDITIONAL', () => {
    fc.assert(
      fc.property(
        policiesArb,
        fullContextArb,
        fc.subarray(KEY_NAMES),
        fc.subarray(KEY_NAMES),
        (p, full, a, b) => {
          // `more` hides a subset of what `less` hides: it is the more complete context.
          const lessHidden = [...new Set([...a, ...b])];
          const moreHidden = a.filter((k) => b.includes(k));
          const less = decide(p.identity, p.scp, spec(full, lessHidden));
          const more = decide(p.identity, p.scp, spec(full, moreHidden));
          // Denied stays denied (a Deny whose key became known may now be named as EXPLICIT_DENY instead of
          // NOT_ALLOWED), allowed stays allowed, and neither becomes CONDITIONAL.
          if (less.decision === 'ALLOWED') expect(more.decision).toBe('ALLOWED');
          if (DENIED.has(less.decision)) expect(DENIED.has(more.decision)).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
  });

  test('adding a Deny never yields ALLOWED, whatever the context', () => {
    fc.assert(
      fc.property(
        policiesArb,
        statementArb('Deny'),
        fc.boolean(),
        fullContextArb,
        fc.subarray(KEY_NAMES),
        (p, extra, inScp, full, hidden) => {
          const context = spec(full, hidden);
          const before = decide(p.identity, p.scp, context);
          const after = inScp
            ? decide(p.identity, [...p.scp, extra], context)
            : decide([...p.identity, extra], p.scp, context);
          if (after.decision === 'ALLOWED') expect(before.decision).toBe('ALLOWED');
          if (before.decision === 'EXPLICIT_DENY') expect(after.decision).toBe('EXPLICIT_DENY');
        },
      ),
      { numRuns: 600 },
    );
  });
});
