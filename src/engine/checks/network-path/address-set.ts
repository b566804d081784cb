// Address sets as lists of disjoint CIDR blocks: the public destinations the agent may use, split along the
// prefixes of a route table, NACL or security group so that each part is decided by exactly one entry.

import { blockSize, cidrContains, cidrOverlaps, lastAddressOf, parseCidr, type Cidr } from './cidr.js';

/** A set of addresses as disjoint blocks, in ascending address order within each family. */
export type AddressSet = readonly Cidr[];

function halves(block: Cidr): [Cidr, Cidr] {
  const prefix = block.prefix + 1;
  const bit = blockSize(block.family, prefix);
  return [
    { family: block.family, base: block.base, prefix },
    { family: block.family, base: block.base | bit, prefix },
  ];
}

function splitBlock(block: Cidr, prefixes: readonly Cidr[], out: Cidr[]): void {
  // Only prefixes strictly inside the block split it; one that covers the block (or misses it) decides it whole.
  const inside = prefixes.filter((p) => p.prefix > block.prefix && cidrContains(block, p));
  if (inside.length === 0) {
    out.push(block);
    return;
  }
  for (const half of halves(block)) splitBlock(half, inside, out);
}

/**
 * Splits every block of `set` so that each resulting part lies wholly inside or wholly outside each of
 * `prefixes` (other families are ignored). The parts cover exactly the same addresses as `set`; there are at
 * most one more part per prefix bit below the block, so a table of a few dozen prefixes gives a few hundred.
 */
export function partitionSet(set: AddressSet, prefixes: readonly Cidr[]): Cidr[] {
  const out: Cidr[] = [];
  for (const block of set) {
    const relevant = prefixes.filter((p) => p.family === block.family && cidrOverlaps(p, block));
    splitBlock(block, relevant, out);
  }
  return out;
}

/** The addresses of `set` outside every block of `cut`. */
export function subtractSet(set: AddressSet, cut: readonly Cidr[]): Cidr[] {
  return partitionSet(set, cut).filter((part) => !cut.some((c) => cidrContains(c, part)));
}

function compareBlocks(x: Cidr, y: Cidr): number {
  if (x.family !== y.family) return x.family - y.family;
  if (x.base !== y.base) return x.base < y.base ? -1 : 1;
  return x.prefix - y.prefix;
}

const IPV6_OFFSET = 1n << 32n;

/** Where a block ends, as one sortable position over both families (IPv4 before IPv6). */
function endPosition(block: Cidr): bigint {
  const last = lastAddressOf(block);
  return block.family === 4 ? last : IPV6_OFFSET + last;
}

/**
 * The addresses in both sets, in ascending order. Two CIDR blocks are either disjoint or one holds the other,
 * so one walk over both sorted lists finds every overlap (the smaller block of each overlapping pair).
 */
export function intersectSets(a: AddressSet, b: AddressSet): Cidr[] {
  const x = [...a].sort(compareBlocks);
  const y = [...b].sort(compareBlocks);
  const out: Cidr[] = [];
  let i = 0;
  let j = 0;
  // Each block's end is computed once, when the walk reaches it (not once per step).
  let pEnd = x.length > 0 ? endPosition(x[0]!) : 0n;
  let qEnd = y.length > 0 ? endPosition(y[0]!) : 0n;
  while (i < x.length && j < y.length) {
    const p = x[i]!;
    const q = y[j]!;
    if (p.family === q.family && cidrOverlaps(p, q)) out.push(p.prefix >= q.prefix ? p : q);
    // The block that ends first can overlap nothing further on.
    if (pEnd <= qEnd) {
      i++;
      if (i < x.length) pEnd = endPosition(x[i]!);
    } else {
      j++;
      if (j < y.length) qEnd = endPosition(y[j]!);
    }
  }
  return out;
}

/** The same addresses as disjoint blocks: a block inside another of the list is dropped (published lists nest). */
export function disjointSet(set: AddressSet): Cidr[] {
  const out: Cidr[] = [];
  for (const block of [...set].sort(compareBlocks)) {
    const last = out[out.length - 1];
    if (last !== undefined && last.family === block.family && cidrContains(last, block)) continue;
    out.push(block);
  }
  return out;
}

/** True when `low` and `high` are the two halves of one block, in that order. */
function areSiblings(low: Cidr, high: Cidr): boolean {
  if (low.family !== high.family || low.prefix !== high.prefix || low.prefix === 0) return false;
  const bit = blockSize(low.family, low.prefix);
  return (low.base & bit) === 0n && (low.base | bit) === high.base;
}

/** Joins sibling blocks back into their parent wherever both halves are present, for shorter messages. */
export function mergeSet(set: AddressSet): Cidr[] {
  const sorted = [...set].sort((x, y) =>
    x.family !== y.family ? x.family - y.family : x.base < y.base ? -1 : x.base > y.base ? 1 : 0,
  );
  const stack: Cidr[] = [];
  for (const block of sorted) {
    let current = block;
    let top = stack[stack.length - 1];
    while (top !== undefined && areSiblings(top, current)) {
      stack.pop();
      current = { family: top.family, base: top.base, prefix: top.prefix - 1 };
      top = stack[stack.length - 1];
    }
    stack.push(current);
  }
  return stack;
}

function blocks(texts: readonly string[]): Cidr[] {
  return texts.map((t) => parseCidr(t)!);
}

/**
 * Special-purpose IPv4 space that never holds a public AWS service endpoint (RFC 6890: "this network", private
 * use, shared address space, loopback, link local, multicast and reserved).
 */
const NON_PUBLIC_IPV4 = blocks([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
]);

/** Every public IPv4 address: where a regional public endpoint may be when ip-ranges.json is not supplied. */
export const PUBLIC_IPV4: AddressSet = subtractSet([{ family: 4, base: 0n, prefix: 0 }], NON_PUBLIC_IPV4);

/** IPv6 global unicast space (RFC 4291 §2.4): where a dual-stack endpoint's IPv6 addresses may be. */
export const PUBLIC_IPV6: AddressSet = blocks(['2000::/3']);

/** The NAT64 well-known prefix (RFC 6052) applied to an IPv4 set: the addresses DNS64 synthesises for it. */
export function nat64Set(ipv4: AddressSet): Cidr[] {
  const prefix = parseCidr('64:ff9b::/96')!;
  return ipv4
    .filter((b) => b.family === 4)
    .map((b) => ({ family: 6 as const, base: prefix.base | b.base, prefix: 96 + b.prefix }));
}

/** The IPv4 addresses a NAT64 set stands for (the inverse of nat64Set). */
export function ipv4OfNat64(set: AddressSet): Cidr[] {
  return set
    .filter((b) => b.family === 6 && b.prefix >= 96)
    .map((b) => ({ family: 4 as const, base: b.base & 0xffffffffn, prefix: b.prefix - 96 }));
}
