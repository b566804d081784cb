// Numeric* operators: the policy value and the context value compared as numbers (integers or decimals).

import type { ConditionOperator } from './condition-operator.js';
import { orderedOperators } from './ordered-comparison.js';

/** A number as IAM writes it; anything else never matches (e.g. "ten"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

export const NUMERIC_OPERATORS: readonly ConditionOperator[] = orderedOperators('Numeric', parseNumber);
