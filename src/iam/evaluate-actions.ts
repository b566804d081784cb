// Offline effective-permission decisions: identity policies ∩ permissions boundary ∩ SCP layers, per action.

import type { MaybePolicyDocument } from '../inventory/model.js';
import { compilePolicy, type CompiledPolicy, type PolicyCondition } from './compile-policy.js';
import { IamEvaluationError } from './iam-evaluation-error.js';
import { isConcreteActionName } from './match-action.js';
import { ANY_RESOURCE, type ResourceMatch } from './match-resource.js';

/** Which kind of policy a statement came from. */
export type PolicyLayer = 'identity' | 'boundary' | 'scp';

/**
 * The decision for one action:
 * - `ALLOWED`: every layer that must allow does so unconditionally, and nothing denies;
 * - `EXPLICIT_DENY`: a Deny statement applies unconditionally;
 * - `NOT_ALLOWED`: some layer that must allow has no statement that could allow (implicit deny);
 * - `CONDITIONAL`: the outcome depends on a Condition block, a policy variable, or on which resource is used.
 */
export type ActionDecisionKind = 'ALLOWED' | 'EXPLICIT_DENY' | 'NOT_ALLOWED' | 'CONDITIONAL';

/** A statement that contributed to a decision. */
export interface DecidingStatement {
  /** ARN for managed policies and boundaries, name for inline policies and SCPs. */
  policy: string;
  layer: PolicyLayer;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The statement's Condition block, when the decision depends on it. */
  condition?: PolicyCondition;
  /**
   * True when the statement covers only some resources of what was asked (a scoped Resource or NotResource
   * while the question was "any resource", or a policy variable in the ARN).
   */
  resourceScoped?: boolean;
}

export interface ActionDecision {
  action: string;
  resource: string;
  decision: ActionDecisionKind;
  /** For EXPLICIT_DENY and NOT_ALLOWED: every layer that denies, in the order identity, boundary, scp. */
  deniedBy?: PolicyLayer[];
  /**
   * EXPLICIT_DENY: the unconditional Deny statements. NOT_ALLOWED: none (nothing allows).
   * ALLOWED: per layer, the unconditional Allow statements. CONDITIONAL: the conditional Deny statements, then
   * per layer its unconditional Allows, or, where it has none, its conditional ones.
   */
  statements: DecidingStatement[];
}

/** A policy document with the name it is reported under. */
export interface NamedPolicy {
  /** ARN for managed policies and boundaries, name for inline policies and SCPs. */
  id: string;
  policy: MaybePolicyDocument;
}

/**
 * One level of the Organizations hierarchy (root, an OU, the account). At every level some attached SCP must
 * allow the action; an explicit Deny in any SCP denies it. SCPs never grant anything by themselves.
 */
export interface ScpLayer {
  name: string;
  policies: readonly NamedPolicy[];
}

export interface EvaluateActionsInput {
  /** Inline policies and the default versions of attached managed policies. */
  identityPolicies: readonly NamedPolicy[];
  /** When present, the boundary must also allow (effective = identity ∩ boundary). */
  permissionsBoundary?: NamedPolicy;
  /**
   * When present, every layer must allow. Leave out for principals SCPs do not affect (the management
   * account, service-linked roles) or when SCPs were not read. An empty layer allows nothing.
   */
  scpLayers?: readonly ScpLayer[];
  /** Concrete action names (`ssm:UpdateInstanceInformation`), no wildcards. */
  actions: readonly string[];
  /** The resource ARN the actions are used on; `*` (default) means "any resource". */
  resource?: string;
}

/** The result of an evaluation: a decision per action, or why no decision could be made. */
export type PermissionEvaluation =
  { status: 'EVALUATED'; decisions: ActionDecision[] } | { status: 'ERROR'; error: IamEvaluationError };

interface CompiledGroup {
  layer: PolicyLayer;
  policies: { id: string; compiled: CompiledPolicy }[];
}

interface GroupHits {
  certainAllow: DecidingStatement[];
  possibleAllow: DecidingStatement[];
}

/**
 * Decides each action the way IAM's policy evaluation logic does
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), without guessing
 * conditions. Precedence, first match wins:
 * 1. an unconditional Deny anywhere → EXPLICIT_DENY;
 * 2. a layer that must allow has no Allow at all, not even a conditional one → NOT_ALLOWED (the action is denied
 *    whatever the conditions say, so a conditional Deny does not make it less certain);
 * 3. a conditional Deny → CONDITIONAL (it may deny even an unconditional allow);
 * 4. every layer allows unconditionally → ALLOWED;
 * 5. otherwise (some layer allows only conditionally) → CONDITIONAL.
 * Only the default version of a managed policy counts; callers pass that version. Malformed documents and
 * invalid action names make the whole result ERROR: a policy we cannot read might hold the deciding Deny.
 */
