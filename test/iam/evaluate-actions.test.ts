// Table-driven cases for evaluateActions: action/resource matching, deny precedence, conditions, boundary, SCPs, errors.
import { describe, expect, test } from 'vitest';
import { decodePolicyDocument } from '../../src/inventory/policy-document.js';
import type { MaybePolicyDocument } from '../../src/inventory/model.js';
import {
  evaluateActions,
  type ActionDecisionKind,
  type DecidingStatement,
  type NamedPolicy,
  type PolicyLayer,
} from '../../src/iam/evaluate-actions.js';
import type { IamEvaluationErrorCode } from '../../src/iam/iam-evaluation-error.js';
import {
  FULL_AWS_ACCESS,
  INSTANCE_ARN,
  SOURCE_VPCE,
  UPDATE,
  allow,
  deny,
  doc,
  named,
  type Statement,
} from './iam-test-helpers.js';

interface Case {
  name: string;
  /** Statements of one inline policy "inline-1"… or whole named policies. */
  identity?: Statement[];
  identityPolicies?: NamedPolicy[];
  boundary?: Statement[] | MaybePolicyDocument;
  /** Layers of policies. */
  scps?: NamedPolicy[][];
  action?: string;
  resource?: string;
  expect: ActionDecisionKind | 'ERROR';
  deniedBy?: PolicyLayer[];
  deciding?: Partial<DecidingStatement>[];
  code?: IamEvaluationErrorCode;
}

