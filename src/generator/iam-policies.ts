// IAM documents the generator uses: trust policies, the SSM agent action sets, and the AWS-managed policies with their versions.

// The action lists come from the IAM module's embedded AWS managed policies: one source for the facts.
import { EC2MESSAGES_ACTIONS } from '../iam/action-sets.js';
import {
  INSTANCE_CORE_SSM_ACTIONS as SSM_CORE_SSM_ACTIONS,
  SSMMESSAGES_ACTIONS,
} from '../iam/aws-managed-policies.js';

export { EC2MESSAGES_ACTIONS, SSM_CORE_SSM_ACTIONS, SSMMESSAGES_ACTIONS };

/** A policy document as authored (before IAM URL-encodes it). */
export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/** One stored version of a managed policy. */
export interface PolicyVersionDef {
  versionId: string;
  createDate: string;
  document: PolicyDocumentJson;
}

/** A managed policy with all its stored versions (IAM keeps at most five). */
export interface ManagedPolicyDef {
  name: string;
  arn: string;
  path: string;
  description: string;
  createDate: string;
  defaultVersionId: string;
  versions: PolicyVersionDef[];
}

/** A trust policy letting one AWS service assume the role. */
export function trustPolicy(service: string): PolicyDocumentJson {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

export const AWS_POLICY_ARN = {
  ssmCore: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  ec2RoleForSsm: 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM',
  dhmcDefault: 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
  cloudWatchAgent: 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
  s3ReadOnly: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  administrator: 'arn:aws:iam::aws:policy/AdministratorAccess',
  lambdaBasic: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
} as const;

/** An Allow statement over `Resource: "*"`. */
export function allowStatement(actions: readonly string[], sid?: string): Record<string, unknown> {
  return sid === undefined
    ? { Effect: 'Allow', Action: [...actions], Resource: '*' }
    : { Sid: sid, Effect: 'Allow', Action: [...actions], Resource: '*' };
}

/** A policy document from statements. */
export function policyDocument(...statements: Record<string, unknown>[]): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: statements };
}

const EC2_ROLE_FOR_SSM_SSM_ACTIONS = [
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:GetParameters',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateInstanceInformation',
];

function ec2RoleForSsmDocument(
  withSsmMessages: boolean,
  withUpdateInstanceInformation: boolean,
): PolicyDocumentJson {
  const ssmActions = withUpdateInstanceInformation
    ? EC2_ROLE_FOR_SSM_SSM_ACTIONS
    : EC2_ROLE_FOR_SSM_SSM_ACTIONS.filter((a) => a !== 'ssm:UpdateInstanceInformation');
  const statements = [allowStatement(ssmActions)];
  if (withSsmMessages) statements.push(allowStatement(SSMMESSAGES_ACTIONS));
  statements.push(
    allowStatement(EC2MESSAGES_ACTIONS),
    allowStatement(['cloudwatch:PutMetricData']),
    allowStatement(['ec2:DescribeInstanceStatus']),
    allowStatement(['ds:CreateComputer', 'ds:DescribeDirectories']),
    allowStatement([
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
    ]),
    allowStatement([
      's3:GetBucketLocation',
      's3:PutObject',
      's3:GetObject',
      's3:GetEncryptionConfiguration',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
    ]),
  );
  return policyDocument(...statements);
}

/**
 * The AWS-managed policies the generator attaches. Only each policy's default version is the real,
 * current content; older versions deliberately differ (they lack actions), so a reader that picks the
 * wrong version gets a wrong answer.
 */
