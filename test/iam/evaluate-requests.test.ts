// Table tests for evaluateActions with a request context: resources, variables, levels, endpoint policies, unknown keys.
import { describe, expect, test } from 'vitest';
import { requestContext, type ContextSpec } from '../../src/iam/conditions/index.js';
import {
  evaluateActions,
  type ActionDecisionKind,
  type EndpointPolicyLayer,
  type ScpLayer,
} from '../../src/iam/evaluate-actions.js';
import {
  FULL_AWS_ACCESS,
  INSTANCE_ARN,
  UPDATE,
  allow,
  deny,
  named,
  type Statement,
} from './iam-test-helpers.js';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/app/ssm-core';
const BASE: ContextSpec = {
  values: {
    'aws:RequestedRegion': 'us-east-1',
    'aws:PrincipalArn': ROLE_ARN,
    'aws:PrincipalAccount': '111122223333',
    'aws:PrincipalTag/team': 'ops',
    'ec2:SourceInstanceARN': INSTANCE_ARN,
    'aws:SecureTransport': 'true',
    'aws:ViaAWSService': 'false',
  },
  absent: ['aws:SourceVpce', 'aws:SourceVpc', 'ssm:SourceInstanceARN', 'aws:username'],
  closedPrefixes: ['aws:PrincipalTag/'],
  unknown: { 'aws:SourceIp': 'NAT instance' },
};

interface Case {
  name: string;
  identity: Statement[];
  scps?: Statement[][];
  endpoint?: { services: string[]; statements: Statement[] };
  action?: string;
  resource?: string;
  context?: ContextSpec;
  expect: ActionDecisionKind;
  deniedBy?: string[];
  unknownKeys?: string[];
  blockingLevels?: string[];
}