const urlEncoded = encodeURIComponent(
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }] }),
);
const cases: Case[] = [
  // Action matching
  {
    name: 'allows an exactly named action',
    identity: [allow(UPDATE)],
    expect: 'ALLOWED',
    deciding: [{ policy: 'inline-1', layer: 'identity', statementIndex: 0, effect: 'Allow' }],
  },
  {
    name: 'does not allow when there are no policies',
    identity: [],
    expect: 'NOT_ALLOWED',
    deniedBy: ['identity'],
  },
  {
    name: 'does not allow an action the policy does not name',
    identity: [allow('ssm:GetDocument')],
    expect: 'NOT_ALLOWED',
    deniedBy: ['identity'],
  },
  {
    name: 'allows an action named in an Action array',
    identity: [allow(['ssm:GetDocument', UPDATE])],
    expect: 'ALLOWED',
  },
  {
    name: 'accepts a single Statement object instead of an array',
    identityPolicies: [
      {
        id: 'single',
        policy: { document: { Statement: { Effect: 'Allow', Action: UPDATE, Resource: '*' } } },
      },
    ],
    expect: 'ALLOWED',
  },
  { name: 'accepts a Resource array', identity: [allow(UPDATE, ['arn:aws:s3:::x', '*'])], expect: 'ALLOWED' },
  {
    name: 'matches mixed-case actions in the policy',
    identity: [allow('SSM:updateinstanceINFORMATION')],
    expect: 'ALLOWED',
  },
  {
    name: 'matches a mixed-case requested action',
    identity: [allow(UPDATE)],
    action: 'SSM:UPDATEINSTANCEINFORMATION',
    expect: 'ALLOWED',
  },
  { name: 'matches a service wildcard', identity: [allow('ssm:*')], expect: 'ALLOWED' },
  { name: 'matches the full wildcard', identity: [allow('*')], expect: 'ALLOWED' },
  {
    name: 'matches a wildcard in the middle (ssm:*Instance*)',
    identity: [allow('ssm:*Instance*')],
    expect: 'ALLOWED',
  },
  {
    name: 'does not match a middle wildcard that needs another word',
    identity: [allow('ssm:*Instance*')],
    action: 'ssm:GetDocument',
    expect: 'NOT_ALLOWED',
  },
  { name: 'matches Update*Information', identity: [allow('ssm:Update*Information')], expect: 'ALLOWED' },
  {
    name: 'matches a trailing ? wildcard',
    identity: [allow('ssm:UpdateInstanceInformatio?')],
    expect: 'ALLOWED',
  },
  {
    name: 'requires ? to match exactly one character',
    identity: [allow('ssm:UpdateInstanceInformation?')],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'gives ERROR for ? in the service prefix (IAM refuses wildcards there)',
    identity: [allow('s?m:UpdateInstanceInformation')],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'matches ssmmessages:*Channel',
    identity: [allow('ssmmessages:*Channel')],
    action: 'ssmmessages:OpenDataChannel',
    expect: 'ALLOWED',
  },
  {
    name: 'gives ERROR for a wildcard in the service prefix (ssm*:*)',
    identity: [allow('ssm*:*')],
    action: 'ssmmessages:CreateControlChannel',
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for *:*',
    identity: [allow('*:*')],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for an empty service (:UpdateInstanceInformation)',
    identity: [allow(':UpdateInstanceInformation')],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a second colon in an action',
    identity: [allow('ssm:Update:Info')],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'does not let ssm:* cover ssmmessages',
    identity: [allow('ssm:*')],
    action: 'ssmmessages:CreateControlChannel',
    expect: 'NOT_ALLOWED',
  },
  { name: 'does not let ec2:* cover ssm', identity: [allow('ec2:*')], expect: 'NOT_ALLOWED' },
  {
    name: 'treats a dot in an action pattern literally',
    identity: [allow('ssm:Update.nstanceInformation')],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'combines allows from several policies',
    identityPolicies: [named('a', allow('ec2:*')), named('b', allow(UPDATE))],
    expect: 'ALLOWED',
    deciding: [{ policy: 'b' }],
  },

  // Explicit deny
  {
    name: 'lets an explicit deny beat an allow',
    identity: [allow('*'), deny(UPDATE, '*', { Sid: 'NoSsm' })],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['identity'],
    deciding: [{ statementIndex: 1, sid: 'NoSsm', effect: 'Deny' }],
  },
  {
    name: 'applies a deny from another policy',
    identityPolicies: [
      named('allow-all', allow('*')),
      named('arn:aws:iam::111122223333:policy/deny', deny('ssm:*')),
    ],
    expect: 'EXPLICIT_DENY',
    deciding: [{ policy: 'arn:aws:iam::111122223333:policy/deny' }],
  },
  {
    name: 'ignores a deny for another action',
    identity: [allow('ssm:*'), deny('ssm:GetDocument')],
    expect: 'ALLOWED',
  },
  {
    name: 'reports a deny even without any allow',
    identity: [deny(UPDATE)],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['identity'],
  },
  {
    name: 'does not apply a Deny with NotAction to the listed service',
    identity: [allow('*'), { Effect: 'Deny', NotAction: 'ssm:*', Resource: '*' }],
    expect: 'ALLOWED',
  },
  {
    name: 'applies a Deny with NotAction to other services',
    identity: [allow('*'), { Effect: 'Deny', NotAction: ['ec2:*', 's3:*'], Resource: '*' }],
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'grants with Allow + NotAction outside the list',
    identity: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
    expect: 'ALLOWED',
  },
  {
    name: 'does not grant with Allow + NotAction inside the list',
    identity: [{ Effect: 'Allow', NotAction: 'ssm:*', Resource: '*' }],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'does not deny with NotAction holding a middle wildcard that covers the action',
    identity: [allow('*'), { Effect: 'Deny', NotAction: ['ssm:*Instance*', 'ssmmessages:*'], Resource: '*' }],
    expect: 'ALLOWED',
  },
  {
    name: 'denies with NotAction holding a middle wildcard that misses the action',
    identity: [allow('*'), { Effect: 'Deny', NotAction: ['ssm:*Instance*', 'ssmmessages:*'], Resource: '*' }],
    action: 'ssm:GetDocument',
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'matches NotAction case-insensitively',
    identity: [allow('*'), { Effect: 'Deny', NotAction: 'SSM:*', Resource: '*' }],
    expect: 'ALLOWED',
  },

  // Resources
  {
    name: 'matches an ARN wildcard pattern against a concrete ARN',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/*')],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'does not match an ARN pattern for another account',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:444455556666:instance/*')],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'matches resource ARNs case-sensitively',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:Instance/*')],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'lets * in a resource span /',
    identity: [allow('s3:GetObject', 'arn:aws:s3:::bucket*')],
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::bucket/a/b/c.txt',
    expect: 'ALLOWED',
  },
  {
    name: 'matches ? in a resource',
    identity: [allow(UPDATE, 'arn:aws:ec2:us-east-?:*:instance/*')],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'treats a dot in a resource pattern literally',
    identity: [allow('s3:GetObject', 'arn:aws:s3:::a.b')],
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::axb',
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'reports a resource-scoped allow as CONDITIONAL when asked about any resource',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/*')],
    expect: 'CONDITIONAL',
    deciding: [{ resourceScoped: true, effect: 'Allow' }],
  },
  {
    name: 'allows through NotResource when the resource is outside the list',
    identity: [{ Effect: 'Allow', Action: UPDATE, NotResource: 'arn:aws:s3:::secret/*' }],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'does not allow through NotResource when the resource is listed',
    identity: [{ Effect: 'Allow', Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:instance/*' }],
    action: 'ec2:StopInstances',
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'reports an Allow with NotResource as CONDITIONAL for any resource',
    identity: [{ Effect: 'Allow', Action: UPDATE, NotResource: 'arn:aws:s3:::secret/*' }],
    expect: 'CONDITIONAL',
  },
  {
    name: 'never allows through NotResource "*"',
    identity: [{ Effect: 'Allow', Action: UPDATE, NotResource: '*' }],
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'does not apply a Deny with NotResource to the listed resource',
    identity: [allow('*'), { Effect: 'Deny', Action: '*', NotResource: ['arn:aws:ec2:*:*:instance/*'] }],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'applies a Deny with NotResource to other resources',
    identity: [allow('*'), { Effect: 'Deny', Action: '*', NotResource: ['arn:aws:s3:::ok/*'] }],
    resource: INSTANCE_ARN,
    expect: 'EXPLICIT_DENY',
  },
  {
    name: 'reports a resource-scoped Deny as CONDITIONAL when asked about any resource',
    identity: [allow('*'), deny(UPDATE, 'arn:aws:ec2:*:*:instance/*')],
    expect: 'CONDITIONAL',
    deciding: [{ effect: 'Deny', resourceScoped: true }, { effect: 'Allow' }],
  },
  {
    name: 'ignores a Deny on an unrelated ARN',
    identity: [allow('*'), deny('*', 'arn:aws:s3:::other/*')],
    resource: INSTANCE_ARN,
    expect: 'ALLOWED',
  },
  {
    name: 'reports a policy variable in a resource as CONDITIONAL',
    identity: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/${aws:PrincipalTag/team}')],
    resource: INSTANCE_ARN,
    expect: 'CONDITIONAL',
  },
  {
    name: 'does not match when the text around a policy variable differs',
    identity: [allow(UPDATE, 'arn:aws:s3:::home/${aws:username}/*')],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'treats ${…} literally under policy version 2008-10-17',
    identityPolicies: [
      {
        id: 'old',
        policy: {
          document: {
            Version: '2008-10-17',
            Statement: [allow(UPDATE, 'arn:aws:ec2:*:*:instance/${x}') as never],
          },
        },
      },
    ],
    resource: INSTANCE_ARN,
    expect: 'NOT_ALLOWED',
  },
  {
    name: 'matches the ${*} escape as a literal star',
    identity: [allow('s3:GetObject', 'arn:aws:s3:::a${*}b')],
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::a*b',
    expect: 'ALLOWED',
  },
  {
    name: 'does not let the ${*} escape act as a wildcard',
    identity: [allow('s3:GetObject', 'arn:aws:s3:::a${*}b')],
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::axb',
    expect: 'NOT_ALLOWED',
  },

  // Conditions
  {
    name: 'reports a conditional allow as CONDITIONAL with its condition',
    identity: [allow(UPDATE, '*', { Condition: SOURCE_VPCE })],
    expect: 'CONDITIONAL',
    deciding: [{ effect: 'Allow', condition: SOURCE_VPCE }],
  },
  {
    name: 'allows when an unconditional allow joins a conditional one',
    identity: [allow(UPDATE, '*', { Condition: SOURCE_VPCE }), allow('ssm:*')],
    expect: 'ALLOWED',
    deciding: [{ statementIndex: 1 }],
  },
  {
    name: 'reports a conditional deny over an allow as CONDITIONAL',
    identity: [
      allow('ssm:*'),
      deny('ssm:*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }),
    ],
    expect: 'CONDITIONAL',
    deciding: [
      { effect: 'Deny', statementIndex: 1 },
      { effect: 'Allow', statementIndex: 0 },
    ],
  },
  {
    name: 'reports NOT_ALLOWED when only a conditional deny matches',
    identity: [deny('ssm:*', '*', { Condition: SOURCE_VPCE })],
    expect: 'NOT_ALLOWED',
    deniedBy: ['identity'],
  },
  {
    name: 'lets an unconditional deny beat a conditional deny',
    identity: [allow('*'), deny('ssm:*', '*', { Condition: SOURCE_VPCE }), deny(UPDATE)],
    expect: 'EXPLICIT_DENY',
    deciding: [{ statementIndex: 2 }],
  },
  {
    name: 'reports a conditional allow plus a conditional deny as CONDITIONAL',
    identity: [allow(UPDATE, '*', { Condition: SOURCE_VPCE }), deny(UPDATE, '*', { Condition: SOURCE_VPCE })],
    expect: 'CONDITIONAL',
  },
  {
    name: 'treats an empty Condition block as unconditional',
    identity: [allow(UPDATE, '*', { Condition: {} })],
    expect: 'ALLOWED',
  },

  // Permissions boundary
  {
    name: 'allows when the boundary also allows',
    identity: [allow(UPDATE)],
    boundary: [allow('ssm:*')],
    expect: 'ALLOWED',
    deciding: [{ layer: 'identity' }, { layer: 'boundary' }],
  },
  {
    name: 'does not allow what the boundary leaves out',
    identity: [allow(UPDATE)],
    boundary: [allow('ec2:*')],
    expect: 'NOT_ALLOWED',
    deniedBy: ['boundary'],
  },
  {
    name: 'reports a deny in the boundary',
    identity: [allow('*')],
    boundary: [allow('*'), deny('ssm:*')],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['boundary'],
    deciding: [{ layer: 'boundary', policy: 'boundary' }],
  },
  {
    name: 'does not let a boundary grant by itself',
    identity: [],
    boundary: [allow('*')],
    expect: 'NOT_ALLOWED',
    deniedBy: ['identity'],
  },
  {
    name: 'reports a conditional boundary allow as CONDITIONAL',
    identity: [allow('*')],
    boundary: [allow('*', '*', { Condition: SOURCE_VPCE })],
    expect: 'CONDITIONAL',
    deciding: [{ layer: 'identity' }, { layer: 'boundary', condition: SOURCE_VPCE }],
  },
  {
    name: 'matches wildcards in the boundary',
    identity: [allow('ssmmessages:OpenDataChannel')],
    boundary: [allow('ssmmessages:Open*')],
    action: 'ssmmessages:OpenDataChannel',
    expect: 'ALLOWED',
  },
  {
    name: 'names both layers when neither allows',
    identity: [allow('ec2:*')],
    boundary: [allow('ec2:*')],
    expect: 'NOT_ALLOWED',
    deniedBy: ['identity', 'boundary'],
  },
  {
    name: 'names both layers when both deny',
    identity: [allow('*'), deny(UPDATE)],
    boundary: [deny('*')],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['identity', 'boundary'],
  },

  // SCPs
  {
    name: 'allows under FullAWSAccess',
    identity: [allow(UPDATE)],
    scps: [[FULL_AWS_ACCESS]],
    expect: 'ALLOWED',
    deciding: [{ layer: 'identity' }, { layer: 'scp', policy: 'FullAWSAccess' }],
  },
  {
    name: 'does not allow ssm under an SCP that allows only ec2 and s3',
    identity: [allow('*')],
    scps: [[named('OnlyEc2S3', allow(['ec2:*', 's3:*']))]],
    expect: 'NOT_ALLOWED',
    deniedBy: ['scp'],
  },
  {
    name: 'allows ec2 under an SCP that allows only ec2 and s3',
    identity: [allow('*')],
    scps: [[named('OnlyEc2S3', allow(['ec2:*', 's3:*']))]],
    action: 'ec2:DescribeInstances',
    expect: 'ALLOWED',
  },
  {
    name: 'reports a deny in an SCP',
    identity: [allow('*')],
    scps: [[FULL_AWS_ACCESS, named('DenySsm', deny('ssm:*'))]],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['scp'],
    deciding: [{ layer: 'scp', policy: 'DenySsm' }],
  },
  {
    name: 'does not let an SCP grant by itself',
    identity: [],
    scps: [[FULL_AWS_ACCESS]],
    expect: 'NOT_ALLOWED',
    deniedBy: ['identity'],
  },
  {
    name: 'requires every SCP layer to allow',
    identity: [allow('*')],
    scps: [[FULL_AWS_ACCESS], [named('OuEc2Only', allow('ec2:*'))]],
    expect: 'NOT_ALLOWED',
    deniedBy: ['scp'],
  },
  {
    name: 'allows when every SCP layer allows',
    identity: [allow('*')],
    scps: [[FULL_AWS_ACCESS], [named('OuSsm', allow('ssm:*'))]],
    expect: 'ALLOWED',
  },
  {
    name: 'needs only one allowing SCP per layer',
    identity: [allow('*')],
    scps: [[named('Ec2', allow('ec2:*')), named('Ssm', allow('ssm:Update*'))]],
    expect: 'ALLOWED',
  },
  {
    name: 'allows nothing through an empty SCP layer',
    identity: [allow('*')],
    scps: [[]],
    expect: 'NOT_ALLOWED',
    deniedBy: ['scp'],
  },
  {
    name: 'sets no SCP constraint when no layers are given',
    identity: [allow('*')],
    scps: [],
    expect: 'ALLOWED',
  },
  {
    name: 'reports a region-restricting SCP (Deny NotAction + condition) as CONDITIONAL',
    identity: [allow('*')],
    scps: [
      [
        FULL_AWS_ACCESS,
        named('RegionLock', {
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*'],
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
        }),
      ],
    ],
    expect: 'CONDITIONAL',
  },
  {
    name: 'names identity and scp when both deny',
    identity: [allow('*'), deny('ssm:*')],
    scps: [[FULL_AWS_ACCESS, named('DenySsm', deny(UPDATE))]],
    expect: 'EXPLICIT_DENY',
    deniedBy: ['identity', 'scp'],
  },
  {
    name: 'names boundary and scp when neither allows',
    identity: [allow('*')],
    boundary: [allow('ec2:*')],
    scps: [[named('Ec2', allow('ec2:*'))]],
    expect: 'NOT_ALLOWED',
    deniedBy: ['boundary', 'scp'],
  },

  // Encodings
  {
    name: 'evaluates a URL-encoded document decoded by decodePolicyDocument',
    identityPolicies: [{ id: 'encoded', policy: decodePolicyDocument(urlEncoded) }],
    expect: 'ALLOWED',
  },
  {
    name: 'evaluates a plain JSON string document',
    identityPolicies: [
      { id: 'json', policy: decodePolicyDocument(JSON.stringify({ Statement: [allow(UPDATE)] })) },
    ],
    expect: 'ALLOWED',
  },
  {
    name: 'evaluates a URL-encoded boundary',
    identity: [allow(UPDATE)],
    boundary: decodePolicyDocument(urlEncoded),
    expect: 'ALLOWED',
  },

  // Malformed documents and inputs
  {
    name: 'gives ERROR for a document that did not decode',
    identityPolicies: [{ id: 'broken', policy: decodePolicyDocument('%7B%22Statement') }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a statement with neither Action nor NotAction',
    identity: [{ Effect: 'Allow', Resource: '*' }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a statement with both Action and NotAction',
    identity: [{ Effect: 'Allow', Action: '*', NotAction: 'iam:*', Resource: '*' }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a numeric Action',
    identity: [{ Effect: 'Allow', Action: 42, Resource: '*' }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a non-string inside an Action array',
    identity: [{ Effect: 'Allow', Action: [UPDATE, null], Resource: '*' }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a statement without Resource',
    identity: [{ Effect: 'Allow', Action: UPDATE }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for both Resource and NotResource',
    identity: [{ Effect: 'Allow', Action: UPDATE, Resource: '*', NotResource: 'x' }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a Condition that is not an object of objects',
    identity: [allow(UPDATE, '*', { Condition: 'aws:SourceVpce' })],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a lower-case Effect',
    identity: [{ Effect: 'allow', Action: UPDATE, Resource: '*' }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for an action pattern without a service prefix',
    identity: [allow('UpdateInstanceInformation')],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a document without Statement',
    identityPolicies: [{ id: 'empty', policy: { document: {} as never } }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR, not ALLOWED, when another policy allows',
    identityPolicies: [named('ok', allow('*')), { id: 'broken', policy: { parseError: 'bad', raw: '%' } }],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a malformed boundary',
    identity: [allow('*')],
    boundary: { parseError: 'bad', raw: '' },
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR for a malformed SCP',
    identity: [allow('*')],
    scps: [[named('Bad', { Effect: 'Allow', Resource: '*' })]],
    expect: 'ERROR',
    code: 'IAM_POLICY_MALFORMED',
  },
  {
    name: 'gives ERROR when asked about a wildcard action',
    identity: [allow('*')],
    action: 'ssm:*',
    expect: 'ERROR',
    code: 'IAM_ACTION_INVALID',
  },
];

function run(c: Case) {
  const boundary: NamedPolicy | undefined =
    c.boundary === undefined
      ? undefined
      : Array.isArray(c.boundary)
        ? { id: 'boundary', policy: doc(...c.boundary) }
        : { id: 'boundary', policy: c.boundary };
  return evaluateActions({
    identityPolicies:
      c.identityPolicies ?? (c.identity === undefined ? [] : [named('inline-1', ...c.identity)]),
    permissionsBoundary: boundary,
    scpLayers: c.scps?.map((policies, i) => ({ name: `level-${i}`, policies })),
    actions: [c.action ?? UPDATE],
    resource: c.resource,
  });
}

describe('evaluateActions', () => {
  test.for(cases)('$name', (c) => {
    // Act
    const result = run(c);

    // Assess
    if (c.expect === 'ERROR') {
      expect(result.status).toBe('ERROR');
      if (result.status === 'ERROR') {
        expect(result.error.code).toBe(c.code);
        expect(result.error.name).toBe('IamEvaluationError');
      }
      return;
    }
    expect(result.status).toBe('EVALUATED');
    if (result.status !== 'EVALUATED') return;
    const [decision] = result.decisions;
    expect(decision?.decision).toBe(c.expect);
    if (c.deniedBy !== undefined) expect(decision?.deniedBy).toEqual(c.deniedBy);
    if (c.expect === 'ALLOWED' || c.expect === 'CONDITIONAL') expect(decision?.deniedBy).toBeUndefined();
    if (c.deciding !== undefined) expect(decision?.statements).toMatchObject(c.deciding);
  });

  test('has at least 60 table cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  test('returns one decision per action, in order, keeping the spelling asked for', () => {
    // Act
    const result = evaluateActions({
      identityPolicies: [named('p', allow('ssm:*'), deny('ssm:GetDocument'))],
      actions: ['ssm:getdocument', UPDATE, 'ec2:DescribeInstances'],
    });

    // Assess
    expect(
      result.status === 'EVALUATED' && result.decisions.map((d) => [d.action, d.resource, d.decision]),
    ).toEqual([
      ['ssm:getdocument', '*', 'EXPLICIT_DENY'],
      [UPDATE, '*', 'ALLOWED'],
      ['ec2:DescribeInstances', '*', 'NOT_ALLOWED'],
    ]);
  });

  test('names the policy, layer and statement of a malformed document', () => {
    // Act
    const result = evaluateActions({
      identityPolicies: [
        named('arn:aws:iam::111122223333:policy/bad', allow('*'), { Effect: 'Allow', Resource: '*' }),
      ],
      actions: [UPDATE],
    });

    // Assess
    expect(result.status).toBe('ERROR');
    if (result.status !== 'ERROR') return;
    expect(result.error.location).toEqual({
      policy: 'arn:aws:iam::111122223333:policy/bad',
      layer: 'identity',
      statementIndex: 1,
    });
    expect(result.error.message).toContain('Statement[1]');
  });

  test('compiles a document once however often it is evaluated', () => {
    // Prepare
    const policy = named('p', allow('ssm:*Instance*'));

    // Act
    const first = evaluateActions({ identityPolicies: [policy], actions: [UPDATE] });
    const second = evaluateActions({ identityPolicies: [policy], actions: ['ssm:GetDocument'] });

    // Assess
    expect(first.status === 'EVALUATED' && first.decisions[0]?.decision).toBe('ALLOWED');
    expect(second.status === 'EVALUATED' && second.decisions[0]?.decision).toBe('NOT_ALLOWED');
  });
});
