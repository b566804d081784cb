// Validating and precompiling permission-policy documents (identity, boundary, SCP), cached per document object.

import type { PolicyDocument, PolicyStatement } from '../inventory/model.js';
import { compileActionPatterns, isActionPattern } from './match-action.js';
import { compileCondition, type CompiledCondition } from './conditions/compile-condition.js';
import { compilePrincipal, type PrincipalMatcher } from './match-principal.js';
import { compileResourcePatterns, type ResourcePatternSet } from './match-resource.js';

/** A statement's Condition block, shown as is: the evaluator never guesses condition values. */
export type PolicyCondition = Record<string, Record<string, unknown>>;

/** One statement, ready to be asked about many actions. */
export interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Action or NotAction, already folded: true when the statement applies to the (lower-cased) action. */
  appliesToAction(actionLower: string): boolean;
  readonly resources: ResourcePatternSet;
  /** Present only when non-empty. */
  readonly condition?: PolicyCondition;
  /** The compiled Condition block, present with `condition`. */
  readonly conditions?: CompiledCondition;
  /** Resource policies only (VPC endpoint policies): who the statement is about. */
  readonly principal?: PrincipalMatcher;
}

export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[];
  /**
   * The statements whose Action/NotAction covers the (lower-cased) action, memoised per action: the same few
   * agent actions are asked of every role, and AWS managed policies are shared by most roles.
   */
  statementsFor(actionLower: string): readonly CompiledStatement[];
  /** Every condition key and policy-variable key the policy reads (lower-cased), for cache keys. */
  readonly contextKeys: readonly string[];
  /** True when some statement names resources other than `*`: the decision may depend on the ARN. */
  readonly resourceScoped: boolean;
}

/** Either the compiled policy or why it is malformed (with the statement index when there is one). */
export type PolicyCompilation =
  { ok: true; policy: CompiledPolicy } | { ok: false; problem: string; statementIndex?: number };

const ACTION_MEMO_LIMIT = 256;

// Keyed by the document object: one role's documents are shared by every instance using it, and managed
// policies are shared by many roles, so each document is validated and compiled once per process.
const compiled = new WeakMap<object, PolicyCompilation>();
const compiledResourcePolicies = new WeakMap<object, PolicyCompilation>();

/** What kind of document: permission policies (identity, boundary, SCP) or a resource policy with Principal. */
export type PolicyKind = 'permission' | 'resource';

/**
 * Validates a policy and compiles its patterns and conditions, once per document object. Anything IAM itself
 * would reject (no Action or NotAction, both Resource and NotResource, wrong types, a wildcard in a service
 * prefix, an unknown condition operator; for resource policies, no Principal) is reported as a problem, so the
 * caller can fail closed instead of guessing.
 */
export function compilePolicy(document: PolicyDocument, kind: PolicyKind = 'permission'): PolicyCompilation {
  const cache = kind === 'resource' ? compiledResourcePolicies : compiled;
  const cached = cache.get(document);
  if (cached !== undefined) return cached;
  const result = compileUncached(document, kind);
  cache.set(document, result);
  return result;
}

function compileUncached(document: unknown, kind: PolicyKind): PolicyCompilation {
  if (!isPlainObject(document)) return { ok: false, problem: 'policy document is not a JSON object' };
  const raw = document.Statement;
  if (raw === undefined) return { ok: false, problem: 'policy document has no Statement' };
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  // Policy variables exist only in version 2012-10-17; in 2008-10-17 (or no Version) `${` is literal text.
  const policyVariables = document.Version === '2012-10-17';
  const statements: CompiledStatement[] = [];
  for (const [index, statement] of list.entries()) {
    const result = compileStatement(statement, index, policyVariables, kind);
    if (typeof result === 'string') return { ok: false, problem: result, statementIndex: index };
    statements.push(result);
  }
  const byAction = new Map<string, readonly CompiledStatement[]>();
  const statementsFor = (actionLower: string): readonly CompiledStatement[] => {
    let hits = byAction.get(actionLower);
    if (hits === undefined) {
      hits = statements.filter((statement) => statement.appliesToAction(actionLower));
      // Bounded by the distinct actions asked about; a caller sweeping thousands of names stops the memo growing.
      if (byAction.size < ACTION_MEMO_LIMIT) byAction.set(actionLower, hits);
    }
    return hits;
  };
  const contextKeys = [
    ...new Set(statements.flatMap((st) => [...(st.conditions?.keys ?? []), ...st.resources.variableKeys])),
  ];
  const resourceScoped = statements.some((st) => !st.resources.everything);
  return { ok: true, policy: { statements, statementsFor, contextKeys, resourceScoped } };
}

function compileStatement(
  raw: unknown,
  index: number,
  policyVariables: boolean,
  kind: PolicyKind,
): CompiledStatement | string {
  if (!isPlainObject(raw)) return 'statement is not an object';
  const s = raw as Partial<Record<keyof PolicyStatement, unknown>>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return 'Effect must be "Allow" or "Deny"';

  const action = s.Action;
  const notAction = s.NotAction;
  if ((action === undefined) === (notAction === undefined))
    return 'statement needs exactly one of Action or NotAction';
  const actionPatterns = stringList(action ?? notAction);
  if (actionPatterns === undefined)
    return `${action === undefined ? 'NotAction' : 'Action'} must be a string or an array of strings`;
  const badAction = actionPatterns.find((p) => !isActionPattern(p));
  if (badAction !== undefined) return `"${badAction}" is not an action pattern (service:action)`;

  const resource = s.Resource;
  const notResource = s.NotResource;
  // IAM refuses identity policies, boundaries and SCPs without a resource element, so one missing here means the
  // document is not what IAM stored: refuse it rather than guess "every resource".
  if ((resource === undefined) === (notResource === undefined))
    return 'statement needs exactly one of Resource or NotResource';
  const resourcePatterns = stringList(resource ?? notResource);
  if (resourcePatterns === undefined)
    return `${resource === undefined ? 'NotResource' : 'Resource'} must be a string or an array of strings`;

  const condition = s.Condition;
  if (condition !== undefined && !isConditionBlock(condition))
    return 'Condition must map operators to objects of keys';
  const hasCondition = condition !== undefined && Object.keys(condition).length > 0;
  const conditions = hasCondition ? compileCondition(condition, policyVariables) : undefined;
  if (typeof conditions === 'string') return conditions;

  let principal: PrincipalMatcher | undefined;
  if (kind === 'resource') {
    const compiledPrincipal = compilePrincipal(s.Principal, s.NotPrincipal);
    if (typeof compiledPrincipal === 'string') return compiledPrincipal;
    principal = compiledPrincipal;
  }

  const patterns = compileActionPatterns(actionPatterns);
  const negatedAction = action === undefined;
  return {
    index,
    sid: typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : undefined,
    effect: s.Effect,
    appliesToAction: negatedAction ? (a) => !patterns.listed(a) : (a) => patterns.listed(a),
    resources: compileResourcePatterns(resourcePatterns, resource === undefined, policyVariables),
    condition: hasCondition ? condition : undefined,
    conditions,
    principal,
  };
}

/** A string or an array of strings, as a list; undefined for any other type. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A Condition block: operator → object of condition keys. */
export function isConditionBlock(value: unknown): value is PolicyCondition {
  return isPlainObject(value) && Object.values(value).every(isPlainObject);
}
