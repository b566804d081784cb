// --ip-ranges / --no-ip-ranges on scan and explain, and `ssmguard ip-ranges refresh|show`: a route table that
// routes only 0.0.0.0/1 is unverifiable over every public address, and passes once the region's AMAZON ranges
// (all inside 0.0.0.0/1 in the test file) are known; evidence names the publication. No network: local files only.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpRangesFile } from '../../src/collectors/ip-ranges/parse-ip-ranges.js';
import { exampleFleetDir } from '../../src/package-root.js';
import { publishedRanges } from '../support/ip-ranges-fixture.js';
import { runCli } from './cli-harness.js';

const RULE = 'ec2-instance-network-path-to-ssm';
/** The route table of the example fleet's private subnets: 0.0.0.0/0 to a NAT gateway. */
const NAT_TABLE = 'rtb-0b6217710cffe51f9';

interface Result {
  ruleId: string;
  resourceId: string;
  status: string;
  reason?: string;
  evidence?: { path?: string; actual?: unknown; note?: string }[];
}

let dir: string;
let fleet: string;
let ranges: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-ip-ranges-'));
  fleet = join(dir, 'fleet');
  await cp(exampleFleetDir(), fleet, { recursive: true });
  // The private subnets route only half of the address space (0.0.0.0/1) to their NAT gateway.
  const file = join(fleet, '111122223333', 'us-east-1', 'ec2-describe-route-tables.json');
  const tables = JSON.parse(await readFile(file, 'utf8')) as {
    RouteTables: { RouteTableId: string; Routes: { DestinationCidrBlock?: string }[] }[];
  };
  const table = tables.RouteTables.find((t) => t.RouteTableId === NAT_TABLE)!;
  for (const route of table.Routes)
    if (route.DestinationCidrBlock === '0.0.0.0/0') route.DestinationCidrBlock = '0.0.0.0/1';
  await writeFile(file, JSON.stringify(tables));
  ranges = join(dir, 'ip-ranges.json');
  await writeFile(ranges, publishedRanges());
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function pathResults(extra: string[]): Promise<Result[]> {
  const run = await runCli(['scan', fleet, '--format', 'json', '--evidence', 'all', ...extra]);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { results: Result[] }).results.filter((r) => r.ruleId === RULE);
}

describe('--ip-ranges', () => {
  it('turns "cannot be verified" for a split that misses only non-AWS space into a pass, and says which file', async () => {
    // Act
    const everyAddress = await pathResults(['--no-ip-ranges']);
    const narrowed = await pathResults(['--ip-ranges', ranges]);
    // Assess
    const unverifiable = everyAddress.filter((r) => r.reason === 'NET.PATH_UNVERIFIABLE');
    expect(unverifiable.length).toBeGreaterThan(0);
    const now = new Map(narrowed.map((r) => [r.resourceId, r]));
    for (const before of unverifiable) {
      const after = now.get(before.resourceId)!;
      expect(after.status).toBe('COMPLIANT');
      const destinations = after.evidence?.find((e) => e.path === 'networkPath.destinations');
      expect(destinations?.actual).toContain('the AMAZON ranges of us-east-1');
      expect(destinations?.note).toContain(
        `ip-ranges.json of 2026-08-22-15-17-05 (syncToken 1787411825; ${ranges})`,
      );
    }
    // Nothing else moved: every other verdict is the same with and without the ranges.
    const others = everyAddress.filter((r) => r.reason !== 'NET.PATH_UNVERIFIABLE');
    for (const r of others) expect(now.get(r.resourceId)?.status).toBe(r.status);
  });

  it('uses the shipped copy by default and names it in the evidence', async () => {
    // Act
    const results = await pathResults([]);
    // Assess
    const named = results
      .flatMap((r) => r.evidence ?? [])
      .filter((e) => e.path === 'networkPath.destinations');
    expect(named.length).toBeGreaterThan(0);
    for (const e of named)
      expect(e.note).toContain('the copy shipped with ssmguard (data/aws-ip-ranges.json)');
  });

  it('reaches explain: the instance behind the split route is ready only with the ranges', async () => {
    // Prepare
    const unverifiable = (await pathResults(['--no-ip-ranges'])).find(
      (r) => r.reason === 'NET.PATH_UNVERIFIABLE',
    )!;
    // Act
    const without = await runCli(['explain', unverifiable.resourceId, fleet, '--no-ip-ranges']);
    const withRanges = await runCli(['explain', unverifiable.resourceId, fleet, '--ip-ranges', ranges]);
    // Assess
    expect(without.stdout).toMatch(/network\s+UNVERIFIED/);
    expect(withRanges.stdout).toMatch(/network\s+OK/);
  });
});

describe('ssmguard ip-ranges', () => {
  it('refresh writes the trimmed copy that show and --ip-ranges read back', async () => {
    // Prepare
    const out = join(dir, 'copies', 'ranges.json');
    // Act
    const refresh = await runCli([
      'ip-ranges',
      'refresh',
      '--from',
      ranges,
      '--out',
      out,
      '--source',
      'test file',
    ]);
    const show = await runCli(['ip-ranges', 'show', out]);
    // Assess
    expect(refresh.code).toBe(0);
    expect(refresh.stderr).toContain(`wrote ${out}: 4 IPv4 and 1 IPv6 AMAZON prefixes in 3 regions`);
    const { copy } = parseIpRangesFile(await readFile(out, 'utf8'), out);
    expect(copy).toMatchObject({
      kind: 'ssmguard-ip-ranges',
      source: 'test file',
      createDate: '2026-08-22-15-17-05',
    });
    expect(copy.regions['us-east-1']).toEqual({
      ipv4: ['3.2.0.0/24', '52.4.0.0/14'],
      ipv6: ['2600:1f18::/33'],
    });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('ip-ranges.json of 2026-08-22-15-17-05 (syncToken 1787411825;');
    const narrowed = await pathResults(['--ip-ranges', out]);
    expect(narrowed.filter((r) => r.reason === 'NET.PATH_UNVERIFIABLE')).toEqual([]);
  });

  it('refresh from a bad file writes nothing and exits 2 naming the file', async () => {
    // Prepare
    const bad = join(dir, 'bad.json');
    const out = join(dir, 'never.json');
    await writeFile(bad, publishedRanges({ createDate: 'yesterday' }));
    // Act
    const run = await runCli(['ip-ranges', 'refresh', '--from', bad, '--out', out]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`ip-ranges file ${bad}`);
    expect(run.stderr).toContain('/createDate');
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('refresh refuses a URL that is not https', async () => {
    // Act
    const run = await runCli(['ip-ranges', 'refresh', '--from', 'http://example.invalid/ip-ranges.json']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('only https:// URLs are fetched');
  });
});
