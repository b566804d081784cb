// Picks the rule a Config rule runs (from its InputParameters) out of the embedded rules and compiles it.

import { NAMED_CHECKS } from '../engine/checks/index.js';
import type { CompiledRule } from '../engine/compile-rule.js';
import { CheckerError } from '../errors.js';
import { parsePolicyPack, resolvePolicy, type PolicyPack } from '../policy/policy-pack.js';
import { parseRuleFile } from '../ruleset/load-rules.js';
import type { JsonObject } from '../collectors/api/mapping-context.js';
import type { EmbeddedRules } from './embedded-rules.js';

/** The rule parameters do not name a rule this package carries, or override it wrongly. */
export class RuleSelectionError extends CheckerError {
  readonly code = 'RULE_SELECTION_INVALID';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuleSelectionError';
  }
}

const cache = new Map<string, CompiledRule>();

/**
 * Compiles the rule named by `ruleParameters.ruleId`, with the package's policy pack applied first and the
 * other `ruleParameters` members as parameter overrides on top. Only the selected rule's file is parsed
 * (cold start). Config passes InputParameters values as written, often strings even for numbers, booleans and
 * lists (the console only has text fields), so a string is read as JSON when the parameter is not a string,
 * and as a comma-separated list when that fails for an array. Compiled rules are cached per parameters
 * for warm invocations.
 */
export function selectRule(embedded: EmbeddedRules, ruleParameters: JsonObject): CompiledRule {
  const { ruleId, ...overrides } = ruleParameters;
  if (typeof ruleId !== 'string' || ruleId === '') {
    throw new RuleSelectionError('ruleParameters must name the rule: {"ruleId": "<rule id>"}');
  }
  const key = JSON.stringify([ruleId, overrides]);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;

  const file = embedded.rules.find((f) => ruleIdOf(f.file) === ruleId);
  if (file === undefined) {
    throw new RuleSelectionError(
      `rule "${ruleId}" is not in this package (has: ${embedded.rules.map((f) => ruleIdOf(f.file)).join(', ') || 'none'})`,
    );
  }
  const loaded = parseRuleFile(file.file, file.text);
  const packaged =
    embedded.policy === undefined
      ? undefined
      : parsePolicyPack(embedded.policy.file, embedded.policy.text).pack;
  const base = packaged?.overrides?.[ruleId];
  const specs = loaded.definition.parameters ?? {};
  const parameters: Record<string, unknown> = { ...base?.parameters };
  for (const [name, value] of Object.entries(overrides)) {
    const type = specs[name]?.schema.type;
    parameters[name] = coerce(value, type);
  }
  const pack: PolicyPack = {
    name: 'config-rule',
    description: 'The rule selected by the Config rule InputParameters.',
    rules: { include: [ruleId] },
    overrides: { [ruleId]: { ...(base?.severity !== undefined && { severity: base.severity }), parameters } },
  };
  // JSON is YAML: the pack goes through the same schema validation as a policy file, naming ruleParameters.
  const policy = parsePolicyPack('ruleParameters', JSON.stringify(pack));
  const [compiled] = resolvePolicy([loaded], policy, NAMED_CHECKS);
  if (compiled === undefined) throw new RuleSelectionError(`rule "${ruleId}" did not compile`);
  cache.set(key, compiled);
  return compiled;
}

function ruleIdOf(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return name.replace(/\.ya?ml$/, '');
}

function coerce(value: unknown, type: unknown): unknown {
  if (typeof value !== 'string' || type === 'string' || type === undefined) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Not JSON: "22,3389" is the console's way of writing a list.
    return type === 'array' ? value.split(',').map((part) => coerceScalar(part.trim())) : value;
  }
}

function coerceScalar(text: string): unknown {
  const number = Number(text);
  return text !== '' && Number.isFinite(number) ? number : text;
}
