// The contract every value operator implements (one operator per file in this folder).

export interface OperatorContext {
  /** Evaluation time in epoch milliseconds (the engine reads no clock). */
  nowMs: number;
}

export interface Operator {
  name: string;
  /** Returns a problem with a literal operand (checked at load time), or undefined when it is usable. */
  checkOperand(operand: unknown): string | undefined;
  /** True when the actual value satisfies the operator. Missing or wrong-typed values give false. */
  test(actual: unknown, operand: unknown, context: OperatorContext): boolean;
}

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isScalar = (v: unknown): boolean => isString(v) || isNumber(v) || typeof v === 'boolean';
export const scalarOperand = (v: unknown): string | undefined =>
  isScalar(v) ? undefined : 'expects a string, number or boolean';
export const listOperand = (v: unknown): string | undefined =>
  Array.isArray(v) && v.every(isScalar) ? undefined : 'expects a list of strings, numbers or booleans';
export const numberOperand = (v: unknown): string | undefined =>
  isNumber(v) ? undefined : 'expects a number';
export const stringOperand = (v: unknown): string | undefined =>
  isString(v) ? undefined : 'expects a string';
