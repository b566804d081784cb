// Loading rule files: find them, parse YAML with positions, validate against schemas/rule.schema.json, check
// ids and paths. Every problem in every file is collected and reported with file, line and YAML path.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import ruleSchema from '../../schemas/rule.schema.json' with { type: 'json' };
import { RuleFileError, RuleSetError } from '../errors.js';
import { errorAt, formatYamlPath, parseYamlSource, splitYamlPath, type YamlSource } from './yaml-source.js';
import { parseRulePath, validateRulePath } from './rule-path.js';
import { isAll, isAny, isNot, type Condition, type RuleDefinition, type ValueCondition } from './rule.js';
import { compareText } from '../compare-text.js';

/** A rule as loaded: its definition plus where it came from, so later stages can point at lines too. */
export interface LoadedRule {
  definition: RuleDefinition;
  file: string;
  source: YamlSource;
  /** The `<id>.test.yaml` beside it, if present. */
  casesFile?: string;
}

let validator: ReturnType<Ajv2020['compile']> | undefined;
function ruleValidator(): ReturnType<Ajv2020['compile']> {
  validator ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(ruleSchema);
  return validator;
}

const BRANCH_KEYS = new Set(['all', 'any', 'not', 'path', 'check']);

/**
 * Picks the error a rule author needs from ajv's list. `oneOf` over condition kinds reports every branch's
 * complaint; the branch whose discriminating key is present is the one the author meant.
 */
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

function mostUsefulError(errors: readonly ErrorObject[]): ErrorObject {
  const specific = errors.filter(
    (e) =>
      !isOtherBranch(e) &&
      e.keyword !== 'oneOf' &&
      e.keyword !== 'if' &&
      !(
        e.keyword === 'required' &&
        BRANCH_KEYS.has(String((e.params as { missingProperty?: string }).missingProperty))
      ) &&
      !(e.keyword === 'type' && e.schemaPath.includes('/operand/')),
  );
  const pool = specific.length > 0 ? specific : errors;
  return [...pool].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0]!;
}

function describeAjvError(error: ErrorObject): { yamlPath: string; detail: string } {
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
    return { yamlPath: formatYamlPath(segments), detail: `must be one of ${allowed}` };
  }
  return { yamlPath: formatYamlPath(segments), detail: error.message ?? error.keyword };
}

/** Parses and validates one rule file's text. Throws RuleFileError (first problem) on failure. */
export function parseRuleFile(file: string, text: string): LoadedRule {
  const source = parseYamlSource(file, text);
  const validate = ruleValidator();
  if (!validate(source.value)) {
    const { yamlPath, detail } = describeAjvError(mostUsefulError(validate.errors ?? []));
    throw errorAt(source, yamlPath, detail);
  }
  const definition = source.value as RuleDefinition;
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (definition.id !== expectedId) {
    throw errorAt(source, 'id', `id "${definition.id}" must equal the file name "${expectedId}"`);
  }
  checkPaths(source, definition);
  checkReasons(source, definition);
  checkParameterDefaults(source, definition);
  return { definition, file, source };
}

function checkPaths(source: YamlSource, definition: RuleDefinition): void {
  const visit = (condition: Condition, at: string): void => {
    if (isAll(condition)) condition.all.forEach((c, i) => visit(c, `${at}.all[${i}]`));
    else if (isAny(condition)) condition.any.forEach((c, i) => visit(c, `${at}.any[${i}]`));
    else if (isNot(condition)) visit(condition.not, `${at}.not`);
    else if (typeof (condition as ValueCondition).path === 'string') {
      checkOnePath((condition as ValueCondition).path, `${at}.path`);
      for (const [key, operand] of Object.entries(condition)) {
        if (operand !== null && typeof operand === 'object' && !Array.isArray(operand) && 'path' in operand) {
          checkOnePath(String((operand as { path: unknown }).path), `${at}.${key}.path`);
        }
      }
    }
  };
  const checkOnePath = (path: string, at: string): void => {
    let problem: string | undefined;
    try {
      problem = validateRulePath(definition.resourceType, parseRulePath(path));
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem) throw errorAt(source, at, `invalid path "${path}": ${problem}`);
  };
  if (definition.when) visit(definition.when, 'when');
  visit(definition.check, 'check');
}

