// `contains` (a list holds the value, or a string holds the substring) and `startsWith` (string prefix).
import { isString, scalarOperand, stringOperand, type Operator } from './operator.js';

export const contains: Operator = {
  name: 'contains',
  checkOperand: scalarOperand,
  test: (actual, operand) =>
    Array.isArray(actual)
      ? actual.includes(operand)
      : isString(actual) && isString(operand) && actual.includes(operand),
};

export const startsWith: Operator = {
  name: 'startsWith',
  checkOperand: stringOperand,
  test: (actual, operand) => isString(actual) && isString(operand) && actual.startsWith(operand),
};
