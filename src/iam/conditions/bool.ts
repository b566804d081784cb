// Bool: "true"/"false" compared case-insensitively (aws:SecureTransport, aws:ViaAWSService, aws:MultiFactorAuthPresent).

import type { ConditionOperator } from './condition-operator.js';

export const BOOL_OPERATORS: readonly ConditionOperator[] = [
  {
    name: 'Bool',
    negated: false,
    variables: false,
    prepare(policyValue) {
      const policy = policyValue.trim().toLowerCase();
      if (policy !== 'true' && policy !== 'false') return undefined;
      return (contextValue) => contextValue.trim().toLowerCase() === policy;
    },
  },
];
