// Policy packs (policies/*.yaml): rule selection, parameter and severity overrides, waivers; resolving them
// against the loaded rules into compiled rules the engine runs.

import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import policySchema from '../../schemas/policy.schema.json' with { type: 'json' };
import { PolicyPackError, RuleFileError, RuleSetError } from '../errors.js';
import { compileRule, type CompiledRule } from '../engine/compile-rule.js';
import type { AnyNamedCheck } from '../engine/checks/named-check.js';
import type { Severity } from '../engine/types.js';
import type { LoadedRule } from '../ruleset/load-rules.js';
import { errorAt, parseYamlSource, type YamlSource } from '../ruleset/yaml-source.js';
import { inReadingOrder, schemaProblems } from '../ruleset/schema-problems.js';
import { checkWaiverHorizon, parseWaivers, type Waiver, type WaiverSettings } from './waivers.js';

export interface PolicyPack {
  name: string;
  description: string;
  rules: { include: string[]; exclude?: string[] };
  overrides?: Record<string, { severity?: Severity; parameters?: Record<string, unknown> }>;
  /** Control frameworks whose per-control summary reports carry (policies/controls/<framework>.yaml). */
  controls?: string[];
  /** As written; `LoadedPolicy.waivers` holds them parsed. */
  waivers?: Record<string, unknown>[];
  /** Limits on the waivers: the furthest expiry, and the team handles an owner may name. */
  waiverSettings?: WaiverSettings;
}

export interface LoadedPolicy {
  pack: PolicyPack;
  file: string;
  source: YamlSource;
  waivers: Waiver[];
}

/** The pack used when none is given: every loaded rule with its defaults. */
export const DEFAULT_POLICY: PolicyPack = {
  name: 'all-rules',
  description: 'Every loaded rule with its default parameters.',
  rules: { include: ['*'] },
};

let validator: ReturnType<Ajv2020['compile']> | undefined;

/** Every problem of a policy pack on its own (schemas/policy.schema.json, then its waivers), and the pack when none. */
export function checkPolicyPack(
  file: string,
  text: string,
): { policy?: LoadedPolicy; pack?: PolicyPack; source?: YamlSource; problems: RuleFileError[] } {
  let source: YamlSource;
  try {
    source = parseYamlSource(file, text);
  } catch (error) {
    if (error instanceof RuleFileError) return { problems: [error] };
    throw error;
  }
  validator ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(policySchema);
  if (!validator(source.value)) {
    const problems = schemaProblems(validator.errors ?? []).map(({ yamlPath, detail }) =>
      errorAt(source, yamlPath, detail),
    );
    return { source, problems };
  }
  const pack = source.value as PolicyPack;
  try {
    return {
      policy: { pack, file, source, waivers: parseWaivers(source, pack.waivers, pack.waiverSettings) },
      pack,
      source,
      problems: [],
    };
  } catch (error) {
    if (error instanceof RuleSetError) return { pack, source, problems: inReadingOrder(error.errors) };
    throw error;
  }
}

/** Parses a policy pack; errors name the file, line and YAML path (all of them, when there are several). */
export function parsePolicyPack(file: string, text: string): LoadedPolicy {
  const { policy, problems } = checkPolicyPack(file, text);
  if (policy) return policy;
  throw new PolicyPackError(problems);
}

/**
 * Checks the pack's waivers against the evaluation time: none may expire past its horizon (see
 * checkWaiverHorizon). Every command that applies waivers calls this with the time it judges them at.
 */
export function checkPolicyAt(policy: LoadedPolicy | undefined, atMs: number): void {
  if (policy) checkWaiverHorizon(policy.source, policy.waivers, atMs, policy.pack.waiverSettings);
}

export async function loadPolicyPack(file: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RuleFileError(
      file,
      '',
      `cannot read policy: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return parsePolicyPack(file, text);
}

let paramAjv: Ajv2020 | undefined;
function validateParameter(schema: Record<string, unknown>, value: unknown): string | undefined {
  paramAjv ??= new Ajv2020({ strict: false });
  const validate = paramAjv.compile(schema);
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  return `${e?.instancePath || 'value'} ${e?.message ?? 'is invalid'}`;
}

/**
 * Selects and compiles the rules a policy asks for. Unknown rule ids, unknown parameters and values that break a
 * parameter's schema are errors naming the policy file and the YAML path; rule compile errors name the rule file.
 */
export function resolvePolicy(
  rules: readonly LoadedRule[],
  policy: LoadedPolicy | undefined,
  checks: ReadonlyMap<string, AnyNamedCheck>,
): CompiledRule[] {
  const pack = policy?.pack ?? DEFAULT_POLICY;
  const errors: RuleFileError[] = [];
  const fail = (yamlPath: string, detail: string): void => {
    errors.push(
      policy
        ? errorAt(policy.source, yamlPath, detail)
        : new RuleFileError('(default policy)', yamlPath, detail),
    );
  };
  const byId = new Map(rules.map((r) => [r.definition.id, r]));
  const selected = new Set<string>();
  pack.rules.include.forEach((id, i) => {
    if (id === '*') rules.forEach((r) => selected.add(r.definition.id));
    else if (byId.has(id)) selected.add(id);
    else fail(`rules.include[${i}]`, `unknown rule id "${id}"`);
  });
  (pack.rules.exclude ?? []).forEach((id, i) => {
    if (!byId.has(id)) fail(`rules.exclude[${i}]`, `unknown rule id "${id}"`);
    selected.delete(id);
  });
  for (const id of Object.keys(pack.overrides ?? {})) {
    if (!byId.has(id)) fail(`overrides.${id}`, `unknown rule id "${id}"`);
  }
  for (const w of policy?.waivers ?? []) {
    if (w.ruleId !== '*' && !byId.has(w.ruleId)) fail(`${w.yamlPath}.rule`, `unknown rule id "${w.ruleId}"`);
  }

  // Parameters of every override are checked, selected or not, so a typo never hides until the rule is enabled.
  const paramsById = new Map<string, Record<string, unknown>>();
  for (const [id, loaded] of byId) {
    const override = pack.overrides?.[id];
    const specs = loaded.definition.parameters ?? {};
    const params: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(specs)) params[name] = structuredClone(spec.default);
    for (const [name, value] of Object.entries(override?.parameters ?? {})) {
      const spec = specs[name];
      if (!spec) {
        fail(
          `overrides.${id}.parameters.${name}`,
          `rule ${id} has no parameter "${name}" (has: ${Object.keys(specs).join(', ') || 'none'})`,
        );
        continue;
      }
      const problem = validateParameter(spec.schema, value);
      if (problem) fail(`overrides.${id}.parameters.${name}`, `parameter "${name}": ${problem}`);
      else params[name] = value;
    }
    paramsById.set(id, params);
  }

  const compiled: CompiledRule[] = [];
  for (const id of [...selected].sort()) {
    const loaded = byId.get(id)!;
    const override = pack.overrides?.[id];
    const params = paramsById.get(id)!;
    try {
      compiled.push(compileRule(loaded, { params, severity: override?.severity, checks }));
    } catch (error) {
      if (error instanceof RuleFileError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) throw new RuleSetError(errors);
  return compiled;
}
