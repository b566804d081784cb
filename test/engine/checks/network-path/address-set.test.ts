// Address-set algebra: partition along prefixes, subtraction, intersection, merging, NAT64 mapping, and the
// route legs a table gives a set (longest prefix per part).

import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import {
  PUBLIC_IPV4,
  intersectSets,
  ipv4OfNat64,
  mergeSet,
  nat64Set,
  partitionSet,
  subtractSet,
} from '../../../../src/engine/checks/network-path/address-set.js';
import {
  cidrContains,
  cidrOverlaps,
  formatCidr,
  parseCidr,
  type Cidr,
} from '../../../../src/engine/checks/network-path/cidr.js';
import { PathCache } from '../../../../src/engine/checks/network-path/path-cache.js';
import { routeLegs } from '../../../../src/engine/checks/network-path/route-partition.js';
import type { RouteTable } from '../../../../src/inventory/model.js';

const c = (text: string): Cidr => parseCidr(text)!;
const texts = (set: readonly Cidr[]): string[] => set.map(formatCidr);
const size = (set: readonly Cidr[]): bigint =>
  set.reduce((n, b) => n + (1n << BigInt((b.family === 4 ? 32 : 128) - b.prefix)), 0n);

describe('partitionSet', () => {
  test.for([
    { name: 'no prefixes keep the block', set: ['0.0.0.0/0'], prefixes: [], parts: ['0.0.0.0/0'] },
    {
      name: 'a covering prefix does not split',
      set: ['10.0.0.0/8'],
      prefixes: ['0.0.0.0/0'],
      parts: ['10.0.0.0/8'],
    },
    {
      name: 'the two /1 halves split the default route',
      set: ['0.0.0.0/0'],
      prefixes: ['0.0.0.0/1', '128.0.0.0/1'],
      parts: ['0.0.0.0/1', '128.0.0.0/1'],
    },
    {
      name: 'a /2 inside splits down to it',
      set: ['0.0.0.0/0'],
      prefixes: ['64.0.0.0/2'],
      parts: ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'],
    },
    { name: 'other family ignored', set: ['0.0.0.0/0'], prefixes: ['::/1'], parts: ['0.0.0.0/0'] },
  ])('$name', ({ set, prefixes, parts }) => {
    expect(texts(partitionSet(set.map(c), prefixes.map(c)))).toEqual(parts);
  });

  it('keeps exactly the addresses and leaves every part inside or outside each prefix', () => {
    const block = fc
      .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 24 }))
      .map(([n, p]) => parseCidr(`${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${p}`)!);
    fc.assert(
      fc.property(block, fc.array(block, { maxLength: 8 }), (b, prefixes) => {
        const parts = partitionSet([b], prefixes);
        expect(size(parts)).toBe(size([b]));
        for (const part of parts) {
          expect(cidrContains(b, part)).toBe(true);
          for (const p of prefixes) if (cidrOverlaps(p, part)) expect(cidrContains(p, part)).toBe(true);
        }
        expect(texts(mergeSet(parts))).toEqual([formatCidr(b)]);
      }),
    );
  });
});

describe('set operations', () => {
  it('public IPv4 leaves out private, shared, loopback, link-local, multicast and reserved space', () => {
    for (const inside of ['3.5.0.0/16', '52.94.0.0/22', '8.8.8.8'])
      expect(PUBLIC_IPV4.some((b) => cidrContains(b, c(inside)))).toBe(true);
    for (const outside of [
      '10.1.0.0/16',
      '172.20.0.0/16',
      '192.168.1.0/24',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.1',
    ])
      expect(PUBLIC_IPV4.some((b) => cidrOverlaps(b, c(outside)))).toBe(false);
  });

  it('subtracts and intersects', () => {
    expect(texts(subtractSet([c('10.0.0.0/8')], [c('10.128.0.0/9')]))).toEqual(['10.0.0.0/9']);
    expect(texts(intersectSets([c('10.0.0.0/8')], [c('10.1.0.0/16'), c('11.0.0.0/8')]))).toEqual([
      '10.1.0.0/16',
    ]);
  });

  it('maps IPv4 blocks into the NAT64 prefix and back', () => {
    const mapped = nat64Set([c('52.94.0.0/22')]);
    expect(texts(mapped)).toEqual(['64:ff9b:0:0:0:0:345e:0/118']);
    expect(texts(ipv4OfNat64(mapped))).toEqual(['52.94.0.0/22']);
  });
});

describe('routeLegs', () => {
  const table = (routes: [string, string, string?][]): RouteTable => ({
    accountId: '1',
    region: 'r',
    routeTableId: 'rtb-1',
    vpcId: 'vpc-1',
    isMain: false,
    subnetIds: [],
    routes: routes.map(([destinationCidr, id, state]) => ({
      destinationCidr,
      target: id === 'local' ? { kind: 'local' } : { kind: 'internet-gateway', id },
      state: state ?? 'active',
    })),
  });
  const legs = (t: RouteTable, set: string[]) =>
    routeLegs(t, set.map(c), new PathCache()).map((l) => ({
      target: l.route ? (l.route.target.kind === 'local' ? 'local' : l.route.target.id) : 'none',
      parts: texts(l.parts),
    }));

  it('gives each part the longest prefix that contains it, blackholes included', () => {
    const t = table([
      ['0.0.0.0/0', 'igw-1'],
      ['0.0.0.0/1', 'igw-hole', 'blackhole'],
      ['128.0.0.0/1', 'igw-hole2', 'blackhole'],
    ]);
    expect(legs(t, ['0.0.0.0/0'])).toEqual([
      { target: 'igw-hole', parts: ['0.0.0.0/1'] },
      { target: 'igw-hole2', parts: ['128.0.0.0/1'] },
    ]);
  });

  it('reports the addresses no route covers', () => {
    const result = routeLegs(table([['52.0.0.0/8', 'igw-1']]), [c('0.0.0.0/0')], new PathCache());
    const none = result.find((l) => l.route === undefined)!;
    const routed = result.find((l) => l.route !== undefined)!;
    expect(texts(routed.parts)).toEqual(['52.0.0.0/8']);
    expect(size(none.parts)).toBe((1n << 32n) - (1n << 24n));
    expect(none.parts.some((p) => cidrOverlaps(p, c('52.0.0.0/8')))).toBe(false);
  });
});
