// Wording of IAM evidence for messages: which policy and statement decided, and the smallest-fix commands.

import type {
  ConditionTrace,
  DecidingStatement,
  PolicyCondition,
  PolicyLayer,
  TrustStatementRef,
} from '../../iam/index.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';

/** The partition of an ARN ("aws", "aws-us-gov", "aws-cn"); AWS managed policy ARNs must use the role's. */
export function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/** "inline policy X", "managed policy arn:…", "permissions boundary arn:… (default version v3)", "SCP X". */
export function describePolicy(policy: string, layer: PolicyLayer, index: InventoryIndex): string {
  if (layer === 'scp') return `SCP ${policy}`;
  if (layer === 'endpoint') return `VPC endpoint policy ${policy}`;
  if (!policy.startsWith('arn:')) return `inline policy ${policy}`;
  const version = index.managedPolicy(policy)?.defaultVersionId;
  const suffix = version === undefined ? '' : ` (default version ${version})`;
  return `${layer === 'boundary' ? 'permissions boundary' : 'managed policy'} ${policy}${suffix}`;
}

/** `Statement[2] (Sid "X")`, the way a reader finds it in the JSON. */
export function describeStatementRef(statementIndex: number, sid: string | undefined): string {
  return `Statement[${statementIndex}]${sid === undefined ? '' : ` (Sid "${sid}")`}`;
}

/** The condition block as compact JSON, for CONDITIONAL explanations. */
export function describeCondition(condition: PolicyCondition | undefined): string {
  return condition === undefined ? '' : JSON.stringify(condition);
}

/** One deciding statement: policy, statement index and Sid, and what limits it. */
export function describeDecidingStatement(statement: DecidingStatement, index: InventoryIndex): string {
  let text = `${describePolicy(statement.policy, statement.layer, index)}${statement.layer === 'scp' && statement.level !== undefined && !statement.level.startsWith('account ') ? ` at ${statement.level}` : ''} ${describeStatementRef(statement.statementIndex, statement.sid)}`;
  if (statement.conditionTrace !== undefined)
    text += ` when ${describeConditionTrace(statement.conditionTrace)}`;
  else if (statement.condition !== undefined) text += ` when ${describeCondition(statement.condition)}`;
  if (statement.resourceScoped === true) text += ' (only for some resources)';
  return text;
}

/** Each clause with the request's value and how it came out: what a reviewer checks against the policy. */
export function describeConditionTrace(trace: readonly ConditionTrace[]): string {
  return trace
    .map(
      (t) =>
        `${t.operator} ${t.key} ${JSON.stringify(t.values.length === 1 ? t.values[0] : t.values)} (request: ${t.context}) → ${t.result === 'unknown' ? 'unknown' : String(t.result)}`,
    )
    .join(' and ');
}

/** One trust-policy statement: index, Sid, condition. */
export function describeTrustStatement(statement: TrustStatementRef): string {
  const condition =
    statement.condition === undefined ? '' : ` when ${describeCondition(statement.condition)}`;
  return `trust policy ${describeStatementRef(statement.statementIndex, statement.sid)}${condition}`;
}

/** A shell-safe single-quoted argument (policy JSON on the command line). */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** An inline allow-only policy document for the given actions, compact, for `put-role-policy`. */
export function allowDocument(actions: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: [...actions], Resource: '*' }],
  });
}

/** The trust policy that lets `service` assume a role, compact, for `update-assume-role-policy`. */
export function trustDocument(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
