// `withinHours: N`: an ISO timestamp lies at most N hours before the evaluation time (not in the future
// beyond a small clock-skew allowance). A missing or unparsable timestamp fails.
import { isNumber, isString, type Operator } from './operator.js';

const SKEW_MS = 5 * 60 * 1000;

export const withinHours: Operator = {
  name: 'withinHours',
  checkOperand: (v) => (isNumber(v) && v > 0 ? undefined : 'expects a positive number of hours'),
  test(actual, operand, context) {
    if (!isString(actual) || !isNumber(operand)) return false;
    const at = Date.parse(actual);
    if (Number.isNaN(at)) return false;
    const age = context.nowMs - at;
    return age <= operand * 3_600_000 && age >= -SKEW_MS;
  },
};
