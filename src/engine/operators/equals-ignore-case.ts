// `equalsIgnoreCase`: string equality regardless of case (AWS enums differ in case between model and output).
import { isString, stringOperand, type Operator } from './operator.js';

export const equalsIgnoreCase: Operator = {
  name: 'equalsIgnoreCase',
  checkOperand: stringOperand,
  test: (actual, operand) =>
    isString(actual) && isString(operand) && actual.toLowerCase() === operand.toLowerCase(),
};
