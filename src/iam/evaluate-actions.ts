// Offline effective-permission decisions: identity policies ∩ permissions boundary ∩ SCP layers, per action.

import type { MaybePolicyDocument } from '../inventory/model.js';
import {
  compilePolicy,
  type CompiledPolicy,
  type CompiledStatement,
  type PolicyCondition,
} from './compile-policy.js';
import type { ConditionTrace } from './conditions/compile-condition.js';
import { UNKNOWN_CONTEXT, type RequestContext } from './conditions/request-context.js';
import { triAnd, type Tri } from './conditions/tri-state.js';
import { IamEvaluationError } from './iam-evaluation-error.js';
import { isConcreteActionName } from './match-action.js';
import { ANY_RESOURCE, type ResourceMatch } from './match-resource.js';

/** Which kind of policy a statement came from. */
export type PolicyLayer = 'identity' | 'boundary' | 'scp' | 'endpoint';

/**
 * The decision for one action:
 * - `ALLOWED`: every layer that must allow does so unconditionally, and nothing denies;
 * - `EXPLICIT_DENY`: a Deny statement applies unconditionally;
 * - `NOT_ALLOWED`: some layer that must allow has no statement that could allow (implicit deny);
 * - `CONDITIONAL`: the outcome hinges on a context value no inventory holds (named in `unknownKeys`), or, when
 *   asked about "any resource", on which resource is used.
 */
export type ActionDecisionKind = 'ALLOWED' | 'EXPLICIT_DENY' | 'NOT_ALLOWED' | 'CONDITIONAL';

