// The S3 path: gateway-endpoint route priority (prefix list vs 0.0.0.0/0 and more specific routes), security-group
// rules naming the endpoint's prefix list, the endpoint policy for the patch buckets, interface endpoint, internet.

import { describe, expect, it } from 'vitest';
import { instanceNetwork } from '../../../../src/engine/checks/network-path/instance-network.js';
import { pathCacheFor } from '../../../../src/engine/checks/network-path/path-cache.js';
import { endpointPolicyAllowsReads } from '../../../../src/engine/checks/network-path/s3-endpoint-policy.js';
import { s3Path } from '../../../../src/engine/checks/network-path/s3-path.js';
import { InventoryIndex } from '../../../../src/inventory/inventory-index.js';
import { RESOURCE_FAMILIES, type VpcEndpoint } from '../../../../src/inventory/model.js';
import { addEndpoint, addRoute, newWorld, type World } from './path-world.js';

const PL = 'pl-63a5400a';

function withGateway(w: World, overrides: Partial<VpcEndpoint> = {}, state = 'active'): VpcEndpoint {
  const endpoint = addEndpoint(w, 's3', {
    vpcEndpointId: 'vpce-s3gw',
    endpointType: 'Gateway',
    privateDnsEnabled: false,
    subnetIds: [],
    securityGroupIds: [],
    routeTableIds: ['rtb-app'],
    ...overrides,
  });
  w.appTable.routes.push({
    destinationPrefixListId: PL,
    target: { kind: 'vpc-endpoint', id: 'vpce-s3gw' },
    state,
  });
  return endpoint;
}

function path(w: World) {
  w.inventory.coverage = RESOURCE_FAMILIES.map((family) => ({ family, status: 'read' as const }));
  const index = new InventoryIndex(w.inventory);
  const cache = pathCacheFor(index);
  const net = instanceNetwork(w.instance, index, cache)!;
  return s3Path(index, cache, net, [1024, 65535]);
}

describe('route priority for S3 traffic', () => {
  it('the gateway endpoint route wins over 0.0.0.0/0 to a NAT gateway', () => {
    const w = newWorld();
    addRoute(w, '0.0.0.0/0', { kind: 'nat-gateway', id: 'nat-1' });
    withGateway(w);
    const p = path(w);
    expect(p.via).toBe('gateway-endpoint');
    expect(p.outcome.kind).toBe('open');
    expect(p.endpoint?.vpcEndpointId).toBe('vpce-s3gw');
  });

  it('with only the gateway route (no default route), S3 is still reachable', () => {
    const w = newWorld();
    withGateway(w);
    expect(path(w).outcome).toMatchObject({ kind: 'open', via: 'gateway endpoint vpce-s3gw' });
  });

  it('records the gateway-endpoint hop for explain (route, then the endpoint as the device)', () => {
    const w = newWorld();
    withGateway(w);
    const steps = path(w).outcome.trails?.[0]?.steps ?? [];
    expect(steps.find((s) => s.hop === 'route')).toMatchObject({ verdict: 'ok', resourceId: 'rtb-app' });
    expect(steps.find((s) => s.hop === 'device')).toMatchObject({
      verdict: 'ok',
      detail: `gateway endpoint vpce-s3gw (Amazon S3, prefix list ${PL})`,
    });
  });

  it('a more specific CIDR route over public space makes the choice depend on the list entries', () => {
    const w = newWorld();
    withGateway(w);
    addRoute(w, '52.0.0.0/8', { kind: 'transit-gateway', id: 'tgw-1' });
    const p = path(w);
    expect(p.outcome.kind).toBe('unverifiable');
    expect(p.outcome.kind === 'unverifiable' && p.outcome.detail).toContain('52.0.0.0/8');
  });

  it('a private CIDR route (peering to 172.16.0.0/12) does not compete with the S3 list', () => {
    const w = newWorld();
    withGateway(w);
    addRoute(w, '172.16.0.0/12', { kind: 'vpc-peering', id: 'pcx-1' });
    expect(path(w).outcome.kind).toBe('open');
  });

  it('a customer-managed prefix-list route beside the S3 route cannot be judged', () => {
    const w = newWorld();
    withGateway(w);
    w.appTable.routes.push({
      destinationPrefixListId: 'pl-custom',
      target: { kind: 'transit-gateway', id: 'tgw-1' },
      state: 'active',
    });
    expect(path(w).outcome.kind).toBe('unverifiable');
  });

  it('a blackhole gateway route drops S3 traffic', () => {
    const w = newWorld();
    withGateway(w, {}, 'blackhole');
    expect(path(w).outcome).toMatchObject({ kind: 'broken', reason: 'NET.BLACKHOLE_ROUTE' });
  });

  it('without a gateway endpoint, S3 takes the internet path (here a NAT gateway)', () => {
    const w = newWorld();
    addRoute(w, '0.0.0.0/0', { kind: 'nat-gateway', id: 'nat-1' });
    const p = path(w);
    expect(p.via).toBe('internet');
    expect(p.outcome.kind).toBe('open');
  });

  it('without any route to S3, the path is broken', () => {
    const w = newWorld();
    const p = path(w);
    expect(p.outcome).toMatchObject({ kind: 'broken', reason: 'NET.NO_ROUTE' });
  });

  it('an S3 interface endpoint with private DNS carries S3 when there is no gateway endpoint', () => {
    const w = newWorld();
    addEndpoint(w, 's3');
    const p = path(w);
    expect(p.via).toBe('interface-endpoint');
    expect(p.outcome.kind).toBe('open');
  });

  it('an interface endpoint with private DNS beside a gateway endpoint cannot be judged (DNS options)', () => {
    const w = newWorld();
    withGateway(w);
    addEndpoint(w, 's3');
    expect(path(w).outcome.kind).toBe('unverifiable');
  });
});

