// StringLike and StringNotLike: case-sensitive match with `*` (any run) and `?` (one character) wildcards.

import { globMatch } from '../glob-match.js';
import type { ConditionOperator } from './condition-operator.js';

const like = (policyValue: string) => (contextValue: string) => globMatch(policyValue, contextValue);

export const STRING_LIKE_OPERATORS: readonly ConditionOperator[] = [
  { name: 'StringLike', negated: false, variables: true, prepare: like },
  { name: 'StringNotLike', negated: true, variables: true, prepare: like },
];
