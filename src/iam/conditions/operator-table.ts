// Every condition operator IAM knows, by name (one file per family beside this one).

import { ARN_OPERATORS } from './arn.js';
import { BINARY_OPERATORS } from './binary-equals.js';
import { BOOL_OPERATORS } from './bool.js';
import type { ConditionOperator } from './condition-operator.js';
import { DATE_OPERATORS } from './date.js';
import { IP_ADDRESS_OPERATORS } from './ip-address.js';
import { NUMERIC_OPERATORS } from './numeric.js';
import { STRING_EQUALS_OPERATORS } from './string-equals.js';
import { STRING_LIKE_OPERATORS } from './string-like.js';

/**
 * Operator names as the IAM User Guide spells them. IAM rejects a policy with any other operator at write time
 * ("Invalid Condition type"), so an unknown name makes the document malformed (ERROR), not a "maybe".
 */
export const CONDITION_OPERATORS: ReadonlyMap<string, ConditionOperator> = new Map(
  [
    ...STRING_EQUALS_OPERATORS,
    ...STRING_LIKE_OPERATORS,
    ...NUMERIC_OPERATORS,
    ...DATE_OPERATORS,
    ...BOOL_OPERATORS,
    ...BINARY_OPERATORS,
    ...IP_ADDRESS_OPERATORS,
    ...ARN_OPERATORS,
  ].map((operator) => [operator.name, operator]),
);
