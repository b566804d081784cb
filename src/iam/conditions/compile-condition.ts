// Compiling a statement's Condition block once, and deciding it (true / false / unknown) against a request context.

import type { ConditionOperator, ValueMatcher } from './condition-operator.js';
import { CONDITION_OPERATORS } from './operator-table.js';
import { parseTemplate, resolveTemplate, type TemplateValue } from './policy-variables.js';
import { describeContextValue, type ContextValue, type RequestContext } from './request-context.js';
import { triAnd, triNot, triOr, type Tri } from './tri-state.js';

/** How one operator/key pair of a Condition block came out, for explanations a reviewer can check. */
export interface ConditionTrace {
  /** As written: `ForAnyValue:StringNotEqualsIfExists`. */
  operator: string;
  key: string;
  /** The policy values as written. */
  values: string[];
  /** What the request carried for the key. */
  context: string;
  result: Tri;
}

export interface ConditionOutcome {
  result: Tri;
  trace: ConditionTrace[];
  /** Keys (as written) whose unknown value made the result unknown. */
  unknownKeys: string[];
}

export interface CompiledCondition {
  /** Every key the block reads, lower-cased, including the keys of policy variables. */
  readonly keys: readonly string[];
  evaluate(context: RequestContext): ConditionOutcome;
}

type SetQualifier = 'ForAllValues' | 'ForAnyValue' | undefined;

interface Clause {
  operatorText: string;
  key: string;
  rawValues: string[];
  evaluate(context: RequestContext): { result: Tri; context: ContextValue; unknownKey?: string };
}

/**
 * Validates and compiles a Condition block. Returns a problem string for anything IAM refuses to store: an
 * unknown operator, `IfExists` on `Null`, a value that is not a string, number or boolean (or a list of them).
 * Semantics (IAM User Guide, condition operators; single- vs multivalued keys; aws-facts-2 §3):
 * - operators are ANDed, keys within an operator are ANDed, values of one key are ORed (a negated operator is
 *   true when the context value matches none of them);
 * - a missing key: false for a plain operator, true for a negated one, true with `…IfExists`, true for
 *   `ForAllValues`, false for `ForAnyValue`; `Null: true` tests that the key is absent;
 * - a key whose value no inventory holds makes the clause `unknown`, unless the clause cannot depend on it.
 */
export function compileCondition(
  block: Record<string, Record<string, unknown>>,
  policyVariables: boolean,
): CompiledCondition | string {
  const clauses: Clause[] = [];
  const keys = new Set<string>();
  for (const [operatorText, entries] of Object.entries(block)) {
    const parsed = parseOperatorName(operatorText);
    if (typeof parsed === 'string') return parsed;
    for (const [key, rawValue] of Object.entries(entries)) {
      const values = conditionValues(rawValue);
      if (values === undefined)
        return `Condition ${operatorText} ${key}: values must be strings, numbers or booleans (or a list of them)`;
      keys.add(key.toLowerCase());
      const clause =
        parsed.kind === 'null'
          ? nullClause(operatorText, key, values)
          : valueClause(operatorText, key, values, parsed, policyVariables);
      if (typeof clause === 'string') return clause;
      if (parsed.kind === 'value' && parsed.operator.variables)
        for (const v of values)
          for (const k of parseTemplate(v, policyVariables).keys) keys.add(k.toLowerCase());
      clauses.push(clause);
    }
  }
  return {
    keys: [...keys],
    evaluate(context) {
      const trace: ConditionTrace[] = [];
      const unknownKeys: string[] = [];
      const results: Tri[] = [];
      for (const clause of clauses) {
        const out = clause.evaluate(context);
        results.push(out.result);
        if (out.result === 'unknown' && out.unknownKey !== undefined && !unknownKeys.includes(out.unknownKey))
          unknownKeys.push(out.unknownKey);
        trace.push({
          operator: clause.operatorText,
          key: clause.key,
          values: clause.rawValues,
          context: describeContextValue(out.context),
          result: out.result,
        });
      }
      return { result: triAnd(results), trace, unknownKeys };
    },
  };
}

type ParsedOperator =
  | { kind: 'null' }
  | { kind: 'value'; operator: ConditionOperator; qualifier: SetQualifier; ifExists: boolean };

