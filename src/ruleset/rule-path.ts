// Rule paths ("metadataOptions.httpEndpoint", "tags['Patch Group']", "targets[*].key"): parsing, and checking
// them against the inventory schema and the resource type's relations at load time.

import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { resourceTypeSpec } from '../inventory/resource-types.js';

export type PathSegment = { kind: 'key'; name: string } | { kind: 'each' };

/** Parses a rule path; throws a plain Error with a readable reason on bad syntax. */
export function parseRulePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const expectKey = (): void => {
    const match = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(path.slice(i));
    if (!match) throw new Error(`expected a field name at character ${i + 1} of "${path}"`);
    segments.push({ kind: 'key', name: match[0] });
    i += match[0].length;
  };
  if (path.length === 0) throw new Error('path is empty');
  if (path[0] !== '[') expectKey();
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      i += 1;
      expectKey();
    } else if (path.startsWith('[*]', i)) {
      segments.push({ kind: 'each' });
      i += 3;
    } else if (ch === '[' && (path[i + 1] === "'" || path[i + 1] === '"')) {
      const quote = path[i + 1] as string;
      const end = path.indexOf(quote + ']', i + 2);
      if (end === -1) throw new Error(`unterminated quoted key at character ${i + 1} of "${path}"`);
      segments.push({ kind: 'key', name: path.slice(i + 2, end) });
      i = end + 2;
    } else {
      throw new Error(`unexpected "${ch}" at character ${i + 1} of "${path}"`);
    }
  }
  return segments;
}

type SchemaNode = Record<string, unknown>;
const defs = (inventorySchema as { $defs?: Record<string, SchemaNode> }).$defs ?? {};

function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard++) {
    const name = current.$ref.replace('#/$defs/', '');
    current = defs[name];
  }
  return current;
}

/** All branches of a schema node (oneOf/anyOf unions flattened), dereferenced. */
function branches(node: SchemaNode | undefined): SchemaNode[] {
  const n = deref(node);
  if (!n) return [];
  const union = (n.oneOf ?? n.anyOf) as SchemaNode[] | undefined;
  return union ? union.flatMap((b) => branches(b)) : [n];
}

function fieldSchema(node: SchemaNode | undefined, name: string): SchemaNode | undefined | 'any' {
  for (const branch of branches(node)) {
    const props = branch.properties as Record<string, SchemaNode> | undefined;
    if (props && Object.hasOwn(props, name)) return props[name];
    const extra = branch.additionalProperties;
    if (extra && typeof extra === 'object') return extra as SchemaNode;
    if (branch.type === undefined && !props) return 'any';
  }
  return undefined;
}

function knownFields(node: SchemaNode | undefined): string[] {
  return branches(node).flatMap((b) => Object.keys((b.properties as object | undefined) ?? {}));
}

function isArray(node: SchemaNode | undefined): boolean {
  return branches(node).some((b) => b.type === 'array');
}

/**
 * Checks a parsed path against the model: every field must exist on its type, relations only at the root,
 * lists crossed with `[*]`. Returns an error message, or undefined when the path is valid.
 */
export function validateRulePath(resourceType: string, segments: readonly PathSegment[]): string | undefined {
  const spec = resourceTypeSpec(resourceType);
  if (!spec) return `unknown resource type ${resourceType}`;
  let node: SchemaNode | undefined | 'any' = defs[spec.definition];
  if (!node) return undefined; // schema not available: nothing to check against
  let typeName = spec.definition;
  for (const [position, segment] of segments.entries()) {
    if (node === 'any') return undefined;
    if (segment.kind === 'each') {
      if (!isArray(node)) return `"${typeName}" is not a list, so [*] cannot follow it`;
      node = (branches(node).find((b) => b.type === 'array')?.items as SchemaNode | undefined) ?? 'any';
      continue;
    }
    if (position === 0 && Object.hasOwn(spec.relations, segment.name)) {
      const relation = spec.relations[segment.name]!;
      const target: SchemaNode | undefined = defs[relation.target];
      node = relation.many ? { type: 'array', items: target } : target;
      typeName = relation.target;
      continue;
    }
    if (isArray(node)) return `"${typeName}" is a list: use ${typeName}[*].${segment.name}`;
    const next = fieldSchema(node, segment.name);
    if (next === undefined) {
      const relations = position === 0 ? Object.keys(spec.relations) : [];
      const known = [...knownFields(node), ...relations].sort().join(', ');
      return `unknown field "${segment.name}" on ${typeName} (known: ${known})`;
    }
    node = next;
    typeName = segment.name;
  }
  return undefined;
}
