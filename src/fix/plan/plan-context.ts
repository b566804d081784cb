// What every planner reads: the scan's results, the inventory, the options and the IAM documents ssmguard ships.

import type { Evaluation } from '../../engine/types.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { PlanBuilder } from './plan-builder.js';
import type { FixPlanOptions, JsonValue } from './plan-types.js';

/** The policy documents a plan puts into roles it creates (policies/iam/*.json). */
export interface FixDocuments {
  ec2TrustPolicy: JsonValue;
  ssmTrustPolicy: JsonValue;
  leastPrivilegePolicy: JsonValue;
}

export interface PlanContext {
  builder: PlanBuilder;
  index: InventoryIndex;
  /** Failing results the plan works on (after `--only`). */
  results: readonly Evaluation[];
  /** Every result of the scan, for decisions such as "which existing role passes every IAM rule". */
  allResults: readonly Evaluation[];
  options: FixPlanOptions;
  documents: FixDocuments;
  /** Effective parameters per rule id (after the policy pack). */
  ruleParams: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The failing results of one rule, optionally narrowed to reason codes. */
export function failing(context: PlanContext, ruleId: string, reasons?: readonly string[]): Evaluation[] {
  return context.results.filter(
    (result) =>
      result.status === 'NON_COMPLIANT' &&
      result.ruleId === ruleId &&
      (reasons === undefined || reasons.includes(result.reason ?? '')),
  );
}

/** Groups items by a string key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
