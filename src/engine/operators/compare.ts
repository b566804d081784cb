// `lt`, `lte`, `gt`, `gte`: numeric comparison; a missing or non-numeric value fails every comparison.
import { isNumber, numberOperand, type Operator } from './operator.js';

function comparison(name: string, compare: (a: number, b: number) => boolean): Operator {
  return {
    name,
    checkOperand: numberOperand,
    test: (actual, operand) => isNumber(actual) && isNumber(operand) && compare(actual, operand),
  };
}

export const lt = comparison('lt', (a, b) => a < b);
export const lte = comparison('lte', (a, b) => a <= b);
export const gt = comparison('gt', (a, b) => a > b);
export const gte = comparison('gte', (a, b) => a >= b);
