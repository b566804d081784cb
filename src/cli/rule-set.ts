// Loads the shipped rules plus `--rules` folders, and the policy pack, into compiled rules.

import { NAMED_CHECKS } from '../engine/checks/index.js';
import type { CompiledRule } from '../engine/compile-rule.js';
import { shippedRulesDir } from '../package-root.js';
import { loadPolicyPack, resolvePolicy, type LoadedPolicy } from '../policy/policy-pack.js';
import { loadRules } from '../ruleset/load-rules.js';
import { PolicyPackError } from '../errors.js';
import { policyControlFrameworks, type ControlFramework } from '../policy/control-mappings.js';

export interface RuleSetOptions {
  extraRuleDirs?: string[];
  policyFile?: string;
  /** Leave out the shipped rules (for `ssmguard test DIR` and `rules validate DIR`). */
  onlyExtra?: boolean;
}

export interface RuleSet {
  rules: CompiledRule[];
  policy: LoadedPolicy | undefined;
  policyName: string;
  /** The control frameworks the policy names (`controls:`), for the reports' per-control summary. */
  controls: ControlFramework[];
}

export async function loadRuleSet(options: RuleSetOptions): Promise<RuleSet> {
  const dirs = [...(options.onlyExtra ? [] : [shippedRulesDir()]), ...(options.extraRuleDirs ?? [])];
  const loaded = await loadRules(dirs);
  const policy = options.policyFile ? await loadPolicyPack(options.policyFile) : undefined;
  return {
    rules: resolvePolicy(loaded, policy, NAMED_CHECKS),
    policy,
    policyName: policy?.pack.name ?? 'all-rules',
    controls: await policyControls(policy),
  };
}

/** The frameworks a policy's `controls:` names; an unknown one is an error at its position in the policy file. */
async function policyControls(policy: LoadedPolicy | undefined): Promise<ControlFramework[]> {
  const { frameworks, problems } = await policyControlFrameworks(policy);
  if (problems.length > 0) throw new PolicyPackError(problems);
  return frameworks;
}
