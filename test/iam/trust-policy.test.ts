// Cases for evaluateTrustPolicy: service principals, wildcards, Deny, NotPrincipal, NotAction, malformed input.
import { describe, expect, test } from 'vitest';
import type { MaybePolicyDocument } from '../../src/inventory/model.js';
import { decodePolicyDocument } from '../../src/inventory/policy-document.js';
import { evaluateTrustPolicy, type TrustDecision } from '../../src/iam/trust-policy.js';
import { doc, type Statement } from './iam-test-helpers.js';

const EC2 = 'ec2.amazonaws.com';
const SSM = 'ssm.amazonaws.com';
const trust = (principal: unknown, extra: Record<string, unknown> = {}): Statement => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...extra,
});
const ORG = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } };

interface Case {
  name: string;
  statements?: Statement[];
  policy?: MaybePolicyDocument;
  service?: string;
  expect: TrustDecision | 'ERROR';
  wildcard?: boolean;
  statementIndexes?: number[];
}

const cases: Case[] = [
  {
    name: 'trusts ec2 through the standard instance-profile trust policy',
    statements: [trust({ Service: EC2 })],
    expect: 'TRUSTED',
    wildcard: false,
    statementIndexes: [0],
  },
  {
    name: 'does not trust ssm through the instance-profile trust policy',
    statements: [trust({ Service: EC2 })],
    service: SSM,
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'trusts ssm through the DHMC trust policy',
    statements: [trust({ Service: SSM })],
    service: SSM,
    expect: 'TRUSTED',
  },
  {
    name: 'does not trust ec2 through the DHMC trust policy',
    statements: [trust({ Service: SSM })],
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'accepts Principal.Service as an array',
    statements: [trust({ Service: ['lambda.amazonaws.com', EC2] })],
    expect: 'TRUSTED',
  },
  {
    name: 'compares service principals case-insensitively',
    statements: [trust({ Service: 'EC2.AmazonAWS.com' })],
    expect: 'TRUSTED',
  },
  {
    name: 'accepts Action as an array',
    statements: [trust({ Service: EC2 }, { Action: ['sts:TagSession', 'sts:AssumeRole'] })],
    expect: 'TRUSTED',
  },
  {
    name: 'matches sts:* in Action',
    statements: [trust({ Service: EC2 }, { Action: 'sts:*' })],
    expect: 'TRUSTED',
  },
  {
    name: 'matches a mixed-case, wildcard action',
    statements: [trust({ Service: EC2 }, { Action: 'STS:Assume*' })],
    expect: 'TRUSTED',
  },
  {
    name: 'does not trust for another action',
    statements: [trust({ Service: EC2 }, { Action: 'sts:AssumeRoleWithWebIdentity' })],
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'handles NotAction that leaves AssumeRole in',
    statements: [trust({ Service: EC2 }, { Action: undefined, NotAction: 'sts:TagSession' })],
    expect: 'TRUSTED',
  },
  {
    name: 'handles NotAction that takes AssumeRole out',
    statements: [trust({ Service: EC2 }, { Action: undefined, NotAction: 'sts:Assume*' })],
    expect: 'NOT_TRUSTED',
  },
  { name: 'reports Principal "*" as WILDCARD', statements: [trust('*')], expect: 'WILDCARD', wildcard: true },
  {
    name: 'reports Principal {AWS:"*"} as WILDCARD',
    statements: [trust({ AWS: '*' })],
    expect: 'WILDCARD',
    wildcard: true,
  },
  {
    name: 'reports WILDCARD even when ec2 is also named',
    statements: [trust({ Service: EC2 }), trust('*')],
    expect: 'WILDCARD',
    statementIndexes: [1],
  },
  {
    name: 'reports a conditional wildcard as CONDITIONAL and flags it',
    statements: [trust({ AWS: '*' }, { Condition: ORG })],
    expect: 'CONDITIONAL',
    wildcard: true,
  },
  {
    name: 'trusts the service when a conditional wildcard sits beside it',
    statements: [trust({ Service: EC2 }), trust({ AWS: '*' }, { Condition: ORG })],
    expect: 'TRUSTED',
    wildcard: true,
  },
  {
    name: 'does not trust through an AWS account principal',
    statements: [trust({ AWS: 'arn:aws:iam::111122223333:root' })],
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'reports a conditional trust as CONDITIONAL',
    statements: [
      trust({ Service: EC2 }, { Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }),
    ],
    expect: 'CONDITIONAL',
    statementIndexes: [0],
  },
  {
    name: 'lets a Deny beat the Allow',
    statements: [
      trust({ Service: EC2 }),
      { Effect: 'Deny', Principal: { Service: [EC2] }, Action: 'sts:AssumeRole' },
    ],
    expect: 'NOT_TRUSTED',
    statementIndexes: [1],
  },
  {
    name: 'lets a Deny for everyone beat the Allow',
    statements: [trust({ Service: EC2 }), { Effect: 'Deny', Principal: '*', Action: 'sts:*' }],
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'ignores a Deny for another service',
    statements: [
      trust({ Service: EC2 }),
      { Effect: 'Deny', Principal: { Service: SSM }, Action: 'sts:AssumeRole' },
    ],
    expect: 'TRUSTED',
  },
  {
    name: 'reports a conditional Deny as CONDITIONAL',
    statements: [
      trust({ Service: EC2 }),
      { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: ORG },
    ],
    expect: 'CONDITIONAL',
  },
  {
    name: 'does not deny the service a Deny+NotPrincipal names',
    statements: [
      trust({ Service: EC2 }),
      { Effect: 'Deny', NotPrincipal: { Service: EC2 }, Action: 'sts:AssumeRole' },
    ],
    expect: 'TRUSTED',
  },
  {
    name: 'denies the services a Deny+NotPrincipal leaves out',
    statements: [
      trust({ Service: [EC2, SSM] }),
      { Effect: 'Deny', NotPrincipal: { Service: EC2 }, Action: 'sts:AssumeRole' },
    ],
    service: SSM,
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'reports Allow+NotPrincipal as WILDCARD',
    statements: [
      { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
    ],
    expect: 'WILDCARD',
    wildcard: true,
  },
  {
    name: 'does not trust through Allow+NotPrincipal naming the service',
    statements: [{ Effect: 'Allow', NotPrincipal: { Service: EC2 }, Action: 'sts:AssumeRole' }],
    expect: 'NOT_TRUSTED',
  },
  {
    name: 'reads a URL-encoded trust policy',
    policy: decodePolicyDocument(
      encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [trust({ Service: EC2 })] })),
    ),
    expect: 'TRUSTED',
  },
  {
    name: 'accepts a single Statement object',
    policy: { document: { Statement: trust({ Service: EC2 }) as never } },
    expect: 'TRUSTED',
  },
  {
    name: 'gives ERROR for a trust policy that did not decode',
    policy: decodePolicyDocument('%E0%A4%A'),
    expect: 'ERROR',
  },
  {
    name: 'gives ERROR for a statement without Principal',
    statements: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
    expect: 'ERROR',
  },
  {
    name: 'gives ERROR for a Principal of the wrong type',
    statements: [trust(['ec2.amazonaws.com'])],
    expect: 'ERROR',
  },
  {
    name: 'gives ERROR for a statement without Action',
    statements: [{ Effect: 'Allow', Principal: { Service: EC2 } }],
    expect: 'ERROR',
  },
  { name: 'gives ERROR for a missing trust policy', policy: undefined, expect: 'ERROR' },
];

