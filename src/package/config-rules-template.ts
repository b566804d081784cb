// Builds the CloudFormation template that deploys the ssmguard Config rules: function, role, permissions, rules.

import type { CompiledRule } from '../engine/compile-rule.js';
import { executionPolicyDocument } from './lambda-permissions.js';
import { compareText } from '../compare-text.js';

export const FUNCTION_NAME = 'ssmguard-config-rules';
export const EXECUTION_ROLE_NAME = 'ssmguard-config-rules-execution';
export const MEMBER_ROLE_NAME = 'ssmguard-config-rule-reader';
/** Lambda retires runtimes with upstream Node.js support; Node.js 20 left it in April 2026 (DESIGN.md). */
export const LAMBDA_RUNTIME = 'nodejs22.x';

export interface TemplateOptions {
  /** Default S3 key of the uploaded zip (carries its hash, so a new build is a new key and a redeploy). */
  codeKey: string;
  /** Multi-account variant: OrganizationConfigRule per rule, invoke permission per member account. */
  organization?: boolean;
}

type Json = Record<string, unknown>;

const CHANGE_TYPES = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
] as const;

/** "ec2-instance-ssm-online" → "Ec2InstanceSsmOnline": a logical id (alphanumeric only). */
export function logicalIdOf(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The Config rule name of a rule: stable, so redeploys update rather than duplicate (≤64 chars for org rules). */
export function configRuleNameOf(ruleId: string): string {
  return `ssmguard-${ruleId}`.slice(0, 64);
}

/**
 * The template. Each rule gets change triggers for its `config.triggerTypes` (both the normal and the oversized
 * message, as AWS asks) and a periodic trigger at `config.periodic`; `InputParameters` names the rule. The
 * invoke permission is scoped by source account (confused-deputy protection) and every rule depends on it:
 * Config checks it can invoke the function when the rule is created.
 */
export function buildConfigRulesTemplate(rules: readonly CompiledRule[], options: TemplateOptions): Json {
  const functionArn = { 'Fn::GetAtt': ['RuleFunction', 'Arn'] };
  const resources: Json = {
    RuleFunctionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: EXECUTION_ROLE_NAME,
        Description:
          'Execution role of the ssmguard AWS Config rules: read-only for what the rules need, plus reporting to Config.',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
        Policies: [
          { PolicyName: 'ssmguard-config-rules', PolicyDocument: executionPolicyDocument() },
          { PolicyName: 'ssmguard-config-rules-logs', PolicyDocument: logsPolicy() },
          ...(options.organization
            ? [{ PolicyName: 'ssmguard-assume-member-role', PolicyDocument: assumeMemberRolePolicy() }]
            : []),
        ],
      },
    },
    RuleFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: FUNCTION_NAME,
        Description: `ssmguard ${rules.length} AWS Config rule(s) for Systems Manager readiness`,
        Runtime: LAMBDA_RUNTIME,
        Handler: 'index.handler',
        Architectures: ['arm64'],
        // DESIGN.md's target: a periodic run over 10,000 instances peaks at about 235 MB RSS (`npm run bench`,
        // bench/lambda-bench.ts), pages being mapped as they arrive. More memory also buys CPU, not correctness.
        MemorySize: 256,
        Timeout: 300,
        Role: { 'Fn::GetAtt': ['RuleFunctionRole', 'Arn'] },
        Code: { S3Bucket: { Ref: 'CodeBucket' }, S3Key: { Ref: 'CodeKey' } },
        ...(options.organization && {
          Environment: { Variables: { SSMGUARD_MEMBER_ROLE_NAME: MEMBER_ROLE_NAME } },
        }),
      },
    },
    ConfigInvokePermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: functionArn,
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      },
    },
  };
  const dependsOn = ['ConfigInvokePermission'];
  if (options.organization) {
    // Member accounts' Config invokes the function in this account: one permission per member, each scoped by
    // its source account. Fn::ForEach (AWS::LanguageExtensions) expands the list given at deploy time.
    resources['Fn::ForEach::MemberInvokePermissions'] = [
      'MemberAccountId',
      { Ref: 'MemberAccountIds' },
      {
        'ConfigInvokePermission${MemberAccountId}': {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            FunctionName: functionArn,
            Action: 'lambda:InvokeFunction',
            Principal: 'config.amazonaws.com',
            SourceAccount: { Ref: 'MemberAccountId' },
          },
        },
      },
    ];
  }
  for (const rule of [...rules].sort((a, b) => compareText(a.id, b.id))) {
    resources[`Rule${logicalIdOf(rule.id)}`] = options.organization
      ? organizationRule(rule, functionArn, dependsOn)
      : accountRule(rule, functionArn, dependsOn);
  }
  const parameters: Json = {
    CodeBucket: {
      Type: 'String',
      Description: 'S3 bucket holding ssmguard-config-rules.zip (same region as the stack).',
    },
    CodeKey: { Type: 'String', Default: options.codeKey, Description: 'S3 key of the uploaded zip.' },
  };
  if (options.organization) {
    parameters.MemberAccountIds = {
      Type: 'CommaDelimitedList',
      Description: 'Member accounts whose Config may invoke the function (the organization rules run there).',
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    ...(options.organization && { Transform: 'AWS::LanguageExtensions' }),
    Description: `ssmguard: ${rules.length} AWS Config custom rule(s) for Systems Manager readiness (generated by ssmguard package).`,
    Parameters: parameters,
    Resources: resources,
    Outputs: {
      FunctionArn: { Value: functionArn },
      ExecutionRoleArn: { Value: { 'Fn::GetAtt': ['RuleFunctionRole', 'Arn'] } },
    },
  };
}