export function evaluateActions(input: EvaluateActionsInput): PermissionEvaluation {
  const groups: CompiledGroup[] = [];
  const identity = compileGroup('identity', input.identityPolicies);
  if (identity instanceof IamEvaluationError) return { status: 'ERROR', error: identity };
  groups.push(identity);
  if (input.permissionsBoundary !== undefined) {
    const boundary = compileGroup('boundary', [input.permissionsBoundary]);
    if (boundary instanceof IamEvaluationError) return { status: 'ERROR', error: boundary };
    groups.push(boundary);
  }
  for (const layer of input.scpLayers ?? []) {
    const scp = compileGroup('scp', layer.policies);
    if (scp instanceof IamEvaluationError) return { status: 'ERROR', error: scp };
    groups.push(scp);
  }
  const invalid = input.actions.find((action) => !isConcreteActionName(action));
  if (invalid !== undefined) {
    return {
      status: 'ERROR',
      error: new IamEvaluationError(
        'IAM_ACTION_INVALID',
        `"${invalid}" is not a concrete action name (service:Action)`,
      ),
    };
  }
  const resource = input.resource ?? ANY_RESOURCE;
  return { status: 'EVALUATED', decisions: input.actions.map((action) => decide(groups, action, resource)) };
}

function compileGroup(
  layer: PolicyLayer,
  policies: readonly NamedPolicy[],
): CompiledGroup | IamEvaluationError {
  const group: CompiledGroup = { layer, policies: [] };
  for (const { id, policy } of policies) {
    if ('parseError' in policy) {
      return new IamEvaluationError('IAM_POLICY_MALFORMED', policy.parseError, { policy: id, layer });
    }
    const result = compilePolicy(policy.document);
    if (!result.ok) {
      return new IamEvaluationError('IAM_POLICY_MALFORMED', result.problem, {
        policy: id,
        layer,
        statementIndex: result.statementIndex,
      });
    }
    group.policies.push({ id, compiled: result.policy });
  }
  return group;
}

function decide(groups: readonly CompiledGroup[], action: string, resource: string): ActionDecision {
  const actionLower = action.toLowerCase();
  const certainDeny: DecidingStatement[] = [];
  const possibleDeny: DecidingStatement[] = [];
  const hits: GroupHits[] = [];
  for (const group of groups) {
    const groupHits: GroupHits = { certainAllow: [], possibleAllow: [] };
    for (const { id, compiled } of group.policies) {
      for (const statement of compiled.statementsFor(actionLower)) {
        const match: ResourceMatch = statement.resources.match(resource);
        if (match === 'none') continue;
        const certain = match === 'all' && statement.condition === undefined;
        const ref: DecidingStatement = {
          policy: id,
          layer: group.layer,
          statementIndex: statement.index,
          effect: statement.effect,
        };
        if (statement.sid !== undefined) ref.sid = statement.sid;
        if (statement.condition !== undefined) ref.condition = statement.condition;
        if (match === 'some') ref.resourceScoped = true;
        if (statement.effect === 'Deny') (certain ? certainDeny : possibleDeny).push(ref);
        else (certain ? groupHits.certainAllow : groupHits.possibleAllow).push(ref);
      }
    }
    hits.push(groupHits);
  }

  const base = { action, resource };
  if (certainDeny.length > 0) {
    return { ...base, decision: 'EXPLICIT_DENY', deniedBy: layersOf(certainDeny), statements: certainDeny };
  }
  const blocking = groups.filter(
    (_, i) => hits[i]!.certainAllow.length === 0 && hits[i]!.possibleAllow.length === 0,
  );
  if (blocking.length > 0) {
    return {
      ...base,
      decision: 'NOT_ALLOWED',
      deniedBy: uniqueLayers(blocking.map((g) => g.layer)),
      statements: [],
    };
  }
  const allows = hits.flatMap((h) => (h.certainAllow.length > 0 ? h.certainAllow : h.possibleAllow));
  if (possibleDeny.length > 0)
    return { ...base, decision: 'CONDITIONAL', statements: [...possibleDeny, ...allows] };
  if (hits.every((h) => h.certainAllow.length > 0))
    return { ...base, decision: 'ALLOWED', statements: allows };
  return { ...base, decision: 'CONDITIONAL', statements: allows };
}

function layersOf(statements: readonly DecidingStatement[]): PolicyLayer[] {
  return uniqueLayers(statements.map((s) => s.layer));
}

const LAYER_ORDER: readonly PolicyLayer[] = ['identity', 'boundary', 'scp'];

function uniqueLayers(layers: readonly PolicyLayer[]): PolicyLayer[] {
  return LAYER_ORDER.filter((layer) => layers.includes(layer));
}