describe('evaluateTrustPolicy', () => {
  test.for(cases)('$name', (c) => {
    // Prepare
    const policy = c.statements !== undefined ? doc(...c.statements) : c.policy;

    // Act
    const result = evaluateTrustPolicy(policy, c.service ?? EC2);

    // Assess
    if (c.expect === 'ERROR') {
      expect(result.status).toBe('ERROR');
      if (result.status === 'ERROR')
        expect(['IAM_POLICY_MALFORMED', 'IAM_POLICY_UNAVAILABLE']).toContain(result.error.code);
      return;
    }
    expect(result.status).toBe('EVALUATED');
    if (result.status !== 'EVALUATED') return;
    expect(result.decision).toBe(c.expect);
    if (c.wildcard !== undefined) expect(result.wildcardPrincipal).toBe(c.wildcard);
    if (c.statementIndexes !== undefined)
      expect(result.statements.map((s) => s.statementIndex)).toEqual(c.statementIndexes);
  });

  test('shows the condition and Sid of a conditional trust', () => {
    // Act
    const result = evaluateTrustPolicy(doc(trust({ Service: EC2 }, { Sid: 'OrgOnly', Condition: ORG })), EC2);

    // Assess
    expect(result).toMatchObject({
      decision: 'CONDITIONAL',
      statements: [{ sid: 'OrgOnly', condition: ORG, effect: 'Allow' }],
    });
  });

  test('checks another STS action when asked', () => {
    const policy = doc(trust({ Service: EC2 }, { Action: 'sts:TagSession' }));
    expect(evaluateTrustPolicy(policy, EC2, 'sts:TagSession')).toMatchObject({ decision: 'TRUSTED' });
  });
});
