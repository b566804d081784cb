// BinaryEquals: base64-encoded values compared byte for byte.

import type { ConditionOperator } from './condition-operator.js';

function decode(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) return undefined;
  return Buffer.from(trimmed, 'base64').toString('hex');
}

export const BINARY_OPERATORS: readonly ConditionOperator[] = [
  {
    name: 'BinaryEquals',
    negated: false,
    variables: false,
    prepare(policyValue) {
      const policy = decode(policyValue);
      if (policy === undefined) return undefined;
      return (contextValue) => decode(contextValue) === policy;
    },
  },
];
