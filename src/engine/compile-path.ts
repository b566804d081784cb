// Compiles a rule path into an accessor over a resource (and its relations), once per rule.

import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { ResourceTypeSpec } from '../inventory/resource-types.js';
import { parseRulePath, type PathSegment } from '../ruleset/rule-path.js';

/** Reads a value; `many` accessors (paths with [*]) return a flat list of the values found. */
export interface PathAccessor {
  path: string;
  many: boolean;
  read(resource: unknown, index: InventoryIndex): unknown;
}

function own(value: unknown, key: string): unknown {
  // Own properties only: a hostile tag key like "__proto__" or "constructor" never reaches a prototype.
  if (value === null || typeof value !== 'object') return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

export function compilePath(path: string, spec: ResourceTypeSpec): PathAccessor {
  const segments: PathSegment[] = parseRulePath(path);
  const many = segments.some((s) => s.kind === 'each');
  const first = segments[0];
  const relation =
    first?.kind === 'key' && Object.hasOwn(spec.relations, first.name)
      ? spec.relations[first.name]
      : undefined;
  const rest = relation ? segments.slice(1) : segments;

  const walk = (start: unknown): unknown => {
    let values: unknown[] = [start];
    let single = !many;
    for (const segment of rest) {
      if (segment.kind === 'each') {
        values = values.flatMap((v) => (Array.isArray(v) ? v : []));
        single = false;
      } else {
        values = values.map((v) => own(v, segment.name));
        if (!single) values = values.filter((v) => v !== undefined);
      }
    }
    return single ? values[0] : values;
  };

  // Fast path for the common single-field paths; they run millions of times on a large fleet.
  if (!relation && !many && rest.length === 1 && rest[0]?.kind === 'key') {
    const key = rest[0].name;
    return { path, many, read: (resource) => own(resource, key) };
  }
  if (!relation && !many && rest.length === 2 && rest[0]?.kind === 'key' && rest[1]?.kind === 'key') {
    const a = rest[0].name;
    const b = rest[1].name;
    return { path, many, read: (resource) => own(own(resource, a), b) };
  }
  return {
    path,
    many,
    read: (resource, index) => walk(relation ? relation.resolve(resource as never, index) : resource),
  };
}
