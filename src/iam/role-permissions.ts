// Effective permissions of one IAM role: gathers its policy documents and asks the evaluator about an action set.

import type { IamRole, MaybePolicyDocument, ManagedPolicy } from '../inventory/model.js';
import type { ResolvedActionSet } from './action-sets.js';
import { findEmbeddedAwsManagedPolicy, isDeprecatedAwsManagedPolicy } from './aws-managed-policies.js';
import { combineActionDecisions, type PlannedAction } from './agent-request-decisions.js';
import type { RequestContext } from './conditions/request-context.js';
import {
  evaluateActions,
  type EndpointPolicyLayer,
  type NamedPolicy,
  type PermissionEvaluation,
  type ScpLayer,
} from './evaluate-actions.js';
import { compilePolicy } from './compile-policy.js';
import { IamEvaluationError } from './iam-evaluation-error.js';

/** Managed policies by ARN; a `Map<string, ManagedPolicy>` fits. */
export interface ManagedPolicyLookup {
  get(arn: string): ManagedPolicy | undefined;
}

export interface RolePermissionOptions {
  /** The actions to decide, usually from `resolveActionSet`. */
  actionSet: ResolvedActionSet;
  /** The inventory's managed policies; embedded AWS managed policies fill gaps. */
  managedPolicies: ManagedPolicyLookup;
  /** Where to find permissions-boundary policies; defaults to `managedPolicies`. */
  boundaryPolicies?: ManagedPolicyLookup;
  /** SCP layers that apply to the role's account (see `scpLayersForAccount`); leave out when unknown. */
  scpLayers?: readonly ScpLayer[];
  /** The resource ARN; `*` (default) means "any resource". */
  resource?: string;
  /** The agent's planned requests (see planAgentRequests); when given, `resource` is ignored. */
  planned?: readonly PlannedAction[];
  /** The request context per service prefix (`ssm`, `ssmmessages`, …), or one for all. */
  contextFor?: (service: string) => RequestContext;
  /** Endpoint policies on the requests' path. */
  endpointPolicies?: readonly EndpointPolicyLayer[];
}

/** The evaluator's result for a role, plus which documents came from our embedded copies. */
export type RolePermissionEvaluation = PermissionEvaluation & {
  roleArn: string;
  /** Attached AWS managed policies whose documents were not in the inventory and came from our embedded copies. */
  embeddedPolicyArns: string[];
  /** Attached AWS managed policies that are deprecated (e.g. AmazonEC2RoleforSSM). */
  deprecatedPolicyArns: string[];
};

/**
 * Decides the action set for a role: inline policies and the default versions of attached managed policies,
 * intersected with its permissions boundary and the SCP layers. A managed policy (or boundary) we have no
 * document for makes the result ERROR with IAM_POLICY_UNAVAILABLE: a missing document might hold the
 * deciding Allow or Deny, so neither ALLOWED nor NOT_ALLOWED would be honest.
 */
export function evaluateRolePermissions(
  role: IamRole,
  options: RolePermissionOptions,
): RolePermissionEvaluation {
  const embeddedPolicyArns: string[] = [];
  const deprecatedPolicyArns = role.attachedPolicies
    .map((p) => p.policyArn)
    .filter((arn) => isDeprecatedAwsManagedPolicy(arn));
  const meta = { roleArn: role.arn, embeddedPolicyArns, deprecatedPolicyArns };
  const fail = (error: IamEvaluationError): RolePermissionEvaluation => ({ status: 'ERROR', error, ...meta });
  if (role.permissionsUnread === true)
    return fail(
      new IamEvaluationError(
        'IAM_POLICY_UNAVAILABLE',
        `the permission policies of ${role.arn} were not read`,
        {
          policy: role.arn,
          layer: 'identity',
        },
      ),
    );

  const identityPolicies: NamedPolicy[] = role.inlinePolicies.map((p) => ({
    id: p.policyName,
    policy: p.policy,
  }));
  for (const attached of role.attachedPolicies) {
    const found = managedDocument(attached.policyArn, options.managedPolicies);
    if (found === undefined) return fail(unavailable(attached.policyArn, 'identity', role.arn));
    if (found.embedded) embeddedPolicyArns.push(attached.policyArn);
    identityPolicies.push({ id: attached.policyArn, policy: found.policy });
  }

  let permissionsBoundary: NamedPolicy | undefined;
  if (role.permissionsBoundaryArn !== undefined) {
    const arn = role.permissionsBoundaryArn;
    const found = managedDocument(arn, options.boundaryPolicies ?? options.managedPolicies);
    if (found === undefined) return fail(unavailable(arn, 'boundary', role.arn));
    if (found.embedded) embeddedPolicyArns.push(arn);
    permissionsBoundary = { id: arn, policy: found.policy };
  }

  const planned = options.planned;
  if (planned === undefined) {
    const result = evaluateActions({
      identityPolicies,
      permissionsBoundary,
      scpLayers: options.scpLayers,
      actions: options.actionSet.actions,
      resource: options.resource,
    });
    return { ...result, ...meta };
  }
  const contextFor = options.contextFor;
  const requests = planned.flatMap((p) =>
    p.requests.map((r) =>
      contextFor === undefined
        ? r
        : { ...r, context: contextFor(r.action.slice(0, r.action.indexOf(':')).toLowerCase()) },
    ),
  );
  const result = evaluateActions({
    identityPolicies,
    permissionsBoundary,
    scpLayers: options.scpLayers,
    endpointPolicies: options.endpointPolicies,
    actions: [],
    requests,
  });
  if (result.status === 'ERROR') return { ...result, ...meta };
  let next = 0;
  const decisions = planned.map((p) => {
    const own = result.decisions.slice(next, next + p.requests.length);
    next += p.requests.length;
    return combineActionDecisions(p, own);
  });
  return { status: 'EVALUATED', decisions, ...meta };
}

