// Runs every shipped rule's cases (rules/**/<id>.test.yaml) through the real engine: a describe per rule, an it
// per case.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NAMED_CHECKS } from '../src/engine/checks/index.js';
import { loadRules } from '../src/ruleset/load-rules.js';
import { parseRuleCases, runOneCase } from '../src/testing/rule-tester.js';
import { shippedRulesDir } from '../src/package-root.js';

const rules = await loadRules([shippedRulesDir()]);

for (const rule of rules) {
  describe(rule.definition.id, () => {
    if (!rule.casesFile) {
      it('has a cases file beside it', () => expect.fail(`missing ${rule.definition.id}.test.yaml`));
      return;
    }
    const { cases, source } = parseRuleCases(rule.casesFile, readFileSync(rule.casesFile, 'utf8'));
    cases.forEach((testCase, i) => {
      it(testCase.name, () => {
        const outcome = runOneCase(rule, testCase, source, `[${i}]`, NAMED_CHECKS);
        expect(outcome.problems).toEqual([]);
      });
    });
  });
}
