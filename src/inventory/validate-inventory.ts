// Validating unknown JSON against the inventory schema (schemas/inventory.schema.json), with readable issues.

import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { CheckerError } from '../errors.js';
import type { Inventory, Tags } from './model.js';
import { tagsFromMap } from './tags.js';

/** The `$id` of the inventory schema; `${INVENTORY_SCHEMA_ID}#/$defs/<Type>` addresses one resource type. */
export const INVENTORY_SCHEMA_ID = 'https://ssmguard.dev/schemas/inventory.schema.json';

/** One problem found by the schema: where (a JSON pointer, "" for the root) and what, in plain words. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** How many issues an error message lists before summarising the rest. */
const ISSUES_IN_MESSAGE = 5;

/** A value that is not a valid inventory; `issues` has every problem, the message the first few. */
export class InventoryInvalidError extends CheckerError {
  readonly code = 'INVENTORY_INVALID';
  constructor(
    readonly origin: string,
    readonly issues: ValidationIssue[],
    options?: ErrorOptions,
  ) {
    super(`${origin} is not a valid ssmguard inventory:\n${formatIssues(issues)}`, options);
    this.name = 'InventoryInvalidError';
  }
}

/** Formats issues one per line ("  /instances/0/state: must be one of …"), the first few only. */
export function formatIssues(issues: readonly ValidationIssue[], limit = ISSUES_IN_MESSAGE): string {
  const lines = issues.slice(0, limit).map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
  if (issues.length > limit) lines.push(`  … and ${issues.length - limit} more`);
  return lines.join('\n');
}

/**
 * Checks a value (typically fresh from `JSON.parse`) against the inventory schema and returns every problem;
 * an empty list means the value is an `Inventory`. Unknown fields are problems, so typos and stale exports
 * are caught instead of silently ignored.
 */
export function validateInventory(value: unknown): ValidationIssue[] {
  const validate = compiled().inventory;
  if (validate(value)) return [];
  return readableIssues(validate.errors ?? []);
}

/**
 * Checks one resource (or sub-object) against `$defs/<definition>` of the inventory schema, e.g.
 * `validateResource('Ec2Instance', fixture)`. For rule-case fixtures and mappers' tests.
 * Throws a plain `Error` for a definition the schema does not have (a programming error).
 */
export function validateResource(definition: string, value: unknown): ValidationIssue[] {
  const validate = definitionValidator(definition);
  if (validate(value)) return [];
  return readableIssues(validate.errors ?? []);
}

/**
 * Validates a value and returns it as an `Inventory`, with every tags record rebuilt as a null-prototype object
 * so hostile keys ("__proto__", "constructor") stay plain data. The input is not modified: resources that carry
 * tags are shallow-copied, everything else is shared. Throws `InventoryInvalidError` naming `origin` (a file
 * path or a description) and the first few problems.
 */
export function parseInventory(value: unknown, origin: string): Inventory {
  const issues = validateInventory(value);
  if (issues.length > 0) throw new InventoryInvalidError(origin, issues);
  const inventory = value as Inventory;
  return {
    ...inventory,
    instances: withSafeTags(inventory.instances),
    roles: withSafeTags(inventory.roles),
    securityGroups: withSafeTags(inventory.securityGroups),
    vpcs: withSafeTags(inventory.vpcs),
    subnets: withSafeTags(inventory.subnets),
  };
}

function withSafeTags<R extends { tags: Tags }>(resources: R[]): R[] {
  return resources.map((resource) => ({ ...resource, tags: tagsFromMap(resource.tags) }));
}

// ---------------------------------------------------------------------------------------------------------------
// The validator: compiled on first use (never at import time), once per process.

interface Compiled {
  ajv: Ajv2020;
  inventory: ValidateFunction;
}

let cache: Compiled | undefined;

function compiled(): Compiled {
  if (cache === undefined) {
    // allErrors: report every problem in one pass; verbose: keep the offending value for messages.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
    cache = { ajv, inventory: ajv.compile(schema) };
  }
  return cache;
}

function definitionValidator(definition: string): ValidateFunction {
  const { ajv } = compiled();
  if (!Object.hasOwn(schema.$defs, definition)) {
    throw new Error(`the inventory schema has no $defs entry "${definition}"`);
  }
  const validate = ajv.getSchema(`${INVENTORY_SCHEMA_ID}#/$defs/${definition}`);
  if (validate === undefined) throw new Error(`cannot compile $defs/${definition} of the inventory schema`);
  return validate;
}

// ---------------------------------------------------------------------------------------------------------------
// Turning ajv's errors into issues a person can act on.

type AjvError = ErrorObject<string, Record<string, unknown>>;

