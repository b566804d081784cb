// The patch-egress check's evidence for explain: the S3 path hop by hop through the gateway endpoint, and the
// repositories' internet path when the OS needs it.

import { describe, expect, it } from 'vitest';
import { patchEgress } from '../../../../src/engine/checks/patching/patch-egress.js';
import { InventoryIndex } from '../../../../src/inventory/inventory-index.js';
import { RESOURCE_FAMILIES } from '../../../../src/inventory/model.js';
import { addEndpoint, addRoute, newWorld, type World } from '../network-path/path-world.js';

function run(w: World, platformName: string) {
  w.inventory.managedNodes.push({
    accountId: w.instance.accountId,
    region: w.instance.region,
    instanceId: w.instance.instanceId,
    pingStatus: 'Online',
    platformType: 'Linux',
    platformName,
  });
  w.inventory.coverage = RESOURCE_FAMILIES.map((family) => ({ family, status: 'read' as const }));
  return patchEgress.evaluate(w.instance, {
    index: new InventoryIndex(w.inventory),
    params: { ephemeralPorts: { from: 1024, to: 65535 } },
    nowMs: 0,
  });
}

function withGateway(w: World): void {
  addEndpoint(w, 's3', {
    vpcEndpointId: 'vpce-s3gw',
    endpointType: 'Gateway',
    privateDnsEnabled: false,
    subnetIds: [],
    securityGroupIds: [],
    routeTableIds: ['rtb-app'],
  });
  w.appTable.routes.push({
    destinationPrefixListId: 'pl-63a5400a',
    target: { kind: 'vpc-endpoint', id: 'vpce-s3gw' },
    state: 'active',
  });
}

const hopsOf = (evidence: { path?: string; actual?: unknown }[]) =>
  evidence.filter((e) => e.path === 'networkPath.hops').map((e) => e.actual as Record<string, unknown>);

describe('patch-egress evidence for explain', () => {
  it('records the S3 path through the gateway endpoint, hop by hop', () => {
    const w = newWorld();
    withGateway(w);
    const result = run(w, 'Amazon Linux');
    expect(result.outcome).toBe('pass');
    const [s3] = hopsOf(result.evidence);
    expect(s3).toMatchObject({ services: ['s3'], via: 'gateway endpoint vpce-s3gw', verdict: 'ok' });
    const steps = (s3!.trails as { steps: { hop: string; detail: string }[] }[])[0]!.steps;
    expect(steps.map((s) => s.hop)).toEqual([
      'instance',
      'sg-egress',
      'nacl-out',
      'route',
      'device',
      'nacl-return',
    ]);
    expect(steps.find((s) => s.hop === 'device')?.detail).toContain('gateway endpoint vpce-s3gw');
  });

  it("adds the repositories' internet path for a distribution whose repositories are on the internet", () => {
    const w = newWorld();
    withGateway(w);
    addRoute(w, '0.0.0.0/0', { kind: 'nat-gateway', id: 'nat-1' });
    const result = run(w, 'Ubuntu');
    expect(result.outcome).toBe('pass');
    expect(hopsOf(result.evidence).map((p) => p.services)).toEqual([['s3'], ['os-repositories']]);
  });

  it('records no hops in lean scans', () => {
    const w = newWorld();
    withGateway(w);
    w.inventory.coverage = RESOURCE_FAMILIES.map((family) => ({ family, status: 'read' as const }));
    const result = patchEgress.evaluate(
      { ...w.instance, platform: 'windows' },
      {
        index: new InventoryIndex(w.inventory),
        params: { ephemeralPorts: { from: 1024, to: 65535 } },
        nowMs: 0,
        passEvidence: false,
      },
    );
    expect(result.outcome).toBe('fail');
    expect(hopsOf(result.evidence)).toEqual([]);
  });
});
