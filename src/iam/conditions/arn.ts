// ArnEquals, ArnLike, ArnNotEquals, ArnNotLike: each of the six colon-separated ARN parts matched with wildcards.

import { globMatch } from '../glob-match.js';
import type { ConditionOperator } from './condition-operator.js';

/** The six parts of an ARN (arn:partition:service:region:account:resource); the resource part keeps its colons. */
export function arnParts(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * ArnEquals and ArnLike behave alike: "Each of the six colon-delimited components of the ARN is checked
 * separately and each can include multi-character match wildcards (*) or single-character match wildcards (?)"
 * (IAM User Guide, ARN condition operators). Case-sensitive.
 */
const arnLike = (policyValue: string) => {
  if (/^\*+$/.test(policyValue)) return () => true;
  const policy = arnParts(policyValue);
  if (policy === undefined) return undefined;
  return (contextValue: string) => {
    const context = arnParts(contextValue);
    return context !== undefined && policy.every((part, i) => globMatch(part, context[i]!));
  };
};

export const ARN_OPERATORS: readonly ConditionOperator[] = [
  { name: 'ArnEquals', negated: false, variables: true, prepare: arnLike },
  { name: 'ArnLike', negated: false, variables: true, prepare: arnLike },
  { name: 'ArnNotEquals', negated: true, variables: true, prepare: arnLike },
  { name: 'ArnNotLike', negated: true, variables: true, prepare: arnLike },
];
