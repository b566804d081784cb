// Numeric* operators: the policy value and the context value compared as numbers (integers or decimals).

import type { ConditionOperator } from './condition-operator.js';

/** A number as IAM writes it; anything else never matches (e.g. "ten"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

function numeric(
  name: string,
  negated: boolean,
  compare: (context: number, policy: number) => boolean,
): ConditionOperator {
  return {
    name,
    negated,
    variables: false,
    prepare(policyValue) {
      const policy = parseNumber(policyValue);
      if (policy === undefined) return undefined;
      return (contextValue) => {
        const context = parseNumber(contextValue);
        return context !== undefined && compare(context, policy);
      };
    },
  };
}

export const NUMERIC_OPERATORS: readonly ConditionOperator[] = [
  numeric('NumericEquals', false, (c, p) => c === p),
  numeric('NumericNotEquals', true, (c, p) => c === p),
  numeric('NumericLessThan', false, (c, p) => c < p),
  numeric('NumericLessThanEquals', false, (c, p) => c <= p),
  numeric('NumericGreaterThan', false, (c, p) => c > p),
  numeric('NumericGreaterThanEquals', false, (c, p) => c >= p),
];
