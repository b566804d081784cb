// Route selection for an address set: the set is split along the route table's prefixes and each part takes
// the route with the longest prefix that contains it, so "the internet" is judged address range by range.

import type { Route, RouteTable } from '../../../inventory/model.js';
import {
  PUBLIC_IPV4,
  PUBLIC_IPV6,
  intersectSets,
  mergeSet,
  nat64Set,
  partitionSet,
  type AddressSet,
} from './address-set.js';
import { ANY_IPV6, NAT64_PREFIX, cidrContains, formatCidr, type Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';

/** The destination blocks that one route (or no route) carries. */
export interface RouteLeg {
  /** Undefined when no route covers these blocks: the packets are dropped. */
  route: Route | undefined;
  /** Disjoint blocks, merged where possible. */
  parts: Cidr[];
}

function routeCidr(route: Route, family: 4 | 6, cache: PathCache): Cidr | undefined {
  const text = family === 4 ? route.destinationCidr : route.destinationIpv6Cidr;
  return text === undefined ? undefined : cache.cidr(text);
}

/**
 * Splits `destinations` by the table's routes and gives each part its route. AWS picks "the most specific route
 * that matches the traffic" (longest prefix match), and a blackhole route still wins the match (the packet is
 * then dropped): https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 * Prefix-list routes are left out here: their entries are not in the inventory (callers decide what that means).
 */
export function routeLegs(table: RouteTable, destinations: AddressSet, cache: PathCache): RouteLeg[] {
  const families = new Set(destinations.map((d) => d.family));
  const candidates: { route: Route; cidr: Cidr }[] = [];
  for (const route of table.routes) {
    for (const family of families) {
      const cidr = routeCidr(route, family, cache);
      if (cidr !== undefined) candidates.push({ route, cidr });
    }
  }
  const parts = partitionSet(
    destinations,
    candidates.map((c) => c.cidr),
  );
  const legs = new Map<Route | undefined, Cidr[]>();
  for (const part of parts) {
    let best: { route: Route; cidr: Cidr } | undefined;
    for (const c of candidates) {
      if ((best === undefined || c.cidr.prefix > best.cidr.prefix) && cidrContains(c.cidr, part)) best = c;
    }
    const list = legs.get(best?.route);
    if (list) list.push(part);
    else legs.set(best?.route, [part]);
  }
  return [...legs].map(([route, blocks]) => ({ route, parts: mergeSet(blocks) }));
}

interface Label {
  set: readonly Cidr[];
  label: string;
  /** Names the part of the set inside one block (default: the block itself, as routes name it). */
  partOf?: (block: string) => string;
  /** The number of addresses in the set. */
  size: bigint;
  /** How many of the set's addresses lie in a block, by block ("base/prefix"), as asked. */
  inBlock: Map<string, bigint>;
}

function newLabel(set: readonly Cidr[], label: string, partOf?: (block: string) => string): Label {
  const merged = mergeSet(set);
  return { set: merged, label, ...(partOf ? { partOf } : {}), size: size(merged), inBlock: new Map() };
}

let labels: Label[] | undefined;
const extraLabels = new Map<string, Label>();

/** The named sets, built on first use: the public spaces carry the names of the default routes that stand for them. */
function knownLabels(): Label[] {
  labels ??= [
    newLabel(PUBLIC_IPV4, '0.0.0.0/0'),
    newLabel(PUBLIC_IPV6, formatCidr(ANY_IPV6)),
    newLabel(nat64Set(PUBLIC_IPV4), formatCidr(NAT64_PREFIX)),
  ];
  return extraLabels.size === 0 ? labels : [...labels, ...extraLabels.values()];
}

/**
 * Gives an address set a name for messages ("the AMAZON ranges of eu-west-1"): route tables and rules speak of
 * the blocks people write, not of hundreds of prefixes. `key` identifies the set; registering it again replaces it.
 */
export function labelSet(set: readonly Cidr[], label: string, key: string = label): void {
  extraLabels.set(
    key,
    newLabel(set, label, (block) => `${label} in ${block}`),
  );
}

function size(set: readonly Cidr[]): bigint {
  let n = 0n;
  for (const b of set) n += 1n << BigInt((b.family === 4 ? 32 : 128) - b.prefix);
  return n;
}

function end(b: Cidr): bigint {
  return b.base + (1n << BigInt((b.family === 4 ? 32 : 128) - b.prefix)) - 1n;
}

/** Every block of `parts` lies inside a block of `set`; both sorted and merged (one walk over each). */
function coveredBy(parts: readonly Cidr[], set: readonly Cidr[]): boolean {
  let i = 0;
  for (const p of parts) {
    while (
      i < set.length &&
      (set[i]!.family < p.family || (set[i]!.family === p.family && end(set[i]!) < p.base))
    )
      i++;
    const b = set[i];
    if (b === undefined || !cidrContains(b, p)) return false;
  }
  return true;
}

/** True when `part` holds all but a sliver (at most 1/65536) of `whole` addresses. */
function nearly(part: bigint, whole: bigint): boolean {
  return part <= whole && (whole - part) * 65536n <= whole;
}

/**
 * The name of a labelled set that `merged` fills all but a sliver of (at most 1/65536 missing, e.g. a VPC's own
 * IPv6 block cut out of the public space), so "no route to ::/0" is not spelt out as fifty blocks. Sizes are
 * compared first; the walk that proves containment runs only when they fit.
 */
function labelOf(merged: readonly Cidr[]): string | undefined {
  const mergedSize = size(merged);
  let cover: Cidr | undefined;
  for (const l of knownLabels()) {
    if (l.set[0]?.family !== merged[0]?.family) continue;
    if (nearly(mergedSize, l.size)) {
      if (coveredBy(merged, l.set)) return l.label;
      continue;
    }
    // The public part of one block ("128.0.0.0/1" for its public addresses): named by that block.
    cover ??= coveringBlock(merged);
    const key = `${cover.base}/${cover.prefix}`;
    let inCover = l.inBlock.get(key);
    if (inCover === undefined) {
      inCover = size(intersectSets([cover], l.set));
      l.inBlock.set(key, inCover);
    }
    if (nearly(mergedSize, inCover) && coveredBy(merged, l.set))
      return l.partOf ? l.partOf(formatCidr(cover)) : formatCidr(cover);
  }
  return undefined;
}

/** The smallest single block containing every block of `set` (same family, ascending order assumed). */
function coveringBlock(set: readonly Cidr[]): Cidr {
  const family = set[0]!.family;
  const bits = family === 4 ? 32 : 128;
  const first = set[0]!.base;
  let last = first;
  for (const b of set) {
    const e = end(b);
    if (e > last) last = e;
  }
  // The common leading bits of the lowest and highest address.
  let prefix = 0;
  while (prefix < bits && (first ^ last) >> BigInt(bits - prefix - 1) === 0n) prefix++;
  const maskBits = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { family, base: first & maskBits, prefix };
}

/** Blocks as text for messages, the first few only ("0.0.0.0/1, 128.0.0.0/2 and 3 more"). */
export function describeParts(parts: readonly Cidr[], limit = 3): string {
  if (parts.length > 1) {
    const known = labelOf(mergeSet(parts));
    if (known) return known;
  }
  const shown = parts.slice(0, limit).map(formatCidr).join(', ');
  return parts.length > limit ? `${shown} and ${parts.length - limit} more` : shown;
}
