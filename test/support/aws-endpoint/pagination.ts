// Opaque pagination tokens and page-size rules for the loopback endpoint's list operations.

import { createHash, randomBytes } from 'node:crypto';
import { type AwsService, AwsWireError, invalidToken, pageSizeOutOfRange } from './wire-error.js';

/** How an operation sizes its pages: the accepted range and the size used when the caller sends none. */
export interface PageLimits {
  /** Request member carrying the page size (`MaxResults`, `MaxItems`, `limit`…). */
  parameter: string;
  min: number;
  max: number;
  /** Page size when the parameter is absent; `undefined` returns everything in one page (EC2). */
  defaultSize: number | undefined;
  /**
   * Sizes above the maximum are clamped rather than rejected (DescribeVpcEndpoints: "If the value is
   * greater than 1,000, we return only 1,000 items").
   */
  clampAboveMax?: boolean;
}

/** Issues and checks tokens bound to one operation and scope, so a token from elsewhere is rejected. */
export class PageTokens {
  private readonly secret = randomBytes(16).toString('hex');

  issue(scope: string, offset: number): string {
    const payload = `${scope}|${offset}`;
    return Buffer.from(`${payload}|${this.sign(payload)}`).toString('base64url');
  }

  /** The offset a token points at; throws the service's invalid-token error for anything else. */
  offset(service: AwsService, scope: string, token: string): number {
    const text = Buffer.from(token, 'base64url').toString('utf8');
    const cut = text.lastIndexOf('|');
    const payload = text.slice(0, cut);
    const split = payload.lastIndexOf('|');
    const offset = Number(payload.slice(split + 1));
    if (
      cut < 0 ||
      split < 0 ||
      payload.slice(0, split) !== scope ||
      text.slice(cut + 1) !== this.sign(payload)
    ) {
      throw invalidToken(service);
    }
    if (!Number.isInteger(offset) || offset < 0) throw invalidToken(service);
    return offset;
  }

  private sign(payload: string): string {
    return createHash('sha256').update(this.secret).update(payload).digest('hex').slice(0, 16);
  }
}

/** Reads and validates a page size; returns the effective size (or undefined for "everything"). */
export function pageSize(service: AwsService, limits: PageLimits, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return limits.defaultSize;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value)) {
    throw new AwsWireError(
      service === 'ec2' ? 'InvalidParameterValue' : 'ValidationException',
      `Invalid value '${String(raw)}' for ${limits.parameter}`,
    );
  }
  if (value > limits.max && limits.clampAboveMax) return limits.max;
  if (value < limits.min || value > limits.max) {
    throw pageSizeOutOfRange(service, limits.parameter, value, limits.min, limits.max);
  }
  return value;
}

/** One page of `items`: a slice and the token for the rest (undefined on the last page). */
export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Cuts a page starting at `token`. `weight` lets DescribeInstances count instances while cutting only at
 * reservation boundaries (a page always holds at least one entry).
 */
export function cutPage<T>(
  service: AwsService,
  tokens: PageTokens,
  scope: string,
  items: readonly T[],
  size: number | undefined,
  token: unknown,
  weight: (item: T) => number = () => 1,
): Page<T> {
  const start =
    token === undefined || token === null || token === '' ? 0 : tokens.offset(service, scope, String(token));
  if (start > items.length) throw invalidToken(service);
  if (size === undefined) return { items: items.slice(start), nextToken: undefined };
  let end = start;
  let used = 0;
  while (end < items.length) {
    const next = weight(items[end] as T);
    if (end > start && used + next > size) break;
    used += next;
    end += 1;
  }
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? tokens.issue(scope, end) : undefined,
  };
}
