// The IAM actions the Config rule Lambda calls: exactly what its execution role (or member role) allows.

import { API_RESPONSE_KINDS } from '../collectors/api/api-data.js';

/** Config calls the handler makes: verdicts, oversized items, and previous verdicts for periodic clean-up. */
export const CONFIG_ACTIONS = [
  'config:GetComplianceDetailsByConfigRule',
  'config:GetResourceConfigHistory',
  'config:PutEvaluations',
] as const;

/**
 * IAM's per-resource reads of a change event's scoped collector (lambda/scoped-iam-reader.ts): an instance's
 * profile, role and policies, instead of the whole account's GetAccountAuthorizationDetails; and, for a managed
 * policy's change, the roles using it and their profiles (lambda/scoped-change.ts).
 */
export const SCOPED_IAM_ACTIONS = [
  'iam:GetInstanceProfile',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListEntitiesForPolicy',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
] as const;

// GetServiceSetting is the one read with resource-level permissions: only the DHMC setting is read.
const SERVICE_SETTING = 'ssm:GetServiceSetting';

/**
 * The read-only actions of the live collectors the handler runs (every EC2, IAM and SSM kind ssmguard reads;
 * a periodic evaluation reads them all). Derived from API_RESPONSE_KINDS, the same table the collectors and
 * the scan permissions come from, so a new kind cannot be forgotten here. Sorted.
 */
export function readActions(): string[] {
  return [...new Set([...Object.values(API_RESPONSE_KINDS).map((k) => k.permission), ...SCOPED_IAM_ACTIONS])]
    .filter((a) => a !== SERVICE_SETTING)
    .sort();
}

/** A CloudFormation policy document: reads on "*", the DHMC setting, and the Config calls. */
export function executionPolicyDocument(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      // Describe*/List* and GAAD have no resource-level permissions; the IAM Get*/List* reads of a change event
      // name whichever role, profile or policy an instance uses, so "*" is their resource too.
      { Sid: 'ReadWhatTheRulesNeed', Effect: 'Allow', Action: readActions(), Resource: '*' },
      {
        Sid: 'ReadDefaultHostManagementSetting',
        Effect: 'Allow',
        Action: [SERVICE_SETTING],
        Resource: {
          'Fn::Sub':
            'arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
        },
      },
      // PutEvaluations and GetResourceConfigHistory take no resource-level permissions.
      { Sid: 'ReportToConfig', Effect: 'Allow', Action: [...CONFIG_ACTIONS], Resource: '*' },
    ],
  };
}
