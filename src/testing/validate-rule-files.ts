// `rules validate` and `policy validate`: every problem of every rule file, case file (<id>.test.yaml) and policy
// pack given, each with file, line, column and YAML path. Files are told apart by name and content.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AnyNamedCheck } from '../engine/checks/named-check.js';
import { RuleFileError, RuleSetError } from '../errors.js';
import { compareText } from '../compare-text.js';
import { checkPolicyPack, resolvePolicy, type PolicyPack } from '../policy/policy-pack.js';
import { checkRuleFile, loadRules, type LoadedRule } from '../ruleset/load-rules.js';
import { inReadingOrder } from '../ruleset/schema-problems.js';
import { parseYamlSource } from '../ruleset/yaml-source.js';
import { checkCasesAgainstRule, checkRuleCases } from './rule-tester.js';

export type ValidatedKind = 'rule' | 'cases' | 'policy';

/** Which schema each kind of file is checked against (named in the summary, so an author knows which applied). */
export const SCHEMA_OF: Record<ValidatedKind, string> = {
  rule: 'schemas/rule.schema.json',
  cases: 'schemas/rule-cases.schema.json',
  policy: 'schemas/policy.schema.json',
};

export interface ValidationResult {
  /** How many files of each kind were checked. */
  files: Record<ValidatedKind, number>;
  problems: RuleFileError[];
  warnings: string[];
}

const isYamlFile = (name: string): boolean => /\.ya?ml$/.test(name);
const isCasesName = (name: string): boolean => /\.test\.ya?ml$/.test(name);

async function listYamlFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => compareText(a.name, b.name));
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listYamlFiles(full)));
    else if (isYamlFile(entry.name)) out.push(full);
  }
  return out;
}

/**
 * What a file is: a cases file by its name (or, misnamed, by being a list), a policy pack by its top-level `rules`
 * selection without a rule `id`, else a rule. Unparsable YAML is judged as what its name says.
 */
function kindOf(file: string, text: string): ValidatedKind {
  if (isCasesName(basename(file))) return 'cases';
  let value: unknown;
  try {
    value = parseYamlSource(file, text).value;
  } catch (error) {
    // The syntax error is reported when the file is checked as a rule.
    if (error instanceof RuleFileError) return 'rule';
    throw error;
  }
  if (Array.isArray(value)) return 'cases';
  if (value !== null && typeof value === 'object' && 'rules' in value && !('id' in value)) return 'policy';
  return 'rule';
}

/** The rule file a cases file belongs to: `<id>.test.yaml` → `<id>.yaml` (or `.yml`) beside it. */
const ruleFileFor = (casesFile: string): string[] => {
  const id = basename(casesFile)
    .replace(/\.test\.ya?ml$/, '')
    .replace(/\.ya?ml$/, '');
  return [join(dirname(casesFile), `${id}.yaml`), join(dirname(casesFile), `${id}.yml`)];
};

