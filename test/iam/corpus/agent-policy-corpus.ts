// A corpus of realistic instance-role policies, SCPs and endpoint policies, each with the decision AWS documents.

import type { ContextSpec } from '../../../src/iam/conditions/index.js';
import type { ActionDecisionKind } from '../../../src/iam/evaluate-actions.js';
import type { Statement } from '../iam-test-helpers.js';

export const ACCOUNT = '111122223333';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/fleet/ssm-instance`;
export const INSTANCE = `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0fleet0000000001`;
export const PATCH_DOC = 'arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline';
export const PATCH_BUCKET_OBJECT =
  'arn:aws:s3:::aws-ssm-us-east-1/patchbaselineoperations/linux/payloads.zip';

// The pages the expected decisions are read from.
const LOGIC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html';
const OPERATORS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const KEYS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';
const SCP =
  'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html';
const VPCE = 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html';
const RESOURCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html';
const VARIABLES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html';

const base = (extra: Record<string, string> = {}): Record<string, string> => ({
  'aws:RequestedRegion': 'us-east-1',
  'aws:PrincipalArn': ROLE_ARN,
  'aws:PrincipalAccount': ACCOUNT,
  'aws:PrincipalType': 'AssumedRole',
  'aws:PrincipalTag/team': 'platform',
  'aws:PrincipalTag/env': 'prod',
  'ec2:SourceInstanceARN': INSTANCE,
  'aws:Ec2InstanceSourceVpc': 'vpc-0fleet',
  'aws:Ec2InstanceSourcePrivateIPv4': '10.0.1.15',
  'aws:SecureTransport': 'true',
  'aws:ViaAWSService': 'false',
  'aws:CurrentTime': '2026-12-01T20:00:00Z',
  'aws:EpochTime': '1796155200',
  ...extra,
});
const COMMON_ABSENT = ['aws:username', 'ssm:SourceInstanceARN', 'aws:MultiFactorAuthPresent'];

/** The three network situations an instance's requests arrive in. */
export const CONTEXTS: Record<'internet' | 'endpoint' | 'nat', ContextSpec> = {
  internet: {
    values: base({ 'aws:SourceIp': '203.0.113.10' }),
    absent: [...COMMON_ABSENT, 'aws:SourceVpc', 'aws:SourceVpce', 'aws:VpcSourceIp'],
    closedPrefixes: ['aws:PrincipalTag/'],
    unknown: { 'aws:PrincipalOrgID': 'no Organizations data' },
  },
  endpoint: {
    values: base({
      'aws:SourceVpc': 'vpc-0fleet',
      'aws:SourceVpce': 'vpce-0ssm',
      'aws:VpcSourceIp': '10.0.1.15',
    }),
    absent: [...COMMON_ABSENT, 'aws:SourceIp'],
    closedPrefixes: ['aws:PrincipalTag/'],
    unknown: { 'aws:PrincipalOrgID': 'no Organizations data' },
  },
  nat: {
    values: base(),
    absent: [...COMMON_ABSENT, 'aws:SourceVpc', 'aws:SourceVpce', 'aws:VpcSourceIp'],
    closedPrefixes: ['aws:PrincipalTag/'],
    unknown: {
      'aws:SourceIp': 'NAT instance address not in the data',
      'aws:PrincipalOrgID': 'no Organizations data',
    },
  },
};

export interface CorpusCase {
  name: string;
  /** Identity policy statements (the role's inline policy), beside AmazonSSMManagedInstanceCore-like access. */
  identity: Statement[];
  /** SCP levels (root first), each a list of statements; FullAWSAccess is not implied. */
  scps?: Statement[][];
  endpoint?: Statement[];
  context: keyof typeof CONTEXTS;
  action: string;
  resource: string;
  noResourceType?: boolean;
  expect: ActionDecisionKind;
  source: string;
}

const CORE: Statement = {
  Effect: 'Allow',
  Action: [
    'ssm:UpdateInstanceInformation',
    'ssm:GetDocument',
    'ssm:DescribeDocument',
    'ssmmessages:*',
    'ec2messages:*',
    's3:GetObject',
  ],
  Resource: '*',
};
const FULL: Statement = { Effect: 'Allow', Action: '*', Resource: '*' };
const UPDATE = { action: 'ssm:UpdateInstanceInformation', resource: INSTANCE };
const CHANNEL = { action: 'ssmmessages:CreateControlChannel', resource: '*', noResourceType: true };
const GET_DOC = { action: 'ssm:GetDocument', resource: PATCH_DOC };
const S3_GET = { action: 's3:GetObject', resource: PATCH_BUCKET_OBJECT };

const regionFence = (
  regions: string[],
  exempt: string[] = ['iam:*', 'sts:*', 'organizations:*'],
): Statement => ({
  Sid: 'DenyOutsideRegions',
  Effect: 'Deny',
  NotAction: exempt,
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:RequestedRegion': regions } },
});
const vpceGuard = (operator: string, vpce: string): Statement => ({
  Sid: 'DenyOffEndpoint',
  Effect: 'Deny',
  Action: 'ssm:*',
  Resource: '*',
  Condition: { [operator]: { 'aws:SourceVpce': vpce } },
});

export const CORPUS: CorpusCase[] = [
  // Region fences (SCPs and identity policies)
  {
    name: 'SCP region fence allows the home region',
    identity: [CORE],
    scps: [[FULL, regionFence(['us-east-1', 'eu-west-1'])]],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: SCP,
  },
  {
    name: 'SCP region fence denies an instance outside it',
    identity: [CORE],
    scps: [[FULL, regionFence(['eu-west-1'])]],
    context: 'internet',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: SCP,
  },
  {
    name: 'SCP region fence at the OU level denies',
    identity: [CORE],
    scps: [[FULL], [FULL, regionFence(['eu-central-1'])]],
    context: 'internet',
    ...CHANNEL,
    expect: 'EXPLICIT_DENY',
    source: SCP,
  },
  {
    name: 'SCP region fence exempting ssm lets the agent through',
    identity: [CORE],
    scps: [[FULL, regionFence(['eu-west-1'], ['iam:*', 'ssm:*'])]],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: SCP,
  },
  {
    name: 'SCP region fence exempting ssm still blocks ssmmessages',
    identity: [CORE],
    scps: [[FULL, regionFence(['eu-west-1'], ['iam:*', 'ssm:*'])]],
    context: 'internet',
    ...CHANNEL,
    expect: 'EXPLICIT_DENY',
    source: SCP,
  },
  {
    name: 'identity region fence with StringNotEqualsIfExists allows the home region',
    identity: [
      CORE,
      {
        ...regionFence(['us-east-1']),
        Condition: { StringNotEqualsIfExists: { 'aws:RequestedRegion': 'us-east-1' } },
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Allow limited to the home region by StringEquals',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }],
    context: 'nat',
    ...UPDATE,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'Allow limited to another region by StringEquals',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }],
    context: 'nat',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: KEYS,
  },
  {
    name: 'Allow with StringLike us-* region pattern',
    identity: [{ ...CORE, Condition: { StringLike: { 'aws:RequestedRegion': 'us-*' } } }],
    context: 'internet',
    ...CHANNEL,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'SCP allow-list without ssm at the root blocks the agent',
    identity: [CORE],
    scps: [[{ Effect: 'Allow', Action: ['ec2:*', 's3:*'], Resource: '*' }]],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: SCP,
  },
  {
    name: 'SCP allow-list with ssm at root but not at the OU blocks',
    identity: [CORE],
    scps: [[FULL], [{ Effect: 'Allow', Action: ['ec2:*'], Resource: '*' }]],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: SCP,
  },

  // Tag guards (aws:PrincipalTag)
  {
    name: 'Allow guarded by a matching principal tag',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'Allow guarded by a different tag value',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: KEYS,
  },
  {
    name: 'Allow guarded by a tag the role does not have',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:PrincipalTag/ssm-managed': 'true' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Deny unless tagged env=prod spares a prod role',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalTag/env': 'prod' } },
      },
    ],
    context: 'internet',
    ...CHANNEL,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'SCP Deny when a required tag is missing (Null true) spares a tagged role',
    identity: [CORE],
    scps: [
      [
        FULL,
        {
          Effect: 'Deny',
          Action: 'ssm:*',
          Resource: '*',
          Condition: { Null: { 'aws:PrincipalTag/team': 'true' } },
        },
      ],
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'SCP Deny when a tag is missing denies an untagged key',
    identity: [CORE],
    scps: [
      [
        FULL,
        {
          Effect: 'Deny',
          Action: 'ssm:*',
          Resource: '*',
          Condition: { Null: { 'aws:PrincipalTag/cost-center': 'true' } },
        },
      ],
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'tag guard is case-insensitive with StringEqualsIgnoreCase',
    identity: [{ ...CORE, Condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'PLATFORM' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'document access limited to the team prefix by a policy variable',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: 'ssm:GetDocument',
        NotResource: ['arn:aws:ssm:*::document/AWS-*', 'arn:aws:ssm:*:*:document/${aws:PrincipalTag/team}-*'],
      },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'ALLOWED',
    source: VARIABLES,
  },

  // VPC-endpoint guards
  {
    name: 'Deny ssm off the endpoint: request through the endpoint',
    identity: [CORE, vpceGuard('StringNotEquals', 'vpce-0ssm')],
    context: 'endpoint',
    ...UPDATE,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'Deny ssm off the endpoint: request over the internet',
    identity: [CORE, vpceGuard('StringNotEquals', 'vpce-0ssm')],
    context: 'internet',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'Deny ssm off the endpoint: request through a NAT',
    identity: [CORE, vpceGuard('StringNotEquals', 'vpce-0ssm')],
    context: 'nat',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'Deny off another endpoint through ours',
    identity: [CORE, vpceGuard('StringNotEquals', 'vpce-0other')],
    context: 'endpoint',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: KEYS,
  },
  {
    name: 'Deny with StringNotEqualsIfExists still denies without an endpoint',
    identity: [CORE, vpceGuard('StringNotEqualsIfExists', 'vpce-0ssm')],
    context: 'internet',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'Allow only through the VPC by aws:SourceVpc',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0fleet' } } }],
    context: 'endpoint',
    ...CHANNEL,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'Allow only through the VPC, request over the internet',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0fleet' } } }],
    context: 'internet',
    ...CHANNEL,
    expect: 'NOT_ALLOWED',
    source: KEYS,
  },
  {
    name: 'data-perimeter: Ec2InstanceSourceVpc must equal SourceVpc (through the endpoint)',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:Ec2InstanceSourceVpc': '${aws:SourceVpc}' },
          Null: { 'ec2:SourceInstanceARN': 'false' },
          BoolIfExists: { 'aws:ViaAWSService': 'false' },
        },
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'data-perimeter: Ec2InstanceSourceVpc vs ${aws:SourceVpc} over the internet (variable key absent: undocumented for negated operators)',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:Ec2InstanceSourceVpc': '${aws:SourceVpc}' },
          Null: { 'ec2:SourceInstanceARN': 'false' },
          BoolIfExists: { 'aws:ViaAWSService': 'false' },
        },
      },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'CONDITIONAL',
    source: VARIABLES,
  },
  {
    name: 'SCP Deny unless through one of the org endpoints, request through one of them',
    identity: [CORE],
    scps: [
      [
        FULL,
        {
          Effect: 'Deny',
          Action: 'ssmmessages:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0ssm', 'vpce-0b'] } },
        },
      ],
    ],
    context: 'endpoint',
    ...CHANNEL,
    expect: 'ALLOWED',
    source: SCP,
  },

  // ec2:SourceInstanceARN guards
  {
    name: 'Allow only for instance credentials (Null ec2:SourceInstanceARN false)',
    identity: [{ ...CORE, Condition: { Null: { 'ec2:SourceInstanceARN': 'false' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Deny credential use off the instance (ArnNotEquals to itself)',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { ArnNotEquals: { 'ec2:SourceInstanceARN': INSTANCE } },
      },
    ],
    context: 'internet',
    ...CHANNEL,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Allow only for instances of the account (ArnLike)',
    identity: [
      { ...CORE, Condition: { ArnLike: { 'ec2:SourceInstanceARN': `arn:aws:ec2:*:${ACCOUNT}:instance/*` } } },
    ],
    context: 'nat',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Allow only for instances of another account',
    identity: [
      {
        ...CORE,
        Condition: { ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:444455556666:instance/*' } },
      },
    ],
    context: 'nat',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Allow for ssm:SourceInstanceARN only (absent for instance profiles)',
    identity: [{ ...CORE, Condition: { ArnLike: { 'ssm:SourceInstanceARN': '*' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: KEYS,
  },
  {
    name: 'Resource pinned to the caller instance by ${ec2:SourceInstanceARN}',
    identity: [
      { Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '${ec2:SourceInstanceARN}' },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: VARIABLES,
  },
  {
    name: 'Resource pinned to instances of another region',
    identity: [
      {
        Effect: 'Allow',
        Action: 'ssm:UpdateInstanceInformation',
        Resource: 'arn:aws:ec2:eu-west-1:*:instance/*',
      },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'SCP Deny on stolen credentials (private IP must match VpcSourceIp) through the endpoint',
    identity: [CORE],
    scps: [
      [
        FULL,
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:Ec2InstanceSourcePrivateIPv4': '${aws:VpcSourceIp}' },
            Null: { 'ec2:SourceInstanceARN': 'false' },
            Bool: { 'aws:ViaAWSService': 'false' },
          },
        },
      ],
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'Deny when IMDSv1 delivered the credentials (ec2:RoleDelivery unknown)',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NumericLessThan: { 'ec2:RoleDelivery': '2.0' } },
      },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'CONDITIONAL',
    source: KEYS,
  },

  // Resource-scoped denies on documents
  {
    name: 'Deny on Prod-* documents spares AWS-RunPatchBaseline',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 'ssm:GetDocument', Resource: 'arn:aws:ssm:*:*:document/Prod-*' },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'Deny on every AWS-owned document hits the patch document',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 'ssm:GetDocument', Resource: 'arn:aws:ssm:*::document/AWS-*' },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'EXPLICIT_DENY',
    source: RESOURCE,
  },
  {
    name: 'Deny on every document in any account (account *) hits the patch document',
    identity: [CORE, { Effect: 'Deny', Action: 'ssm:*', Resource: 'arn:aws:ssm:*:*:document/*' }],
    context: 'internet',
    ...GET_DOC,
    expect: 'EXPLICIT_DENY',
    source: RESOURCE,
  },
  {
    name: "Allow GetDocument only on the account's own documents",
    identity: [
      { Effect: 'Allow', Action: 'ssm:GetDocument', Resource: `arn:aws:ssm:*:${ACCOUNT}:document/*` },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'NOT_ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'Deny NotResource outside approved documents, AWS-Run* approved',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 'ssm:GetDocument', NotResource: 'arn:aws:ssm:*::document/AWS-Run*' },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'Deny NotResource outside the company documents',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 'ssm:GetDocument', NotResource: `arn:aws:ssm:*:${ACCOUNT}:document/Corp-*` },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'EXPLICIT_DENY',
    source: RESOURCE,
  },
  {
    name: 'document ARN match is case-sensitive',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 'ssm:GetDocument', Resource: 'arn:aws:ssm:*::document/aws-runpatchbaseline' },
    ],
    context: 'internet',
    ...GET_DOC,
    expect: 'ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'SCP Deny on documents outside the region',
    identity: [CORE],
    scps: [[FULL, { Effect: 'Deny', Action: 'ssm:GetDocument', Resource: 'arn:aws:ssm:eu-*:*:document/*' }]],
    context: 'internet',
    ...GET_DOC,
    expect: 'ALLOWED',
    source: SCP,
  },

  // Resource-scoped denies on S3 (patch buckets)
  {
    name: 'Deny s3 outside the company buckets hits the patch bucket',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::corp-*', 'arn:aws:s3:::corp-*/*'] },
    ],
    context: 'internet',
    ...S3_GET,
    expect: 'EXPLICIT_DENY',
    source: RESOURCE,
  },
  {
    name: 'Deny s3 outside company and aws-ssm-* buckets spares the patch bucket',
    identity: [
      CORE,
      { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::corp-*/*', 'arn:aws:s3:::aws-ssm-*/*'] },
    ],
    context: 'internet',
    ...S3_GET,
    expect: 'ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'Allow s3:GetObject only on the regional aws-ssm bucket',
    identity: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::aws-ssm-us-east-1/*' }],
    context: 'internet',
    ...S3_GET,
    expect: 'ALLOWED',
    source: RESOURCE,
  },
  {
    name: "Allow s3:GetObject on another region's bucket",
    identity: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::aws-ssm-eu-west-1/*' }],
    context: 'internet',
    ...S3_GET,
    expect: 'NOT_ALLOWED',
    source: RESOURCE,
  },
  {
    name: 'SCP Deny on s3 without TLS spares the agent (SecureTransport true)',
    identity: [CORE],
    scps: [
      [
        FULL,
        {
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    ],
    context: 'internet',
    ...S3_GET,
    expect: 'ALLOWED',
    source: KEYS,
  },
  {
    name: 'Deny s3 from outside the VPC through the endpoint (SourceVpce present)',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0ssm' } },
      },
    ],
    context: 'endpoint',
    ...S3_GET,
    expect: 'ALLOWED',
    source: KEYS,
  },

  // Source IP guards
  {
    name: 'Deny outside the office ranges, public IP inside them',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
      },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Deny outside the office ranges, public IP outside them',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
      },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'Deny outside the office ranges behind a NAT instance is CONDITIONAL',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
      },
    ],
    context: 'nat',
    ...UPDATE,
    expect: 'CONDITIONAL',
    source: KEYS,
  },
  {
    name: 'Deny outside the office ranges through an endpoint (SourceIp absent) denies',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'an IP Deny with aws:ViaAWSService false still denies endpoint traffic (SourceIp absent)',
    identity: [
      CORE,
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
          Bool: { 'aws:ViaAWSService': 'false' },
        },
      },
    ],
    context: 'endpoint',
    ...CHANNEL,
    expect: 'EXPLICIT_DENY',
    source: OPERATORS,
  },
  {
    name: 'Allow only from the NAT address, unknown behind a NAT instance',
    identity: [{ ...CORE, Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.7/32' } } }],
    context: 'nat',
    ...UPDATE,
    expect: 'CONDITIONAL',
    source: KEYS,
  },

  // Organizations and time
  {
    name: 'Allow only inside the organisation without Organizations data',
    identity: [{ ...CORE, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'CONDITIONAL',
    source: KEYS,
  },
  {
    name: 'Deny outside the organisation, but the role is denied anyway by a region fence',
    identity: [
      CORE,
      regionFence(['eu-west-1']),
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      },
    ],
    context: 'internet',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: LOGIC,
  },
  {
    name: 'Allow until an expiry date in the future',
    identity: [{ ...CORE, Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'ALLOWED',
    source: OPERATORS,
  },
  {
    name: 'Allow until an expiry date in the past',
    identity: [{ ...CORE, Condition: { DateLessThan: { 'aws:CurrentTime': '2026-06-30T00:00:00Z' } } }],
    context: 'internet',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: OPERATORS,
  },

  // VPC endpoint policies
  {
    name: 'endpoint policy allowing the role ARN',
    identity: [CORE],
    endpoint: [{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'ssm:*', Resource: '*' }],
    context: 'endpoint',
    ...UPDATE,
    expect: 'ALLOWED',
    source: VPCE,
  },
  {
    name: 'endpoint policy allowing only another role',
    identity: [CORE],
    endpoint: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` },
        Action: '*',
        Resource: '*',
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: VPCE,
  },
  {
    name: 'endpoint policy allowing the account',
    identity: [CORE],
    endpoint: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: '*', Resource: '*' }],
    context: 'endpoint',
    ...CHANNEL,
    expect: 'ALLOWED',
    source: VPCE,
  },
  {
    name: 'endpoint policy allowing only ssm:Get* blocks UpdateInstanceInformation',
    identity: [CORE],
    endpoint: [{ Effect: 'Allow', Principal: '*', Action: 'ssm:Get*', Resource: '*' }],
    context: 'endpoint',
    ...UPDATE,
    expect: 'NOT_ALLOWED',
    source: VPCE,
  },
  {
    name: 'endpoint policy limited to the organisation without Organizations data',
    identity: [CORE],
    endpoint: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'CONDITIONAL',
    source: VPCE,
  },
  {
    name: 'endpoint policy limited to the account by aws:PrincipalAccount',
    identity: [CORE],
    endpoint: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'ALLOWED',
    source: VPCE,
  },
  {
    name: 'endpoint policy Deny for the instance roles path',
    identity: [CORE],
    endpoint: [
      FULL_PRINCIPAL(),
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'ssm:UpdateInstanceInformation',
        Resource: '*',
        Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/fleet/*' } },
      },
    ],
    context: 'endpoint',
    ...UPDATE,
    expect: 'EXPLICIT_DENY',
    source: VPCE,
  },
];

function FULL_PRINCIPAL(): Statement {
  return { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
}
