// `rules list`, `rules validate` and `test`: commands for people reading and writing rules.

import { NAMED_CHECKS } from '../engine/checks/index.js';
import { RuleSetError } from '../errors.js';
import { loadRules } from '../ruleset/load-rules.js';
import { runRuleCases } from '../testing/rule-tester.js';
import type { CliIo } from './cli-io.js';
import { loadRuleSet } from './rule-set.js';
import { resolvePolicy } from '../policy/policy-pack.js';

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

export async function runRulesValidate(dirs: string[], io: CliIo): Promise<number> {
  try {
    const loaded = await loadRules(dirs);
    resolvePolicy(loaded, undefined, NAMED_CHECKS);
    io.stdout(`${loaded.length} rule file${loaded.length === 1 ? '' : 's'} valid\n`);
    const withoutCases = loaded.filter((r) => !r.casesFile);
    for (const r of withoutCases)
      io.stderr(`warning: ${r.file} has no ${r.definition.id}.test.yaml beside it\n`);
    return 0;
  } catch (error) {
    if (error instanceof RuleSetError) {
      for (const e of error.errors) io.stderr(`${e.message}\n`);
      io.stderr(`${error.errors.length} problem${error.errors.length === 1 ? '' : 's'}\n`);
      return 2;
    }
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
