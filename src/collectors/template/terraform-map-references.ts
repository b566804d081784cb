// Resolving a plan attribute that is "(known after apply)" through the configuration's references to the declared
// id of the resource it names, e.g. subnet_id ← ["aws_subnet.private.id", "aws_subnet.private"] → "subnet-…".

import { unresolved, type Maybe, type Ref } from './deploy-model.js';
import { declaredAttribute, type PlanContext, type PlanResource } from './terraform-map-context.js';
import {
  afterApply,
  child,
  isRecord,
  isUnknown,
  items,
  KNOWN_AFTER_APPLY,
  type PlanNode,
} from './terraform-map-values.js';

type ParsedReference =
  | { kind: 'resource'; text: string; address: string; indexed: boolean; attribute?: string }
  | { kind: 'output'; moduleAddress: string; output: string }
  /** A module's variable: what its caller passes, resolved in the calling module. */
  | { kind: 'variable'; moduleAddress: string; variable: string };

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'path', 'terraform', 'self']);
const RESOURCE_REFERENCE =
  /^((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?(?:\.([A-Za-z_][A-Za-z0-9_]*))?/;
const VARIABLE_REFERENCE = /^var\.([A-Za-z_][A-Za-z0-9_-]*)/;
const OUTPUT_REFERENCE = /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?\.([A-Za-z_][A-Za-z0-9_]*)/;
/** Deeper module output chains than this are not followed (and a cycle cannot loop). */
const MAX_OUTPUT_DEPTH = 8;

function withModule(moduleAddress: string, address: string): string {
  return moduleAddress === '' ? address : `${moduleAddress}.${address}`;
}

function parseReference(text: string, moduleAddress: string): ParsedReference | undefined {
  const variable = VARIABLE_REFERENCE.exec(text)?.[1];
  if (variable !== undefined) {
    // A root module variable comes from -var or a tfvars file: its value is planned, not referenced.
    return moduleAddress === '' ? undefined : { kind: 'variable', moduleAddress, variable };
  }
  const output = OUTPUT_REFERENCE.exec(text);
  if (output !== null) {
    const call = `module.${output[1] ?? ''}${output[2] ?? ''}`;
    return { kind: 'output', moduleAddress: withModule(moduleAddress, call), output: output[3] ?? '' };
  }
  const resource = RESOURCE_REFERENCE.exec(text);
  const base = resource?.[1];
  if (resource === null || base === undefined || NOT_RESOURCES.has(base.split('.')[0] ?? ''))
    return undefined;
  if (base.startsWith('module.')) return undefined;
  return {
    kind: 'resource',
    text: base,
    address: withModule(moduleAddress, base + (resource[2] ?? '')),
    indexed: resource[2] !== undefined,
    attribute: resource[3],
  };
}

function referencesOf(expression: unknown): string[] {
  if (!isRecord(expression) || !Array.isArray(expression.references)) return [];
  return expression.references.filter((reference): reference is string => typeof reference === 'string');
}

/**
 * A referenced value, and whether the plan already knows it: an attribute known after apply can only come from a
 * reference the plan does not know either, so a known one (a CIDR beside the group id) is never taken for it.
 */
interface Resolved {
  value: Maybe<string>;
  planned: boolean;
}

/** What `<target>.<attribute>` is: the planned value when known, else the declared id/ARN/name. */
function attributeValue(ctx: PlanContext, target: PlanResource, attribute: string): Resolved {
  const node = child(target.node, attribute);
  if (!isUnknown(node) && typeof node.value === 'string') return { value: node.value, planned: true };
  const declared = declaredAttribute(ctx, target, attribute);
  if (declared !== undefined) return { value: declared, planned: false };
  const reason =
    target.mode === 'data'
      ? `${KNOWN_AFTER_APPLY} (${target.address} is read during apply)`
      : KNOWN_AFTER_APPLY;
  return { value: unresolved(reason), planned: false };
}

function targetValue(ctx: PlanContext, address: string, attribute: string): Resolved {
  const target = ctx.byAddress.get(address);
  if (target !== undefined) return attributeValue(ctx, target, attribute);
  const instances = ctx.byBaseAddress.get(address);
  // `aws_x.y.id` of a resource with count/for_each names no single instance.
  if (instances !== undefined && instances.length > 1) return { value: afterApply(), planned: false };
  if (instances?.[0] !== undefined) return attributeValue(ctx, instances[0], attribute);
  return { value: unresolved(`${KNOWN_AFTER_APPLY} (${address} is not in the plan)`), planned: false };
}

/**
 * `aws_x.y[count.index].id` and `aws_x.y[*].id` reach the plan only as the bare "aws_x.y" (with "count.index"):
 * the resource's own block text says which instances and attribute are meant.
 */
function valuesFromBlockText(ctx: PlanContext, resource: PlanResource, bare: ParsedReference[]): Resolved[] {
  const text = resource.blockText;
  if (text === undefined) return [];
  return bare.flatMap((reference) => {
    if (reference.kind !== 'resource') return [];
    const escaped = reference.text.replace(/[.[\]*]/g, (character) => `\\${character}`);
    const counted = new RegExp(`${escaped}\\[count\\.index\\]\\.([A-Za-z_][A-Za-z0-9_]*)`).exec(text);
    if (counted?.[1] !== undefined && typeof resource.index === 'number') {
      return [targetValue(ctx, `${reference.address}[${resource.index}]`, counted[1])];
    }
    const splat = new RegExp(`${escaped}(?:\\[\\*\\]|\\.\\*)\\.([A-Za-z_][A-Za-z0-9_]*)`).exec(text);
    const attribute = splat?.[1];
    if (attribute === undefined) return [];
    const instances = ctx.byBaseAddress.get(reference.address) ?? [];
    return instances.map((instance) => attributeValue(ctx, instance, attribute));
  });
}

function referenceKey(reference: ParsedReference): string {
  if (reference.kind === 'output') return `${reference.moduleAddress}:${reference.output}`;
  if (reference.kind === 'variable') return `${reference.moduleAddress}:var.${reference.variable}`;
  return `${reference.address}.${reference.attribute ?? ''}`;
}

/** The module whose address a module address is in: "module.a.module.b[0]" → "module.a". */
function parentModule(moduleAddress: string): string {
  const at = moduleAddress.lastIndexOf('.module.');
  return at < 0 ? '' : moduleAddress.slice(0, at);
}

/**
 * An output is the expression inside the module; a variable is the expression its caller passes. Either is resolved
 * in the module it is written in.
 */
function followModuleBoundary(
  ctx: PlanContext,
  reference: Extract<ParsedReference, { kind: 'output' | 'variable' }>,
): { moduleAddress: string; expression: unknown } {
  const moduleKey = reference.moduleAddress.replace(/\[[^\]]*\]/g, '');
  if (reference.kind === 'output') {
    const output = ctx.moduleOutputs.get(moduleKey)?.[reference.output];
    return {
      moduleAddress: reference.moduleAddress,
      expression: isRecord(output) ? output.expression : undefined,
    };
  }
  return {
    moduleAddress: parentModule(reference.moduleAddress),
    expression: ctx.moduleInputs.get(moduleKey)?.[reference.variable],
  };
}

function referencedValues(
  ctx: PlanContext,
  resource: PlanResource,
  moduleAddress: string,
  expression: unknown,
  depth: number,
): Resolved[] {
  const parsed = referencesOf(expression).flatMap((text) => parseReference(text, moduleAddress) ?? []);
  const seen = new Set<string>();
  const values: Resolved[] = [];
  for (const reference of parsed) {
    const key = referenceKey(reference);
    if (seen.has(key)) continue;
    seen.add(key);
    if (reference.kind === 'resource') {
      if (reference.attribute !== undefined)
        values.push(targetValue(ctx, reference.address, reference.attribute));
    } else if (depth < MAX_OUTPUT_DEPTH) {
      const { moduleAddress: scope, expression: next } = followModuleBoundary(ctx, reference);
      values.push(...referencedValues(ctx, resource, scope, next, depth + 1));
    }
  }
  if (values.length > 0) return values;
  const bare = parsed.filter((reference) => reference.kind === 'resource' && !reference.indexed);
  return depth === 0 ? valuesFromBlockText(ctx, resource, bare) : [];
}

/** Values of references the plan does not know, which are what an unknown attribute can be made of. */
function unplannedValues(ctx: PlanContext, resource: PlanResource, node: PlanNode): Maybe<string>[] {
  return referencedValues(ctx, resource, resource.moduleAddress, node.expression, 0)
    .filter((resolved) => !resolved.planned)
    .map((resolved) => resolved.value);
}

/** A single id-valued attribute: its planned value, or what its one reference resolves to, or Unresolved. */
export function readRef(ctx: PlanContext, resource: PlanResource, node: PlanNode): Ref | undefined {
  if (!isUnknown(node)) return typeof node.value === 'string' && node.value !== '' ? node.value : undefined;
  const values = unplannedValues(ctx, resource, node);
  return values.length === 1 && values[0] !== undefined ? values[0] : afterApply();
}

/**
 * A list of ids: known elements as planned, each unknown one from the next unknown reference, else Unresolved. A
 * list unknown as a whole (a variable, a concat) is every value its references name, known or not.
 */
export function readRefList(
  ctx: PlanContext,
  resource: PlanResource,
  node: PlanNode,
): Maybe<Ref[]> | undefined {
  if (isUnknown(node)) {
    const values = referencedValues(ctx, resource, resource.moduleAddress, node.expression, 0);
    return values.length > 0 ? values.map((resolved) => resolved.value) : afterApply();
  }
  const elements = items(node);
  if (elements.length === 0) return Array.isArray(node.value) ? [] : undefined;
  const candidates = elements.some(isUnknown) ? unplannedValues(ctx, resource, node) : [];
  return elements.flatMap((element): Ref[] => {
    if (isUnknown(element)) return [candidates.shift() ?? afterApply()];
    return typeof element.value === 'string' ? [element.value] : [];
  });
}