function accountRule(rule: CompiledRule, functionArn: Json, dependsOn: string[]): Json {
  const { triggerTypes, periodic } = configHints(rule);
  const sourceDetails: Json[] =
    triggerTypes.length > 0
      ? CHANGE_TYPES.map((MessageType) => ({ EventSource: 'aws.config', MessageType }))
      : [];
  if (periodic !== undefined)
    sourceDetails.push({
      EventSource: 'aws.config',
      MessageType: 'ScheduledNotification',
      MaximumExecutionFrequency: periodic,
    });
  return {
    Type: 'AWS::Config::ConfigRule',
    DependsOn: dependsOn,
    Properties: {
      ConfigRuleName: configRuleNameOf(rule.id),
      Description: description(rule),
      ...(triggerTypes.length > 0 && { Scope: { ComplianceResourceTypes: triggerTypes } }),
      Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: functionArn, SourceDetails: sourceDetails },
      InputParameters: { ruleId: rule.id },
      EvaluationModes: [{ Mode: 'DETECTIVE' }],
    },
  };
}

function organizationRule(rule: CompiledRule, functionArn: Json, dependsOn: string[]): Json {
  const { triggerTypes, periodic } = configHints(rule);
  const types: string[] = triggerTypes.length > 0 ? [...CHANGE_TYPES] : [];
  if (periodic !== undefined) types.push('ScheduledNotification');
  return {
    Type: 'AWS::Config::OrganizationConfigRule',
    DependsOn: dependsOn,
    Properties: {
      OrganizationConfigRuleName: configRuleNameOf(rule.id),
      OrganizationCustomRuleMetadata: {
        Description: description(rule),
        LambdaFunctionArn: functionArn,
        OrganizationConfigRuleTriggerTypes: types,
        ...(triggerTypes.length > 0 && { ResourceTypesScope: triggerTypes }),
        InputParameters: JSON.stringify({ ruleId: rule.id }),
        ...(periodic !== undefined && { MaximumExecutionFrequency: periodic }),
      },
    },
  };
}

function configHints(rule: CompiledRule): { triggerTypes: string[]; periodic?: string } {
  const config = rule.loaded.definition.config;
  // A rule without hints is judged once a day over the whole account: Config needs at least one trigger.
  if (config === undefined) return { triggerTypes: [], periodic: 'TwentyFour_Hours' };
  return {
    triggerTypes: [...config.triggerTypes],
    ...(config.periodic !== undefined
      ? { periodic: config.periodic }
      : config.triggerTypes.length === 0
        ? { periodic: 'TwentyFour_Hours' }
        : {}),
  };
}

function description(rule: CompiledRule): string {
  const title = rule.loaded.definition.title;
  return title.length <= 256 ? title : `${title.slice(0, 255)}…`;
}

function logsPolicy(): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: {
          'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${FUNCTION_NAME}:*`,
        },
      },
    ],
  };
}

function assumeMemberRolePolicy(): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/${MEMBER_ROLE_NAME}` },
      },
    ],
  };
}

/**
 * The member-account template (deploy it with a StackSet to every member): the role the function assumes to
 * read the member's resources and report its verdicts, trusted by the administrator account's execution role.
 */
export function buildMemberRoleTemplate(): Json {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'ssmguard: role the organization Config rules assume in this member account.',
    Parameters: {
      AdministratorAccountId: {
        Type: 'String',
        AllowedPattern: '^\\d{12}$',
        Description: 'Account that runs the ssmguard function.',
      },
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: MEMBER_ROLE_NAME,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: {
                  AWS: {
                    'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AdministratorAccountId}:role/${EXECUTION_ROLE_NAME}`,
                  },
                },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          Policies: [{ PolicyName: 'ssmguard-config-rules', PolicyDocument: executionPolicyDocument() }],
        },
      },
    },
  };
}
