// StringEquals, StringNotEquals and their IgnoreCase forms: exact string comparison (case-sensitive or not).

import type { ConditionOperator } from './condition-operator.js';

const exact = (policyValue: string) => (contextValue: string) => contextValue === policyValue;
const ignoreCase = (policyValue: string) => {
  const lower = policyValue.toLowerCase();
  return (contextValue: string) => contextValue.toLowerCase() === lower;
};

export const STRING_EQUALS_OPERATORS: readonly ConditionOperator[] = [
  { name: 'StringEquals', negated: false, variables: true, prepare: exact },
  { name: 'StringNotEquals', negated: true, variables: true, prepare: exact },
  { name: 'StringEqualsIgnoreCase', negated: false, variables: true, prepare: ignoreCase },
  { name: 'StringNotEqualsIgnoreCase', negated: true, variables: true, prepare: ignoreCase },
];