/** A statement that contributed to a decision. */
export interface DecidingStatement {
  /** ARN for managed policies and boundaries, name for inline policies and SCPs, endpoint id for endpoints. */
  policy: string;
  layer: PolicyLayer;
  /** For SCP and endpoint layers: the level (root, OU, account) or endpoint the policy is attached to. */
  level?: string;
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
  /** How each condition clause came out against the request context (what a reviewer checks). */
  conditionTrace?: ConditionTrace[];
  /** Keys whose unknown value left this statement a "maybe". */
  unknownKeys?: string[];
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
  /** Statements that name the action and resource but whose conditions were false: why they did not apply. */
  notApplied?: DecidingStatement[];
  /** CONDITIONAL only: the keys (as written in the policies) on which the decision hinges. */
  unknownKeys?: string[];
  /** NOT_ALLOWED: the SCP levels and endpoints that allow nothing (where the layer has levels). */
  blockingLevels?: string[];
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

/**
 * A VPC endpoint policy on the path of some services' requests: requests to those services must be allowed by it
 * as well (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). An endpoint without a
 * policy has the default full-access one, so it needs no layer.
 */
export interface EndpointPolicyLayer {
  /** The endpoint id (vpce-…). */
  name: string;
  /** Lower-cased service prefixes whose requests go through it (`ssm`, `ssmmessages`, `ec2messages`). */
  services: readonly string[];
  policy: NamedPolicy;
}

/** One request: the action and the resource ARN it is authorised against. */
export interface ActionRequest {
  action: string;
  resource: string;
  /** The action supports no resource types: the resource is literally `*` (only `*` patterns cover it). */
  noResourceType?: boolean;
  /** This request's own context (per service: the network path differs); defaults to the input's. */
  context?: RequestContext;
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
  /** Requests with their own resources; when given, `actions` and `resource` are ignored. */
  requests?: readonly ActionRequest[];
  /** The request context; without one every condition key is unknown. */
  context?: RequestContext;
  /** Endpoint policies on the requests' path. */
  endpointPolicies?: readonly EndpointPolicyLayer[];
}

/** The result of an evaluation: a decision per action, or why no decision could be made. */
export type PermissionEvaluation =
  { status: 'EVALUATED'; decisions: ActionDecision[] } | { status: 'ERROR'; error: IamEvaluationError };

interface CompiledGroup {
  layer: PolicyLayer;
  level?: string;
  /** Endpoint groups: the services whose requests they see. */
  services?: readonly string[];
  policies: { id: string; compiled: CompiledPolicy }[];
}

/**
 * Decides each request the way IAM's policy evaluation logic does
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). Each statement
 * applies when its action, resource (and, for endpoint policies, principal) match and its Condition holds against
 * the request context; a statement whose answer hinges on an unknown key is a "maybe". Precedence, first match wins:
 * 1. a Deny that certainly applies → EXPLICIT_DENY;
 * 2. a layer (or SCP level, or endpoint) that must allow has no Allow that could apply → NOT_ALLOWED: denied
 *    whatever the unknown keys hold, so a "maybe" Deny cannot change it;
 * 3. a "maybe" Deny → CONDITIONAL (it may deny even a certain allow);
 * 4. every layer certainly allows → ALLOWED;
 * 5. otherwise (some layer allows only maybe) → CONDITIONAL.
 * So an unknown key only ever turns a decision into CONDITIONAL, and only when its value could change it.
 * Only the default version of a managed policy counts; callers pass that version. Malformed documents and
 * invalid action names make the whole result ERROR: a policy we cannot read might hold the deciding Deny.
 */
export function evaluateActions(input: EvaluateActionsInput): PermissionEvaluation {
  const groups = compileGroups(input);
  if (groups instanceof IamEvaluationError) return { status: 'ERROR', error: groups };
  const requests: readonly ActionRequest[] =
    input.requests ?? input.actions.map((action) => ({ action, resource: input.resource ?? ANY_RESOURCE }));
  const invalid = requests.find((r) => !isConcreteActionName(r.action));
  if (invalid !== undefined) {
    return {
      status: 'ERROR',
      error: new IamEvaluationError(
        'IAM_ACTION_INVALID',
        `"${invalid.action}" is not a concrete action name (service:Action)`,
      ),
    };
  }
  const context = input.context ?? UNKNOWN_CONTEXT;
  return {
    status: 'EVALUATED',
    decisions: requests.map((r) =>
      decide(groups, r.action, r.resource, r.context ?? context, r.noResourceType === true),
    ),
  };
}

function compileGroups(input: EvaluateActionsInput): CompiledGroup[] | IamEvaluationError {
  const groups: CompiledGroup[] = [];
  const add = (group: Omit<CompiledGroup, 'policies'>, policies: readonly NamedPolicy[]) => {
    const compiled = compileGroup(group, policies);
    if (compiled instanceof IamEvaluationError) return compiled;
    groups.push(compiled);
    return undefined;
  };
  const problem =
    add({ layer: 'identity' }, input.identityPolicies) ??
    (input.permissionsBoundary === undefined
      ? undefined
      : add({ layer: 'boundary' }, [input.permissionsBoundary]));
  if (problem !== undefined) return problem;
  for (const layer of input.scpLayers ?? []) {
    const failed = add({ layer: 'scp', level: layer.name }, layer.policies);
    if (failed !== undefined) return failed;
  }
  for (const endpoint of input.endpointPolicies ?? []) {
    const failed = add({ layer: 'endpoint', level: endpoint.name, services: endpoint.services }, [
      endpoint.policy,
    ]);
    if (failed !== undefined) return failed;
  }
  return groups;
}

function compileGroup(
  group: Omit<CompiledGroup, 'policies'>,
  policies: readonly NamedPolicy[],
): CompiledGroup | IamEvaluationError {
  const out: CompiledGroup = { ...group, policies: [] };
  const layer = group.layer;
  for (const { id, policy } of policies) {
    if ('parseError' in policy) {
      return new IamEvaluationError('IAM_POLICY_MALFORMED', policy.parseError, { policy: id, layer });
    }
    const result = compilePolicy(policy.document, layer === 'endpoint' ? 'resource' : 'permission');
    if (!result.ok) {
      return new IamEvaluationError('IAM_POLICY_MALFORMED', result.problem, {
        policy: id,
        layer,
        statementIndex: result.statementIndex,
      });
    }
    out.policies.push({ id, compiled: result.policy });
  }
  return out;
}

interface StatementVerdict {
  applies: Tri;
  ref: DecidingStatement;
}

/** Whether one statement applies to the request, with the evidence of why. */
function judge(
  statement: CompiledStatement,
  id: string,
  group: CompiledGroup,
  resource: string,
  context: RequestContext,
  literal: boolean,
): StatementVerdict | undefined {
  const match: ResourceMatch = statement.resources.match(resource, context, literal);
  if (match === 'none') return undefined;
  const principal: Tri = statement.principal === undefined ? true : statement.principal.match(context);
  if (principal === false) return undefined;
  const ref: DecidingStatement = {
    policy: id,
    layer: group.layer,
    statementIndex: statement.index,
    effect: statement.effect,
  };
  if (group.level !== undefined) ref.level = group.level;
  if (statement.sid !== undefined) ref.sid = statement.sid;
  if (match === 'some') {
    ref.resourceScoped = true;
    const open = statement.resources.variableKeys.filter((k) => context.lookup(k).kind === 'unknown');
    if (open.length > 0) ref.unknownKeys = open;
  }
  let condition: Tri = true;
  if (statement.conditions !== undefined) {
    const outcome = statement.conditions.evaluate(context);
    condition = outcome.result;
    ref.condition = statement.condition;
    ref.conditionTrace = outcome.trace;
    if (outcome.unknownKeys.length > 0)
      ref.unknownKeys = [...(ref.unknownKeys ?? []), ...outcome.unknownKeys];
  }
  const unknownPrincipal = principal === 'unknown' ? ['aws:PrincipalArn'] : [];
  if (unknownPrincipal.length > 0) ref.unknownKeys = [...(ref.unknownKeys ?? []), ...unknownPrincipal];
  return { applies: triAnd([match === 'all' ? true : 'unknown', principal, condition]), ref };
}

function decide(
  groups: readonly CompiledGroup[],
  action: string,
  resource: string,
  context: RequestContext,
  literal: boolean,
): ActionDecision {
  const actionLower = action.toLowerCase();
  const service = actionLower.slice(0, actionLower.indexOf(':'));
  const certainDeny: DecidingStatement[] = [];
  const possibleDeny: DecidingStatement[] = [];
  const notApplied: DecidingStatement[] = [];
  const hits: {
    group: CompiledGroup;
    certainAllow: DecidingStatement[];
    possibleAllow: DecidingStatement[];
  }[] = [];
  for (const group of groups) {
    if (group.services !== undefined && !group.services.includes(service)) continue;
    const groupHits = {
      group,
      certainAllow: [] as DecidingStatement[],
      possibleAllow: [] as DecidingStatement[],
    };
    for (const { id, compiled } of group.policies) {
      for (const statement of compiled.statementsFor(actionLower)) {
        const verdict = judge(statement, id, group, resource, context, literal);
        if (verdict === undefined) continue;
        const { applies, ref } = verdict;
        if (applies === false) notApplied.push(ref);
        else if (statement.effect === 'Deny') (applies === true ? certainDeny : possibleDeny).push(ref);
        else (applies === true ? groupHits.certainAllow : groupHits.possibleAllow).push(ref);
      }
    }
    hits.push(groupHits);
  }

  const base: ActionDecision = { action, resource, decision: 'ALLOWED', statements: [] };
  if (notApplied.length > 0) base.notApplied = notApplied;
  if (certainDeny.length > 0) {
    return { ...base, decision: 'EXPLICIT_DENY', deniedBy: layersOf(certainDeny), statements: certainDeny };
  }
  const blocking = hits.filter((h) => h.certainAllow.length === 0 && h.possibleAllow.length === 0);
  if (blocking.length > 0) {
    const levels = blocking.flatMap((h) => (h.group.level === undefined ? [] : [h.group.level]));
    return {
      ...base,
      decision: 'NOT_ALLOWED',
      deniedBy: uniqueLayers(blocking.map((h) => h.group.layer)),
      statements: [],
      ...(levels.length > 0 ? { blockingLevels: levels } : {}),
    };
  }
  const allows = hits.flatMap((h) => (h.certainAllow.length > 0 ? h.certainAllow : h.possibleAllow));
  const unknownOf = (statements: readonly DecidingStatement[]) => [
    ...new Set(statements.flatMap((st) => st.unknownKeys ?? [])),
  ];
  if (possibleDeny.length > 0) {
    const statements = [...possibleDeny, ...allows];
    return { ...base, decision: 'CONDITIONAL', statements, unknownKeys: unknownOf(statements) };
  }
  if (hits.every((h) => h.certainAllow.length > 0))
    return { ...base, decision: 'ALLOWED', statements: allows };
  return { ...base, decision: 'CONDITIONAL', statements: allows, unknownKeys: unknownOf(allows) };
}

function layersOf(statements: readonly DecidingStatement[]): PolicyLayer[] {
  return uniqueLayers(statements.map((s) => s.layer));
}

const LAYER_ORDER: readonly PolicyLayer[] = ['identity', 'boundary', 'scp', 'endpoint'];

function uniqueLayers(layers: readonly PolicyLayer[]): PolicyLayer[] {
  return LAYER_ORDER.filter((layer) => layers.includes(layer));
}
