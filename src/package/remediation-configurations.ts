// AWS Config remediation through AWS-owned Automation runbooks: which rule gets which runbook, and the role it runs as.

import type { CompiledRule } from '../engine/compile-rule.js';

type Json = Record<string, unknown>;

/**
 * A rule whose failing resource an AWS-owned runbook can fix safely. Parameters are given as Config passes them:
 * `RESOURCE_ID` (the failing instance's id) or static values. Runbook names and parameters: aws-facts-2 §7 and the
 * runbook reference pages linked below.
 */
export interface RunbookFix {
  ruleId: string;
  runbook: string;
  /** Runbook parameter → the failing resource's id, a static value, or a template parameter. */
  parameters: Record<string, { resourceId: true } | { value: string } | { parameter: string }>;
  /** Template condition that must hold for the configuration to exist (a required value the user must give). */
  condition?: string;
  /** The actions the automation role needs for this runbook (least privilege). */
  actions: string[];
  why: string;
}

export const RUNBOOK_FIXES: readonly RunbookFix[] = [
  {
    // https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-attachiamtoinstance.html
    // ForceReplace defaults to true, which would disassociate a working profile: it is set to false, so the runbook
    // only attaches where no profile is associated (the failing case of this rule).
    ruleId: 'ec2-instance-profile-attached',
    runbook: 'AWS-AttachIAMToInstance',
    parameters: {
      InstanceId: { resourceId: true },
      RoleName: { parameter: 'RemediationInstanceRoleName' },
      ForceReplace: { value: 'false' },
    },
    condition: 'HasRemediationInstanceRole',
    actions: [
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:AssociateIamInstanceProfile',
      'iam:ListInstanceProfilesForRole',
      'iam:CreateInstanceProfile',
      'iam:AddRoleToInstanceProfile',
      'iam:GetInstanceProfile',
    ],
    why: 'attaches the instance role you name (only where no profile is attached: ForceReplace false)',
  },
  {
    // https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-awssupport-configureec2metadata.html
    ruleId: 'ec2-instance-imds-available',
    runbook: 'AWSSupport-ConfigureEC2Metadata',
    parameters: { InstanceId: { resourceId: true }, MetadataAccess: { value: 'enabled' } },
    actions: [
      'ec2:DescribeInstances',
      'ec2:ModifyInstanceMetadataOptions',
      'ssm:GetAutomationExecution',
      'ssm:StartAutomationExecution',
    ],
    why: 'turns the instance metadata endpoint back on, keeping the other metadata settings',
  },
  {
    // https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-enforce-ec2-imdsv2.html
    ruleId: 'ec2-instance-imdsv2-required',
    runbook: 'AWSConfigRemediation-EnforceEC2InstanceIMDSv2',
    parameters: { InstanceId: { resourceId: true } },
    actions: ['ec2:DescribeInstances', 'ec2:ModifyInstanceMetadataOptions'],
    why: 'requires IMDSv2 tokens (the SSM Agent supports IMDSv2)',
  },
];

/**
 * Rules with an AWS-owned runbook deliberately not wired: `ec2-instance-no-inbound-ssm-ports` judges instances,
 * while AWS-DisablePublicAccessForSecurityGroup takes a security group id (Config passes only the failing
 * resource's id) and, per its reference page, fails in non-default VPCs unless the group's rules match its four
 * patterns; closing ports shared by other instances is a decision for a person (`ssmguard fix`).
 */
export const NOT_REMEDIATED: Readonly<Record<string, string>> = {
  'ec2-instance-no-inbound-ssm-ports':
    'AWS-DisablePublicAccessForSecurityGroup takes a security group id, not the failing instance; see ssmguard fix',
};

/** The fixes for the rules being packaged. */
export function fixesFor(rules: readonly CompiledRule[]): RunbookFix[] {
  const ids = new Set(rules.map((r) => r.id));
  return RUNBOOK_FIXES.filter((fix) => ids.has(fix.ruleId));
}

/** `RemediationConfiguration` properties: manual unless the AutomaticRemediation parameter says true. */
export function remediationProperties(fix: RunbookFix, configRuleName: unknown): Json {
  const parameters: Json = {
    AutomationAssumeRole: { StaticValue: { Values: [{ 'Fn::GetAtt': ['RemediationRole', 'Arn'] }] } },
  };
  for (const [name, source] of Object.entries(fix.parameters))
    parameters[name] =
      'resourceId' in source
        ? { ResourceValue: { Value: 'RESOURCE_ID' } }
        : { StaticValue: { Values: ['value' in source ? source.value : { Ref: source.parameter }] } };
  return {
    ConfigRuleName: configRuleName,
    TargetType: 'SSM_DOCUMENT',
    TargetId: fix.runbook,
    ResourceType: 'AWS::EC2::Instance',
    Parameters: parameters,
    Automatic: { 'Fn::If': ['AutomaticRemediationOn', true, false] },
    // Retries when automatic: 3 attempts within 5 minutes, one instance at a time failing no more than 10 %.
    MaximumAutomaticAttempts: 3,
    RetryAttemptSeconds: 300,
    ExecutionControls: { SsmControls: { ConcurrentExecutionRatePercentage: 10, ErrorPercentage: 10 } },
  };
}

/** The role the runbooks run as: trusted by Systems Manager in this account, holding only their actions. */
export function remediationRole(fixes: readonly RunbookFix[]): Json {
  const actions = [...new Set(fixes.flatMap((f) => f.actions))].sort();
  const statements: Json[] = [{ Sid: 'RunbookActions', Effect: 'Allow', Action: actions, Resource: '*' }];
  if (fixes.some((f) => f.runbook === 'AWS-AttachIAMToInstance'))
    statements.push({
      // Only the role the user named can be passed to instances.
      Sid: 'PassTheInstanceRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: {
        'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RemediationInstanceRoleName}',
      },
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Path: '/ssmguard/',
      Description:
        'Automation role of the ssmguard remediations: only the actions of the AWS-owned runbooks they run.',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'ssmguard-remediation',
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      ],
    },
  };
}

/** The parameters and conditions the remediation resources use. */
export function remediationParameters(): { parameters: Json; conditions: Json } {
  return {
    parameters: {
      AutomaticRemediation: {
        Type: 'String',
        AllowedValues: ['false', 'true'],
        Default: 'false',
        Description:
          'Run the remediation runbooks automatically on NON_COMPLIANT resources (default: manual).',
      },
      RemediationInstanceRoleName: {
        Type: 'String',
        Default: '',
        Description:
          'Role that AWS-AttachIAMToInstance attaches to instances without a profile (e.g. one with AmazonSSMManagedInstanceCore). Empty: no remediation for that rule.',
      },
    },
    conditions: {
      AutomaticRemediationOn: { 'Fn::Equals': [{ Ref: 'AutomaticRemediation' }, 'true'] },
      HasRemediationInstanceRole: {
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RemediationInstanceRoleName' }, ''] }],
      },
    },
  };
}
