// Reading a Terraform plan's attribute values together with which of them are "(known after apply)" and how the
// configuration declared them, as one walkable node.

import { unresolved, type Maybe, type Unresolved } from './deploy-model.js';

/**
 * One attribute (or nested block) of a planned resource: its planned value, the matching part of
 * `change.after_unknown` (true where the value is known after apply), and the matching part of the
 * configuration's `expressions` (undefined where the configuration does not set it).
 */
export interface PlanNode {
  readonly value: unknown;
  readonly unknown: unknown;
  readonly expression: unknown;
}

export const KNOWN_AFTER_APPLY = 'known after apply';

export function afterApply(): Unresolved {
  return unresolved(KNOWN_AFTER_APPLY);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A nested block is declared either block by block (`[{ key: { constant_value } }]`) or, when the configuration
 * sets it as one expression (attribute-as-blocks: `route = [...]`, a reference), by that one expression, which then
 * stands for every attribute inside.
 */
function isWholeExpression(expression: unknown): boolean {
  return isRecord(expression) && ('references' in expression || 'constant_value' in expression);
}

function expressionInside(expression: unknown, key: string | number): unknown {
  if (isWholeExpression(expression)) return expression;
  if (typeof key === 'number') return Array.isArray(expression) ? expression[key] : undefined;
  return isRecord(expression) ? expression[key] : undefined;
}

export function child(node: PlanNode, key: string): PlanNode {
  return {
    value: isRecord(node.value) ? node.value[key] : undefined,
    unknown: node.unknown === true ? true : isRecord(node.unknown) ? node.unknown[key] : undefined,
    expression: expressionInside(node.expression, key),
  };
}

function itemAt(node: PlanNode, index: number): PlanNode {
  return {
    value: Array.isArray(node.value) ? node.value[index] : undefined,
    unknown: node.unknown === true ? true : Array.isArray(node.unknown) ? node.unknown[index] : undefined,
    expression: expressionInside(node.expression, index),
  };
}

/** The elements of a list or block list; [] when it is unknown as a whole or unset. */
export function items(node: PlanNode): PlanNode[] {
  const length = Math.max(
    Array.isArray(node.value) ? node.value.length : 0,
    Array.isArray(node.unknown) ? node.unknown.length : 0,
  );
  return Array.from({ length }, (_, index) => itemAt(node, index));
}

/** The first block of a block list (Terraform spells a single nested block as a one-element list). */
export function firstBlock(node: PlanNode): PlanNode | undefined {
  return items(node)[0];
}

export function isUnknown(node: PlanNode): boolean {
  return node.unknown === true;
}

/** The configuration sets this attribute (a constant, or an expression with references). */
export function isDeclared(node: PlanNode): boolean {
  return node.expression !== undefined;
}

export function readText(node: PlanNode): Maybe<string> | undefined {
  if (isUnknown(node)) return afterApply();
  return typeof node.value === 'string' ? node.value : undefined;
}

/** A string the provider returns as "" for an unset value (route targets, NACL IPv6 blocks). */
export function readNonEmptyText(node: PlanNode): Maybe<string> | undefined {
  const text = readText(node);
  return text === '' ? undefined : text;
}

export function readNumber(node: PlanNode): Maybe<number> | undefined {
  if (isUnknown(node)) return afterApply();
  return typeof node.value === 'number' ? node.value : undefined;
}

export function readBoolean(node: PlanNode): Maybe<boolean> | undefined {
  if (isUnknown(node)) return afterApply();
  return typeof node.value === 'boolean' ? node.value : undefined;
}

export function readTextList(node: PlanNode): Maybe<Maybe<string>[]> | undefined {
  if (isUnknown(node)) return afterApply();
  if (!Array.isArray(node.value) && !Array.isArray(node.unknown)) return undefined;
  return items(node).flatMap((item) => {
    const text = readText(item);
    return text === undefined ? [] : [text];
  });
}

/** A map of strings (tags): known entries, with an unknown entry as Unresolved. */
export function readTextMap(node: PlanNode): { key: string; value: Maybe<string> }[] {
  if (!isRecord(node.value) && !isRecord(node.unknown)) return [];
  const keys = new Set([
    ...(isRecord(node.value) ? Object.keys(node.value) : []),
    ...(isRecord(node.unknown) ? Object.keys(node.unknown) : []),
  ]);
  return [...keys].sort().flatMap((key) => {
    const value = readText(child(node, key));
    return value === undefined ? [] : [{ key, value }];
  });
}

/** A policy document attribute (a JSON string in the plan) as the parsed document. */
export function readPolicyDocument(node: PlanNode): Maybe<unknown> | undefined {
  const text = readText(node);
  if (text === undefined || typeof text !== 'string') return text;
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return unresolved(`policy document is not JSON: ${error.message}`);
    throw error;
  }
}

/**
 * An attribute the configuration does not set but the provider computes: AWS's default applies, so the model
 * leaves it absent (as a template that omits it) instead of Unresolved.
 */
export function whenDeclaredOrKnown<T>(node: PlanNode, read: (node: PlanNode) => T): T | undefined {
  return isUnknown(node) && !isDeclared(node) ? undefined : read(node);
}
