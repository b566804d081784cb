// `ssmguard explain` shows the network path hop by hop per service (instance ENI → SG egress → NACL out → route →
// device → endpoint SG / internet → NACL return), each hop with the addresses it was judged for, read from the
// evidence the network-path rule recorded (the report model), not from a second evaluation.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFleetDir } from '../../src/package-root.js';
import type { InstanceExplanation } from '../../src/report/explain-instance.js';
import { parseExplainedPath } from '../../src/report/network-hops.js';
import { runCli } from './cli-harness.js';

/** The example fleet's instance whose endpoint security group admits only 10.99.0.0/16. */
const ENDPOINT_BLOCKED = 'i-01211cbb537e51e5f';
/** An example-fleet instance that reaches SSM through a NAT gateway (route table rtb-0b6217710cffe51f9). */
const VIA_NAT = 'i-00d6da42199a14412';

const TRAFFIC_ORDER = [
  'instance',
  'sg-egress',
  'nacl-out',
  'route',
  'device',
  'dns64',
  'endpoint-sg',
  'endpoint-nacl',
  'internet',
  'nacl-return',
];

async function explainJson(args: string[]): Promise<InstanceExplanation> {
  const run = await runCli(['explain', ...args, '--format', 'json']);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as InstanceExplanation;
}

let dir: string;
let split: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssmguard-explain-path-'));
  split = join(dir, 'fleet');
  await cp(exampleFleetDir(), split, { recursive: true });
  // The NAT subnets route only 0.0.0.0/1: the other half of the public space has no route.
  const file = join(split, '111122223333', 'us-east-1', 'ec2-describe-route-tables.json');
  const tables = JSON.parse(await readFile(file, 'utf8')) as {
    RouteTables: { RouteTableId: string; Routes: { DestinationCidrBlock?: string }[] }[];
  };
  for (const route of tables.RouteTables.find((t) => t.RouteTableId === 'rtb-0b6217710cffe51f9')!.Routes)
    if (route.DestinationCidrBlock === '0.0.0.0/0') route.DestinationCidrBlock = '0.0.0.0/1';
  await writeFile(file, JSON.stringify(tables));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('explain: the network path hop by hop', () => {
  it('walks the endpoint path of each service in traffic order and marks the endpoint SG as the hop that blocks', async () => {
    // Act
    const run = await runCli(['explain', ENDPOINT_BLOCKED]);
    // Assess
    const text = run.stdout;
    expect(text).toContain('path hop by hop:');
    expect(text).toContain('ssm: NET.ENDPOINT_SG_BLOCKS');
    expect(text).toContain('ssmmessages: NET.ENDPOINT_SG_BLOCKS');
    const ssm = text.slice(text.indexOf('ssm: NET.ENDPOINT_SG_BLOCKS'), text.indexOf('ssmmessages: NET.'));
    const order = [
      'instance ENI',
      'SG egress',
      'NACL out',
      'route ',
      'device',
      'endpoint SG',
      'endpoint NACL',
    ].map((label) => ssm.indexOf(`  ${label}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(ssm).toMatch(/endpoint SG +BLOCKS +the security group of endpoint vpce-0bcdeec386ae4653c/);
    expect(ssm).toMatch(
      /SG egress +OK +sg-092d49c92c9ecc9a0 allows all traffic to 0\.0\.0\.0\/0 +\[for 10\.2\.1\.0\/24\]/,
    );
    expect(ssm).toMatch(/route +OK +10\.2\.0\.0\/16 → local +\[for 10\.2\.1\.0\/24\]/);
  });

  it('records the same hops in the JSON explanation, from the rule evidence of the report', async () => {
    // Act
    const x = await explainJson([ENDPOINT_BLOCKED]);
    // Assess
    const network = x.links.find((l) => l.link === 'network')!;
    const recorded = network.results
      .flatMap((r) => r.evidence)
      .filter((e) => e.path === 'networkPath.hops')
      .map((e) => parseExplainedPath(e.actual));
    expect(network.paths).toEqual(recorded);
    const ssm = network.paths!.find((p) => p.services.includes('ssm'))!;
    const hops = ssm.trails[0]!.hops;
    const ranks = hops.map((h) => TRAFFIC_ORDER.indexOf(h.hop));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    const blocking = hops.filter((h) => h.verdict === 'blocks');
    expect(blocking.map((h) => h.hop)).toEqual(['endpoint-sg']);
    expect(x.firstBroken?.message).toContain(blocking[0]!.detail);
  });

  it('walks the internet path through the NAT gateway to the internet and back, for the AMAZON ranges of the region', async () => {
    // Act
    const x = await explainJson([VIA_NAT]);
    // Assess
    const path = x.links.find((l) => l.link === 'network')!.paths!;
    expect(path).toHaveLength(1);
    expect(path[0]!.services).toEqual(['ssm', 'ssmmessages']);
    expect(path[0]!.via).toBe('NAT gateway nat-04c1d7e9a2b3f5061');
    const hops = path[0]!.trails[0]!.hops;
    expect(hops.map((h) => h.hop)).toEqual([
      'instance',
      'sg-egress',
      'nacl-out',
      'route',
      'device',
      'internet',
      'nacl-return',
    ]);
    expect(hops.every((h) => h.verdict === 'ok')).toBe(true);
    // The path is for the region's AMAZON ranges; each hop was judged for the block its rule or route names.
    expect(path[0]!.trails[0]!.parts).toBe('the AMAZON ranges of us-east-1');
    for (const h of hops.slice(1))
      expect(h.parts).toBe(h.hop === 'internet' ? 'the AMAZON ranges of us-east-1' : '0.0.0.0/0');
  });

  it('shows each part of a split path with its own hops: the routed half works, the other half has no route', async () => {
    // Act
    const run = await runCli(['explain', VIA_NAT, split, '--no-ip-ranges']);
    const x = await explainJson([VIA_NAT, split, '--no-ip-ranges']);
    // Assess
    expect(run.stdout).toMatch(/network\s+UNVERIFIED/);
    expect(run.stdout).toContain('for 0.0.0.0/1:');
    expect(run.stdout).toContain('for 128.0.0.0/1:');
    const trails = x.links.find((l) => l.link === 'network')!.paths![0]!.trails;
    const routed = trails.find((t) => t.parts === '0.0.0.0/1')!;
    const unrouted = trails.find((t) => t.parts === '128.0.0.0/1')!;
    expect(routed.hops.find((h) => h.hop === 'device')).toMatchObject({
      verdict: 'ok',
      detail: 'NAT gateway nat-04c1d7e9a2b3f5061',
    });
    expect(unrouted.hops.find((h) => h.hop === 'route')).toMatchObject({
      verdict: 'blocks',
      resourceId: 'rtb-0b6217710cffe51f9',
    });
    expect(unrouted.hops.find((h) => h.hop === 'route')!.detail).toContain('has no route to 128.0.0.0/1');
  });
});

describe('parseExplainedPath', () => {
  it.for([
    { name: 'a string', value: 'ssm via nat' },
    { name: 'services not strings', value: { services: [1], via: 'x', verdict: 'ok', trails: [] } },
    { name: 'an unknown verdict', value: { services: ['ssm'], via: 'x', verdict: 'maybe', trails: [] } },
    {
      name: 'a hop without parts',
      value: {
        services: ['ssm'],
        via: 'x',
        verdict: 'ok',
        trails: [{ parts: 'p', steps: [{ hop: 'route', verdict: 'ok', detail: 'd' }] }],
      },
    },
  ])('ignores $name (evidence from another version or a user rule)', ({ value }) => {
    expect(parseExplainedPath(value)).toBeUndefined();
  });
});
