// Property-based checks of evaluateActions (fast-check): monotonic denies, order independence, layer removal.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  evaluateActions,
  type ActionDecision,
  type EvaluateActionsInput,
  type NamedPolicy,
} from '../../src/iam/evaluate-actions.js';
import { INSTANCE_ARN, SOURCE_VPCE, doc, type Statement } from './iam-test-helpers.js';

const ACTION_PATTERNS = [
  '*',
  'ssm:*',
  'SSM:updateinstanceinformation',
  'ssm:UpdateInstanceInformation',
  'ssm:*Instance*',
  'ssm:Update?nstanceInformation',
  'ssmmessages:*',
  'ssmmessages:Open*',
  'ec2:*',
  's3:GetObject',
  'ssm:GetDocument',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:ec2:*:*:instance/*',
  'arn:aws:ec2:us-east-?:*:instance/i-*',
  'arn:aws:s3:::bucket/*',
  INSTANCE_ARN,
];
const ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssm:GetDocument',
  'ssmmessages:OpenDataChannel',
  'ec2:DescribeInstances',
  's3:GetObject',
];
const RESOURCES = ['*', INSTANCE_ARN, 'arn:aws:s3:::bucket/key'];

const patterns = (pool: string[]) =>
  fc.oneof(
    fc.constantFrom(...pool),
    fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }),
  );

function statementArb(effect?: 'Allow' | 'Deny'): fc.Arbitrary<Statement> {
  return fc
    .record({
      effect: effect === undefined ? fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny') : fc.constant(effect),
      notAction: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      actions: patterns(ACTION_PATTERNS),
      notResource: fc.boolean(),
      resources: patterns(RESOURCE_PATTERNS),
      conditional: fc.boolean(),
    })
    .map((s) => ({
      Effect: s.effect,
      [s.notAction ? 'NotAction' : 'Action']: s.actions,
      [s.notResource && !s.notAction ? 'NotResource' : 'Resource']: s.resources,
      ...(s.conditional ? { Condition: SOURCE_VPCE } : {}),
    }));
}

const policyArb = (id: string) =>
  fc.array(statementArb(), { minLength: 1, maxLength: 4 }).map((statements) => ({ id, statements }));

interface Scenario {
  identity: { id: string; statements: Statement[] }[];
  boundary?: Statement[];
  scp?: Statement[];
  action: string;
  resource: string;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record(
  {
    identity: fc
      .array(policyArb('p'), { maxLength: 3 })
      .map((ps) => ps.map((p, i) => ({ ...p, id: `p${i}` }))),
    boundary: fc.array(statementArb(), { minLength: 1, maxLength: 3 }),
    scp: fc.array(statementArb(), { minLength: 1, maxLength: 3 }),
    action: fc.constantFrom(...ACTIONS),
    resource: fc.constantFrom(...RESOURCES),
  },
  { requiredKeys: ['identity', 'action', 'resource'] },
);

function input(s: Scenario): EvaluateActionsInput {
  return {
    identityPolicies: s.identity.map((p): NamedPolicy => ({ id: p.id, policy: doc(...p.statements) })),
    permissionsBoundary:
      s.boundary === undefined ? undefined : { id: 'boundary', policy: doc(...s.boundary) },
    scpLayers:
      s.scp === undefined ? undefined : [{ name: 'root', policies: [{ id: 'scp', policy: doc(...s.scp) }] }],
    actions: [s.action],
    resource: s.resource,
  };
}

function decide(s: Scenario): ActionDecision {
  const result = evaluateActions(input(s));
  if (result.status !== 'EVALUATED') throw new Error(`unexpected ERROR: ${result.error.message}`);
  return result.decisions[0]!;
}

/** Reorders a list by the given sort keys (a permutation fast-check can shrink). */
function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.item);
}

describe('evaluateActions properties', () => {
  test('adding a Deny statement never turns a decision into ALLOWED', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        statementArb('Deny'),
        fc.constantFrom('identity', 'boundary', 'scp'),
        (s, extra, where) => {
          const before = decide(s);
          const withDeny: Scenario =
            where === 'identity'
              ? { ...s, identity: [...s.identity, { id: 'extra', statements: [extra] }] }
              : where === 'boundary'
                ? { ...s, boundary: s.boundary === undefined ? undefined : [...s.boundary, extra] }
                : { ...s, scp: s.scp === undefined ? undefined : [...s.scp, extra] };
          const after = decide(withDeny);
          if (after.decision === 'ALLOWED') expect(before.decision).toBe('ALLOWED');
          if (before.decision === 'EXPLICIT_DENY') expect(after.decision).toBe('EXPLICIT_DENY');
        },
      ),
      { numRuns: 500 },
    );
  });

  test('the order of statements and policies never matters', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.integer(), { minLength: 1, maxLength: 12 }), (s, keys) => {
        const shuffled: Scenario = {
          ...s,
          identity: permute(s.identity, keys).map((p) => ({
            ...p,
            statements: permute(p.statements, [...keys].reverse()),
          })),
          boundary: s.boundary === undefined ? undefined : permute(s.boundary, keys),
          scp: s.scp === undefined ? undefined : permute(s.scp, keys),
        };
        const a = decide(s);
        const b = decide(shuffled);
        expect(b.decision).toBe(a.decision);
        expect(b.deniedBy).toEqual(a.deniedBy);
        const key = (d: ActionDecision) =>
          d.statements.map((x) => `${x.layer}/${x.policy}/${x.effect}`).sort();
        expect(key(b)).toEqual(key(a));
      }),
      { numRuns: 500 },
    );
  });

  test('removing the permissions boundary never removes an allow', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        if (decide(s).decision === 'ALLOWED')
          expect(decide({ ...s, boundary: undefined }).decision).toBe('ALLOWED');
      }),
      { numRuns: 500 },
    );
  });

  test('removing the SCPs never removes an allow', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        if (decide(s).decision === 'ALLOWED')
          expect(decide({ ...s, scp: undefined }).decision).toBe('ALLOWED');
      }),
      { numRuns: 300 },
    );
  });

  test('a malformed document anywhere gives ERROR, never a decision', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom('identity', 'boundary', 'scp'), (s, where) => {
        const broken = { Effect: 'Allow', Resource: '*' };
        const bad: Scenario =
          where === 'identity'
            ? { ...s, identity: [...s.identity, { id: 'bad', statements: [broken] }] }
            : where === 'boundary'
              ? { ...s, boundary: [...(s.boundary ?? []), broken] }
              : { ...s, scp: [...(s.scp ?? []), broken] };
        expect(evaluateActions(input(bad)).status).toBe('ERROR');
      }),
      { numRuns: 200 },
    );
  });
});
