// Recognises the default VPC endpoint policy ("full access"): a layer that allows every request changes nothing.

import type { MaybePolicyDocument } from '../inventory/model.js';
import { isPlainObject, stringList } from './compile-policy.js';

/**
 * True when the document allows every action on every resource to every principal without conditions, and denies
 * nothing: the policy AWS attaches to an endpoint created without one ("Principal": "*", "Action": "*",
 * "Resource": "*"). Evaluating it as a layer can only say "allowed", so it needs no layer and no network path.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#default-endpoint-policy
 */
export function isFullAccessPolicy(policy: MaybePolicyDocument): boolean {
  if (!('document' in policy) || !isPlainObject(policy.document)) return false;
  const raw: unknown = policy.document.Statement;
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (statements.some((s) => !isPlainObject(s) || s.Effect !== 'Allow')) return false;
  return statements.some((s) => isPlainObject(s) && allowsEverything(s));
}

function allowsEverything(statement: Record<string, unknown>): boolean {
  const everything = (value: unknown): boolean => stringList(value)?.includes('*') === true;
  const principal = statement.Principal;
  const anyone =
    principal === '*' ||
    (isPlainObject(principal) && everything(principal.AWS) && Object.keys(principal).length === 1);
  return (
    anyone &&
    everything(statement.Action) &&
    everything(statement.Resource) &&
    statement.NotPrincipal === undefined &&
    (statement.Condition === undefined ||
      (isPlainObject(statement.Condition) && Object.keys(statement.Condition).length === 0))
  );
}
