// The path cases of issue 12, one row each: split and overlapping prefixes (both directions, blackholes, more and
// less specific), every device state, IPv6-only and dual-stack subnets, NACLs with overlapping CIDRs and port
// ranges, endpoints in another AZ. Each row states the verdict and the hop at fault (reason and resource).

import { describe, expect, test } from 'vitest';
import type { NetworkAclEntry } from '../../../../src/inventory/model.js';
import {
  TEST_IP_RANGES,
  addEndpoint,
  addEndpoints,
  addRoute,
  newWorld,
  run,
  type World,
} from './path-world.js';

type Verdict =
  | { outcome: 'pass'; via?: string }
  | { outcome: 'fail'; reason: string; atFault: string }
  | { outcome: 'not-applicable'; says: string }
  | { outcome: 'error'; says: string };

interface PathCase {
  name: string;
  arrange: (w: World) => void;
  verdict: Verdict;
  /** Words the result's evidence must carry. */
  evidence?: string[];
}

const withRanges = (w: World): void => {
  w.ipRanges = TEST_IP_RANGES;
};

const nat = (w: World, cidr = '0.0.0.0/0', id = 'nat-1', state = 'active'): void =>
  addRoute(w, cidr, { kind: 'nat-gateway', id }, state);
const igw = (w: World, cidr = '0.0.0.0/0', state = 'active'): void =>
  addRoute(w, cidr, { kind: 'internet-gateway', id: 'igw-1' }, state);
const publicIp = (w: World): void => {
  w.instance.publicIpAddress = '198.51.100.77';
};
const natGateway = (w: World, id = 'nat-1') => w.inventory.natGateways.find((n) => n.natGatewayId === id)!;
const publicTable = (w: World) => w.inventory.routeTables.find((t) => t.routeTableId === 'rtb-pub')!;
const natInstance = (w: World) => w.inventory.instances.find((i) => i.instanceId === 'i-nat')!;
const ipv6Only = (w: World): void => {
  w.appSubnet.ipv6Native = true;
  w.appSubnet.enableDns64 = true;
  delete w.appSubnet.cidrBlock;
  delete w.instance.privateIpAddress;
  w.instance.ipv6Addresses = ['2600:1f18:1:101::10'];
};
const aclEntry = (
  ruleNumber: number,
  action: 'allow' | 'deny',
  egress: boolean,
  cidrBlock: string,
  ports?: [number, number],
): NetworkAclEntry => ({
  ruleNumber,
  protocol: ports ? '6' : '-1',
  action,
  egress,
  cidrBlock,
  ...(ports ? { portFrom: ports[0], portTo: ports[1] } : {}),
});

