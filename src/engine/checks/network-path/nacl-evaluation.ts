// Network ACL evaluation: one direction, one peer block, a TCP port range; rule-number order, first match
// wins, default deny (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).

import type { NetworkAclEntry } from '../../../inventory/model.js';
import { cidrContains, cidrOverlaps, type Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';

export type PortRange = readonly [from: number, to: number];

export type NaclDecision =
  /** Every port of the range is allowed; `rules` are the entries that allowed it, `partial` those skipped. */
  | { kind: 'allow'; rules: number[]; partial: number[] }
  /** Some port is denied: by `rule`, or by the default deny when `rule` is undefined. */
  | { kind: 'deny'; rule: number | undefined; ports: PortRange; partial: number[] }
  /** Some ports are allowed (`allowed`) and others denied (first by `rule`): it depends on the port used. */
  | { kind: 'mixed'; rule: number | undefined; ports: PortRange; allowed: PortRange[]; partial: number[] }
  /** An entry covers part of the peer block before the decision: the answer depends on the exact address. */
  | { kind: 'ambiguous' };

export interface NaclQuery {
  /** The other end: a single address (/32, /128) or a block when the exact address is unknown. */
  peer: Cidr;
  ports: PortRange;
  /**
   * What to do with an entry that covers only part of the peer block: 'ambiguous' stops (the caller retries
   * with the exact address), 'skip' ignores it (the caller cannot know the address, e.g. an endpoint ENI's).
   */
  onPartial: 'ambiguous' | 'skip';
}

const TCP = '6';
const ALL = '-1';

function subtract(ranges: PortRange[], cut: PortRange): PortRange[] {
  const out: PortRange[] = [];
  for (const [from, to] of ranges) {
    if (cut[1] < from || cut[0] > to) {
      out.push([from, to]);
      continue;
    }
    if (from < cut[0]) out.push([from, cut[0] - 1]);
    if (cut[1] < to) out.push([cut[1] + 1, to]);
  }
  return out;
}

function firstOverlap(ranges: readonly PortRange[], span: PortRange): PortRange | undefined {
  for (const [from, to] of ranges) {
    const lo = Math.max(from, span[0]);
    const hi = Math.min(to, span[1]);
    if (lo <= hi) return [lo, hi];
  }
  return undefined;
}

function overlaps(ranges: readonly PortRange[], span: PortRange): PortRange[] {
  const out: PortRange[] = [];
  for (const [from, to] of ranges) {
    const lo = Math.max(from, span[0]);
    const hi = Math.min(to, span[1]);
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

/**
 * Decides whether TCP traffic to/from `peer` on `ports` passes entries already filtered to one direction. Every
 * port of the range is decided by the first entry (in rule-number order) that matches it; when some ports are
 * allowed and others denied the answer is 'mixed' (which one the connection uses is not known).
 */
export function evaluateNacl(
  entries: readonly NetworkAclEntry[],
  query: NaclQuery,
  cache: PathCache,
): NaclDecision {
  let undecided: PortRange[] = [query.ports];
  const rules: number[] = [];
  const partial: number[] = [];
  const allowed: PortRange[] = [];
  let denied: { rule: number | undefined; ports: PortRange } | undefined;
  for (const entry of entries) {
    // NACL protocols are IANA numbers as strings ("6"), "-1" for all (aws-facts §0 #13).
    if (entry.protocol !== ALL && entry.protocol !== TCP) continue;
    const text = query.peer.family === 4 ? entry.cidrBlock : entry.ipv6CidrBlock;
    const cidr = text === undefined ? undefined : cache.cidr(text);
    if (cidr === undefined) continue;
    const span: PortRange =
      entry.protocol === ALL ? [0, 65535] : [entry.portFrom ?? 0, entry.portTo ?? 65535];
    const overlap = firstOverlap(undecided, span);
    if (overlap === undefined) continue;
    if (!cidrContains(cidr, query.peer)) {
      if (!cidrOverlaps(cidr, query.peer)) continue;
      if (query.onPartial === 'ambiguous') return { kind: 'ambiguous' };
      partial.push(entry.ruleNumber);
      continue;
    }
    if (entry.action === 'deny') denied ??= { rule: entry.ruleNumber, ports: overlap };
    else {
      rules.push(entry.ruleNumber);
      allowed.push(...overlaps(undecided, span));
    }
    undecided = subtract(undecided, span);
    if (undecided.length === 0) break;
  }
  // The catch-all "*" entry (rule 32767 in the API) denies whatever no entry matched.
  if (undecided.length > 0) denied ??= { rule: undefined, ports: undecided[0]! };
  if (denied === undefined) return { kind: 'allow', rules, partial };
  if (allowed.length === 0) return { kind: 'deny', ...denied, partial };
  return { kind: 'mixed', ...denied, allowed, partial };
}

/** "rule 90" or "the default deny rule (*)", for messages. AWS lists the catch-all as 32767 (IPv4) and 32768 (IPv6). */
export function describeNaclRule(rule: number | undefined): string {
  return rule === undefined || rule >= 32767 ? 'the default deny rule (*)' : `rule ${rule}`;
}
