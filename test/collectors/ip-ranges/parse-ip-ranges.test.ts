// ip-ranges files: AWS's published shape and ssmguard's trimmed copy are read into the same ranges; a bad file
// is an IpRangesFileError naming the file and where; the shipped copy is valid and is what refresh writes.

import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { IpRangesFileError, parseIpRangesFile } from '../../../src/collectors/ip-ranges/parse-ip-ranges.js';
import {
  SHIPPED_ORIGIN,
  readShippedIpRanges,
  shippedIpRangesPath,
} from '../../../src/collectors/ip-ranges/read-ip-ranges.js';
import { formatCopy } from '../../../src/cli/ip-ranges-command.js';
import { publishedRanges } from '../../support/ip-ranges-fixture.js';

describe('parseIpRangesFile', () => {
  test('keeps the AMAZON prefixes per region, every border group of the region, and the publication', () => {
    // Act
    const { ranges, copy } = parseIpRangesFile(publishedRanges(), 'ip-ranges.json');
    // Assess
    expect(ranges.createDate).toBe('2026-08-22-15-17-05');
    expect(ranges.syncToken).toBe('1787411825');
    expect(ranges.origin).toBe('ip-ranges.json');
    expect(ranges.regions.get('us-east-1')).toEqual({
      ipv4: ['3.2.0.0/24', '52.4.0.0/14'],
      ipv6: ['2600:1f18::/33'],
    });
    expect(ranges.regions.get('eu-west-1')).toEqual({ ipv4: ['18.200.0.0/16'], ipv6: [] });
    expect(copy.kind).toBe('ssmguard-ip-ranges');
    expect(copy.source).toBe('ip-ranges.json');
  });

  test('reads its own trimmed copy back to the same ranges', () => {
    // Prepare
    const first = parseIpRangesFile(publishedRanges(), 'ip-ranges.json');
    // Act
    const again = parseIpRangesFile(formatCopy(first.copy), 'copy.json');
    // Assess
    expect([...again.ranges.regions]).toEqual([...first.ranges.regions]);
    expect(again.copy).toEqual(first.copy);
  });

  test.for([
    { name: 'not JSON', text: '{"syncToken": ', says: ['bad.json', 'line 1', 'not valid JSON'] },
    { name: 'an array', text: '[1]', says: ['bad.json', 'not a JSON object'] },
    {
      name: 'no syncToken',
      text: publishedRanges({ syncToken: undefined }),
      says: ['bad.json', 'not AWS ip-ranges.json', 'missing "syncToken"'],
    },
    {
      name: 'a createDate in another format',
      text: publishedRanges({ createDate: '2026-08-22T15:17:05Z' }),
      says: ['bad.json', '/createDate'],
    },
    {
      name: 'prefixes not an array',
      text: publishedRanges({ prefixes: {} }),
      says: ['bad.json', '/prefixes', 'must be array'],
    },
    {
      name: 'an entry without its region',
      text: publishedRanges({
        prefixes: [{ ip_prefix: '1.2.3.0/24', service: 'AMAZON', network_border_group: 'x' }],
      }),
      says: ['bad.json', '/prefixes/0', 'missing "region"'],
    },
    {
      name: 'a malformed IPv4 prefix',
      text: publishedRanges({
        prefixes: [
          { ip_prefix: '52.4.0.0/33', region: 'us-east-1', service: 'AMAZON', network_border_group: 'x' },
        ],
      }),
      says: ['bad.json', '/prefixes/0/ip_prefix', '"52.4.0.0/33" is not an IPv4 prefix'],
    },
    {
      name: 'an IPv4 prefix among the IPv6 ones',
      text: publishedRanges({
        ipv6_prefixes: [
          { ipv6_prefix: '10.0.0.0/8', region: 'us-east-1', service: 'AMAZON', network_border_group: 'x' },
        ],
      }),
      says: ['bad.json', '/ipv6_prefixes/0/ipv6_prefix', 'not an IPv6 prefix'],
    },
    {
      name: 'no AMAZON prefix at all',
      text: publishedRanges({
        prefixes: [
          {
            ip_prefix: '54.230.0.0/16',
            region: 'GLOBAL',
            service: 'CLOUDFRONT',
            network_border_group: 'GLOBAL',
          },
        ],
        ipv6_prefixes: [],
      }),
      says: ['bad.json', 'no AMAZON prefixes'],
    },
    {
      name: 'a trimmed copy with an unknown field',
      text: JSON.stringify({
        kind: 'ssmguard-ip-ranges',
        source: 'x',
        syncToken: '1',
        createDate: '2026-08-22-15-17-05',
        service: 'AMAZON',
        regions: { 'us-east-1': { ipv4: [], ipv6: [], extra: 1 } },
      }),
      says: ['bad.json', '/regions/us-east-1', 'unknown field "extra"'],
    },
    {
      name: 'a trimmed copy with no regions',
      text: JSON.stringify({
        kind: 'ssmguard-ip-ranges',
        source: 'x',
        syncToken: '1',
        createDate: '2026-08-22-15-17-05',
        service: 'AMAZON',
        regions: {},
      }),
      says: ['bad.json', 'lists no regions'],
    },
  ])('rejects $name, naming the file and where', ({ text, says }) => {
    // Act
    let error: unknown;
    try {
      parseIpRangesFile(text, 'bad.json');
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(IpRangesFileError);
    expect((error as IpRangesFileError).code).toBe('IP_RANGES_INVALID');
    for (const word of says) expect(String((error as Error).message)).toContain(word);
  });
});

describe('the shipped copy', () => {
  test('is valid, dated, and names its origin', async () => {
    // Act
    const ranges = await readShippedIpRanges();
    // Assess
    expect(ranges.createDate).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/);
    expect(ranges.origin).toBe(SHIPPED_ORIGIN);
    expect(ranges.regions.get('us-east-1')?.ipv4.length).toBeGreaterThan(100);
    expect(ranges.regions.get('us-east-1')?.ipv6.length).toBeGreaterThan(10);
  });

  test('is exactly what `ip-ranges refresh` writes (one prefix per line), and the README names its date', async () => {
    // Prepare
    const text = await readFile(shippedIpRangesPath(), 'utf8');
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    // Act
    const { copy } = parseIpRangesFile(text, 'shipped');
    // Assess
    expect(formatCopy(copy)).toBe(text);
    expect(readme).toContain(copy.createDate);
    expect(readme).toContain(copy.syncToken);
  });
});
