// A rule's neighbourhood: what it reads around its resource, derived once from its paths' relations and its checks.

import type { Neighbour } from '../inventory/neighbourhood.js';
import type { ResourceTypeSpec } from '../inventory/resource-types.js';
import type { AllCondition, AnyCondition, Condition, NotCondition } from '../ruleset/rule.js';
import type { CompiledRule } from './compile-rule.js';
import { NAMED_CHECKS } from './checks/index.js';

/**
 * The neighbourhood of a compiled rule, sorted: the `needs` of every relation its paths start with (in `when`,
 * `check` and path operands) and of every named check it calls. Fields of the resource itself need nothing: on a
 * change event the configuration item is the resource.
 */
export function ruleNeighbourhood(rule: CompiledRule): Neighbour[] {
  const definition = rule.loaded.definition;
  const out = new Set<Neighbour>();
  for (const condition of [definition.when, definition.check]) {
    if (condition !== undefined) collect(condition, rule.spec, out);
  }
  return [...out].sort();
}

function collect(condition: Condition, spec: ResourceTypeSpec, out: Set<Neighbour>): void {
  if ('all' in condition) for (const c of (condition as AllCondition).all) collect(c, spec, out);
  else if ('any' in condition) for (const c of (condition as AnyCondition).any) collect(c, spec, out);
  else if ('not' in condition) collect((condition as NotCondition).not, spec, out);
  else if ('check' in condition && typeof condition.check === 'string') {
    // Compilation has already rejected unknown check names.
    for (const need of NAMED_CHECKS.get(condition.check)?.needs ?? []) out.add(need);
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
