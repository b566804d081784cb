// Embedded default-version documents of the AWS managed policies an SSM instance role typically attaches.

import type { PolicyDocument } from '../inventory/model.js';
import { EC2MESSAGES_ACTIONS } from './action-sets.js';

// GetAccountAuthorizationDetails lists an AWS managed policy only when it is attached somewhere in the account
// (and a Config item or an AWS CLI file may not hold it at all), so a role attaching one may reference a
// document we were never given. These copies fill that gap; a document in the inventory always wins.

/** The `ssm:` actions of AmazonSSMManagedInstanceCore v2, in the policy's order. */
export const INSTANCE_CORE_SSM_ACTIONS: readonly string[] = [
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:GetParameter',
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

/** The four Session Manager / Run Command channel actions (the essential channel for agents ≥ 3.3.40.0). */
export const SSMMESSAGES_ACTIONS: readonly string[] = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

export const AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
export const AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN =
  'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
export const AMAZON_EC2_ROLE_FOR_SSM_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM';

/** An embedded AWS managed policy: its ARN (aws partition), default version and document. */
export interface EmbeddedManagedPolicy {
  arn: string;
  policyName: string;
  defaultVersionId: string;
  document: PolicyDocument;
  /** True when the document holds only part of the real policy (the statements relevant to SSM). */
  partial: boolean;
  deprecated: boolean;
}

/** AmazonSSMManagedInstanceCore, default version v2 (2019-05-23), exact document. */
const INSTANCE_CORE: EmbeddedManagedPolicy = {
  arn: AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN,
  policyName: 'AmazonSSMManagedInstanceCore',
  defaultVersionId: 'v2',
  partial: false,
  deprecated: false,
  document: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: [...INSTANCE_CORE_SSM_ACTIONS], Resource: '*' },
      { Effect: 'Allow', Action: [...SSMMESSAGES_ACTIONS], Resource: '*' },
      { Effect: 'Allow', Action: [...EC2MESSAGES_ACTIONS], Resource: '*' },
    ],
  },
};

/** AmazonSSMManagedEC2InstanceDefaultPolicy (the DHMC policy), default version v2 (2024-07-16), exact document. */
const EC2_INSTANCE_DEFAULT: EmbeddedManagedPolicy = {
  arn: AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
  policyName: 'AmazonSSMManagedEC2InstanceDefaultPolicy',
  defaultVersionId: 'v2',
  partial: false,
  deprecated: false,
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowSSMAgentPermissions',
        Effect: 'Allow',
        Action: INSTANCE_CORE_SSM_ACTIONS.filter(
          (a) => a !== 'ssm:GetParameter' && a !== 'ssm:GetParameters',
        ),
        Resource: '*',
      },
      { Sid: 'AllowSSMChannelMessaging', Effect: 'Allow', Action: [...SSMMESSAGES_ACTIONS], Resource: '*' },
      { Sid: 'AllowSSMLegacyMessaging', Effect: 'Allow', Action: [...EC2MESSAGES_ACTIONS], Resource: '*' },
    ],
  },
};

/**
 * AmazonEC2RoleforSSM, default version v8, deprecated in favour of AmazonSSMManagedInstanceCore. Only the
 * SSM-relevant part is embedded (the ssm, ssmmessages and ec2messages grants); the real policy also grants
 * CloudWatch, CloudWatch Logs, S3, Directory Service and ec2:DescribeInstanceStatus. It has ssm:GetParameters
 * but not ssm:GetParameter.
 */
const EC2_ROLE_FOR_SSM: EmbeddedManagedPolicy = {
  arn: AMAZON_EC2_ROLE_FOR_SSM_ARN,
  policyName: 'AmazonEC2RoleforSSM',
  defaultVersionId: 'v8',
  partial: true,
  deprecated: true,
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: INSTANCE_CORE_SSM_ACTIONS.filter((a) => a !== 'ssm:GetParameter'),
        Resource: '*',
      },
      { Effect: 'Allow', Action: [...SSMMESSAGES_ACTIONS], Resource: '*' },
      { Effect: 'Allow', Action: [...EC2MESSAGES_ACTIONS], Resource: '*' },
    ],
  },
};

/** The embedded policies by ARN in the `aws` partition. */
export const EMBEDDED_AWS_MANAGED_POLICIES: ReadonlyMap<string, EmbeddedManagedPolicy> = new Map(
  [INSTANCE_CORE, EC2_INSTANCE_DEFAULT, EC2_ROLE_FOR_SSM].map((p) => [p.arn, p]),
);

/** AWS managed policies that still work but should be replaced (ARNs in the `aws` partition). */
export const DEPRECATED_AWS_MANAGED_POLICY_ARNS: ReadonlySet<string> = new Set([AMAZON_EC2_ROLE_FOR_SSM_ARN]);

// AWS managed policies exist in every partition under the same path and name: arn:aws-cn:iam::aws:policy/…,
// arn:aws-us-gov:iam::aws:policy/…
const AWS_MANAGED_ARN = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(.+)$/;

function toAwsPartition(arn: string): string | undefined {
  const match = AWS_MANAGED_ARN.exec(arn);
  return match === null ? undefined : `arn:aws:iam::aws:policy/${match[1]}`;
}

/** The embedded copy of an AWS managed policy, in any partition; undefined if we do not ship it. */
export function findEmbeddedAwsManagedPolicy(arn: string): EmbeddedManagedPolicy | undefined {
  const normalised = toAwsPartition(arn);
  return normalised === undefined ? undefined : EMBEDDED_AWS_MANAGED_POLICIES.get(normalised);
}

/** True when the ARN names a deprecated AWS managed policy, in any partition. */
export function isDeprecatedAwsManagedPolicy(arn: string): boolean {
  const normalised = toAwsPartition(arn);
  return normalised !== undefined && DEPRECATED_AWS_MANAGED_POLICY_ARNS.has(normalised);
}
