// CIDR math for IPv4 and IPv6: parsing, containment, overlap and longest-prefix match, on bigint addresses.

/** An address block: family, the network address (host bits cleared) and the prefix length. */
export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  // An embedded dotted quad ("::ffff:10.0.0.1", "64:ff9b::192.0.2.1") stands for the last two groups.
  if (head.includes('.')) {
    const lastColon = head.lastIndexOf(':');
    const v4 = parseIpv4(head.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    head = `${head.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = group(halves[0]!);
  const right = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

function computeMask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << (bits - BigInt(prefix));
}

/** Every prefix length's mask, per family, computed once (containment tests run millions of times). */
const MASKS = {
  4: Array.from({ length: 33 }, (_, p) => computeMask(4, p)),
  6: Array.from({ length: 129 }, (_, p) => computeMask(6, p)),
} as const;

/** Every prefix length's block size (the lowest network bit), per family: 2^(bits − prefix). */
const SIZES = {
  4: Array.from({ length: 33 }, (_, p) => 1n << BigInt(32 - p)),
  6: Array.from({ length: 129 }, (_, p) => 1n << BigInt(128 - p)),
} as const;

/** Every prefix length's host bits, per family: 2^(bits − prefix) − 1, the offset of a block's last address. */
const HOST_BITS = {
  4: SIZES[4].map((size) => size - 1n),
  6: SIZES[6].map((size) => size - 1n),
} as const;

/** The number of addresses of a block of this prefix length (as the bit that splits its parent in two). */
export function blockSize(family: 4 | 6, prefix: number): bigint {
  return SIZES[family][prefix]!;
}

/** The last address of a block (its base is aligned, so the host bits set). */
export function lastAddressOf(block: Cidr): bigint {
  return block.base | HOST_BITS[block.family][block.prefix]!;
}

function mask(family: 4 | 6, prefix: number): bigint {
  return MASKS[family][prefix]!;
}

/** Parses "10.0.0.0/16", "2001:db8::/56", or a bare address (a /32 or /128). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === undefined) return undefined;
  let prefix: number = BITS[family];
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > BITS[family]) return undefined;
  }
  // AWS normalises route and rule CIDRs; clearing host bits here makes "10.0.0.5/16" mean 10.0.0.0/16 as well.
  return { family, base: value & mask(family, prefix), prefix };
}

/** True when every address of `inner` is inside `outer` (same family only). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  return (inner.base & mask(outer.family, outer.prefix)) === outer.base;
}

/** True when the two blocks share at least one address. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Text of a block for messages: dotted quad for IPv4, eight uncompressed groups for IPv6. */
export function formatCidr(cidr: Cidr): string {
  if (cidr.family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((cidr.base >> shift) & 255n));
    return `${octets.join('.')}/${cidr.prefix}`;
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((cidr.base >> shift) & 0xffffn).toString(16));
  return `${groups.join(':')}/${cidr.prefix}`;
}

/**
 * Longest-prefix match: among candidates whose block contains all of `destination`, the most specific one.
 * A destination given as a block (a subnet whose exact address is unknown) only matches blocks that cover it
 * whole, which is what a route lookup for "any address of that subnet" means.
 */
export function longestPrefixMatch<T>(
  candidates: readonly T[],
  cidrOf: (candidate: T) => Cidr | undefined,
  destination: Cidr,
): T | undefined {
  let best: T | undefined;
  let bestPrefix = -1;
  for (const candidate of candidates) {
    const cidr = cidrOf(candidate);
    if (cidr === undefined || cidr.prefix <= bestPrefix || !cidrContains(cidr, destination)) continue;
    best = candidate;
    bestPrefix = cidr.prefix;
  }
  return best;
}

/** Every IPv4 address, and every IPv6 address: the "internet" destination of a default route. */
export const ANY_IPV4: Cidr = { family: 4, base: 0n, prefix: 0 };
export const ANY_IPV6: Cidr = { family: 6, base: 0n, prefix: 0 };
/** The well-known NAT64 prefix (RFC 6052) that DNS64 answers point at; a route sends it to a NAT gateway. */
export const NAT64_PREFIX: Cidr = parseCidr('64:ff9b::/96')!;
