// Turning ajv's full error list (allErrors) into the problems an author needs: one per real mistake, each with the
// YAML path it is at. Shared by rule files, case files and policy packs.

import type { ErrorObject } from 'ajv/dist/2020.js';
import type { RuleFileError } from '../errors.js';
import { formatYamlPath, splitYamlPath } from './yaml-source.js';

export interface SchemaProblem {
  yamlPath: string;
  detail: string;
}

/** The keys that select a condition branch (`oneOf` in schemas/rule.schema.json). */
const BRANCH_KEYS = new Set(['all', 'any', 'not', 'path', 'check']);

/**
 * True when an error comes from a condition branch the data does not select: each branch schema requires its
 * discriminating key (all, any, not, check, path), and the data lacks it.
 */
function isOtherBranch(e: ErrorObject): boolean {
  const required = (e.parentSchema as { required?: unknown } | undefined)?.required;
  const key = Array.isArray(required) ? required[0] : undefined;
  if (typeof key !== 'string' || !BRANCH_KEYS.has(key)) return false;
  return e.data !== null && typeof e.data === 'object' && !Object.hasOwn(e.data, key);
}

/** Errors that only restate another one: a `oneOf`/`if` summary, or the branch a condition did not choose. */
function isNoise(e: ErrorObject): boolean {
  return (
    isOtherBranch(e) ||
    e.keyword === 'oneOf' ||
    e.keyword === 'anyOf' ||
    e.keyword === 'if' ||
    (e.keyword === 'required' &&
      BRANCH_KEYS.has(String((e.params as { missingProperty?: string }).missingProperty))) ||
    (e.keyword === 'type' && e.schemaPath.includes('/operand/'))
  );
}

const depth = (e: ErrorObject): number => e.instancePath.split('/').length;

function describe(error: ErrorObject): SchemaProblem {
  const segments = splitYamlPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    const isCondition = segments.some((s) => s === 'check' || s === 'when');
    return {
      yamlPath: formatYamlPath([...segments, extra]),
      detail: isCondition
        ? `unknown key "${extra}" (an unknown operator or condition field)`
        : `unknown field "${extra}"`,
    };
  }
  if (error.keyword === 'required') {
    return {
      yamlPath: formatYamlPath(segments),
      detail: `missing required field "${String(params.missingProperty)}"`,
    };
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    // `data` is there when the validator was compiled with `verbose`: name the value that is wrong.
    const given = typeof error.data === 'string' ? `"${error.data}" is not allowed: ` : '';
    return { yamlPath: formatYamlPath(segments), detail: `${given}must be one of ${allowed}` };
  }
  if (error.keyword === 'propertyNames') {
    const name = String(params.propertyName);
    return { yamlPath: formatYamlPath([...segments, name]), detail: `unknown key "${name}"` };
  }
  return { yamlPath: formatYamlPath(segments), detail: error.message ?? error.keyword };
}

/**
 * Every distinct problem in an ajv error list. Branch noise is dropped (when a condition's `oneOf` fails, only the
 * branch its key selects speaks); when nothing but noise is left, the deepest error stands for it.
 */
export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const specific = errors.filter((e) => !isNoise(e) && e.keyword !== 'propertyNames');
  // ajv reports a bad property name twice: once for the name (keyword "enum" at the key) and once as
  // "propertyNames"; keep the one that says which key.
  const names = errors.filter((e) => e.keyword === 'propertyNames');
  const pool =
    specific.length + names.length > 0
      ? [...specific.filter((e) => !names.some((n) => isUnderName(e, n))), ...names]
      : [...errors].sort((a, b) => depth(b) - depth(a)).slice(0, 1);
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of pool) {
    const problem = describe(error);
    const key = `${problem.yamlPath}\n${problem.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/** True for the error ajv raises about the name itself while checking `propertyNames`. */
function isUnderName(e: ErrorObject, name: ErrorObject): boolean {
  return (
    e.instancePath === name.instancePath &&
    e.schemaPath.startsWith(`${name.schemaPath.replace(/\/propertyNames$/, '')}/propertyNames`)
  );
}

/** Problems in reading order: by line, then column (a stable sort keeps the order of equal positions). */
export function inReadingOrder(problems: readonly RuleFileError[]): RuleFileError[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
