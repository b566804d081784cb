// `ssmguard explain` through main(argv, io) with a fake io, on the shipped example fleet.

import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { EXAMPLE_FLEET_FACTS as F } from '../../src/generator/example-fleet-facts.js';

function fakeIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { NO_COLOR: '1' },
    stdoutIsTty: false,
    stderrIsTty: false,
    clock: () => Date.parse('2026-11-20T12:00:00.000Z'),
  };
}

describe('ssmguard explain', () => {
  it('walks the chain of the instance with no network path and exits 1', async () => {
    const io = fakeIo();
    const code = await main(['explain', F.noNetworkPathInstanceId], io);
    const text = io.out.join('');
    expect(code).toBe(1);
    expect(text).toMatch(
      /▶ network +BROKEN +Instance i-0339f4b4d48b8ba42 cannot reach Systems Manager on TCP 443/,
    );
    expect(text).toContain(
      'First broken link: network — NET.NO_ROUTE (rule ec2-instance-network-path-to-ssm)',
    );
    expect(text).toContain('$ aws ec2 create-route --route-table-id');
  });

  it('names the endpoint security group for the blocked-endpoint instance', async () => {
    const io = fakeIo();
    expect(await main(['explain', F.endpointSgBlocksInstanceId], io)).toBe(1);
    expect(io.out.join('')).toContain(`First broken link: network — NET.ENDPOINT_SG_BLOCKS`);
    expect(io.out.join('')).toContain(F.securityGroups.endpointsBlocking);
  });

  it('exits 0 for a healthy endpoint-only instance', async () => {
    const io = fakeIo();
    expect(await main(['explain', F.healthyEndpointInstanceIds[0]], io)).toBe(0);
    expect(io.out.join('')).toContain('No broken link in the readiness chain.');
  });

  it('prints the explanation as JSON with --format json', async () => {
    const io = fakeIo();
    await main(['explain', F.noPatchGroupTagInstanceId, '--format', 'json'], io);
    const x = JSON.parse(io.out.join('')) as { instanceId: string; links: { link: string }[] };
    expect(x.instanceId).toBe(F.noPatchGroupTagInstanceId);
    expect(x.links.map((l) => l.link).slice(0, 3)).toEqual(['state', 'credentials', 'trust']);
  });

  it('reports an unknown instance id clearly and exits 2', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'i-0000000000000dead'], io)).toBe(2);
    expect(io.err.join('')).toContain(
      'instance i-0000000000000dead is not in the input (231 instances read from the example fleet)',
    );
  });

  it('needs an instance id', async () => {
    const io = fakeIo();
    expect(await main(['explain'], io)).toBe(2);
  });
});