const DOC = 'arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline';
const cases: Case[] = [
  {
    name: 'a Resource naming the instance ARN allows it',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/*')],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'a Resource naming only other resources does not apply',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/i-other')],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'resource ARNs are case-sensitive',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:INSTANCE/*')],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'a Deny on Prod documents spares AWS documents',
    identity: [allow('ssm:*'), deny('ssm:GetDocument', 'arn:aws:ssm:*:*:document/Prod-*')],
    action: 'ssm:GetDocument',
    resource: DOC,
    expect: 'ALLOWED',
  },
  {
    name: 'a Deny on all documents hits the patch document',
    identity: [allow('ssm:*'), deny('ssm:GetDocument', 'arn:aws:ssm:*:*:document/*')],
    action: 'ssm:GetDocument',
    resource: DOC,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'NotResource Deny applies to resources outside the list',
    identity: [
      allow('ssm:*'),
      { Effect: 'Deny', Action: 'ssm:GetDocument', NotResource: 'arn:aws:ssm:*:*:document/Approved-*' },
    ],
    action: 'ssm:GetDocument',
    resource: DOC,
    expect: 'EXPLICIT_DENY',
    deniedBy: ['identity'],
  },
  {
    name: 'NotResource Deny spares resources in the list',
    identity: [
      allow('ssm:*'),
      { Effect: 'Deny', Action: 'ssm:GetDocument', NotResource: 'arn:aws:ssm:*::document/AWS-*' },
    ],
    action: 'ssm:GetDocument',
    resource: DOC,
    expect: 'ALLOWED',
  },
  {
    name: 'a variable in Resource resolves to the source instance',
    identity: [allow(UPDATE, '${ec2:SourceInstanceARN}')],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'a variable whose key is absent matches nothing',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/${aws:username}')],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'a variable with an unknown key leaves it open',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/${aws:SourceIdentity}')],
    resource: INSTANCE_ARN,
    expect: 'CONDITIONAL',
  },
  {
    name: 'a region fence Deny outside the request region does not apply',
    identity: [
      allow('*'),
      {
        Effect: 'Deny',
        NotAction: 'iam:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
      },
    ],
    expect: 'ALLOWED',
  },
  {
    name: 'a region fence Deny catches another region',
    identity: [
      allow('*'),
      {
        Effect: 'Deny',
        NotAction: 'iam:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
      },
    ],
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'a tag guard allows a tagged role',
    identity: [allow('ssm:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } } })],
    expect: 'ALLOWED',
  },
  {
    name: 'a tag guard refuses an untagged role (the tag is absent, not unknown)',
    identity: [allow('ssm:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/owner': 'ops' } } })],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'a VPC-endpoint guard Deny applies on the internet path',
    identity: [
      allow('ssm:*'),
      deny('ssm:*', '*', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0abc' } } }),
    ],
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'a VPC-endpoint guard Deny spares the named endpoint',
    identity: [
      allow('ssm:*'),
      deny('ssm:*', '*', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0abc' } } }),
    ],
    context: { ...BASE, values: { ...BASE.values, 'aws:SourceVpce': 'vpce-0abc' }, absent: [] },
    expect: 'ALLOWED',
  },
  {
    name: 'an ec2:SourceInstanceARN guard with Null allows instance credentials',
    identity: [allow('ssm:*', '*', { Condition: { Null: { 'ec2:SourceInstanceARN': 'false' } } })],
    expect: 'ALLOWED',
  },
  {
    name: 'ssm:SourceInstanceARN is absent for instance-profile credentials',
    identity: [allow('ssm:*', '*', { Condition: { StringLike: { 'ssm:SourceInstanceARN': '*' } } })],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'an unknown key in a Deny that could change the answer is CONDITIONAL',
    identity: [
      allow('ssm:*'),
      deny('ssm:*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
    ],
    expect: 'CONDITIONAL',
    unknownKeys: ['aws:SourceIp'],
  },
  {
    name: 'an unknown key in a Deny cannot matter when nothing allows',
    identity: [deny('ssm:*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'an unknown key in an Allow cannot matter beside a certain Allow',
    identity: [
      allow('ssm:*'),
      allow(UPDATE, '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
    ],
    expect: 'ALLOWED',
  },
  {
    name: 'an unknown key in an Allow cannot matter beside a certain Deny',
    identity: [
      allow(UPDATE, '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
      deny('ssm:*'),
    ],
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'an SCP level that allows nothing blocks and is named',
    identity: [allow('*')],
    scps: [[allow('*')], [allow('ec2:*')]],
    expect: 'NOT_ALLOWED',
    deniedBy: ['scp'],
    blockingLevels: ['level-1'],
  },
  {
    name: 'an SCP must allow at every level',
    identity: [allow('*')],
    scps: [[allow('*')], [allow('ssm:*')], [allow(UPDATE)]],
    expect: 'ALLOWED',
  },
  {
    name: 'an SCP region fence at the OU decides with the context',
    identity: [allow('*')],
    scps: [
      [allow('*')],
      [
        allow('*'),
        {
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*'],
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
        },
      ],
    ],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['scp'],
  },
  {
    name: 'an SCP exempting the instance roles by PrincipalArn',
    identity: [allow('*')],
    scps: [
      [
        allow('*'),
        deny('ssm:*', '*', {
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app/*' } },
        }),
      ],
    ],
    expect: 'ALLOWED',
  },
  {
    name: 'an endpoint policy that allows the role',
    identity: [allow('*')],
    endpoint: { services: ['ssm'], statements: [allow('ssm:*', '*', { Principal: { AWS: ROLE_ARN } })] },
    expect: 'ALLOWED',
  },
  {
    name: 'an endpoint policy for another account blocks',
    identity: [allow('*')],
    endpoint: { services: ['ssm'], statements: [allow('*', '*', { Principal: { AWS: '444455556666' } })] },
    expect: 'NOT_ALLOWED',
    deniedBy: ['endpoint'],
    blockingLevels: ['vpce-0abc'],
  },
  {
    name: 'an endpoint policy allowing the account root covers the role',
    identity: [allow('*')],
    endpoint: {
      services: ['ssm'],
      statements: [allow('*', '*', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } })],
    },
    expect: 'ALLOWED',
  },
  {
    name: 'an endpoint policy Deny with Principal * denies',
    identity: [allow('*')],
    endpoint: {
      services: ['ssm'],
      statements: [allow('*', '*', { Principal: '*' }), deny(UPDATE, '*', { Principal: '*' })],
    },
    expect: 'EXPLICIT_DENY',
    deniedBy: ['endpoint'],
  },
  {
    name: 'an endpoint policy only sees its own service',
    identity: [allow('*')],
    endpoint: { services: ['ssmmessages'], statements: [deny('*', '*', { Principal: '*' })] },
    expect: 'ALLOWED',
  },
  {
    name: 'an endpoint policy scoped to an org by condition',
    identity: [allow('*')],
    endpoint: {
      services: ['ssm'],
      statements: [
        allow('*', '*', { Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
      ],
    },
    context: { ...BASE, values: { ...BASE.values, 'aws:PrincipalOrgID': 'o-abc' } },
    expect: 'ALLOWED',
  },
];

function run(c: Case) {
  const scpLayers: ScpLayer[] | undefined = c.scps?.map((statements, i) => ({
    name: `level-${i}`,
    policies: [named(`scp-${i}`, ...statements)],
  }));
  const endpointPolicies: EndpointPolicyLayer[] | undefined =
    c.endpoint === undefined
      ? undefined
      : [
          {
            name: 'vpce-0abc',
            services: c.endpoint.services,
            policy: named('vpce-0abc', ...c.endpoint.statements),
          },
        ];
  return evaluateActions({
    identityPolicies: [named('inline', ...c.identity)],
    scpLayers,
    endpointPolicies,
    actions: [],
    requests: [{ action: c.action ?? UPDATE, resource: c.resource ?? INSTANCE_ARN }],
    context: requestContext(c.context ?? BASE),
  });
}

describe('evaluateActions with a request context', () => {
  test.for(cases)('$name', (c) => {
    const result = run(c);
    if (result.status !== 'EVALUATED') throw result.error;
    const [decision] = result.decisions;
    expect(decision!.decision).toBe(c.expect);
    if (c.deniedBy !== undefined) expect(decision!.deniedBy).toEqual(c.deniedBy);
    if (c.unknownKeys !== undefined) expect(decision!.unknownKeys).toEqual(c.unknownKeys);
    if (c.blockingLevels !== undefined) expect(decision!.blockingLevels).toEqual(c.blockingLevels);
    if (c.expect === 'CONDITIONAL') expect(decision!.unknownKeys?.length).toBeGreaterThan(0);
  });

  test('explains a statement that did not apply with the context value', () => {
    const result = run({
      name: '',
      identity: [
        allow('*'),
        {
          Effect: 'Deny',
          NotAction: 'iam:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        },
      ],
      expect: 'ALLOWED',
    });
    if (result.status !== 'EVALUATED') throw result.error;
    const [decision] = result.decisions;
    expect(decision!.notApplied).toEqual([
      expect.objectContaining({
        effect: 'Deny',
        statementIndex: 1,
        conditionTrace: [
          {
            operator: 'StringNotEquals',
            key: 'aws:RequestedRegion',
            values: ['us-east-1'],
            context: '"us-east-1"',
            result: false,
          },
        ],
      }),
    ]);
  });

  test('gives ERROR for an endpoint policy statement without Principal', () => {
    const result = evaluateActions({
      identityPolicies: [FULL_AWS_ACCESS],
      endpointPolicies: [{ name: 'vpce-1', services: ['ssm'], policy: named('vpce-1', allow('*')) }],
      actions: [UPDATE],
    });
    expect(result.status).toBe('ERROR');
    if (result.status === 'ERROR') expect(result.error.message).toContain('Principal');
  });
});
