// Generated from agent-requests.yaml by write-agent-requests.ts: edit the YAML, then regenerate.

import type { AgentRequestModel } from '../agent-request-types.js';

export const AGENT_REQUEST_DATA: AgentRequestModel = {
  sources: {
    ssm: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html',
    ssmmessages: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_ssmmessages.html',
    ec2messages:
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmessagedeliveryservice.html',
    globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
    patchBuckets:
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html',
  },
  requests: [
    {
      action: 'ssm:UpdateInstanceInformation',
      resources: ['arn:${partition}:ec2:${region}:${account}:instance/${instanceId}'],
      resourceMatch: 'all',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ec2:SourceInstanceARN',
        'ssm:SourceInstanceARN',
        'ssm:resourceTag/${TagKey}',
      ],
      source: 'ssm',
      note: "instance and managed-instance are both optional types; an EC2 instance's call names its instance ARN.",
    },
    {
      action: 'ssmmessages:CreateControlChannel',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: ['ec2:SourceInstanceARN', 'ssm:SourceInstanceARN'],
      source: 'ssmmessages',
    },
    {
      action: 'ssmmessages:CreateDataChannel',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ssmmessages',
    },
    {
      action: 'ssmmessages:OpenControlChannel',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ssmmessages',
    },
    {
      action: 'ssmmessages:OpenDataChannel',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ssmmessages',
    },
    {
      action: 'ec2messages:AcknowledgeMessage',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ec2messages',
    },
    {
      action: 'ec2messages:DeleteMessage',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ec2messages',
    },
    {
      action: 'ec2messages:FailMessage',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ec2messages',
    },
    {
      action: 'ec2messages:GetEndpoint',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ec2messages',
    },
    {
      action: 'ec2messages:GetMessages',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: ['ec2:SourceInstanceARN', 'ssm:SourceInstanceARN'],
      source: 'ec2messages',
    },
    {
      action: 'ec2messages:SendReply',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: ['ec2:SourceInstanceARN', 'ssm:SourceInstanceARN'],
      source: 'ec2messages',
    },
    {
      action: 'ssm:DescribeAssociation',
      resources: [
        'arn:${partition}:ec2:${region}:${account}:instance/${instanceId}',
        'arn:${partition}:ssm:${region}::document/${documentName}',
      ],
      resourceMatch: 'one-of',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ssm:resourceTag/${TagKey}',
        'ssm:DocumentCategories',
        'ssm:DocumentType',
      ],
      source: 'ssm',
      note: 'association, document, instance and managed-instance are all optional; which one the agent names is not documented.',
    },
    {
      action: 'ssm:GetDeployablePatchSnapshotForInstance',
      resources: ['arn:${partition}:ec2:${region}:${account}:instance/${instanceId}', '*'],
      resourceMatch: 'one-of',
      contextKeys: [],
      source: 'ssm',
      note: 'resource types not verified against the SAR; both readings are evaluated.',
    },
    {
      action: 'ssm:GetDocument',
      resources: ['arn:${partition}:ssm:${region}::document/${documentName}'],
      resourceMatch: 'all',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ssm:DocumentCategories',
        'ssm:DocumentType',
        'ssm:resourceTag/${TagKey}',
      ],
      source: 'ssm',
      note: 'document is required; AWS-owned documents have an empty account field.',
    },
    {
      action: 'ssm:DescribeDocument',
      resources: ['arn:${partition}:ssm:${region}::document/${documentName}'],
      resourceMatch: 'all',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ssm:DocumentCategories',
        'ssm:DocumentType',
        'ssm:resourceTag/${TagKey}',
      ],
      source: 'ssm',
    },
    {
      action: 'ssm:GetManifest',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ssm',
    },
    {
      action: 'ssm:ListAssociations',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ssm',
    },
    {
      action: 'ssm:ListInstanceAssociations',
      resources: ['arn:${partition}:ec2:${region}:${account}:instance/${instanceId}'],
      resourceMatch: 'all',
      contextKeys: ['aws:ResourceTag/${TagKey}', 'ssm:resourceTag/${TagKey}'],
      source: 'ssm',
    },
    {
      action: 'ssm:PutInventory',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: ['ssm:InventoryTypeName'],
      source: 'ssm',
    },
    {
      action: 'ssm:PutComplianceItems',
      resources: ['arn:${partition}:ec2:${region}:${account}:instance/${instanceId}'],
      resourceMatch: 'all',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ec2:SourceInstanceARN',
        'ssm:SourceInstanceARN',
        'ssm:resourceTag/${TagKey}',
      ],
      source: 'ssm',
    },
    {
      action: 'ssm:PutConfigurePackageResult',
      resources: ['*'],
      resourceMatch: 'all',
      contextKeys: [],
      source: 'ssm',
    },
    {
      action: 'ssm:UpdateAssociationStatus',
      resources: [
        'arn:${partition}:ssm:${region}::document/${documentName}',
        'arn:${partition}:ec2:${region}:${account}:instance/${instanceId}',
      ],
      resourceMatch: 'all',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ec2:SourceInstanceARN',
        'ssm:SourceInstanceARN',
        'ssm:resourceTag/${TagKey}',
      ],
      source: 'ssm',
    },
    {
      action: 'ssm:UpdateInstanceAssociationStatus',
      resources: [
        'arn:${partition}:ssm:${region}:${account}:association/${associationId}',
        'arn:${partition}:ec2:${region}:${account}:instance/${instanceId}',
      ],
      resourceMatch: 'all',
      contextKeys: [
        'aws:ResourceTag/${TagKey}',
        'ec2:SourceInstanceARN',
        'ssm:SourceInstanceARN',
        'ssm:resourceTag/${TagKey}',
      ],
      source: 'ssm',
      note: 'association is required; its id is not in the inventory, so statements scoped to association ARNs stay open.',
    },
  ],
  notEvaluated: [
    {
      action: 's3:GetObject',
      resources: [
        'arn:${partition}:s3:::aws-ssm-${region}/*',
        'arn:${partition}:s3:::patch-baseline-snapshot-${region}/*',
      ],
      source: 'patchBuckets',
    },
  ],
  globalContextKeys: [
    {
      key: 'aws:RequestedRegion',
      from: 'instance region',
      source: 'globalKeys',
    },
    {
      key: 'aws:PrincipalArn',
      from: 'role ARN (with its path)',
      source: 'globalKeys',
    },
    {
      key: 'aws:PrincipalAccount',
      from: 'role account',
      source: 'globalKeys',
    },
    {
      key: 'aws:PrincipalType',
      from: 'always AssumedRole',
      source: 'globalKeys',
    },
    {
      key: 'aws:userid',
      from: 'role id + ":" + instance id',
      source: 'globalKeys',
    },
    {
      key: 'aws:username',
      from: 'absent for roles',
      source: 'globalKeys',
    },
    {
      key: 'aws:PrincipalTag/${TagKey}',
      from: 'role tags',
      source: 'globalKeys',
    },
    {
      key: 'aws:PrincipalOrgID',
      from: 'Organizations data (describe-organization)',
      source: 'globalKeys',
    },
    {
      key: 'aws:PrincipalOrgPaths',
      from: 'Organizations OU path of the account',
      source: 'globalKeys',
    },
    {
      key: 'ec2:SourceInstanceARN',
      from: 'instance ARN (instance-profile credentials)',
      source: 'globalKeys',
    },
    {
      key: 'ssm:SourceInstanceARN',
      from: 'absent for instance-profile credentials',
      source: 'ssm',
    },
    {
      key: 'aws:Ec2InstanceSourceVpc',
      from: 'instance VPC',
      source: 'globalKeys',
    },
    {
      key: 'aws:Ec2InstanceSourcePrivateIPv4',
      from: 'primary private IPv4',
      source: 'globalKeys',
    },
    {
      key: 'aws:SecureTransport',
      from: 'always true (the agent uses HTTPS)',
      source: 'globalKeys',
    },
    {
      key: 'aws:ViaAWSService',
      from: 'false (direct call)',
      source: 'globalKeys',
    },
    {
      key: 'aws:CurrentTime',
      from: 'evaluation time',
      source: 'globalKeys',
    },
    {
      key: 'aws:EpochTime',
      from: 'evaluation time',
      source: 'globalKeys',
    },
    {
      key: 'aws:SourceVpc',
      from: 'network path through an interface endpoint',
      source: 'globalKeys',
    },
    {
      key: 'aws:SourceVpce',
      from: 'network path through an interface endpoint',
      source: 'globalKeys',
    },
    {
      key: 'aws:VpcSourceIp',
      from: 'instance private IP on an interface-endpoint path',
      source: 'globalKeys',
    },
    {
      key: 'aws:SourceIp',
      from: 'public IP on an internet-gateway path; unknown behind NAT',
      source: 'globalKeys',
    },
  ],
};
