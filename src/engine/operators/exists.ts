// `exists: true|false`: the path resolves to a value (not undefined or null).
import type { Operator } from './operator.js';

export const exists: Operator = {
  name: 'exists',
  checkOperand: (v) => (typeof v === 'boolean' ? undefined : 'expects true or false'),
  test: (actual, operand) => (actual !== undefined && actual !== null) === operand,
};