function parseOperatorName(text: string): ParsedOperator | string {
  let name = text;
  let qualifier: SetQualifier;
  const colon = name.indexOf(':');
  if (colon !== -1) {
    const prefix = name.slice(0, colon);
    if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue')
      return `Condition operator "${text}": only ForAllValues: and ForAnyValue: may qualify an operator`;
    qualifier = prefix;
    name = name.slice(colon + 1);
  }
  if (name === 'Null')
    return qualifier === undefined
      ? { kind: 'null' }
      : `Condition operator "${text}": Null takes no set qualifier`;
  const ifExists = name.endsWith('IfExists');
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  if (name === 'Null') return `Condition operator "${text}": IfExists cannot be added to Null`;
  const operator = CONDITION_OPERATORS.get(name);
  if (operator === undefined) return `Condition operator "${text}" is not an IAM condition operator`;
  return { kind: 'value', operator, qualifier, ifExists };
}

function conditionValues(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else return undefined;
  }
  return out;
}

function nullClause(operatorText: string, key: string, values: string[]): Clause | string {
  const wanted = values.map((v) => v.toLowerCase());
  if (wanted.some((v) => v !== 'true' && v !== 'false'))
    return `Condition Null ${key}: values must be "true" or "false"`;
  return {
    operatorText,
    key,
    rawValues: values,
    evaluate(context) {
      const found = context.lookup(key);
      if (found.kind === 'unknown') return { result: 'unknown', context: found, unknownKey: key };
      // "true" asks "is the key absent?"; an empty multivalued key counts as absent (IAM User Guide, Null).
      const absent = found.kind === 'absent' || found.values.length === 0;
      return { result: wanted.some((v) => (v === 'true') === absent), context: found };
    },
  };
}

/**
 * One policy value prepared against a context: a matcher, never-matches (an unusable value), a variable whose key
 * the request lacks, or unknown.
 */
type PreparedValue = ValueMatcher | 'absent' | { absentKey: string } | { unknownKey: string };

function valueClause(
  operatorText: string,
  key: string,
  values: string[],
  parsed: Extract<ParsedOperator, { kind: 'value' }>,
  policyVariables: boolean,
): Clause | string {
  const { operator, qualifier, ifExists } = parsed;
  const templates: TemplateValue[] = values.map((v) =>
    parseTemplate(v, policyVariables && operator.variables),
  );
  const fixed: (ValueMatcher | undefined)[] = templates.map((t) =>
    t.keys.length === 0 ? operator.prepare(t.raw) : undefined,
  );
  const hasVariables = templates.some((t) => t.keys.length > 0);
  const prepare = (context: RequestContext): PreparedValue[] =>
    templates.map((t, i): PreparedValue => {
      if (t.keys.length === 0) return fixed[i] ?? 'absent';
      const resolved = resolveTemplate(t, context);
      if (resolved.kind === 'unknown') return { unknownKey: resolved.key };
      if (resolved.kind === 'absent') return { absentKey: resolved.key };
      return operator.prepare(resolved.text) ?? 'absent';
    });
  const staticValues = hasVariables ? undefined : prepare({ lookup: () => ({ kind: 'absent' }) });
  return {
    operatorText,
    key,
    rawValues: values,
    evaluate(context) {
      const found = context.lookup(key);
      if (found.kind === 'unknown') return { result: 'unknown', context: found, unknownKey: key };
      const contextValues = found.kind === 'absent' ? [] : found.values;
      if (contextValues.length === 0) {
        // The missing-key rules (aws-facts-2 §3): IfExists and ForAllValues pass, ForAnyValue fails, a negated
        // operator passes, a plain one fails.
        if (ifExists || qualifier === 'ForAllValues') return { result: true, context: found };
        if (qualifier === 'ForAnyValue') return { result: false, context: found };
        return { result: operator.negated, context: found };
      }
      const prepared = staticValues ?? prepare(context);
      let unknownKey: string | undefined;
      const matchesAny = (contextValue: string): Tri =>
        triOr(
          prepared.map((p): Tri => {
            if (p === 'absent') return false;
            if (typeof p === 'function') return p(contextValue);
            if ('absentKey' in p) {
              // A variable whose key is missing matches nothing in a positive operator. What a negated operator
              // makes of it is not documented, so it stays open ("cannot be verified") rather than a guess.
              if (!operator.negated) return false;
              unknownKey ??= `${p.absentKey} (absent, used as a policy variable)`;
              return 'unknown';
            }
            unknownKey ??= p.unknownKey;
            return 'unknown';
          }),
        );
      // For a negated operator a value "passes" when it matches none of the policy values.
      const passes = (v: string): Tri => (operator.negated ? triNot(matchesAny(v)) : matchesAny(v));
      let result: Tri;
      if (qualifier === 'ForAllValues') result = triAnd(contextValues.map(passes));
      else if (qualifier === 'ForAnyValue') result = triOr(contextValues.map(passes));
      else result = operator.negated ? triAnd(contextValues.map(passes)) : triOr(contextValues.map(passes));
      return unknownKey === undefined ? { result, context: found } : { result, context: found, unknownKey };
    },
  };
}
