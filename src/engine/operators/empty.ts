// `empty: true|false`: a list, string or map has no elements; a missing value counts as empty.
import type { Operator } from './operator.js';

function isEmpty(actual: unknown): boolean {
  if (actual === undefined || actual === null) return true;
  if (typeof actual === 'string' || Array.isArray(actual)) return actual.length === 0;
  if (typeof actual === 'object') return Object.keys(actual).length === 0;
  return false;
}

export const empty: Operator = {
  name: 'empty',
  checkOperand: (v) => (typeof v === 'boolean' ? undefined : 'expects true or false'),
  test: (actual, operand) => isEmpty(actual) === operand,
};
