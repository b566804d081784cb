// `in` / `notIn`: membership of a scalar in a list. A missing value is in no list.
import { listOperand, type Operator } from './operator.js';

export const inList: Operator = {
  name: 'in',
  checkOperand: listOperand,
  test: (actual, operand) => Array.isArray(operand) && operand.includes(actual),
};

export const notInList: Operator = {
  name: 'notIn',
  checkOperand: listOperand,
  test: (actual, operand) => !(Array.isArray(operand) && operand.includes(actual)),
};
