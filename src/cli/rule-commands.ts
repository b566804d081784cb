// `rules list`, `rules validate`, `policy validate` and `test`: commands for people reading and writing rules.

import { policyControlFrameworks } from '../policy/control-mappings.js';
import { readFile, stat } from 'node:fs/promises';
import { NAMED_CHECKS } from '../engine/checks/index.js';
import { RuleFileError, RuleSetError } from '../errors.js';
import { shippedRulesDir } from '../package-root.js';
import { checkPolicyAt, checkPolicyPack } from '../policy/policy-pack.js';
import { loadRules } from '../ruleset/load-rules.js';
import { runRuleCases } from '../testing/rule-tester.js';
import {
  checkPolicyFile,
  SCHEMA_OF,
  validateRuleFiles,
  type ValidationResult,
} from '../testing/validate-rule-files.js';
import { parseNow } from './arguments.js';
import type { CliIo } from './cli-io.js';
import { loadRuleSet } from './rule-set.js';

export async function runRulesList(
  flags: { rules?: string[]; policy?: string; format: string },
  io: CliIo,
): Promise<number> {
  const { rules } = await loadRuleSet({ extraRuleDirs: flags.rules, policyFile: flags.policy });
  if (flags.format === 'json') {
    io.stdout(
      `${JSON.stringify(
        rules.map((r) => {
          const d = r.loaded.definition;
          return {
            id: d.id,
            title: d.title,
            resourceType: d.resourceType,
            severity: r.severity,
            link: d.link,
            reasons: d.reasons,
            parameters: r.params,
            lifecycle: d.lifecycle,
          };
        }),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules)
    io.stdout(
      `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.loaded.definition.link.padEnd(12)}  ${r.loaded.definition.title}\n`,
    );
  io.stdout(`${rules.length} rules\n`);
  return 0;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The files checked, by kind, with the schema each kind was checked against. */
function checkedLine(result: ValidationResult): string {
  const parts: string[] = [];
  if (result.files.rule > 0) parts.push(`${plural(result.files.rule, 'rule file')} (${SCHEMA_OF.rule})`);
  if (result.files.cases > 0) parts.push(`${plural(result.files.cases, 'case file')} (${SCHEMA_OF.cases})`);
  if (result.files.policy > 0)
    parts.push(`${plural(result.files.policy, 'policy pack')} (${SCHEMA_OF.policy})`);
  return parts.join(', ');
}

/** Prints a validation's problems and summary; exit 2 when there is a problem or nothing was checked. */
function reportValidation(result: ValidationResult, looked: readonly string[], io: CliIo): number {
  const checked = result.files.rule + result.files.cases + result.files.policy;
  for (const problem of result.problems) io.stderr(`${problem.message}\n`);
  if (result.problems.length > 0) {
    const files = new Set(result.problems.map((p) => p.file)).size;
    io.stderr(
      `${plural(result.problems.length, 'problem')} in ${plural(files, 'file')}${checked > 0 ? `; checked ${checkedLine(result)}` : ''}\n`,
    );
    return 2;
  }
  if (checked === 0) {
    io.stderr(
      `ssmguard: nothing to validate: no rule, case or policy files (*.yaml, *.yml) in ${looked.join(', ')}\n`,
    );
    return 2;
  }
  io.stdout(`valid: ${checkedLine(result)}\n`);
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
  return 0;
}

export async function runRulesValidate(dirs: string[], io: CliIo): Promise<number> {
  const result = await validateRuleFiles(dirs, NAMED_CHECKS, { shippedRulesDir: shippedRulesDir() });
  return reportValidation(result, dirs, io);
}

/**
 * `policy validate FILE…`: each policy pack alone, against schemas/policy.schema.json, then against the rules it
 * names (the shipped rules plus `--rules` folders), then its waivers' horizon at `--now` (default: now).
 */
export async function runPolicyValidate(
  files: string[],
  flags: { rules?: string[]; now?: string },
  io: CliIo,
): Promise<number> {
  const atMs = flags.now !== undefined ? parseNow(flags.now) : io.clock();
  const result: ValidationResult = { files: { rule: 0, cases: 0, policy: 0 }, problems: [], warnings: [] };
  let rules;
  try {
    rules = await loadRules([shippedRulesDir(), ...(flags.rules ?? [])]);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    for (const e of error.errors) io.stderr(`${e.message}\n`);
    io.stderr(`the --rules folders have problems: see \`ssmguard rules validate\`\n`);
    return 2;
  }
  for (const file of files) {
    let text: string;
    try {
      const info = await stat(file);
      if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      result.problems.push(new RuleFileError(file, '', `cannot read policy pack: ${code}`));
      continue;
    }
    result.files.policy += 1;
    result.problems.push(...checkPolicyFile(file, text, rules, NAMED_CHECKS));
    result.problems.push(...horizonProblems(file, text, atMs));
    result.problems.push(...(await policyControlFrameworks(checkPolicyPack(file, text).policy)).problems);
  }
  return reportValidation(result, files, io);
}

/** Waivers that run past the pack's horizon at `atMs`; none when the pack has other problems (reported already). */
function horizonProblems(file: string, text: string, atMs: number): RuleFileError[] {
  const { policy } = checkPolicyPack(file, text);
  try {
    checkPolicyAt(policy, atMs);
    return [];
  } catch (error) {
    if (error instanceof RuleSetError) return error.errors;
    throw error;
  }
}

export async function runRuleTests(dirs: string[], io: CliIo): Promise<number> {
  let loaded;
  try {
    loaded = await loadRules(dirs);
  } catch (error) {
    if (error instanceof RuleSetError) {
      for (const e of error.errors) io.stderr(`${e.message}\n`);
      return 2;
    }
    throw error;
  }
  let passed = 0;
  let failed = 0;
  for (const rule of loaded) {
    let outcomes;
    try {
      outcomes = await runRuleCases(rule, NAMED_CHECKS);
    } catch (error) {
      io.stderr(`${(error as Error).message}\n`);
      failed += 1;
      continue;
    }
    for (const o of outcomes) {
      if (o.passed) passed += 1;
      else failed += 1;
      io.stdout(`${o.passed ? 'ok  ' : 'FAIL'} ${o.ruleId} › ${o.name}\n`);
      for (const p of o.problems) io.stdout(`       ${p}\n`);
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