describe('security-group egress to the S3 prefix list', () => {
  it("a rule naming the gateway route's prefix list allows it", () => {
    const w = newWorld();
    withGateway(w);
    w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: PL }];
    expect(path(w).outcome.kind).toBe('open');
  });

  it('a rule naming another prefix list cannot be verified', () => {
    const w = newWorld();
    withGateway(w);
    w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-other' }];
    expect(path(w).outcome.kind).toBe('unverifiable');
  });

  it('only VPC-internal egress blocks S3, and the fix names the prefix list', () => {
    const w = newWorld();
    withGateway(w);
    w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' }];
    const p = path(w).outcome;
    expect(p).toMatchObject({ kind: 'broken', reason: 'NET.EGRESS_BLOCKS' });
    expect(p.kind === 'broken' && p.remediation?.command).toContain(`PrefixListId=${PL}`);
  });

  it('a CIDR rule over part of the public space cannot be verified', () => {
    const w = newWorld();
    withGateway(w);
    w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '52.0.0.0/8' }];
    expect(path(w).outcome.kind).toBe('unverifiable');
  });

  it('a NACL that denies all outbound traffic blocks the gateway path', () => {
    const w = newWorld();
    withGateway(w);
    w.appAcl.entries = w.appAcl.entries.filter((e) => !(e.egress && e.action === 'allow'));
    expect(path(w).outcome).toMatchObject({ kind: 'broken', reason: 'NET.NACL_BLOCKS' });
  });
});

describe('the endpoint policy for the patch buckets', () => {
  const gateway = (document: unknown): VpcEndpoint => ({
    accountId: '111122223333',
    region: 'us-east-1',
    vpcEndpointId: 'vpce-s3gw',
    vpcId: 'vpc-1',
    serviceName: 'com.amazonaws.us-east-1.s3',
    endpointType: 'Gateway',
    state: 'available',
    privateDnsEnabled: false,
    subnetIds: [],
    securityGroupIds: [],
    routeTableIds: ['rtb-app'],
    policy: { document: document as never },
  });
  const buckets = ['aws-patch-manager-us-east-1-1970c647d', 'patch-baseline-snapshot-us-east-1'];
  const allowOnly = (resources: string[]) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resources }],
  });

  it('no policy (the default full access) allows', () => {
    const e = gateway({});
    delete e.policy;
    expect(endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1').kind).toBe('allow');
  });

  it('a policy allowing the patch buckets allows', () => {
    const e = gateway(allowOnly(buckets.map((b) => `arn:aws:s3:::${b}/*`)));
    expect(endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1').kind).toBe('allow');
  });

  it('a policy restricted to other buckets denies, naming the bucket', () => {
    const e = gateway(allowOnly(['arn:aws:s3:::my-app-bucket/*']));
    const v = endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1');
    expect(v).toMatchObject({ kind: 'deny', bucket: buckets[0] });
  });

  it('an explicit Deny on a patch bucket denies', () => {
    const e = gateway({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${buckets[1]}/*` },
      ],
    });
    const v = endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1');
    expect(v).toMatchObject({ kind: 'deny', bucket: buckets[1] });
    expect(v.kind === 'deny' && v.detail).toContain('denies');
  });

  it('a policy that names principals is CONDITIONAL on the caller: cannot be verified', () => {
    const e = gateway({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
          Action: 's3:GetObject',
          Resource: '*',
        },
      ],
    });
    expect(endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1').kind).toBe('unverifiable');
  });

  it('a policy limited to some keys of a patch bucket cannot be verified', () => {
    const e = gateway(allowOnly([`arn:aws:s3:::${buckets[0]}/linux/*`, `arn:aws:s3:::${buckets[1]}/*`]));
    expect(endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1').kind).toBe('unverifiable');
  });

  it('asked about any bucket, a bucket-restricted policy does not allow', () => {
    const e = gateway(allowOnly(buckets.map((b) => `arn:aws:s3:::${b}/*`)));
    expect(endpointPolicyAllowsReads(e, ['*'], 'vpc-1', 'us-east-1').kind).toBe('deny');
    const open = gateway(allowOnly(['*']));
    expect(endpointPolicyAllowsReads(open, ['*'], 'vpc-1', 'us-east-1').kind).toBe('allow');
  });

  it('a malformed policy cannot be verified', () => {
    const e = gateway({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    expect(endpointPolicyAllowsReads(e, buckets, 'vpc-1', 'us-east-1').kind).toBe('unverifiable');
  });
});
