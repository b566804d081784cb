// The contract every condition operator file implements (String*, Numeric*, Date*, Bool, Binary, IP, Arn*).

/** Compares one context value with the prepared policy value. */
export type ValueMatcher = (contextValue: string) => boolean;

/**
 * One base operator. A negated operator (StringNotEquals, NotIpAddress, ArnNotLike …) is written as its positive
 * comparison with `negated: true`: the evaluator negates "matches any policy value", and applies AWS's rule that
 * a negated operator is true when the key is missing
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */
export interface ConditionOperator {
  name: string;
  negated: boolean;
  /** Policy variables are substituted only in string and ARN operators (IAM User Guide, policy variables). */
  variables: boolean;
  /** Prepares one policy value; undefined when IAM could never match it (an unparsable number, date, CIDR). */
  prepare(policyValue: string): ValueMatcher | undefined;
}
