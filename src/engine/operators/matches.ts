// `matches`: a string matches a regular expression (compiled once per pattern).
import { isString, type Operator } from './operator.js';

const cache = new Map<string, RegExp>();
function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    cache.set(pattern, re);
  }
  return re;
}

export const matches: Operator = {
  name: 'matches',
  checkOperand(v) {
    if (!isString(v)) return 'expects a regular expression string';
    try {
      compile(v);
      return undefined;
    } catch (error) {
      return `invalid regular expression: ${(error as Error).message}`;
    }
  },
  test: (actual, operand) => isString(actual) && isString(operand) && compile(operand).test(actual),
};