const CASES: PathCase[] = [
  // ---- split and overlapping prefixes ----
  {
    name: '0.0.0.0/0 to a working IGW, both /1 halves blackholed: every address is caught by a blackhole',
    arrange: (w) => {
      publicIp(w);
      igw(w);
      nat(w, '0.0.0.0/1', 'nat-gone', 'blackhole');
      nat(w, '128.0.0.0/1', 'nat-gone', 'blackhole');
    },
    verdict: { outcome: 'fail', reason: 'NET.BLACKHOLE_ROUTE', atFault: 'rtb-app' },
  },
  {
    name: 'blackholed default route, both /1 halves to a working NAT gateway: every address is covered',
    arrange: (w) => {
      nat(w, '0.0.0.0/0', 'nat-gone', 'blackhole');
      nat(w, '0.0.0.0/1');
      nat(w, '128.0.0.0/1', 'nat-2');
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1 or NAT gateway nat-2' },
  },
  {
    name: 'a more specific blackhole inside a working default route: cannot be verified, naming the prefix',
    arrange: (w) => {
      nat(w);
      nat(w, '52.0.0.0/8', 'nat-gone', 'blackhole');
    },
    verdict: { outcome: 'not-applicable', says: '52.0.0.0/8 fails' },
  },
  {
    name: 'a more specific working route inside a blackholed default route: cannot be verified',
    arrange: (w) => {
      nat(w, '0.0.0.0/0', 'nat-gone', 'blackhole');
      nat(w, '52.0.0.0/8');
    },
    verdict: { outcome: 'not-applicable', says: '52.0.0.0/8 works (through NAT gateway nat-1)' },
  },
  {
    name: 'more specific routes into private space do not touch the public endpoints',
    arrange: (w) => {
      nat(w);
      addRoute(w, '172.16.0.0/12', { kind: 'transit-gateway', id: 'tgw-1' });
      addRoute(w, '192.168.0.0/16', { kind: 'nat-gateway', id: 'nat-gone' }, 'blackhole');
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  {
    name: 'no route for part of the public space (only 0.0.0.0/1 is routed)',
    arrange: (w) => nat(w, '0.0.0.0/1'),
    verdict: { outcome: 'not-applicable', says: 'has no route to' },
  },
  {
    name: 'part of the public space to a transit gateway, the rest to a NAT gateway',
    arrange: (w) => {
      nat(w);
      addRoute(w, '3.0.0.0/8', { kind: 'transit-gateway', id: 'tgw-1' });
    },
    verdict: { outcome: 'not-applicable', says: 'transit gateway tgw-1' },
  },
  // ---- NAT gateways ----
  ...(['pending', 'failed', 'deleting', 'deleted'] as const).map((state): PathCase => ({
    name: `NAT gateway ${state}`,
    arrange: (w) => {
      nat(w);
      natGateway(w).state = state;
    },
    verdict: { outcome: 'fail', reason: 'NET.NAT_NOT_AVAILABLE', atFault: 'nat-1' },
  })),
  {
    name: 'private NAT gateway whose subnet routes to the internet gateway (dropped)',
    arrange: (w) => {
      nat(w);
      natGateway(w).connectivityType = 'private';
    },
    verdict: { outcome: 'fail', reason: 'NET.NAT_PRIVATE', atFault: 'nat-1' },
  },
  {
    name: 'NAT gateway whose own subnet has no internet route',
    arrange: (w) => {
      nat(w);
      publicTable(w).routes = publicTable(w).routes.filter((r) => r.target.kind === 'local');
    },
    verdict: { outcome: 'fail', reason: 'NET.NO_ROUTE', atFault: 'rtb-pub' },
  },
  {
    name: 'NAT gateway whose own subnet blackholes half the public space',
    arrange: (w) => {
      nat(w);
      addRoute(w, '128.0.0.0/1', { kind: 'nat-gateway', id: 'nat-gone' }, 'blackhole', publicTable(w));
    },
    verdict: { outcome: 'not-applicable', says: '128.0.0.0/1 fails' },
  },
  {
    name: 'NAT gateway missing from the NAT gateway data (read at another time)',
    arrange: (w) => nat(w, '0.0.0.0/0', 'nat-unknown'),
    verdict: { outcome: 'error', says: 'describe-nat-gateways' },
  },
  {
    name: 'NAT gateways not collected',
    arrange: (w) => {
      nat(w);
      w.missing = ['ec2:nat-gateways'];
    },
    verdict: { outcome: 'error', says: 'describe-nat-gateways' },
  },
  // ---- internet gateways ----
  {
    name: 'internet gateway attached and a public IPv4 address',
    arrange: (w) => {
      publicIp(w);
      igw(w);
    },
    verdict: { outcome: 'pass', via: 'internet gateway igw-1' },
  },
  {
    name: 'internet gateway detached from the VPC',
    arrange: (w) => {
      publicIp(w);
      igw(w);
      w.inventory.internetGateways[0]!.attachments = [{ vpcId: 'vpc-1', state: 'detached' }];
    },
    verdict: { outcome: 'fail', reason: 'NET.GATEWAY_NOT_ATTACHED', atFault: 'igw-1' },
  },
  {
    name: 'internet gateways not collected',
    arrange: (w) => {
      publicIp(w);
      igw(w);
      w.missing = ['ec2:internet-gateways'];
    },
    verdict: { outcome: 'error', says: 'describe-internet-gateways' },
  },
  // ---- NAT instances ----
  {
    name: 'NAT instance running with its check off, a public address and an internet route',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'instance', id: 'i-nat' }),
    verdict: { outcome: 'pass', via: 'NAT instance i-nat' },
  },
  {
    name: 'NAT instance stopped',
    arrange: (w) => {
      addRoute(w, '0.0.0.0/0', { kind: 'instance', id: 'i-nat' });
      natInstance(w).state = 'stopped';
    },
    verdict: { outcome: 'fail', reason: 'NET.NAT_INSTANCE_DOWN', atFault: 'i-nat' },
  },
  {
    name: 'NAT instance with its source/destination check on (route to its ENI)',
    arrange: (w) => {
      addRoute(w, '0.0.0.0/0', { kind: 'network-interface', id: 'eni-nat' });
      natInstance(w).sourceDestCheck = true;
    },
    verdict: { outcome: 'fail', reason: 'NET.NAT_INSTANCE_SOURCE_DEST_CHECK', atFault: 'i-nat' },
  },
  {
    name: 'NAT instance without a public address',
    arrange: (w) => {
      addRoute(w, '0.0.0.0/0', { kind: 'instance', id: 'i-nat' });
      delete natInstance(w).publicIpAddress;
      natInstance(w).networkInterfaces[0]!.publicIp = undefined;
      delete natInstance(w).networkInterfaces[0]!.publicIp;
    },
    verdict: { outcome: 'fail', reason: 'NET.NO_PUBLIC_IP', atFault: 'subnet-pub' },
  },
  {
    name: 'NAT instance whose source/destination check was not read',
    arrange: (w) => {
      addRoute(w, '0.0.0.0/0', { kind: 'instance', id: 'i-nat' });
      delete natInstance(w).sourceDestCheck;
    },
    verdict: { outcome: 'error', says: 'SourceDestCheck' },
  },
  {
    name: 'route to a network interface no instance carries (an appliance)',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'network-interface', id: 'eni-firewall' }),
    verdict: { outcome: 'not-applicable', says: 'not an instance in the inventory' },
  },
  // ---- narrowed to AWS's published ranges (--ip-ranges) ----
  {
    name: 'ip-ranges: only 0.0.0.0/1 is routed, and it holds every AMAZON range of the region',
    arrange: (w) => {
      withRanges(w);
      nat(w, '0.0.0.0/1');
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
    evidence: ['AMAZON ranges of us-east-1', 'ip-ranges.json of 2026-08-22-15-17-05', 'test ranges'],
  },
  {
    name: 'ip-ranges: the split misses only non-AWS space, the other half blackholed',
    arrange: (w) => {
      withRanges(w);
      nat(w, '0.0.0.0/1');
      nat(w, '128.0.0.0/1', 'nat-gone', 'blackhole');
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  {
    name: 'ip-ranges: a blackhole inside one AMAZON range of the region still cannot be verified',
    arrange: (w) => {
      withRanges(w);
      nat(w);
      nat(w, '52.1.0.0/16', 'nat-gone', 'blackhole');
    },
    verdict: { outcome: 'not-applicable', says: '52.1.0.0/16' },
  },
  {
    name: 'ip-ranges: every AMAZON range of the region blackholed fails, although other space works',
    arrange: (w) => {
      withRanges(w);
      nat(w);
      nat(w, '0.0.0.0/1', 'nat-gone', 'blackhole');
    },
    verdict: { outcome: 'fail', reason: 'NET.BLACKHOLE_ROUTE', atFault: 'rtb-app' },
  },
  {
    name: 'ip-ranges: SG egress to the AMAZON ranges only is enough',
    arrange: (w) => {
      withRanges(w);
      nat(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/1' }];
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  {
    name: 'ip-ranges: a NACL deny on non-AWS space does not matter',
    arrange: (w) => {
      withRanges(w);
      nat(w);
      w.appAcl.entries = [aclEntry(50, 'deny', true, '128.0.0.0/1'), ...w.appAcl.entries];
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  {
    name: 'ip-ranges: a region the file does not list keeps every public address (and says so)',
    arrange: (w) => {
      w.ipRanges = {
        ...TEST_IP_RANGES,
        regions: new Map([...TEST_IP_RANGES.regions].filter(([r]) => r !== 'us-east-1')),
      };
      nat(w, '0.0.0.0/1');
    },
    verdict: { outcome: 'not-applicable', says: 'has no route to' },
    evidence: ['us-east-1 has no AMAZON prefixes in ip-ranges.json of 2026-08-22-15-17-05'],
  },
  {
    name: 'ip-ranges: IPv6-only subnet, only the AMAZON IPv6 range routed to the egress-only gateway',
    arrange: (w) => {
      withRanges(w);
      ipv6Only(w);
      addRoute(w, '2600::/12', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
    },
    verdict: { outcome: 'pass', via: 'egress-only internet gateway eigw-1' },
  },
  {
    name: 'without ip-ranges: the same IPv6 split cannot be verified',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '2600::/12', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
    },
    verdict: { outcome: 'not-applicable', says: '--ip-ranges narrows them' },
  },
  {
    name: 'ip-ranges: IPv6-only subnet, NAT64 judged over the AMAZON IPv4 ranges mapped into 64:ff9b::/96',
    arrange: (w) => {
      withRanges(w);
      ipv6Only(w);
      addRoute(w, '64:ff9b::/97', { kind: 'nat-gateway', id: 'nat-64' });
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-64' },
  },
  // ---- IPv6 ----
  {
    name: 'IPv6-only subnet, ::/0 to an attached egress-only internet gateway',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '::/0', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
    },
    verdict: { outcome: 'pass', via: 'egress-only internet gateway eigw-1' },
  },
  {
    name: 'IPv6-only subnet, egress-only internet gateway detached',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '::/0', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
      w.inventory.egressOnlyInternetGateways[0]!.attachments = [];
    },
    verdict: { outcome: 'fail', reason: 'NET.GATEWAY_NOT_ATTACHED', atFault: 'eigw-1' },
  },
  {
    name: 'IPv6-only subnet, NAT64 to a NAT gateway with DNS64 on',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '64:ff9b::/96', { kind: 'nat-gateway', id: 'nat-64' });
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-64' },
  },
  {
    name: 'IPv6-only subnet, NAT64 with DNS64 off',
    arrange: (w) => {
      ipv6Only(w);
      w.appSubnet.enableDns64 = false;
      addRoute(w, '64:ff9b::/96', { kind: 'nat-gateway', id: 'nat-64' });
    },
    verdict: { outcome: 'fail', reason: 'NET.DNS64_OFF', atFault: 'subnet-app' },
  },
  {
    name: 'IPv6-only subnet, NAT64 with DNS64 not read',
    arrange: (w) => {
      ipv6Only(w);
      delete w.appSubnet.enableDns64;
      addRoute(w, '64:ff9b::/96', { kind: 'nat-gateway', id: 'nat-64' });
    },
    verdict: { outcome: 'error', says: 'EnableDns64' },
  },
  {
    name: 'IPv6-only subnet, IPv4-only interface endpoints',
    arrange: (w) => {
      ipv6Only(w);
      addEndpoints(w);
      for (const e of w.inventory.vpcEndpoints) {
        e.ipAddressType = 'ipv4';
        e.dnsRecordIpType = 'ipv4';
      }
    },
    verdict: { outcome: 'fail', reason: 'NET.ENDPOINT_IP_TYPE', atFault: 'vpce-ssm' },
  },
  {
    name: 'dual-stack subnet: the IPv4 path through the NAT gateway decides',
    arrange: (w) => {
      w.instance.ipv6Addresses = ['2600:1f18:1:101::10'];
      nat(w);
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  // ---- NACLs: overlapping CIDRs and port ranges ----
  {
    name: 'NACL denies 443 to one public /8 before allowing everything',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [aclEntry(90, 'deny', true, '52.0.0.0/8', [443, 443]), ...w.appAcl.entries];
    },
    verdict: { outcome: 'not-applicable', says: '52.0.0.0/8 fails' },
  },
  {
    name: 'NACL denies both /1 halves before allowing everything',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        aclEntry(80, 'deny', true, '0.0.0.0/1', [443, 443]),
        aclEntry(90, 'deny', true, '128.0.0.0/1', [443, 443]),
        ...w.appAcl.entries,
      ];
    },
    verdict: { outcome: 'fail', reason: 'NET.NACL_BLOCKS', atFault: 'acl-app' },
  },
  {
    name: 'NACL allows 443 to overlapping halves that together cover everything',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        aclEntry(80, 'allow', true, '0.0.0.0/1', [443, 443]),
        aclEntry(90, 'allow', true, '64.0.0.0/2', [443, 443]),
        aclEntry(95, 'allow', true, '128.0.0.0/1', [443, 443]),
        aclEntry(100, 'allow', false, '0.0.0.0/0', [1024, 65535]),
        aclEntry(32767, 'deny', true, '0.0.0.0/0'),
        aclEntry(32767, 'deny', false, '0.0.0.0/0'),
      ];
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  {
    name: 'NACL return rules with overlapping port ranges that cover the ephemeral range',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        aclEntry(100, 'allow', true, '0.0.0.0/0', [443, 443]),
        aclEntry(110, 'allow', false, '0.0.0.0/0', [1024, 40000]),
        aclEntry(120, 'allow', false, '0.0.0.0/0', [30000, 65535]),
      ];
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  {
    name: 'NACL denies part of the ephemeral range before allowing it: depends on the source port',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        aclEntry(100, 'allow', true, '0.0.0.0/0', [443, 443]),
        aclEntry(105, 'deny', false, '0.0.0.0/0', [1024, 2047]),
        aclEntry(110, 'allow', false, '0.0.0.0/0', [1024, 65535]),
      ];
    },
    verdict: { outcome: 'not-applicable', says: 'denies ports 1024-2047' },
  },
  // ---- security-group egress ----
  {
    name: 'security group allows 443 only to one public /8',
    arrange: (w) => {
      nat(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '52.0.0.0/8' }];
    },
    verdict: { outcome: 'not-applicable', says: '52.0.0.0/8 works' },
  },
  {
    name: 'security group allows 443 to the two /1 halves',
    arrange: (w) => {
      nat(w);
      w.appSg.egress = [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/1' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '128.0.0.0/1' },
      ];
    },
    verdict: { outcome: 'pass', via: 'NAT gateway nat-1' },
  },
  // ---- interface endpoints ----
  // ---- the endpoint side, over the endpoint subnet's addresses (its interface may have any of them) ----
  {
    name: "endpoint: SG egress allows 443 to only half of the endpoint's subnet: cannot be verified, naming the halves",
    arrange: (w) => {
      addEndpoints(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.2.0/25' }];
    },
    verdict: { outcome: 'not-applicable', says: '10.0.2.0/25 works' },
    evidence: ['10.0.2.128/25'],
  },
  {
    name: "endpoint: SG egress allows 443 to both halves of the endpoint's subnet",
    arrange: (w) => {
      addEndpoints(w);
      w.appSg.egress = [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.2.0/25' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.2.128/25' },
      ];
    },
    verdict: { outcome: 'pass', via: 'endpoint vpce-ssm' },
  },
  {
    name: "endpoint: SG egress allows 443 to a block holding the endpoint's subnet",
    arrange: (w) => {
      addEndpoints(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/22' }];
    },
    verdict: { outcome: 'pass', via: 'endpoint vpce-ssm' },
  },
  {
    name: "endpoint: SG egress allows 443 nowhere in the endpoint's subnet",
    arrange: (w) => {
      addEndpoints(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.3.0/24' }];
    },
    verdict: { outcome: 'fail', reason: 'NET.EGRESS_BLOCKS', atFault: 'sg-app' },
  },
  {
    name: "endpoint: the instance subnet's NACL denies 443 to a quarter of the endpoint's subnet first",
    arrange: (w) => {
      addEndpoints(w);
      w.appAcl.entries = [aclEntry(50, 'deny', true, '10.0.2.64/26', [443, 443]), ...w.appAcl.entries];
    },
    verdict: { outcome: 'not-applicable', says: '10.0.2.64/26 fails' },
  },
  {
    name: "endpoint: the instance subnet's NACL denies 443 to both halves of the endpoint's subnet",
    arrange: (w) => {
      addEndpoints(w);
      w.appAcl.entries = [
        aclEntry(50, 'deny', true, '10.0.2.0/25', [443, 443]),
        aclEntry(51, 'deny', true, '10.0.2.128/25', [443, 443]),
        ...w.appAcl.entries,
      ];
    },
    verdict: { outcome: 'fail', reason: 'NET.NACL_BLOCKS', atFault: 'acl-app' },
  },
  {
    name: "endpoint: a more specific route sends half of the endpoint's subnet to an appliance",
    arrange: (w) => {
      addEndpoints(w);
      addRoute(w, '10.0.2.128/25', { kind: 'network-interface', id: 'eni-firewall' });
    },
    verdict: { outcome: 'not-applicable', says: '10.0.2.0/25 works' },
  },
  {
    name: "endpoint: a blackholed route more specific than local covers the endpoint's whole subnet",
    arrange: (w) => {
      addEndpoints(w);
      addRoute(w, '10.0.2.0/24', { kind: 'network-interface', id: 'eni-gone' }, 'blackhole');
    },
    verdict: { outcome: 'fail', reason: 'NET.BLACKHOLE_ROUTE', atFault: 'rtb-app' },
  },
  {
    name: 'endpoint: half-allowed in one subnet, fully allowed in its second subnet: the second interface is used',
    arrange: (w) => {
      w.inventory.subnets.push({ ...w.endpointSubnet, subnetId: 'subnet-ep2', cidrBlock: '10.0.3.0/24' });
      w.endpointAcl.subnetIds.push('subnet-ep2');
      addEndpoint(w, 'ssm', { subnetIds: ['subnet-ep', 'subnet-ep2'] });
      addEndpoint(w, 'ssmmessages', { subnetIds: ['subnet-ep', 'subnet-ep2'] });
      w.appSg.egress = [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.2.0/25' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.3.0/24' },
      ];
    },
    verdict: { outcome: 'pass', via: 'endpoint vpce-ssm' },
  },
  {
    name: 'endpoints only in another AZ are reached across AZs through the local route',
    arrange: (w) => {
      w.appSubnet.availabilityZone = 'us-east-1a';
      w.endpointSubnet.availabilityZone = 'us-east-1b';
      addEndpoints(w);
    },
    verdict: { outcome: 'pass', via: 'endpoint vpce-ssm' },
  },
  {
    name: 'endpoint in another AZ whose subnet NACL blocks the instance',
    arrange: (w) => {
      w.appSubnet.availabilityZone = 'us-east-1a';
      w.endpointSubnet.availabilityZone = 'us-east-1b';
      addEndpoints(w);
      w.endpointAcl.entries = [
        aclEntry(90, 'deny', false, '10.0.1.0/24', [443, 443]),
        ...w.endpointAcl.entries,
      ];
    },
    verdict: { outcome: 'fail', reason: 'NET.NACL_BLOCKS', atFault: 'acl-ep' },
  },
];

describe('network path cases (issue 12)', () => {
  test.for(CASES)('$name', ({ arrange, verdict, evidence }) => {
    // Prepare
    const w = newWorld();
    arrange(w);
    // Act
    let result: ReturnType<typeof run> | undefined;
    let error: unknown;
    try {
      result = run(w);
    } catch (e) {
      error = e;
    }
    // Assess
    if (verdict.outcome === 'error') {
      expect(result).toBeUndefined();
      expect(String(error)).toContain(verdict.says);
      return;
    }
    if (error) throw error;
    expect(result?.outcome).toBe(verdict.outcome);
    if (result?.outcome === 'pass' && verdict.outcome === 'pass' && verdict.via)
      expect(result.detail).toContain(`ssm via ${verdict.via}`);
    if (result?.outcome === 'fail' && verdict.outcome === 'fail') {
      expect(result.reason).toBe(verdict.reason);
      expect(result.cause?.resourceId).toBe(verdict.atFault);
    }
    if (result?.outcome === 'not-applicable' && verdict.outcome === 'not-applicable')
      expect(result.detail).toContain(verdict.says);
    for (const word of evidence ?? []) expect(JSON.stringify(result?.evidence)).toContain(word);
  });
});
