// Loading rule files: find them, parse YAML with positions, validate against schemas/rule.schema.json, check
// ids and paths. Every problem in every file is collected and reported with file, line and YAML path.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ruleSchema from '../../schemas/rule.schema.json' with { type: 'json' };
import { RuleFileError, RuleSetError } from '../errors.js';
import { errorAt, parseYamlSource, type YamlSource } from './yaml-source.js';
import { inReadingOrder, schemaProblems } from './schema-problems.js';
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

/** Every problem of one rule file: syntax, schema, id, paths, reasons and parameter defaults. */
export interface RuleFileCheck {
  /** Present when the file has no problem. */
  rule?: LoadedRule;
  problems: RuleFileError[];
}

/**
 * Checks one rule file's text and reports every problem it has. Schema problems are all reported; the checks
 * that read the rule's structure (paths, reasons, parameters) run when the schema holds, since they need it.
 */
export function checkRuleFile(file: string, text: string): RuleFileCheck {
  let source: YamlSource;
  try {
    source = parseYamlSource(file, text);
  } catch (error) {
    if (error instanceof RuleFileError) return { problems: [error] };
    throw error;
  }
  const problems: RuleFileError[] = [];
  const validate = ruleValidator();
  const schemaValid = validate(source.value);
  if (!schemaValid) {
    for (const { yamlPath, detail } of schemaProblems(validate.errors ?? []))
      problems.push(errorAt(source, yamlPath, detail));
  }
  const id = (source.value as { id?: unknown } | null)?.id;
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (typeof id === 'string' && id !== expectedId) {
    problems.push(errorAt(source, 'id', `id "${id}" must equal the file name "${expectedId}"`));
  }
  if (!schemaValid) return { problems: inReadingOrder(problems) };
  const definition = source.value as RuleDefinition;
  problems.push(
    ...checkPaths(source, definition),
    ...checkReasons(source, definition),
    ...checkParameterDefaults(source, definition),
  );
  if (problems.length > 0) return { problems: inReadingOrder(problems) };
  return { rule: { definition, file, source }, problems };
}

/** Parses and validates one rule file's text. Throws RuleFileError (its first problem) on failure. */
export function parseRuleFile(file: string, text: string): LoadedRule {
  const { rule, problems } = checkRuleFile(file, text);
  if (!rule) throw problems[0]!;
  return rule;
}

function checkPaths(source: YamlSource, definition: RuleDefinition): RuleFileError[] {
  const problems: RuleFileError[] = [];
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
    if (problem) problems.push(errorAt(source, at, `invalid path "${path}": ${problem}`));
  };
  if (definition.when) visit(definition.when, 'when');
  visit(definition.check, 'check');
  return problems;
}

// One instance for every parameter schema: creating an Ajv compiles its meta-schema, which costs milliseconds.
let parameterAjv: Ajv2020 | undefined;

/** Each parameter's schema must compile and its default must satisfy it. */
function checkParameterDefaults(source: YamlSource, definition: RuleDefinition): RuleFileError[] {
  const problems: RuleFileError[] = [];
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
      problems.push(
        errorAt(source, `parameters.${name}.schema`, `invalid JSON Schema: ${(error as Error).message}`),
      );
      continue;
    }
    if (!valid)
      problems.push(
        errorAt(
          source,
          `parameters.${name}.default`,
          `default does not match the parameter schema: ${detail}`,
        ),
      );
  }
  return problems;
}

/** Every reason code a rule states must be described in its `reasons` map (reports label root causes with it). */
function checkReasons(source: YamlSource, definition: RuleDefinition): RuleFileError[] {
  const problems: RuleFileError[] = [];
  const described = (code: string | undefined, at: string): void => {
    if (code !== undefined && !Object.hasOwn(definition.reasons, code)) {
      problems.push(errorAt(source, at, `reason ${code} is not described in "reasons"`));
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
  return problems;
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
        const checked = checkRuleFile(shown, await readFile(file, 'utf8'));
        errors.push(...checked.problems);
        const rule = checked.rule;
        if (!rule) continue;
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
