// Role trust policies: may a given service principal (ec2.amazonaws.com, ssm.amazonaws.com) assume the role?

import type { MaybePolicyDocument } from '../inventory/model.js';
import { isConditionBlock, isPlainObject, stringList, type PolicyCondition } from './compile-policy.js';
import { IamEvaluationError } from './iam-evaluation-error.js';
import { compileActionPatterns, isActionPattern } from './match-action.js';

/**
 * - `TRUSTED`: an unconditional Allow names the service, and nothing denies it;
 * - `WILDCARD`: an unconditional Allow with Principal `"*"`, `{"AWS":"*"}` (or Allow with NotPrincipal) lets the
 *   service — and everyone else — assume the role; report it;
 * - `CONDITIONAL`: the trust depends on a Condition block;
 * - `NOT_TRUSTED`: no Allow applies, or an unconditional Deny does.
 */
export type TrustDecision = 'TRUSTED' | 'NOT_TRUSTED' | 'CONDITIONAL' | 'WILDCARD';

/** A trust-policy statement that decided the result. */
export interface TrustStatementRef {
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  condition?: PolicyCondition;
  /** The statement matched through a wildcard principal rather than by naming the service. */
  wildcardPrincipal: boolean;
}

export type TrustEvaluation =
  | {
      status: 'EVALUATED';
      decision: TrustDecision;
      statements: TrustStatementRef[];
      /** Some applicable Allow (conditional or not) uses a wildcard principal. */
      wildcardPrincipal: boolean;
    }
  | { status: 'ERROR'; error: IamEvaluationError };

type PrincipalMatch = 'named' | 'wildcard' | 'none';

/**
 * Decides whether `servicePrincipal` may call `action` (default `sts:AssumeRole`) under a role's trust policy.
 * Service principals are compared case-insensitively. Precedence, as for permissions: unconditional Deny →
 * NOT_TRUSTED; no applicable Allow → NOT_TRUSTED; conditional Deny → CONDITIONAL; unconditional wildcard Allow →
 * WILDCARD; unconditional Allow naming the service → TRUSTED; otherwise CONDITIONAL. A missing or malformed
 * trust policy is an ERROR.
 */
export function evaluateTrustPolicy(
  trustPolicy: MaybePolicyDocument | undefined,
  servicePrincipal: string,
  action = 'sts:AssumeRole',
): TrustEvaluation {
  if (trustPolicy === undefined) {
    return {
      status: 'ERROR',
      error: new IamEvaluationError('IAM_POLICY_UNAVAILABLE', 'role has no trust policy', { layer: 'trust' }),
    };
  }
  if ('parseError' in trustPolicy) {
    return {
      status: 'ERROR',
      error: new IamEvaluationError('IAM_POLICY_MALFORMED', trustPolicy.parseError, { layer: 'trust' }),
    };
  }
  const document: unknown = trustPolicy.document;
  const raw = isPlainObject(document) ? document.Statement : undefined;
  if (raw === undefined) return malformed('trust policy has no Statement');
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  const service = servicePrincipal.toLowerCase();
  const actionLower = action.toLowerCase();

  const certainDeny: TrustStatementRef[] = [];
  const possibleDeny: TrustStatementRef[] = [];
  const certainNamed: TrustStatementRef[] = [];
  const certainWildcard: TrustStatementRef[] = [];
  const possibleAllow: TrustStatementRef[] = [];
  for (const [index, s] of statements.entries()) {
    const parsed = parseStatement(s);
    if (typeof parsed === 'string') return malformed(parsed, index);
    if (!parsed.appliesTo(actionLower)) continue;
    const principal = parsed.principal(service);
    if (principal === 'none') continue;
    const ref: TrustStatementRef = {
      statementIndex: index,
      effect: parsed.effect,
      wildcardPrincipal: principal === 'wildcard',
    };
    if (parsed.sid !== undefined) ref.sid = parsed.sid;
    if (parsed.condition !== undefined) ref.condition = parsed.condition;
    const certain = parsed.condition === undefined;
    if (parsed.effect === 'Deny') (certain ? certainDeny : possibleDeny).push(ref);
    else if (!certain) possibleAllow.push(ref);
    else (principal === 'wildcard' ? certainWildcard : certainNamed).push(ref);
  }

  const allows = [...certainWildcard, ...certainNamed, ...possibleAllow];
  const wildcardPrincipal = allows.some((r) => r.wildcardPrincipal);
  const result = (decision: TrustDecision, refs: TrustStatementRef[]): TrustEvaluation => ({
    status: 'EVALUATED',
    decision,
    statements: refs,
    wildcardPrincipal,
  });
  if (certainDeny.length > 0) return result('NOT_TRUSTED', certainDeny);
  if (allows.length === 0) return result('NOT_TRUSTED', []);
  if (possibleDeny.length > 0) return result('CONDITIONAL', [...possibleDeny, ...allows]);
  if (certainWildcard.length > 0) return result('WILDCARD', certainWildcard);
  if (certainNamed.length > 0) return result('TRUSTED', certainNamed);
  return result('CONDITIONAL', possibleAllow);
}