export const AWS_MANAGED_POLICIES: Record<keyof typeof AWS_POLICY_ARN, ManagedPolicyDef> = {
  ssmCore: {
    name: 'AmazonSSMManagedInstanceCore',
    arn: AWS_POLICY_ARN.ssmCore,
    path: '/',
    description: 'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    createDate: '2019-03-15T17:22:12+00:00',
    defaultVersionId: 'v2',
    versions: [
      {
        versionId: 'v2',
        createDate: '2019-05-23T16:54:21+00:00',
        document: policyDocument(
          allowStatement(SSM_CORE_SSM_ACTIONS),
          allowStatement(SSMMESSAGES_ACTIONS),
          allowStatement(EC2MESSAGES_ACTIONS),
        ),
      },
      {
        versionId: 'v1',
        createDate: '2019-03-15T17:22:12+00:00',
        document: policyDocument(
          allowStatement(
            SSM_CORE_SSM_ACTIONS.filter((a) => a !== 'ssm:GetParameter' && a !== 'ssm:GetParameters'),
          ),
          allowStatement(EC2MESSAGES_ACTIONS),
        ),
      },
    ],
  },
  ec2RoleForSsm: {
    name: 'AmazonEC2RoleforSSM',
    arn: AWS_POLICY_ARN.ec2RoleForSsm,
    path: '/service-role/',
    description:
      'This policy will soon be deprecated. Please use AmazonSSMManagedInstanceCore policy to enable AWS Systems Manager service core functionality on EC2 instances.',
    createDate: '2015-05-29T17:48:35+00:00',
    defaultVersionId: 'v8',
    versions: [
      {
        versionId: 'v8',
        createDate: '2019-01-24T19:20:51+00:00',
        document: ec2RoleForSsmDocument(true, true),
      },
      {
        versionId: 'v7',
        createDate: '2018-07-13T19:04:28+00:00',
        document: ec2RoleForSsmDocument(false, true),
      },
      {
        versionId: 'v6',
        createDate: '2017-08-10T20:49:08+00:00',
        document: ec2RoleForSsmDocument(false, false),
      },
    ],
  },
  dhmcDefault: {
    name: 'AmazonSSMManagedEC2InstanceDefaultPolicy',
    arn: AWS_POLICY_ARN.dhmcDefault,
    path: '/',
    description: 'This policy enables AWS Systems Manager to manage Amazon EC2 instances.',
    createDate: '2022-08-30T23:00:23+00:00',
    defaultVersionId: 'v2',
    versions: [
      {
        versionId: 'v2',
        createDate: '2024-07-16T18:14:07+00:00',
        document: policyDocument(
          allowStatement(
            SSM_CORE_SSM_ACTIONS.filter((a) => a !== 'ssm:GetParameter' && a !== 'ssm:GetParameters'),
            'AllowSSMAgentPermissions',
          ),
          allowStatement(SSMMESSAGES_ACTIONS, 'AllowSSMChannelMessaging'),
          allowStatement(EC2MESSAGES_ACTIONS, 'AllowSSMLegacyMessaging'),
        ),
      },
      {
        versionId: 'v1',
        createDate: '2022-08-30T23:00:23+00:00',
        document: policyDocument(
          allowStatement([
            'ssm:DescribeAssociation',
            'ssm:GetDocument',
            'ssm:ListAssociations',
            'ssm:UpdateInstanceInformation',
          ]),
          allowStatement(EC2MESSAGES_ACTIONS),
        ),
      },
    ],
  },
  cloudWatchAgent: {
    name: 'CloudWatchAgentServerPolicy',
    arn: AWS_POLICY_ARN.cloudWatchAgent,
    path: '/',
    description: 'Permissions required to use AmazonCloudWatchAgent on servers',
    createDate: '2019-02-07T03:40:07+00:00',
    defaultVersionId: 'v1',
    versions: [
      {
        versionId: 'v1',
        createDate: '2019-02-07T03:40:07+00:00',
        document: policyDocument(
          allowStatement([
            'cloudwatch:PutMetricData',
            'ec2:DescribeVolumes',
            'ec2:DescribeTags',
            'logs:PutLogEvents',
            'logs:DescribeLogStreams',
            'logs:DescribeLogGroups',
            'logs:CreateLogStream',
            'logs:CreateLogGroup',
          ]),
          {
            Effect: 'Allow',
            Action: ['ssm:GetParameter'],
            Resource: 'arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*',
          },
        ),
      },
    ],
  },
  s3ReadOnly: {
    name: 'AmazonS3ReadOnlyAccess',
    arn: AWS_POLICY_ARN.s3ReadOnly,
    path: '/',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    createDate: '2015-02-06T18:40:59+00:00',
    defaultVersionId: 'v2',
    versions: [
      {
        versionId: 'v2',
        createDate: '2021-08-10T15:35:48+00:00',
        document: policyDocument(
          allowStatement(['s3:Get*', 's3:List*', 's3-object-lambda:Get*', 's3-object-lambda:List*']),
        ),
      },
      {
        versionId: 'v1',
        createDate: '2015-02-06T18:40:59+00:00',
        document: policyDocument(allowStatement(['s3:Get*', 's3:List*'])),
      },
    ],
  },
  administrator: {
    name: 'AdministratorAccess',
    arn: AWS_POLICY_ARN.administrator,
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    createDate: '2015-02-06T18:39:46+00:00',
    defaultVersionId: 'v1',
    versions: [
      {
        versionId: 'v1',
        createDate: '2015-02-06T18:39:46+00:00',
        document: policyDocument(allowStatement(['*'])),
      },
    ],
  },
  lambdaBasic: {
    name: 'AWSLambdaBasicExecutionRole',
    arn: AWS_POLICY_ARN.lambdaBasic,
    path: '/service-role/',
    description: 'Provides write permissions to CloudWatch Logs.',
    createDate: '2015-04-09T15:03:43+00:00',
    defaultVersionId: 'v1',
    versions: [
      {
        versionId: 'v1',
        createDate: '2015-04-09T15:03:43+00:00',
        document: policyDocument(
          allowStatement(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']),
        ),
      },
    ],
  },
};
