// The agent's requests for an action set, and one decision per action from the decisions of its resources.

import { agentRequestSpec, requestResources, type ArnValues } from './agent-request-model.js';
import type { ActionDecision, ActionRequest, DecidingStatement } from './evaluate-actions.js';
import { ANY_RESOURCE } from './match-resource.js';

/** One action's requests (a request per resource it is authorised against) and how they combine. */
export interface PlannedAction {
  action: string;
  /** `one-of`: the model cannot tell which resource the call names. */
  match: 'all' | 'one-of';
  requests: ActionRequest[];
}

/** The key that stands for "which resource the call names" when candidates disagree. */
export const WHICH_RESOURCE = '(the resource the call names)';

/**
 * Plans the requests of each action from the request model (src/iam/data/agent-requests.yaml). Actions the model
 * does not describe (custom action sets) are asked about "any resource", as before the model existed.
 */
export function planAgentRequests(actions: readonly string[], values: ArnValues): PlannedAction[] {
  return actions.map((action) => {
    const spec = agentRequestSpec(action);
    if (spec === undefined) return { action, match: 'all', requests: [{ action, resource: ANY_RESOURCE }] };
    const requests = requestResources(spec, values).map((resource): ActionRequest =>
      resource === '*'
        ? { action, resource: '*', noResourceType: true }
        : { action, resource: resource ?? ANY_RESOURCE },
    );
    return { action, match: spec.resourceMatch, requests };
  });
}

const SEVERITY: Record<ActionDecision['decision'], number> = {
  ALLOWED: 0,
  CONDITIONAL: 1,
  NOT_ALLOWED: 2,
  EXPLICIT_DENY: 3,
};

/**
 * One decision per action. `all`: every resource must be allowed, so the worst decision stands. `one-of`: the
 * candidates agree, or the decision is CONDITIONAL on which resource the call names — "cannot be verified" rather
 * than a guess.
 */
export function combineActionDecisions(
  planned: PlannedAction,
  decisions: readonly ActionDecision[],
): ActionDecision {
  if (decisions.length === 1) return decisions[0]!;
  const worst = [...decisions].sort((a, b) => SEVERITY[b.decision] - SEVERITY[a.decision])[0]!;
  const denied = (d: ActionDecision) => d.decision === 'EXPLICIT_DENY' || d.decision === 'NOT_ALLOWED';
  if (
    planned.match === 'all' ||
    decisions.every((d) => d.decision === worst.decision) ||
    decisions.every(denied)
  )
    return worst;
  const statements: DecidingStatement[] = decisions.flatMap((d) => d.statements);
  return {
    action: planned.action,
    resource: decisions.map((d) => d.resource).join(' | '),
    decision: 'CONDITIONAL',
    statements,
    unknownKeys: [WHICH_RESOURCE],
  };
}
