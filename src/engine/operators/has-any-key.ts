// `hasAnyKey`: a map (tags) has at least one of the given keys, compared exactly (tag keys are case-sensitive).
import { isString, type Operator } from './operator.js';

export const hasAnyKey: Operator = {
  name: 'hasAnyKey',
  checkOperand: (v) =>
    Array.isArray(v) && v.length > 0 && v.every(isString) ? undefined : 'expects a list of keys',
  test: (actual, operand) =>
    actual !== null &&
    typeof actual === 'object' &&
    !Array.isArray(actual) &&
    Array.isArray(operand) &&
    operand.some((key) => isString(key) && Object.hasOwn(actual, key)),
};
