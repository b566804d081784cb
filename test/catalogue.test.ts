// The rule catalogue: every shipped rule is well formed, has meaningful cases, and every policy points at real rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMED_CHECKS } from '../src/engine/checks/index.js';
import { shippedPoliciesDir, shippedRulesDir } from '../src/package-root.js';
import { loadPolicyPack, resolvePolicy } from '../src/policy/policy-pack.js';
import { loadRules } from '../src/ruleset/load-rules.js';
import { parseRuleCases } from '../src/testing/rule-tester.js';

const rules = await loadRules([shippedRulesDir()]);

describe('rule catalogue', () => {
  it('ships the readiness rules named in the design', () => {
    const ids = rules.map((r) => r.definition.id);
    for (const id of [
      'ec2-instance-profile-attached',
      'ec2-instance-imds-available',
      'ec2-instance-egress-https',
      'ec2-instance-no-inbound-ssm-ports',
      'ec2-instance-not-hybrid-activated',
      'ssm-activation-hygiene',
      'ec2-instance-patch-group-tagged',
      'ec2-instance-patch-targeted-by-tag',
      'ssm-maintenance-window-targets-use-tags',
      'ec2-instance-ssm-online',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it.for(rules.map((r) => [r.definition.id, r] as const))(
    '%s has passing, failing and (with `when`) not-applicable cases',
    ([, rule]) => {
      expect(rule.casesFile, 'cases file beside the rule').toBeDefined();
      const { cases } = parseRuleCases(rule.casesFile!, readFileSync(rule.casesFile!, 'utf8'));
      const expects = new Set(cases.map((c) => c.expect));
      expect(expects).toContain('COMPLIANT');
      expect(expects).toContain('NON_COMPLIANT');
      if (rule.definition.when) expect(expects).toContain('NOT_APPLICABLE');
      // A failing case must assert its message, so a rule cannot fail for the wrong reason.
      expect(cases.some((c) => c.expect === 'NON_COMPLIANT' && c.message !== undefined)).toBe(true);
      // Every described reason is exercised by some case.
      const asserted = new Set(cases.flatMap((c) => (c.reason ? [c.reason] : [])));
      for (const reason of Object.keys(rule.definition.reasons)) {
        if (reason !== rule.definition.reason || Object.keys(rule.definition.reasons).length === 1) {
          expect(asserted, `a case asserting ${reason}`).toContain(reason);
        }
      }
    },
  );

  it('states how instance states are treated for every instance rule', () => {
    for (const r of rules.filter((x) => x.definition.resourceType === 'AWS::EC2::Instance')) {
      expect(r.definition.lifecycle, r.definition.id).toMatch(/stopped|terminated/);
    }
  });

  it('every policy pack selects real rules and compiles', async () => {
    const files = readdirSync(shippedPoliciesDir()).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const policy = await loadPolicyPack(join(shippedPoliciesDir(), file));
      expect(resolvePolicy(rules, policy, NAMED_CHECKS).length).toBeGreaterThan(0);
    }
  });

  it('ssm-baseline selects every shipped rule', async () => {
    const policy = await loadPolicyPack(join(shippedPoliciesDir(), 'ssm-baseline.yaml'));
    expect(resolvePolicy(rules, policy, NAMED_CHECKS).map((r) => r.id)).toEqual(
      rules.map((r) => r.definition.id),
    );
  });
});
