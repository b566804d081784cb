// Builds the CloudFormation template that deploys the ssmguard Config rules: function, role, permissions, rules.

import {
  fixesFor,
  remediationParameters,
  remediationProperties,
  remediationRole,
} from './remediation-configurations.js';
import type { CompiledRule } from '../engine/compile-rule.js';
import { executionPolicyDocument } from './lambda-permissions.js';
import { compareText } from '../compare-text.js';

/**
 * IAM path of the execution role. The role has no fixed name (IAM is global: a fixed name made the second
 * region's stack fail), so member roles trust the administrator account's roles under this path instead.
 */
export const EXECUTION_ROLE_PATH = '/ssmguard/';
/** Default name of the member-account role (a parameter of both templates; one role per member account). */
export const MEMBER_ROLE_NAME = 'ssmguard-config-rule-reader';
/**
 * Default runtime: nodejs22.x is deprecated on 2027-04-30, nodejs24.x on 2028-04-30 (aws-facts-2 §15). The
 * handler's tests run under Node.js 24 in CI (`.ci/run`).
 */
export const LAMBDA_RUNTIME = 'nodejs24.x';
export const LAMBDA_RUNTIMES = ['nodejs24.x', 'nodejs22.x'] as const;
/**
 * Default MemorySize. The periodic run over 10,000 instances peaks near 235 MB RSS (`npm run bench`, lambda
 * section), so 256 MB left no margin; 512 MB doubles it and buys CPU (Lambda allocates CPU with memory).
 */
export const DEFAULT_MEMORY_MB = 512;
/** CloudWatch Logs' allowed retention values (AWS::Logs::LogGroup RetentionInDays). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

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
    // The function's own log group, so retention is set (Lambda's implicit group keeps logs forever). Named after
    // the stack: stack names are unique per account and region, so two regions or two stacks never clash.
    RuleFunctionLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: { 'Fn::Sub': '/aws/lambda/${AWS::StackName}' },
        RetentionInDays: { Ref: 'LogRetentionInDays' },
      },
    },
    RuleFunctionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Path: EXECUTION_ROLE_PATH,
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
      // No FunctionName: CloudFormation generates a unique one, so stacks in several regions or side by side work.
      Properties: {
        Description: `ssmguard ${rules.length} AWS Config rule(s) for Systems Manager readiness`,
        Runtime: { Ref: 'Runtime' },
        Handler: 'index.handler',
        Architectures: [{ Ref: 'Architecture' }],
        MemorySize: { Ref: 'MemorySize' },
        Timeout: 300,
        Role: { 'Fn::GetAtt': ['RuleFunctionRole', 'Arn'] },
        Code: { S3Bucket: { Ref: 'CodeBucket' }, S3Key: { Ref: 'CodeKey' } },
        LoggingConfig: { LogGroup: { Ref: 'RuleFunctionLogGroup' } },
        ...(options.organization && {
          Environment: { Variables: { SSMGUARD_MEMBER_ROLE_NAME: { Ref: 'MemberRoleName' } } },
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
  // Remediation through AWS-owned runbooks (account variant: a RemediationConfiguration lives in one account).
  const fixes = options.organization ? [] : fixesFor(rules);
  const remediation = remediationParameters();
  if (fixes.length > 0) {
    resources.RemediationRole = remediationRole(fixes);
    for (const fix of fixes)
      resources[`Remediation${logicalIdOf(fix.ruleId)}`] = {
        Type: 'AWS::Config::RemediationConfiguration',
        DependsOn: [`Rule${logicalIdOf(fix.ruleId)}`],
        ...(fix.condition !== undefined && { Condition: fix.condition }),
        Properties: remediationProperties(fix, configRuleNameOf(fix.ruleId)),
      };
  }
  const parameters: Json = {
    CodeBucket: {
      Type: 'String',
      Description: 'S3 bucket holding ssmguard-config-rules.zip (same region as the stack).',
    },
    CodeKey: { Type: 'String', Default: options.codeKey, Description: 'S3 key of the uploaded zip.' },
    ...functionParameters(),
  };
  if (options.organization) {
    parameters.MemberAccountIds = {
      Type: 'CommaDelimitedList',
      Description: 'Member accounts whose Config may invoke the function (the organization rules run there).',
    };
    parameters.MemberRoleName = memberRoleNameParameter();
  }
  if (fixes.length > 0) Object.assign(parameters, remediation.parameters);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    ...(options.organization && { Transform: 'AWS::LanguageExtensions' }),
    Description: `ssmguard: ${rules.length} AWS Config custom rule(s) for Systems Manager readiness (generated by ssmguard package).`,
    Parameters: parameters,
    ...(fixes.length > 0 && { Conditions: remediation.conditions }),
    Resources: resources,
    Outputs: {
      FunctionArn: { Value: functionArn },
      ExecutionRoleArn: { Value: { 'Fn::GetAtt': ['RuleFunctionRole', 'Arn'] } },
    },
  };
}

function accountRule(rule: CompiledRule, functionArn: Json, dependsOn: string[]): Json {
  return {
    Type: 'AWS::Config::ConfigRule',
    DependsOn: dependsOn,
    Properties: configRuleProperties(rule, functionArn),
  };
}

/** A rule's ConfigRule properties (the template's and the conformance pack's). */
export function configRuleProperties(rule: CompiledRule, functionArn: Json): Json {
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
    ConfigRuleName: configRuleNameOf(rule.id),
    Description: description(rule),
    ...(triggerTypes.length > 0 && { Scope: { ComplianceResourceTypes: triggerTypes } }),
    Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: functionArn, SourceDetails: sourceDetails },
    InputParameters: { ruleId: rule.id },
    EvaluationModes: [{ Mode: 'DETECTIVE' }],
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