function readableIssues(errors: readonly AjvError[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const issue of explain(errors)) {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * ajv lists a oneOf/anyOf failure after the errors of all its branches, which is noise: for a route target with
 * kind "nat-gateway" and no id, only the nat-gateway branch matters. So each combinator error is resolved
 * against the branch errors just before it (those at or below its instance path) into the errors of the branch
 * the value was evidently meant to match.
 */
function explain(errors: readonly AjvError[]): ValidationIssue[] {
  const out: ValidationIssue[][] = [];
  let end = errors.length;
  while (end > 0) {
    const error = errors[end - 1]!;
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      let start = end - 1;
      while (start > 0 && isAtOrBelow(errors[start - 1]!.instancePath, error.instancePath)) start--;
      out.push(explainCombinator(error, errors.slice(start, end - 1)));
      end = start;
    } else {
      out.push([explainOne(error)]);
      end--;
    }
  }
  return out.reverse().flat();
}

function explainCombinator(combinator: AjvError, inner: AjvError[]): ValidationIssue[] {
  const at = combinator.instancePath;
  const branches = new Map<string, AjvError[]>();
  for (const error of inner) {
    const branch = branchOf(error, combinator);
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }
  const all = [...branches.values()];
  // A branch whose discriminator (a const/enum on a direct child, such as `kind`) failed was not meant.
  const meant = all.filter(
    (errs) => !errs.some((e) => isChoiceKeyword(e) && isDirectChild(e.instancePath, at)),
  );
  if (meant.length === 1) return explain(meant[0]!);
  // Among those, a branch whose own shape fits (type, required fields, no unknown fields) is the one meant.
  const fitting = meant.filter((errs) => !errs.some((e) => e.instancePath === at && isShapeKeyword(e)));
  if (fitting.length === 1) return explain(fitting[0]!);
  const value = describe(combinator.data);
  // Every branch wants another type: "must be array or object".
  const types = all.map((errs) => errs.find((e) => e.instancePath === at && e.keyword === 'type'));
  if (all.length > 0 && types.every((e) => e !== undefined)) {
    const names = [...new Set(types.map((e) => String(e!.params.type)))];
    return [{ path: at, message: `must be ${names.join(' or ')}, got ${value}` }];
  }
  // Every branch fails on the same discriminator: list the values it may take.
  const choices = all.map((errs) =>
    errs.find((e) => isChoiceKeyword(e) && isDirectChild(e.instancePath, at)),
  );
  const field = choices[0]?.instancePath;
  if (all.length > 0 && choices.every((e) => e !== undefined && e.instancePath === field)) {
    const allowed = [...new Set(choices.flatMap((e) => allowedValues(e!)))];
    return [
      {
        path: field!,
        message: `must be one of ${allowed.map(quote).join(', ')}, got ${describe(choices[0]!.data)}`,
      },
    ];
  }
  // One branch is clearly closest.
  const fewest = Math.min(...all.map((errs) => errs.length));
  const closest = all.filter((errs) => errs.length === fewest);
  if (closest.length === 1) return explain(closest[0]!);
  const name = /\$defs\/([^/]+)\//.exec(combinator.schemaPath)?.[1];
  return [
    { path: at, message: `does not match any allowed shape${name ? ` of ${name}` : ''}, got ${value}` },
  ];
}

function branchOf(error: AjvError, combinator: AjvError): string {
  const prefix = `${combinator.schemaPath}/`;
  return error.schemaPath.startsWith(prefix)
    ? (error.schemaPath.slice(prefix.length).split('/')[0] ?? '')
    : '';
}

function explainOne(error: AjvError): ValidationIssue {
  const at = error.instancePath;
  const got = describe(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const known = Object.keys(propertiesOf(error.parentSchema));
      const hint = known.length > 0 ? ` (known fields: ${known.join(', ')})` : '';
      return { path: `${at}/${escapePointer(field)}`, message: `unknown field${hint}` };
    }
    case 'required':
      return { path: `${at}/${escapePointer(String(error.params.missingProperty))}`, message: 'is required' };
    case 'type':
      return { path: at, message: `must be ${String(error.params.type)}, got ${got}` };
    case 'enum':
    case 'const':
      return {
        path: at,
        message: `must be one of ${allowedValues(error).map(quote).join(', ')}, got ${got}`,
      };
    case 'minLength':
      if (error.params.limit === 1) return { path: at, message: 'must not be empty' };
      return { path: at, message: `${error.message ?? 'is too short'}, got ${got}` };
    default:
      return { path: at, message: `${error.message ?? `fails "${error.keyword}"`}, got ${got}` };
  }
}

function allowedValues(error: AjvError): unknown[] {
  if (error.keyword === 'const') return [error.params.allowedValue];
  const values = error.params.allowedValues;
  return Array.isArray(values) ? values : [];
}

function propertiesOf(schemaObject: unknown): Record<string, unknown> {
  if (schemaObject === null || typeof schemaObject !== 'object') return {};
  const properties = (schemaObject as { properties?: unknown }).properties;
  return properties !== null && typeof properties === 'object' ? (properties as Record<string, unknown>) : {};
}

function isChoiceKeyword(error: AjvError): boolean {
  return error.keyword === 'const' || error.keyword === 'enum';
}

function isShapeKeyword(error: AjvError): boolean {
  return error.keyword === 'type' || error.keyword === 'required' || error.keyword === 'additionalProperties';
}

function isAtOrBelow(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function isDirectChild(path: string, parent: string): boolean {
  return path.startsWith(`${parent}/`) && !path.slice(parent.length + 1).includes('/');
}

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A short description of an offending value; values come from untrusted files, so they are cut short. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
}
