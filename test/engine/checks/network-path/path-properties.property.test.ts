// Properties of the route partition on random route tables: more specific blackholes over the whole address
// space never make a failing or unverifiable path COMPLIANT, and a route that only widens a working path (more
// addresses to a working device) never makes it fail.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteTarget } from '../../../../src/inventory/model.js';
import { addRoute, newWorld, run, type World } from './path-world.js';

type RouteSpec = { cidr: string; target: 'nat-1' | 'nat-2' | 'igw-1' | 'hole' | 'tgw-1' };

const octet = fc.integer({ min: 0, max: 255 });
const block = fc.tuple(octet, octet, fc.integer({ min: 0, max: 16 })).map(([a, b, prefix]) => {
  const value = ((a << 24) | (b << 16)) >>> 0;
  const masked = prefix === 0 ? 0 : (value & (~0 << (32 - prefix))) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (masked >>> s) & 255).join('.')}/${prefix}`;
});
const routeSpec: fc.Arbitrary<RouteSpec> = fc.record({
  cidr: block,
  target: fc.constantFrom('nat-1', 'nat-2', 'igw-1', 'hole', 'tgw-1'),
});
const table = fc.uniqueArray(routeSpec, { selector: (r) => r.cidr, maxLength: 6 });

function addSpec(w: World, spec: RouteSpec): void {
  const target: RouteTarget =
    spec.target === 'igw-1'
      ? { kind: 'internet-gateway', id: 'igw-1' }
      : spec.target === 'tgw-1'
        ? { kind: 'transit-gateway', id: 'tgw-1' }
        : { kind: 'nat-gateway', id: spec.target === 'hole' ? 'nat-gone' : spec.target };
  addRoute(w, spec.cidr, target, spec.target === 'hole' ? 'blackhole' : 'active');
}

function worldWith(routes: readonly RouteSpec[], publicIp: boolean): World {
  const w = newWorld();
  if (publicIp) w.instance.publicIpAddress = '198.51.100.77';
  for (const r of routes) addSpec(w, r);
  return w;
}

/** Every block of length `depth` (1..3): together they cover the whole IPv4 space. */
function wholeSpace(depth: number): string[] {
  return Array.from({ length: 2 ** depth }, (_, i) => {
    const base = (i << (32 - depth)) >>> 0;
    return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${depth}`;
  });
}

describe('network path properties', () => {
  it('more specific blackholes over the whole address space never turn a non-passing path into a pass', () => {
    fc.assert(
      fc.property(table, fc.boolean(), fc.integer({ min: 1, max: 3 }), (routes, publicIp, depth) => {
        const before = run(worldWith(routes, publicIp)).outcome;
        const w = worldWith(
          routes.filter((r) => !r.cidr.endsWith(`/${depth}`)),
          publicIp,
        );
        for (const cidr of wholeSpace(depth)) addSpec(w, { cidr, target: 'hole' });
        // Routes more specific than the blackholes may still win for their own blocks.
        const moreSpecific = routes.filter((r) => Number(r.cidr.split('/')[1]) > depth);
        for (const r of moreSpecific) addSpec(w, r);
        const after = run(w).outcome;
        if (before !== 'pass') expect(after).not.toBe('pass');
        if (moreSpecific.length === 0) expect(after).toBe('fail');
      }),
      { numRuns: 150 },
    );
  });

  it('a route that only widens a working path never makes it fail', () => {
    fc.assert(
      fc.property(
        table,
        block,
        fc.constantFrom('nat-1', 'nat-2') as fc.Arbitrary<'nat-1' | 'nat-2'>,
        (routes, cidr, target) => {
          const w = worldWith(routes, false);
          if (run(w).outcome !== 'pass') return;
          // Adding a route to a working NAT gateway for a block no route names yet only moves addresses onto it.
          if (routes.some((r) => r.cidr === cidr)) return;
          const widened = worldWith([...routes, { cidr, target }], false);
          expect(run(widened).outcome).toBe('pass');
        },
      ),
      { numRuns: 150 },
    );
  });
});