function malformed(detail: string, statementIndex?: number): TrustEvaluation {
  return {
    status: 'ERROR',
    error: new IamEvaluationError('IAM_POLICY_MALFORMED', detail, { layer: 'trust', statementIndex }),
  };
}

interface TrustStatement {
  effect: 'Allow' | 'Deny';
  sid?: string;
  condition?: PolicyCondition;
  appliesTo(actionLower: string): boolean;
  principal(serviceLower: string): PrincipalMatch;
}

function parseStatement(raw: unknown): TrustStatement | string {
  if (!isPlainObject(raw)) return 'statement is not an object';
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') return 'Effect must be "Allow" or "Deny"';
  const effect = raw.Effect;
  if ((raw.Action === undefined) === (raw.NotAction === undefined))
    return 'statement needs exactly one of Action or NotAction';
  const actions = stringList(raw.Action ?? raw.NotAction);
  if (actions === undefined || !actions.every(isActionPattern))
    return 'Action/NotAction must be action patterns';
  if ((raw.Principal === undefined) === (raw.NotPrincipal === undefined)) {
    return 'trust statement needs exactly one of Principal or NotPrincipal';
  }
  const principals = parsePrincipal(raw.Principal ?? raw.NotPrincipal);
  if (principals === undefined) return 'Principal must be "*" or map principal types to strings';
  if (raw.Condition !== undefined && !isConditionBlock(raw.Condition))
    return 'Condition must map operators to objects of keys';
  const listed = compileActionPatterns(actions);
  const negatedAction = raw.Action === undefined;
  const negatedPrincipal = raw.Principal === undefined;
  return {
    effect,
    sid: typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : undefined,
    condition:
      isConditionBlock(raw.Condition) && Object.keys(raw.Condition).length > 0 ? raw.Condition : undefined,
    appliesTo: (a) => listed.listed(a) !== negatedAction,
    principal(serviceLower) {
      const match = principals(serviceLower);
      if (!negatedPrincipal) return match;
      // NotPrincipal: the statement applies to every principal except those listed; for the service that is a
      // match through a wildcard (an Allow with NotPrincipal trusts nearly everyone).
      return match === 'none' ? 'wildcard' : 'none';
    },
  };
}

/** Parses a Principal/NotPrincipal value into a matcher for a lower-cased service principal. */
function parsePrincipal(value: unknown): ((serviceLower: string) => PrincipalMatch) | undefined {
  if (value === '*') return () => 'wildcard';
  if (!isPlainObject(value)) return undefined;
  let wildcard = false;
  const services = new Set<string>();
  for (const [type, entry] of Object.entries(value)) {
    const list = stringList(entry);
    if (list === undefined) return undefined;
    // {"AWS":"*"} means every principal, like "*"; a Service value of "*" is not valid IAM but would mean the same.
    if ((type === 'AWS' || type === 'Service') && list.includes('*')) wildcard = true;
    if (type === 'Service') for (const s of list) services.add(s.toLowerCase());
  }
  return (serviceLower) => (wildcard ? 'wildcard' : services.has(serviceLower) ? 'named' : 'none');
}
