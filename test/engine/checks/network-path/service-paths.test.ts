// ssmServicePaths: which way each SSM service leaves the instance (endpoint or internet exit), the context the
// IAM layers build aws:SourceVpce / aws:SourceVpc / aws:SourceIp from.

import { describe, expect, it } from 'vitest';
import { ssmServicePaths } from '../../../../src/engine/checks/network-path/service-paths.js';
import { DataUnavailableError } from '../../../../src/inventory/coverage.js';
import { InventoryIndex } from '../../../../src/inventory/inventory-index.js';
import { RESOURCE_FAMILIES } from '../../../../src/inventory/model.js';
import { addEndpoint, addRoute, newWorld, type World } from './path-world.js';

function paths(w: World) {
  const missing = new Set(w.missing);
  w.inventory.coverage = RESOURCE_FAMILIES.filter((f) => !missing.has(f)).map((family) => ({
    family,
    status: 'read' as const,
  }));
  return ssmServicePaths(w.instance, new InventoryIndex(w.inventory));
}

describe('ssmServicePaths', () => {
  it('names the endpoint a service resolves to and the internet exit of the others', () => {
    // Prepare
    const w = newWorld();
    addEndpoint(w, 'ssm');
    addRoute(w, '0.0.0.0/0', { kind: 'internet-gateway', id: 'igw-1' });
    w.instance.publicIpAddress = '198.51.100.7';
    // Act
    const result = paths(w);
    // Assess
    expect(result[0]).toEqual({
      service: 'ssm',
      via: 'vpc-endpoint',
      vpcId: 'vpc-1',
      vpcEndpointId: 'vpce-ssm',
    });
    expect(result[1]).toMatchObject({
      service: 'ssmmessages',
      via: 'internet',
      vpcId: 'vpc-1',
      family: 4,
      exits: [{ device: 'internet-gateway', deviceId: 'igw-1', sourceIp: '198.51.100.7' }],
    });
    expect(result.map((p) => p.service)).toEqual(['ssm', 'ssmmessages', 'ec2messages']);
  });

  it("treats an endpoint without private DNS as not taken, and gives the NAT gateway's Elastic IP", () => {
    const w = newWorld();
    addEndpoint(w, 'ssm', { privateDnsEnabled: false });
    addRoute(w, '0.0.0.0/0', { kind: 'nat-gateway', id: 'nat-1' });
    const [ssm] = paths(w);
    expect(ssm).toMatchObject({
      via: 'internet',
      exits: [{ device: 'nat-gateway', deviceId: 'nat-1', sourceIp: '198.51.100.10' }],
    });
  });

  it('lists one exit per device when the route table splits the public address space', () => {
    const w = newWorld();
    addRoute(w, '0.0.0.0/1', { kind: 'nat-gateway', id: 'nat-a' });
    addRoute(w, '128.0.0.0/1', { kind: 'internet-gateway', id: 'igw-1' }, 'blackhole');
    const [ssm] = paths(w);
    expect(ssm).toMatchObject({
      via: 'internet',
      exits: [
        { device: 'nat-gateway', deviceId: 'nat-a' },
        { device: 'dropped', deviceId: 'igw-1' },
      ],
    });
  });

  it('says none for an instance outside a VPC subnet', () => {
    const w = newWorld();
    delete w.instance.subnetId;
    expect(paths(w).every((p) => p.via === 'none')).toBe(true);
  });

  it('throws the missing-data error naming the command rather than guessing', () => {
    const w = newWorld();
    w.missing = ['ec2:route-tables'];
    expect(() => paths(w)).toThrow(DataUnavailableError);
    expect(() => paths(w)).toThrow(/describe-route-tables/);
  });
});