/** The condition keys and policy-variable keys a role's policies read, and whether any names resources. */
export interface PolicyKeyProfile {
  keys: readonly string[];
  resourceScoped: boolean;
}

/**
 * What a role's decision can depend on besides the role itself: the keys its identity policies, boundary and SCPs
 * read. Undefined when a document is missing or malformed (the evaluation will say so).
 */
export function rolePolicyKeys(
  role: IamRole,
  options: Pick<RolePermissionOptions, 'managedPolicies' | 'boundaryPolicies' | 'scpLayers'>,
  relevantActions?: readonly string[],
): PolicyKeyProfile | undefined {
  if (role.permissionsUnread === true) return undefined;
  const documents: MaybePolicyDocument[] = role.inlinePolicies.map((p) => p.policy);
  for (const attached of role.attachedPolicies) {
    const found = managedDocument(attached.policyArn, options.managedPolicies);
    if (found === undefined) return undefined;
    documents.push(found.policy);
  }
  if (role.permissionsBoundaryArn !== undefined) {
    const found = managedDocument(
      role.permissionsBoundaryArn,
      options.boundaryPolicies ?? options.managedPolicies,
    );
    if (found === undefined) return undefined;
    documents.push(found.policy);
  }
  for (const layer of options.scpLayers ?? []) documents.push(...layer.policies.map((p) => p.policy));
  return policyKeyProfile(documents, 'permission', relevantActions);
}

/**
 * The keys a set of documents reads, and whether a statement names resources; undefined when one is malformed.
 * With `relevantActions`, only statements that apply to one of those actions count: IAM evaluates a request
 * against the statements whose Action (or NotAction) matches it, so a resource-scoped `s3:*` statement on an
 * application bucket cannot change the agent's ssm:* decisions, and must not make every instance its own case.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function policyKeyProfile(
  documents: readonly MaybePolicyDocument[],
  kind: 'permission' | 'resource',
  relevantActions?: readonly string[],
): PolicyKeyProfile | undefined {
  const actions = relevantActions?.map((a) => a.toLowerCase());
  const keys = new Set<string>();
  let resourceScoped = false;
  for (const policy of documents) {
    if (!('document' in policy)) return undefined;
    const compiled = compilePolicy(policy.document, kind);
    if (!compiled.ok) return undefined;
    if (actions === undefined) {
      for (const key of compiled.policy.contextKeys) keys.add(key);
      resourceScoped ||= compiled.policy.resourceScoped;
      continue;
    }
    for (const statement of compiled.policy.statements) {
      if (!actions.some((a) => statement.appliesToAction(a))) continue;
      for (const key of statement.conditions?.keys ?? []) keys.add(key);
      for (const key of statement.resources.variableKeys) keys.add(key);
      resourceScoped ||= !statement.resources.everything;
    }
  }
  return { keys: [...keys].sort(), resourceScoped };
}

function managedDocument(
  arn: string,
  lookup: ManagedPolicyLookup,
): { policy: MaybePolicyDocument; embedded: boolean } | undefined {
  const fromInventory = lookup.get(arn)?.defaultVersion;
  if (fromInventory !== undefined) return { policy: fromInventory, embedded: false };
  const embedded = findEmbeddedAwsManagedPolicy(arn);
  return embedded === undefined ? undefined : { policy: { document: embedded.document }, embedded: true };
}

function unavailable(arn: string, layer: 'identity' | 'boundary', roleArn: string): IamEvaluationError {
  return new IamEvaluationError(
    'IAM_POLICY_UNAVAILABLE',
    `no default-version document for managed policy attached to ${roleArn}`,
    { policy: arn, layer },
  );
}
