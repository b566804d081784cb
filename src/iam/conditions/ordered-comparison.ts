// The six ordered comparisons IAM defines for a family of values (Numeric*, Date*), built from one parser.

import type { ConditionOperator } from './condition-operator.js';

type Compare = (context: number, policy: number) => boolean;

const COMPARISONS: readonly [suffix: string, negated: boolean, compare: Compare][] = [
  ['Equals', false, (c, p) => c === p],
  // Negated: true when the key is missing (the caller's missing-key rule), otherwise "not equal".
  ['NotEquals', true, (c, p) => c === p],
  ['LessThan', false, (c, p) => c < p],
  ['LessThanEquals', false, (c, p) => c <= p],
  ['GreaterThan', false, (c, p) => c > p],
  ['GreaterThanEquals', false, (c, p) => c >= p],
];

/** `Equals` … `GreaterThanEquals` for one family; a value the parser refuses never matches. */
export function orderedOperators(
  family: string,
  parse: (text: string) => number | undefined,
): readonly ConditionOperator[] {
  return COMPARISONS.map(([suffix, negated, compare]) => ({
    name: `${family}${suffix}`,
    negated,
    variables: false,
    prepare(policyValue: string) {
      const policy = parse(policyValue);
      if (policy === undefined) return undefined;
      return (contextValue: string) => {
        const context = parse(contextValue);
        return context !== undefined && compare(context, policy);
      };
    },
  }));
}