/** Checks every rule, cases and policy file under the given folders (or files); never throws for bad content. */
export async function validateRuleFiles(
  paths: readonly string[],
  checks: ReadonlyMap<string, AnyNamedCheck>,
  options: { shippedRulesDir: string },
): Promise<ValidationResult> {
  const result: ValidationResult = { files: { rule: 0, cases: 0, policy: 0 }, problems: [], warnings: [] };
  const texts = new Map<string, { kind: ValidatedKind; text: string }>();
  for (const path of paths) {
    let files: string[];
    try {
      files = await listYamlFiles(path);
      for (const file of files) {
        const text = await readFile(file, 'utf8');
        texts.set(file, { kind: kindOf(file, text), text });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      result.problems.push(new RuleFileError(path, '', `cannot read: ${code}`));
    }
  }

  const rules = new Map<string, LoadedRule>();
  const ids = new Map<string, string>();
  for (const [file, { kind, text }] of texts) {
    if (kind !== 'rule') continue;
    result.files.rule += 1;
    const { rule, problems } = checkRuleFile(file, text);
    result.problems.push(...problems);
    if (!rule) continue;
    const earlier = ids.get(rule.definition.id);
    if (earlier) {
      result.problems.push(
        new RuleFileError(file, 'id', `duplicate rule id "${rule.definition.id}" (also in ${earlier})`),
      );
      continue;
    }
    ids.set(rule.definition.id, file);
    rules.set(file, rule);
  }
  result.problems.push(...compileProblems([...rules.values()], checks));

  for (const [file, { kind, text }] of texts) {
    if (kind !== 'cases') continue;
    result.files.cases += 1;
    result.problems.push(...(await checkCasesFile(file, text, rules, texts)));
  }
  for (const [file, rule] of rules) {
    if (!(await isFile(file.replace(/\.ya?ml$/, '.test.yaml'))))
      result.warnings.push(`${file} has no ${rule.definition.id}.test.yaml beside it`);
  }

  const policies = [...texts].filter(([, { kind }]) => kind === 'policy');
  if (policies.length > 0) {
    const available = await rulesForPolicies(options.shippedRulesDir, [...rules.values()], result);
    for (const [file, { text }] of policies) {
      result.files.policy += 1;
      result.problems.push(...checkPolicyFile(file, text, available, checks));
    }
  }
  return result;
}

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Compile errors of rules whose files are valid: a named check's `with:` parameters, say. */
function compileProblems(rules: LoadedRule[], checks: ReadonlyMap<string, AnyNamedCheck>): RuleFileError[] {
  try {
    resolvePolicy(rules, undefined, checks);
    return [];
  } catch (error) {
    if (error instanceof RuleSetError) return error.errors;
    throw error;
  }
}

async function checkCasesFile(
  file: string,
  text: string,
  rules: ReadonlyMap<string, LoadedRule>,
  texts: ReadonlyMap<string, { kind: ValidatedKind }>,
): Promise<RuleFileError[]> {
  const { source, problems } = checkRuleCases(file, text);
  if (!source || !Array.isArray(source.value)) return problems;
  const candidates = ruleFileFor(file);
  let ruleFile = candidates.find((candidate) => texts.get(candidate)?.kind === 'rule');
  let rule = ruleFile === undefined ? undefined : rules.get(ruleFile);
  if (ruleFile === undefined) {
    // A cases file given alone: its rule is read to check the case parameters, not validated itself.
    for (const candidate of candidates) {
      if (!(await isFile(candidate))) continue;
      ruleFile = candidate;
      rule = checkRuleFile(candidate, await readFile(candidate, 'utf8')).rule;
      break;
    }
  }
  if (ruleFile === undefined) {
    const expected = basename(candidates[0]!);
    return [
      new RuleFileError(file, '', `no rule file ${expected} beside this cases file`, 1, 1),
      ...problems,
    ];
  }
  // A rule with problems of its own is reported when it is validated; its cases are checked as far as the
  // schema goes.
  const against = rule ? checkCasesAgainstRule(rule, source.value as unknown[], source) : [];
  return inReadingOrder([...problems, ...against]);
}

/** The rules a policy pack found among rule files may select: the shipped ones plus the valid ones given. */
async function rulesForPolicies(
  shippedRulesDir: string,
  given: LoadedRule[],
  result: ValidationResult,
): Promise<LoadedRule[]> {
  const givenIds = new Set(given.map((r) => r.definition.id));
  try {
    const shipped = await loadRules([shippedRulesDir]);
    return [...shipped.filter((r) => !givenIds.has(r.definition.id)), ...given];
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    result.problems.push(...error.errors);
    return given;
  }
}

/** Every problem of one policy pack: its schema and waivers, then the rules, parameters and waivers it names. */
export function checkPolicyFile(
  file: string,
  text: string,
  rules: readonly LoadedRule[],
  checks: ReadonlyMap<string, AnyNamedCheck>,
): RuleFileError[] {
  const { policy, pack, source, problems } = checkPolicyPack(file, text);
  if (!source) return problems;
  // The rule ids and parameters a pack names are checked even when its schema or a waiver has a problem, as far as
  // those parts are well formed.
  const selection = pack ?? wellFormedParts(source.value);
  try {
    resolvePolicy(rules, policy ?? { pack: selection, file, source, waivers: [] }, checks);
    return problems;
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    const seen = new Set(problems.map((p) => p.message));
    const more = error.errors.filter((e) => e.file === file && !seen.has(e.message));
    return inReadingOrder([...problems, ...more]);
  }
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

/** The selection and parameter overrides of a pack that breaks its schema, where they have the right shape. */
function wellFormedParts(value: unknown): PolicyPack {
  const pack = isMapping(value) ? value : {};
  const selection = isMapping(pack.rules) ? pack.rules : {};
  const overrides: NonNullable<PolicyPack['overrides']> = {};
  for (const [id, override] of Object.entries(isMapping(pack.overrides) ? pack.overrides : {})) {
    if (isMapping(override) && (override.parameters === undefined || isMapping(override.parameters)))
      overrides[id] = override.parameters === undefined ? {} : { parameters: override.parameters };
  }
  const exclude = stringList(selection.exclude);
  return {
    name: '',
    description: '',
    rules: { include: stringList(selection.include) ?? [], ...(exclude ? { exclude } : {}) },
    overrides,
  };
}
