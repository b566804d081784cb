// The shape of a rule file (rules/<service>/<id>.yaml) after schema validation; schemas/rule.schema.json is
// the authority and this mirrors it for TypeScript.

import type { Severity } from '../engine/types.js';

/** A literal, or a reference to a rule parameter (`{ param: ports }`) or another path of the resource. */
export type Operand = unknown;

export interface ConditionMeta {
  /** Reason code reported when this condition is the one that fails. */
  reason?: string;
  /** Message template reported when this condition is the one that fails. */
  message?: string;
}

export interface AllCondition extends ConditionMeta {
  all: Condition[];
}
export interface AnyCondition extends ConditionMeta {
  any: Condition[];
}
export interface NotCondition extends ConditionMeta {
  not: Condition;
}
export interface ValueCondition extends ConditionMeta {
  path: string;
  /** How to combine the values when the path crosses a list (`[*]`): default any. */
  match?: 'any' | 'all' | 'none';
  [operator: string]: unknown;
}
export interface CheckCondition extends ConditionMeta {
  check: string;
  with?: Record<string, unknown>;
}

export type Condition = AllCondition | AnyCondition | NotCondition | ValueCondition | CheckCondition;

export interface ParameterSpec {
  description: string;
  /** JSON Schema of the value (type, items, enum, minimum…); the default must validate against it. */
  schema: Record<string, unknown>;
  default: unknown;
}

export type ConfigFrequency = 'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';

export interface RuleDefinition {
  id: string;
  title: string;
  description: string;
  resourceType: string;
  severity: Severity;
  /** The link of the readiness chain this rule checks (credentials, network, patching…). */
  link: string;
  /** How instance states (stopped, pending, terminated) are treated, in words; shown in docs and reports. */
  lifecycle?: string;
  when?: Condition;
  check: Condition;
  reason: string;
  /** Short description of every reason code the rule can report (labels root causes in reports). */
  reasons: Record<string, string>;
  message: string;
  /** Message for COMPLIANT results (optional). */
  passMessage?: string;
  /** Message for NOT_APPLICABLE results when `when` does not hold. */
  notApplicableMessage?: string;
  remediation: { text: string; command?: string };
  references?: string[];
  parameters?: Record<string, ParameterSpec>;
  config?: { triggerTypes: string[]; periodic?: ConfigFrequency };
}

export const isAll = (c: Condition): c is AllCondition => Array.isArray((c as AllCondition).all);
export const isAny = (c: Condition): c is AnyCondition => Array.isArray((c as AnyCondition).any);
export const isNot = (c: Condition): c is NotCondition => typeof (c as NotCondition).not === 'object';
export const isCheck = (c: Condition): c is CheckCondition => typeof (c as CheckCondition).check === 'string';