// One instance for every parameter schema: creating an Ajv compiles its meta-schema, which costs milliseconds.
let parameterAjv: Ajv2020 | undefined;

/** Each parameter's schema must compile and its default must satisfy it. */
function checkParameterDefaults(source: YamlSource, definition: RuleDefinition): void {
  for (const [name, spec] of Object.entries(definition.parameters ?? {})) {
    let valid: boolean;
    let detail = '';
    try {
      parameterAjv ??= new Ajv2020({ strict: false });
      const validate = parameterAjv.compile(spec.schema);
      valid = validate(spec.default);
      if (!valid)
        detail = `${validate.errors?.[0]?.instancePath || 'value'} ${validate.errors?.[0]?.message ?? 'invalid'}`;
    } catch (error) {
      throw errorAt(source, `parameters.${name}.schema`, `invalid JSON Schema: ${(error as Error).message}`);
    }
    if (!valid)
      throw errorAt(
        source,
        `parameters.${name}.default`,
        `default does not match the parameter schema: ${detail}`,
      );
  }
}

/** Every reason code a rule states must be described in its `reasons` map (reports label root causes with it). */
function checkReasons(source: YamlSource, definition: RuleDefinition): void {
  const described = (code: string | undefined, at: string): void => {
    if (code !== undefined && !Object.hasOwn(definition.reasons, code)) {
      throw errorAt(source, at, `reason ${code} is not described in "reasons"`);
    }
  };
  described(definition.reason, 'reason');
  const visit = (condition: Condition, at: string): void => {
    described(condition.reason, `${at}.reason`);
    if (isAll(condition)) condition.all.forEach((c, i) => visit(c, `${at}.all[${i}]`));
    else if (isAny(condition)) condition.any.forEach((c, i) => visit(c, `${at}.any[${i}]`));
    else if (isNot(condition)) visit(condition.not, `${at}.not`);
  };
  visit(definition.check, 'check');
}

async function listRuleFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    compareText(a.name, b.name),
  )) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listRuleFiles(full)));
    else if (/\.ya?ml$/.test(entry.name) && !/\.test\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Loads every rule under the given folders (or files). Collects all problems and throws one RuleSetError
 * listing them; duplicate ids across folders are an error too.
 */
export async function loadRules(
  paths: readonly string[],
  options: { displayRoot?: string } = {},
): Promise<LoadedRule[]> {
  const errors: RuleFileError[] = [];
  const rules: LoadedRule[] = [];
  const seen = new Map<string, string>();
  for (const root of paths) {
    let files: string[];
    try {
      files = await listRuleFiles(root);
    } catch (error) {
      errors.push(
        new RuleFileError(root, '', `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`),
      );
      continue;
    }
    for (const file of files) {
      const shown = options.displayRoot ? relative(options.displayRoot, file) : file;
      try {
        const rule = parseRuleFile(shown, await readFile(file, 'utf8'));
        const earlier = seen.get(rule.definition.id);
        if (earlier)
          throw errorAt(rule.source, 'id', `duplicate rule id "${rule.definition.id}" (also in ${earlier})`);
        seen.set(rule.definition.id, shown);
        const casesFile = file.replace(/\.ya?ml$/, '.test.yaml');
        const hasCases = await stat(casesFile).then(
          (s) => s.isFile(),
          () => false,
        );
        rules.push(hasCases ? { ...rule, casesFile } : rule);
      } catch (error) {
        if (error instanceof RuleFileError) errors.push(error);
        else throw error;
      }
    }
  }
  if (errors.length > 0) throw new RuleSetError(errors);
  return rules.sort((a, b) => compareText(a.definition.id, b.definition.id));
}
