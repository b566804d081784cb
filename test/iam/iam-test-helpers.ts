// Builders for IAM evaluator tests: policy documents and statements in as few characters as the cases need.

import type { MaybePolicyDocument, PolicyStatement } from '../../src/inventory/model.js';
import type { NamedPolicy } from '../../src/iam/evaluate-actions.js';

export type Statement = PolicyStatement | Record<string, unknown>;

/** A decoded policy document (version 2012-10-17) holding the statements. */
export function doc(...statements: Statement[]): MaybePolicyDocument {
  return { document: { Version: '2012-10-17', Statement: statements as PolicyStatement[] } };
}

export function named(id: string, ...statements: Statement[]): NamedPolicy {
  return { id, policy: doc(...statements) };
}

export function allow(
  action: string | string[],
  resource: string | string[] = '*',
  extra: Record<string, unknown> = {},
): Statement {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

export function deny(
  action: string | string[],
  resource: string | string[] = '*',
  extra: Record<string, unknown> = {},
): Statement {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

export const FULL_AWS_ACCESS: NamedPolicy = named('FullAWSAccess', allow('*'));

export const INSTANCE_ARN = 'arn:aws:ec2:us-east-1:111122223333:instance/i-0abc1234567890def';
export const UPDATE = 'ssm:UpdateInstanceInformation';
export const SOURCE_VPCE = { StringEquals: { 'aws:SourceVpce': 'vpce-0123' } };
