// `equals` / `notEquals`: strict equality of scalars. A missing value is "not equal" to anything.
import { scalarOperand, type Operator } from './operator.js';

export const equals: Operator = {
  name: 'equals',
  checkOperand: scalarOperand,
  test: (actual, operand) => actual === operand,
};

export const notEquals: Operator = {
  name: 'notEquals',
  checkOperand: scalarOperand,
  test: (actual, operand) => actual !== operand,
};
