// A rule's neighbourhood: what it reads around its resource, derived once from its paths' relations and its checks.

import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { Neighbour } from '../inventory/neighbourhood.js';
import type { ResourceTypeSpec } from '../inventory/resource-types.js';
import type { AllCondition, AnyCondition, Condition, NotCondition } from '../ruleset/rule.js';
import type { CompiledRule } from './compile-rule.js';
import { NAMED_CHECKS, type AnyNamedCheck } from './checks/index.js';

/**
 * The neighbourhood of a compiled rule, sorted: the `needs` of every relation its paths start with (in `when`,
 * `check` and path operands) and of every named check it calls (with its deferred needs). Fields of the resource itself need nothing: on a
 * change event the configuration item is the resource.
 */
export function ruleNeighbourhood(rule: CompiledRule): Neighbour[] {
  const { eager, checks } = walk(rule);
  const out = new Set(eager);
  for (const check of checks) for (const need of check.deferredNeeds?.needs ?? []) out.add(need);
  return [...out].sort();
}

/** The part of a rule's neighbourhood that only some resources need, and which resources. */
export interface DeferredNeighbourhood {
  /** Sorted; none of them is needed eagerly by another part of the rule. */
  needs: Neighbour[];
  /** Whether evaluating this resource consults them (any of the rule's deferring checks wants them). */
  wanted(resource: unknown, index: InventoryIndex): boolean;
}

/**
 * What the Config Lambda may read in a second round: the deferred needs of the rule's checks that nothing else in
 * the rule needs at once. Undefined when there are none.
 */
export function deferredNeighbourhood(rule: CompiledRule): DeferredNeighbourhood | undefined {
  const { eager, checks } = walk(rule);
  const deferring = checks.filter((c) => c.deferredNeeds !== undefined);
  const needs = new Set<Neighbour>();
  for (const check of deferring)
    for (const need of check.deferredNeeds!.needs) if (!eager.has(need)) needs.add(need);
  if (needs.size === 0) return undefined;
  return {
    needs: [...needs].sort(),
    wanted: (resource, index) => deferring.some((c) => c.deferredNeeds!.wanted(resource, index)),
  };
}

function walk(rule: CompiledRule): { eager: Set<Neighbour>; checks: AnyNamedCheck[] } {
  const definition = rule.loaded.definition;
  const eager = new Set<Neighbour>();
  const checks = new Set<AnyNamedCheck>();
  for (const condition of [definition.when, definition.check]) {
    if (condition !== undefined) collect(condition, rule.spec, eager, checks);
  }
  return { eager, checks: [...checks] };
}

function collect(
  condition: Condition,
  spec: ResourceTypeSpec,
  out: Set<Neighbour>,
  checks: Set<AnyNamedCheck>,
): void {
  if ('all' in condition) for (const c of (condition as AllCondition).all) collect(c, spec, out, checks);
  else if ('any' in condition) for (const c of (condition as AnyCondition).any) collect(c, spec, out, checks);
  else if ('not' in condition) collect((condition as NotCondition).not, spec, out, checks);
  else if ('check' in condition && typeof condition.check === 'string') {
    // Compilation has already rejected unknown check names.
    const check = NAMED_CHECKS.get(condition.check);
    if (check === undefined) return;
    checks.add(check);
    for (const need of check.needs) out.add(need);
  } else {
    for (const path of pathsIn(condition)) {
      const name = firstSegment(path);
      if (!Object.hasOwn(spec.relations, name)) continue;
      for (const need of spec.relations[name]!.needs) out.add(need);
    }
  }
}

/** The condition's own path and any `{ path: … }` operands. */
function pathsIn(condition: object): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === 'path' && typeof value === 'string') paths.push(value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const operand = (value as { path?: unknown }).path;
      if (typeof operand === 'string') paths.push(operand);
    }
  }
  return paths;
}

/** "securityGroups[*].groupId" → "securityGroups"; "tags['Patch Group']" → "tags". */
function firstSegment(path: string): string {
  const match = /^[A-Za-z0-9_]+/.exec(path);
  return match?.[0] ?? path;
}