/** The function's tunables: runtime, architecture, memory, log retention (safe defaults, each overridable). */
function functionParameters(): Json {
  return {
    Runtime: {
      Type: 'String',
      Default: LAMBDA_RUNTIME,
      AllowedValues: [...LAMBDA_RUNTIMES],
      Description: 'Lambda runtime of the function.',
    },
    Architecture: {
      Type: 'String',
      Default: 'arm64',
      AllowedValues: ['arm64', 'x86_64'],
      Description:
        'Instruction set of the function (arm64 costs less per GB-second; the bundle is plain JavaScript).',
    },
    MemorySize: {
      Type: 'Number',
      Default: DEFAULT_MEMORY_MB,
      MinValue: 256,
      MaxValue: 10240,
      Description:
        'Function memory in MB. The default fits a periodic run over 10,000 instances with room to spare; raise it for larger accounts.',
    },
    LogRetentionInDays: {
      Type: 'Number',
      Default: 30,
      AllowedValues: [...LOG_RETENTION_DAYS],
      Description: 'Days CloudWatch Logs keeps the function\u2019s log.',
    },
  };
}

function memberRoleNameParameter(): Json {
  return {
    Type: 'String',
    Default: MEMBER_ROLE_NAME,
    AllowedPattern: '^[\\w+=,.@-]{1,64}$',
    Description:
      'Name of the role the function assumes in each member account (the member-role template creates it).',
  };
}

function logsPolicy(): Json {
  // The log group's Arn attribute ends in ":*", which covers its log streams (CreateLogStream, PutLogEvents).
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['RuleFunctionLogGroup', 'Arn'] },
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
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${MemberRoleName}' },
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
      MemberRoleName: memberRoleNameParameter(),
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          // Named: the function builds the role ARN from the member account id and this name. IAM is global, so
          // deploy this template once per member account (a StackSet with one region), not per region.
          RoleName: { Ref: 'MemberRoleName' },
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                // The execution role's name is generated per stack (one per region); its path is fixed.
                Effect: 'Allow',
                Principal: {
                  AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AdministratorAccountId}:root' },
                },
                Action: 'sts:AssumeRole',
                Condition: {
                  ArnLike: {
                    'aws:PrincipalArn': {
                      'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AdministratorAccountId}:role${EXECUTION_ROLE_PATH}*`,
                    },
                  },
                },
              },
            ],
          },
          Policies: [{ PolicyName: 'ssmguard-config-rules', PolicyDocument: executionPolicyDocument() }],
        },
      },
    },
  };
}
