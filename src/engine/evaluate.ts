// evaluate(): every compiled rule over every resource of its type. Pure and deterministic: rules in id order,
// resources in id order; no I/O, no clock (the caller passes the evaluation time).

import { DataUnavailableError } from '../inventory/coverage.js';
import { InventoryIndex } from '../inventory/inventory-index.js';
import type { AwsIpRanges } from '../inventory/aws-ip-ranges.js';
import type { Inventory, Scope } from '../inventory/model.js';
import type { CompiledRule, EvidenceMode } from './compile-rule.js';
import type { Evaluation } from './types.js';
import { compareText } from '../compare-text.js';
import { EvaluationTimeError } from '../errors.js';
import { timed } from '../phase-profile.js';

export interface EvaluateOptions {
  /** Evaluation time (epoch ms). Re-running a bundle with its collection time gives the same answer. */
  nowMs: number;
  /** 'all' (default) records the evidence of passing results too; 'failures' keeps large scans lean. */
  evidence?: EvidenceMode;
  /** AWS's ranges to narrow the public SSM endpoints to (used when the index is built here). */
  ipRanges?: AwsIpRanges;
}

/** Evaluates the rules; accepts a prebuilt index so callers that evaluate repeatedly index once. */
export function evaluate(
  inventory: Inventory | InventoryIndex,
  rules: readonly CompiledRule[],
  options: EvaluateOptions,
): Evaluation[] {
  // Fail closed on a bad clock: NaN compares false both ways, so "patched within N days" would pass.
  if (!Number.isFinite(options.nowMs)) throw new EvaluationTimeError(options.nowMs);
  const index =
    inventory instanceof InventoryIndex
      ? inventory
      : timed(
          'index',
          () => new InventoryIndex(inventory, options.ipRanges ? { ipRanges: options.ipRanges } : {}),
        );
  return timed('evaluate', () => evaluateRules(index, rules, options));
}

function evaluateRules(
  index: InventoryIndex,
  rules: readonly CompiledRule[],
  options: EvaluateOptions,
): Evaluation[] {
  const sortedByCollection = new Map<string, Scope[]>();
  const results: Evaluation[] = [];
  for (const rule of [...rules].sort((a, b) => compareText(a.id, b.id))) {
    const { collection, idOf } = rule.spec;
    let resources = sortedByCollection.get(collection);
    if (!resources) {
      // Sort once per collection on precomputed ids (idOf per comparison would run millions of times).
      const keyed = (index.inventory[collection] as Scope[]).map((r) => ({ id: idOf(r), r }));
      keyed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      resources = keyed.map((k) => k.r);
      sortedByCollection.set(collection, resources);
    }
    const evidence = options.evidence ?? 'all';
    for (const resource of resources) results.push(rule.evaluate(resource, index, options.nowMs, evidence));
    if (rule.spec.judgesUnlistedScopes) results.push(...unlistedScopeErrors(rule, index));
  }
  return results;
}

/**
 * One ERROR per account and region of the fleet's instances where the rule's own resources were not listed:
 * windows that were never read are not windows that passed. Ids name the scope ("111122223333/us-east-1").
 */
function unlistedScopeErrors(rule: CompiledRule, index: InventoryIndex): Evaluation[] {
  const { family, type } = rule.spec;
  const scopes = new Map<string, Scope>();
  for (const i of index.inventory.instances) scopes.set(`${i.accountId}/${i.region}`, i);
  const out: Evaluation[] = [];
  for (const [id, scope] of [...scopes].sort(([a], [b]) => compareText(a, b))) {
    const state = index.coverage.state(family, scope);
    if (state.status === 'read') continue;
    const error = new DataUnavailableError(family, scope, state);
    out.push({
      ruleId: rule.id,
      resourceType: type,
      resourceId: id,
      accountId: scope.accountId,
      region: scope.region,
      status: 'ERROR',
      severity: rule.severity,
      reason: error.code === 'DATA_MISSING' ? 'DATA.MISSING' : 'DATA.UNREADABLE',
      message: error.message,
      evidence: [],
      error: { code: error.code, message: error.message, permission: error.permission },
      cause: { key: `${family}|${error.code}` },
    });
  }
  return out;
}
