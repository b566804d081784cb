// Matching a resource policy's Principal / NotPrincipal (VPC endpoint policies) against the calling role.

import type { RequestContext } from './conditions/request-context.js';
import type { Tri } from './conditions/tri-state.js';

/** Whether a statement's principal element covers the caller, read from aws:PrincipalArn and aws:PrincipalAccount. */
export interface PrincipalMatcher {
  match(context: RequestContext): Tri;
}

const ACCOUNT = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:[a-z-]+:iam::(\d{12}):root$/;

/**
 * Compiles Principal (or NotPrincipal). An endpoint policy must name a principal
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). `"*"` and `{"AWS": "*"}` cover
 * everyone; an account id or `arn:…:iam::ACCOUNT:root` covers every principal of that account; a role ARN covers
 * that role's sessions (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 * Service, federated and canonical-user principals never cover an instance role.
 */
export function compilePrincipal(principal: unknown, notPrincipal: unknown): PrincipalMatcher | string {
  if ((principal === undefined) === (notPrincipal === undefined))
    return 'resource policy statement needs exactly one of Principal or NotPrincipal';
  const element = principal ?? notPrincipal;
  const names = principalNames(element);
  if (names === undefined) return 'Principal must be "*" or an object of principal lists';
  const negated = principal === undefined;
  return {
    match(context: RequestContext): Tri {
      const covered = covers(names, context);
      if (!negated) return covered;
      return covered === 'unknown' ? 'unknown' : !covered;
    },
  };
}

// Local copies of compile-policy's helpers: compile-policy imports this module, so importing them back would be a cycle.
function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}

function principalNames(element: unknown): string[] | undefined {
  if (element === '*') return ['*'];
  if (!isObject(element)) return undefined;
  const out: string[] = [];
  for (const [type, value] of Object.entries(element)) {
    const list = stringList(value);
    if (list === undefined) return undefined;
    // Only AWS principals can be an instance role; other types are kept out of the list.
    if (type === 'AWS') out.push(...list);
  }
  return out;
}

function covers(names: readonly string[], context: RequestContext): Tri {
  if (names.includes('*')) return true;
  const arn = context.lookup('aws:PrincipalArn');
  const account = context.lookup('aws:PrincipalAccount');
  let unknown = false;
  for (const name of names) {
    const accountId = ACCOUNT.test(name) ? name : ACCOUNT_ROOT.exec(name)?.[1];
    const value = accountId !== undefined ? account : arn;
    if (value.kind === 'unknown') {
      unknown = true;
      continue;
    }
    if (value.kind === 'known' && value.values.includes(accountId ?? name)) return true;
  }
  return unknown ? 'unknown' : false;
}
