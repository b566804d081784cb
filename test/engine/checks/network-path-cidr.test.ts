// CIDR math and NACL evaluation of the network-path check: parsing (IPv4, IPv6, embedded IPv4), containment,
// longest-prefix match, and rule-number order with first match and the default deny over port ranges.

import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrOverlaps,
  formatCidr,
  longestPrefixMatch,
  parseCidr,
} from '../../../src/engine/checks/network-path/cidr.js';
import { evaluateNacl, type NaclQuery } from '../../../src/engine/checks/network-path/nacl-evaluation.js';
import { PathCache } from '../../../src/engine/checks/network-path/path-cache.js';
import type { NetworkAclEntry } from '../../../src/inventory/model.js';

const c = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
};

describe('parseCidr', () => {
  it.for([
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['10.0.1.5/16', '10.0.0.0/16'],
    ['10.0.1.5', '10.0.1.5/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['::/0', '0:0:0:0:0:0:0:0/0'],
    ['2600:1F18::/56', '2600:1f18:0:0:0:0:0:0/56'],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:1/128'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0:0:0:c000:221/128'],
    ['::ffff:10.0.0.1/128', '0:0:0:0:0:ffff:a00:1/128'],
    ['1:2:3:4:5:6:7:8/64', '1:2:3:4:0:0:0:0/64'],
  ] as const)('parses %s as %s', ([text, expected]) => {
    expect(formatCidr(c(text))).toBe(expected);
  });

  it.for([
    '',
    '10.0.0',
    '10.0.0.256/8',
    '10.0.0.0/33',
    '10.0.0.0/x',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    '::/129',
    'g::1',
    'pl-123',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('containment and overlap', () => {
  it.for([
    ['10.0.0.0/16', '10.0.1.0/24', true, true],
    ['10.0.1.0/24', '10.0.0.0/16', false, true],
    ['10.0.0.0/16', '10.1.0.0/24', false, false],
    ['0.0.0.0/0', '203.0.113.9', true, true],
    ['10.0.1.10/32', '10.0.1.10', true, true],
    ['::/0', '2001:db8::1', true, true],
    ['0.0.0.0/0', '::/0', false, false],
    ['2600:1f18:1:100::/56', '2600:1f18:1:101::/64', true, true],
    ['2600:1f18:1:101::/64', '2600:1f18:1:200::/64', false, false],
  ] as const)('%s contains %s: %s (overlap %s)', ([outer, inner, contains, overlaps]) => {
    expect(cidrContains(c(outer), c(inner))).toBe(contains);
    expect(cidrOverlaps(c(outer), c(inner))).toBe(overlaps);
  });
});

describe('longestPrefixMatch', () => {
  const routes = ['0.0.0.0/0', '10.0.0.0/16', '10.0.2.0/24', '::/0', '2600::/16'];
  it.for([
    ['10.0.2.7', '10.0.2.0/24'],
    ['10.0.3.0/24', '10.0.0.0/16'],
    ['10.0.0.0/15', '0.0.0.0/0'],
    ['8.8.8.8', '0.0.0.0/0'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2600:1::1', '2600::/16'],
    ['2a00::1', '::/0'],
  ] as const)('%s takes %s', ([destination, expected]) => {
    expect(longestPrefixMatch(routes, (r) => parseCidr(r), c(destination))).toBe(expected);
  });

  it('finds nothing when no block covers the destination', () => {
    expect(longestPrefixMatch(['10.0.0.0/16'], (r) => parseCidr(r), c('10.0.0.0/8'))).toBeUndefined();
  });
});

describe('evaluateNacl', () => {
  const e = (
    ruleNumber: number,
    action: 'allow' | 'deny',
    cidrBlock: string,
    protocol = '6',
    portFrom?: number,
    portTo?: number,
  ): NetworkAclEntry => ({
    ruleNumber,
    action,
    egress: true,
    protocol,
    ...(cidrBlock.includes(':') ? { ipv6CidrBlock: cidrBlock } : { cidrBlock }),
    ...(portFrom === undefined ? {} : { portFrom, portTo: portTo ?? portFrom }),
  });
  const q = (
    peer: string,
    ports: [number, number],
    onPartial: NaclQuery['onPartial'] = 'skip',
  ): NaclQuery => ({ peer: c(peer), ports, onPartial });

  it.for([
    {
      name: 'an allow of all traffic',
      entries: [e(100, 'allow', '0.0.0.0/0', '-1')],
      query: q('0.0.0.0/0', [443, 443]),
      expected: { kind: 'allow', rules: [100] },
    },
    {
      name: 'no entries: the default deny',
      entries: [],
      query: q('0.0.0.0/0', [443, 443]),
      expected: { kind: 'deny', rule: undefined },
    },
    {
      name: 'first match wins (deny below allow)',
      entries: [e(90, 'deny', '0.0.0.0/0', '6', 443), e(100, 'allow', '0.0.0.0/0', '-1')],
      query: q('0.0.0.0/0', [443, 443]),
      expected: { kind: 'deny', rule: 90 },
    },
    {
      name: 'first match wins (allow below deny)',
      entries: [e(80, 'allow', '0.0.0.0/0', '6', 443), e(90, 'deny', '0.0.0.0/0', '-1')],
      query: q('0.0.0.0/0', [443, 443]),
      expected: { kind: 'allow', rules: [80] },
    },
    {
      name: 'a deny for other ports does not match',
      entries: [e(90, 'deny', '0.0.0.0/0', '6', 22), e(100, 'allow', '0.0.0.0/0', '-1')],
      query: q('0.0.0.0/0', [443, 443]),
      expected: { kind: 'allow', rules: [100] },
    },
    {
      name: 'UDP entries do not carry TCP',
      entries: [e(100, 'allow', '0.0.0.0/0', '17')],
      query: q('0.0.0.0/0', [443, 443]),
      expected: { kind: 'deny', rule: undefined },
    },
    {
      name: 'a range allowed by two entries',
      entries: [
        e(100, 'allow', '0.0.0.0/0', '6', 1024, 30000),
        e(110, 'allow', '0.0.0.0/0', '6', 30001, 65535),
      ],
      query: q('0.0.0.0/0', [1024, 65535]),
      expected: { kind: 'allow', rules: [100, 110] },
    },
    {
      name: 'a range with a hole',
      entries: [
        e(100, 'allow', '0.0.0.0/0', '6', 1024, 30000),
        e(110, 'allow', '0.0.0.0/0', '6', 40000, 65535),
      ],
      query: q('0.0.0.0/0', [1024, 65535]),
      // Some ports pass, others do not: which one the connection uses decides.
      expected: {
        kind: 'mixed',
        rule: undefined,
        ports: [30001, 39999],
        allowed: [
          [1024, 30000],
          [40000, 65535],
        ],
      },
    },
    {
      name: 'a deny inside an allowed range, ordered first',
      entries: [e(50, 'deny', '0.0.0.0/0', '6', 3389), e(100, 'allow', '0.0.0.0/0', '6', 1024, 65535)],
      query: q('0.0.0.0/0', [1024, 65535]),
      expected: {
        kind: 'mixed',
        rule: 50,
        ports: [3389, 3389],
        allowed: [
          [1024, 3388],
          [3390, 65535],
        ],
      },
    },
    {
      name: 'a deny for a range already allowed does not matter',
      entries: [e(50, 'allow', '0.0.0.0/0', '6', 1024, 65535), e(60, 'deny', '0.0.0.0/0', '6', 3389)],
      query: q('0.0.0.0/0', [1024, 65535]),
      expected: { kind: 'allow', rules: [50] },
    },
    {
      name: 'an entry for part of the peer is skipped when the address is unknown',
      entries: [e(50, 'deny', '10.0.2.0/25', '-1'), e(100, 'allow', '10.0.0.0/16', '-1')],
      query: q('10.0.2.0/24', [443, 443]),
      expected: { kind: 'allow', rules: [100], partial: [50] },
    },
    {
      name: 'an entry for part of the peer is ambiguous when the caller can retry',
      entries: [e(50, 'deny', '10.0.2.0/25', '-1'), e(100, 'allow', '10.0.0.0/16', '-1')],
      query: q('10.0.2.0/24', [443, 443], 'ambiguous'),
      expected: { kind: 'ambiguous' },
    },
    {
      name: 'an exact address is never partial',
      entries: [e(50, 'deny', '10.0.2.0/25', '-1'), e(100, 'allow', '10.0.0.0/16', '-1')],
      query: q('10.0.2.200', [443, 443], 'ambiguous'),
      expected: { kind: 'allow', rules: [100] },
    },
    {
      name: 'IPv4 entries do not match an IPv6 peer',
      entries: [e(100, 'allow', '0.0.0.0/0', '-1')],
      query: q('::/0', [443, 443]),
      expected: { kind: 'deny', rule: undefined },
    },
    {
      name: 'IPv6 entries match an IPv6 peer',
      entries: [e(101, 'allow', '::/0', '-1')],
      query: q('2600::1', [443, 443]),
      expected: { kind: 'allow', rules: [101] },
    },
  ])('$name', ({ entries, query, expected }) => {
    const sorted = [...entries].sort((a, b) => a.ruleNumber - b.ruleNumber);
    expect(evaluateNacl(sorted, query, new PathCache())).toMatchObject(expected);
  });
});
