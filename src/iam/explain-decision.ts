// A reviewer-checkable explanation of one action's decision: per layer, the deciding statements and their conditions.

import type { ConditionTrace } from './conditions/compile-condition.js';
import type { ActionDecision, DecidingStatement, PolicyLayer } from './evaluate-actions.js';

/** One statement in an explanation, and whether it decided the action or was passed over (its conditions false). */
export interface ExplainedStatement {
  policy: string;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  role: 'decides' | 'not-applied';
  /** Each condition clause: operator, key, the policy's values, the request's value, and how it came out. */
  conditions?: ConditionTrace[];
  unknownKeys?: string[];
  resourceScoped?: boolean;
}

/** A layer (identity, boundary, one SCP level, one endpoint) and its statements, in evaluation order. */
export interface ExplainedLayer {
  layer: PolicyLayer;
  /** The SCP level ("OU ou-…") or endpoint (vpce-…), for layers that have them. */
  level?: string;
  statements: ExplainedStatement[];
  /** This level allows nothing for the action (NOT_ALLOWED through it). */
  blocks?: boolean;
}

export interface DecisionExplanation {
  action: string;
  resource: string;
  decision: ActionDecision['decision'];
  layers: ExplainedLayer[];
  unknownKeys?: string[];
}

const LAYER_ORDER: readonly PolicyLayer[] = ['identity', 'boundary', 'scp', 'endpoint'];

/**
 * The decision as data: its deciding statements and the statements that named the action but did not apply,
 * grouped by layer and level, with the condition trace of each. A layer that blocks (allows nothing) appears
 * even when it has no statement to show, so the chain names every level that made the answer.
 */
export function explainDecision(decision: ActionDecision): DecisionExplanation {
  const layers = new Map<string, ExplainedLayer>();
  const layerOf = (layer: PolicyLayer, level: string | undefined): ExplainedLayer => {
    const key = `${layer}|${level ?? ''}`;
    let entry = layers.get(key);
    if (entry === undefined) {
      entry = { layer, ...(level !== undefined && { level }), statements: [] };
      layers.set(key, entry);
    }
    return entry;
  };
  const add = (statement: DecidingStatement, role: ExplainedStatement['role']): void => {
    layerOf(statement.layer, statement.level).statements.push(explainStatement(statement, role));
  };
  for (const statement of decision.statements) add(statement, 'decides');
  for (const statement of decision.notApplied ?? []) add(statement, 'not-applied');
  for (const level of decision.blockingLevels ?? [])
    layerOf(level.startsWith('vpce-') ? 'endpoint' : 'scp', level).blocks = true;
  for (const layer of decision.deniedBy ?? [])
    if (![...layers.values()].some((l) => l.layer === layer)) layerOf(layer, undefined).blocks = true;
  const ordered = [...layers.values()].sort(
    (a, b) => LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer),
  );
  return {
    action: decision.action,
    resource: decision.resource,
    decision: decision.decision,
    layers: ordered,
    ...(decision.unknownKeys !== undefined && { unknownKeys: [...decision.unknownKeys] }),
  };
}

function explainStatement(
  statement: DecidingStatement,
  role: ExplainedStatement['role'],
): ExplainedStatement {
  return {
    policy: statement.policy,
    statementIndex: statement.statementIndex,
    ...(statement.sid !== undefined && { sid: statement.sid }),
    effect: statement.effect,
    role,
    ...(statement.conditionTrace !== undefined && {
      conditions: statement.conditionTrace.map((t) => ({ ...t })),
    }),
    ...(statement.unknownKeys !== undefined && { unknownKeys: [...statement.unknownKeys] }),
    ...(statement.resourceScoped === true && { resourceScoped: true }),
  };
}
