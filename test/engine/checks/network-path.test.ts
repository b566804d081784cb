// Table-driven tests of the named check network-path-to-ssm: each path kind (NAT, IGW, NAT instance, interface
// endpoints, IPv6 egress-only IGW and NAT64) and each way it breaks, on a small VPC rebuilt for every case.

import { describe, expect, it } from 'vitest';
import { DataUnavailableError } from '../../../src/inventory/coverage.js';
import type { CheckResult } from '../../../src/engine/checks/named-check.js';
import { networkPathToSsm } from '../../../src/engine/checks/network-path/network-path-to-ssm.js';
import { InventoryIndex } from '../../../src/inventory/inventory-index.js';
import { RESOURCE_FAMILIES, type Ec2Instance } from '../../../src/inventory/model.js';
import { addEndpoint, addEndpoints, addRoute, newWorld, run, type World } from './network-path/path-world.js';

// ---- the cases ------------------------------------------------------------------------------------------------

type Expect =
  | { outcome: 'pass'; detail?: string }
  | { outcome: 'fail'; reason: string; cause?: string; detail?: string }
  | { outcome: 'not-applicable'; detail?: string };

interface Case {
  name: string;
  arrange: (w: World) => void;
  expect: Expect;
}

const nat = (w: World, state = 'active'): void =>
  addRoute(w, '0.0.0.0/0', { kind: 'nat-gateway', id: 'nat-1' }, state);
const igw = (w: World): void => addRoute(w, '0.0.0.0/0', { kind: 'internet-gateway', id: 'igw-1' });
const ipv6Only = (w: World): void => {
  w.appSubnet.ipv6Native = true;
  w.appSubnet.enableDns64 = true;
  delete w.appSubnet.cidrBlock;
  delete w.instance.privateIpAddress;
  w.instance.ipv6Addresses = ['2600:1f18:1:101::10'];
};

const internetPaths: Case[] = [
  {
    name: 'NAT gateway route from an explicitly associated table',
    arrange: nat,
    expect: { outcome: 'pass', detail: 'ssm via NAT gateway nat-1; ssmmessages via NAT gateway nat-1' },
  },
  {
    name: 'internet gateway with the public address only on the network interface',
    arrange: (w) => {
      igw(w);
      w.instance.networkInterfaces = [
        {
          networkInterfaceId: 'eni-1',
          deviceIndex: 0,
          securityGroupIds: ['sg-app'],
          privateIpAddresses: ['10.0.1.10'],
          ipv6Addresses: [],
          publicIp: '54.1.2.3',
        },
      ];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'NAT instance route (network-interface target)',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'network-interface', id: 'eni-nat' }),
    expect: { outcome: 'pass' },
  },
  {
    name: 'subnet with no explicit association uses the main table (which has the NAT route)',
    arrange: (w) => {
      w.appTable.subnetIds = [];
      addRoute(w, '0.0.0.0/0', { kind: 'nat-gateway', id: 'nat-main' }, 'active', w.mainTable);
    },
    expect: { outcome: 'pass', detail: 'via NAT gateway nat-main' },
  },
  {
    name: 'routes to private space (on-premises over a transit gateway) do not hide a missing default route',
    arrange: (w) => {
      addRoute(w, '192.168.0.0/16', { kind: 'transit-gateway', id: 'tgw-1' });
      addRoute(w, '10.1.0.0/16', { kind: 'vpc-peering', id: 'pcx-1' });
    },
    expect: { outcome: 'fail', reason: 'NET.NO_ROUTE', cause: 'rtb-app' },
  },
  {
    name: 'the prefix-list route of an S3 gateway endpoint does not count',
    arrange: (w) =>
      w.appTable.routes.push({
        destinationPrefixListId: 'pl-63a5400a',
        target: { kind: 'vpc-endpoint', id: 'vpce-s3' },
        state: 'active',
      }),
    expect: { outcome: 'fail', reason: 'NET.NO_ROUTE', cause: 'rtb-app' },
  },
];

const internetBreaks: Case[] = [
  {
    name: 'no route at all and no endpoints',
    arrange: () => undefined,
    expect: {
      outcome: 'fail',
      reason: 'NET.NO_ROUTE',
      cause: 'rtb-app',
      detail:
        'route table rtb-app has no route to 0.0.0.0/0, and vpc-1 has no interface endpoints for Systems Manager (the same for ssmmessages)',
    },
  },
  {
    name: 'subnet with no explicit association uses the main table (local route only)',
    arrange: (w) => {
      w.appTable.subnetIds = [];
      nat(w); // on the table the subnet is NOT associated with
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.NO_ROUTE',
      cause: 'rtb-main',
      detail: 'the main table of vpc-1; subnet-app has no explicit association',
    },
  },
  {
    name: 'blackhole NAT route',
    arrange: (w) => nat(w, 'blackhole'),
    expect: {
      outcome: 'fail',
      reason: 'NET.BLACKHOLE_ROUTE',
      cause: 'rtb-app',
      detail: 'sends 0.0.0.0/0 to NAT gateway nat-1, which no longer exists (blackhole route)',
    },
  },
  {
    name: 'instance in a public subnet with no public IP',
    arrange: igw,
    expect: {
      outcome: 'fail',
      reason: 'NET.NO_PUBLIC_IP',
      cause: 'subnet-app',
      detail: 'internet gateway igw-1 (rtb-app), but the instance has no public IPv4 address',
    },
  },
  {
    name: 'security-group egress allows 443 only inside the VPC on a NAT path',
    arrange: (w) => {
      nat(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' }];
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.EGRESS_BLOCKS',
      cause: 'sg-app',
      detail: 'none of its security groups (sg-app) allows outbound TCP 443 to the internet (0.0.0.0/0)',
    },
  },
  {
    name: 'NACL deny with a lower rule number than the allow',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries.push({
        ruleNumber: 90,
        protocol: '6',
        action: 'deny',
        egress: true,
        cidrBlock: '0.0.0.0/0',
        portFrom: 443,
        portTo: 443,
      });
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.NACL_BLOCKS',
      cause: 'acl-app',
      detail: 'network ACL acl-app of subnet-app denies outbound TCP 443 to 0.0.0.0/0 (rule 90)',
    },
  },
  {
    name: 'NACL allow with a lower rule number than a deny',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        {
          ruleNumber: 80,
          protocol: '6',
          action: 'allow',
          egress: true,
          cidrBlock: '0.0.0.0/0',
          portFrom: 443,
          portTo: 443,
        },
        {
          ruleNumber: 90,
          protocol: '6',
          action: 'deny',
          egress: true,
          cidrBlock: '0.0.0.0/0',
          portFrom: 443,
          portTo: 443,
        },
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: false,
          cidrBlock: '0.0.0.0/0',
          portFrom: 1024,
          portTo: 65535,
        },
      ];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'missing ephemeral return rule (inbound allows 443 only)',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: true,
          cidrBlock: '0.0.0.0/0',
          portFrom: 443,
          portTo: 443,
        },
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: false,
          cidrBlock: '0.0.0.0/0',
          portFrom: 443,
          portTo: 443,
        },
        { ruleNumber: 32767, protocol: '-1', action: 'deny', egress: false, cidrBlock: '0.0.0.0/0' },
      ];
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.NACL_BLOCKS',
      cause: 'acl-app',
      detail: 'denies inbound return traffic (TCP 1024-65535) from 0.0.0.0/0 (the default deny rule (*))',
    },
  },
  {
    name: 'ephemeral return rule covering only part of the range',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: true,
          cidrBlock: '0.0.0.0/0',
          portFrom: 443,
          portTo: 443,
        },
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: false,
          cidrBlock: '0.0.0.0/0',
          portFrom: 32768,
          portTo: 65535,
        },
      ];
    },
    // Ports 32768-65535 pass, 1024-32767 do not: it depends on the source port the instance picks.
    expect: { outcome: 'not-applicable', detail: 'denies ports 1024-32767' },
  },
  {
    name: 'ephemeral range as a parameter: 32768-65535 is enough when configured',
    arrange: (w) => {
      nat(w);
      w.params.ephemeralPorts = { from: 32768, to: 65535 };
      w.appAcl.entries = [
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: true,
          cidrBlock: '0.0.0.0/0',
          portFrom: 443,
          portTo: 443,
        },
        {
          ruleNumber: 100,
          protocol: '6',
          action: 'allow',
          egress: false,
          cidrBlock: '0.0.0.0/0',
          portFrom: 32768,
          portTo: 65535,
        },
      ];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'a UDP-only NACL allow does not carry TCP',
    arrange: (w) => {
      nat(w);
      w.appAcl.entries = [
        { ruleNumber: 100, protocol: '17', action: 'allow', egress: true, cidrBlock: '0.0.0.0/0' },
      ];
    },
    expect: { outcome: 'fail', reason: 'NET.NACL_BLOCKS', detail: 'the default deny rule (*)' },
  },
];

const unverifiablePaths: Case[] = [
  {
    name: 'transit gateway route',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'transit-gateway', id: 'tgw-1' }),
    expect: {
      outcome: 'not-applicable',
      detail:
        'Cannot be verified from this account: the path of instance i-1 to ssm is not a pass and not a failure: route table rtb-app sends 0.0.0.0/0 to transit gateway tgw-1',
    },
  },
  {
    name: 'VPC peering route',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'vpc-peering', id: 'pcx-1' }),
    expect: { outcome: 'not-applicable', detail: 'VPC peering connection pcx-1' },
  },
  {
    name: 'virtual private gateway route',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'virtual-private-gateway', id: 'vgw-1' }),
    expect: { outcome: 'not-applicable', detail: 'virtual private gateway vgw-1' },
  },
  {
    name: 'Gateway Load Balancer endpoint (inspection VPC)',
    arrange: (w) => addRoute(w, '0.0.0.0/0', { kind: 'vpc-endpoint', id: 'vpce-gwlb' }),
    expect: { outcome: 'not-applicable', detail: 'VPC endpoint vpce-gwlb' },
  },
  {
    name: 'transit gateway route, but the security group blocks locally: a definite failure',
    arrange: (w) => {
      addRoute(w, '0.0.0.0/0', { kind: 'transit-gateway', id: 'tgw-1' });
      w.appSg.egress = [];
    },
    expect: { outcome: 'fail', reason: 'NET.EGRESS_BLOCKS', cause: 'sg-app' },
  },
  {
    name: 'egress allowed only to a prefix list',
    arrange: (w) => {
      nat(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-corp' }];
    },
    expect: { outcome: 'not-applicable', detail: 'a prefix list whose entries are not in the inventory' },
  },
];

const endpointPaths: Case[] = [
  {
    name: 'complete endpoint setup (ssm, ssmmessages), no internet route',
    arrange: (w) => addEndpoints(w),
    expect: {
      outcome: 'pass',
      detail: 'ssm via endpoint vpce-ssm; ssmmessages via endpoint vpce-ssmmessages',
    },
  },
  {
    name: 'endpoint SG allows 443 by reference to the instance security group',
    arrange: (w) => {
      addEndpoints(w);
      w.endpointSg.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, referencedGroupId: 'sg-app' }];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'instance egress allows 443 by reference to the endpoint security group',
    arrange: (w) => {
      addEndpoints(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, referencedGroupId: 'sg-vpce' }];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'endpoint SG allows exactly the instance address (decided per address)',
    arrange: (w) => {
      addEndpoints(w);
      w.endpointSg.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.1.10/32' }];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'endpoint interface in the instance subnet: NACLs do not filter traffic inside a subnet',
    arrange: (w) => {
      addEndpoint(w, 'ssm', { subnetIds: ['subnet-app'] });
      addEndpoint(w, 'ssmmessages', { subnetIds: ['subnet-app'] });
      w.appAcl.entries = [];
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'endpoint in two subnets, one blocked by its NACL: the other interface is reachable',
    arrange: (w) => {
      w.inventory.subnets.push({ ...w.endpointSubnet, subnetId: 'subnet-ep2', cidrBlock: '10.0.4.0/24' });
      w.inventory.networkAcls.push({
        ...w.endpointAcl,
        networkAclId: 'acl-ep2',
        subnetIds: ['subnet-ep2'],
        entries: [],
      });
      addEndpoint(w, 'ssm', { subnetIds: ['subnet-ep2', 'subnet-ep'] });
      addEndpoint(w, 'ssmmessages', { subnetIds: ['subnet-ep2', 'subnet-ep'] });
    },
    expect: { outcome: 'pass' },
  },
  {
    name: 'ec2messages required and present',
    arrange: (w) => {
      addEndpoints(w, ['ssm', 'ssmmessages', 'ec2messages']);
      w.params.requireEc2messages = true;
    },
    expect: { outcome: 'pass', detail: 'ec2messages via endpoint vpce-ec2messages' },
  },
  {
    name: 'ec2messages missing but not required (agent 3.3.40.0 and later)',
    arrange: (w) => addEndpoints(w),
    expect: { outcome: 'pass' },
  },
  {
    name: 'endpoint with private DNS off is bypassed when a NAT route exists',
    arrange: (w) => {
      addEndpoint(w, 'ssm', { privateDnsEnabled: false });
      addEndpoint(w, 'ssmmessages');
      nat(w);
    },
    expect: {
      outcome: 'pass',
      detail: 'ssm via NAT gateway nat-1; ssmmessages via endpoint vpce-ssmmessages',
    },
  },
  {
    name: 'China partition service names',
    arrange: (w) => {
      addEndpoint(w, 'ssm', { serviceName: 'cn.com.amazonaws.us-east-1.ssm' });
      addEndpoint(w, 'ssmmessages', { serviceName: 'cn.com.amazonaws.us-east-1.ssmmessages' });
    },
    expect: { outcome: 'pass' },
  },
];

const endpointBreaks: Case[] = [
  {
    name: 'endpoint for ssm but not ssmmessages',
    arrange: (w) => addEndpoint(w, 'ssm'),
    expect: {
      outcome: 'fail',
      reason: 'NET.NO_SSMMESSAGES_ENDPOINT',
      cause: 'vpc-1',
      detail:
        'ssmmessages: vpc-1 has no interface endpoint for ssmmessages, and there is no internet path either',
    },
  },
  {
    name: 'endpoint for ssmmessages but not ssm',
    arrange: (w) => addEndpoint(w, 'ssmmessages'),
    expect: { outcome: 'fail', reason: 'NET.NO_SSM_ENDPOINT', cause: 'vpc-1' },
  },
  {
    name: 'ec2messages required but missing',
    arrange: (w) => {
      addEndpoints(w);
      w.params.requireEc2messages = true;
    },
    expect: { outcome: 'fail', reason: 'NET.NO_EC2MESSAGES_ENDPOINT', cause: 'vpc-1' },
  },
  {
    name: 'endpoint for ssm but not ssmmessages, with a NAT route: ssmmessages uses the NAT',
    arrange: (w) => {
      addEndpoint(w, 'ssm');
      nat(w);
    },
    expect: { outcome: 'pass', detail: 'ssm via endpoint vpce-ssm; ssmmessages via NAT gateway nat-1' },
  },
  {
    name: 'private DNS off',
    arrange: (w) => {
      addEndpoints(w);
      w.inventory.vpcEndpoints[0]!.privateDnsEnabled = false;
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.PRIVATE_DNS_OFF',
      cause: 'vpce-ssm',
      detail: 'endpoint vpce-ssm (ssm) has private DNS off',
    },
  },
  {
    name: 'VPC DNS hostnames off',
    arrange: (w) => {
      addEndpoints(w);
      w.vpc.enableDnsHostnames = false;
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.VPC_DNS_OFF',
      cause: 'vpc-1',
      detail: 'vpc-1 has enableDnsHostnames off',
    },
  },
  {
    name: 'VPC DNS support off',
    arrange: (w) => {
      addEndpoints(w);
      w.vpc.enableDnsSupport = false;
    },
    expect: { outcome: 'fail', reason: 'NET.VPC_DNS_OFF', detail: 'enableDnsSupport off' },
  },
  {
    name: 'endpoint pending',
    arrange: (w) => {
      addEndpoints(w);
      w.inventory.vpcEndpoints[1]!.state = 'pending';
    },
    expect: { outcome: 'fail', reason: 'NET.ENDPOINT_NOT_AVAILABLE', cause: 'vpce-ssmmessages' },
  },
  {
    name: 'endpoint SG allowing 443 only from another CIDR',
    arrange: (w) => {
      addEndpoints(w);
      w.endpointSg.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.99.0.0/16' }];
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.ENDPOINT_SG_BLOCKS',
      cause: 'sg-vpce',
      detail:
        "ssm: the security group of endpoint vpce-ssm (sg-vpce) allows inbound TCP 443 only from 10.99.0.0/16, not from the instance's subnet 10.0.1.0/24 or its security group sg-app (the same for ssmmessages)",
    },
  },
  {
    name: "endpoint SG allowing another instance's address only (decided per address)",
    arrange: (w) => {
      addEndpoints(w);
      w.endpointSg.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.1.11/32' }];
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.ENDPOINT_SG_BLOCKS',
      detail: "not from the instance's address 10.0.1.10",
    },
  },
  {
    name: 'endpoint SG referencing a group the instance does not have',
    arrange: (w) => {
      addEndpoints(w);
      w.endpointSg.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, referencedGroupId: 'sg-other' }];
    },
    expect: { outcome: 'fail', reason: 'NET.ENDPOINT_SG_BLOCKS', cause: 'sg-vpce' },
  },
  {
    name: 'instance egress allows 443 only outside the VPC',
    arrange: (w) => {
      addEndpoints(w);
      w.appSg.egress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '192.168.0.0/16' }];
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.EGRESS_BLOCKS',
      cause: 'sg-app',
      detail: 'to endpoint vpce-ssm (10.0.2.0/24 or sg-vpce)',
    },
  },
  {
    name: "endpoint subnet's NACL denies inbound 443 from the instance (the mirror)",
    arrange: (w) => {
      addEndpoints(w);
      w.endpointAcl.entries.push({
        ruleNumber: 50,
        protocol: '6',
        action: 'deny',
        egress: false,
        cidrBlock: '10.0.1.0/24',
        portFrom: 443,
        portTo: 443,
      });
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.NACL_BLOCKS',
      cause: 'acl-ep',
      detail: 'network ACL acl-ep of subnet-ep denies inbound TCP 443 from',
    },
  },
  {
    name: "endpoint subnet's NACL has no outbound return rule",
    arrange: (w) => {
      addEndpoints(w);
      w.endpointAcl.entries = w.endpointAcl.entries.filter((e) => !e.egress);
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.NACL_BLOCKS',
      cause: 'acl-ep',
      detail: 'denies outbound return traffic (TCP 1024-65535) to',
    },
  },
  {
    name: "instance subnet's NACL blocks 443 to the endpoint subnet",
    arrange: (w) => {
      addEndpoints(w);
      w.appAcl.entries.push({
        ruleNumber: 10,
        protocol: '-1',
        action: 'deny',
        egress: true,
        cidrBlock: '10.0.2.0/23',
      });
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.NACL_BLOCKS',
      cause: 'acl-app',
      detail: 'denies outbound TCP 443 to 10.0.2.0/24 (rule 10)',
    },
  },
  {
    name: 'endpoint SG blocks even though a NAT route exists (private DNS points at the endpoint)',
    arrange: (w) => {
      addEndpoints(w);
      nat(w);
      w.endpointSg.ingress = [];
    },
    expect: { outcome: 'fail', reason: 'NET.ENDPOINT_SG_BLOCKS', detail: 'allows no inbound TCP 443 at all' },
  },
];

const ipv6Cases: Case[] = [
  {
    name: 'IPv6-only subnet with ::/0 to an internet gateway',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '::/0', { kind: 'internet-gateway', id: 'igw-1' });
    },
    expect: { outcome: 'pass', detail: 'via internet gateway igw-1' },
  },
  {
    name: 'IPv6-only subnet with only an IPv4 NAT route',
    arrange: (w) => {
      ipv6Only(w);
      nat(w);
    },
    expect: { outcome: 'fail', reason: 'NET.NO_ROUTE', detail: 'has no route to 0:0:0:0:0:0:0:0/0' },
  },
  {
    name: 'IPv6-only subnet: the NACL has IPv4 entries only',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '::/0', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
      w.appAcl.entries = w.appAcl.entries.filter((e) => e.ipv6CidrBlock === undefined);
    },
    expect: { outcome: 'fail', reason: 'NET.NACL_BLOCKS', cause: 'acl-app' },
  },
  {
    name: 'IPv6-only subnet: security group egress allows IPv4 only',
    arrange: (w) => {
      ipv6Only(w);
      addRoute(w, '::/0', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
      w.appSg.egress = w.appSg.egress.filter((r) => r.cidrIpv4 !== undefined);
    },
    expect: { outcome: 'fail', reason: 'NET.EGRESS_BLOCKS', cause: 'sg-app' },
  },
  {
    name: 'IPv6-only subnet reaching endpoints over IPv6',
    arrange: (w) => {
      ipv6Only(w);
      addEndpoints(w);
      w.endpointSg.ingress = [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv6: '2600:1f18:1:100::/56' },
      ];
    },
    expect: { outcome: 'pass', detail: 'ssm via endpoint vpce-ssm' },
  },
  {
    name: 'IPv6-only subnet: endpoint SG allows IPv4 sources only',
    arrange: (w) => {
      ipv6Only(w);
      addEndpoints(w);
    },
    expect: {
      outcome: 'fail',
      reason: 'NET.ENDPOINT_SG_BLOCKS',
      detail: "not from the instance's subnet 2600:1f18:1:101:0:0:0:0/64",
    },
  },
  {
    name: 'dual-stack subnet: the agent uses IPv4, so the IPv6 egress-only gateway is not enough',
    arrange: (w) => {
      w.instance.ipv6Addresses = ['2600:1f18:1:101::10'];
      addRoute(w, '::/0', { kind: 'egress-only-internet-gateway', id: 'eigw-1' });
    },
    expect: { outcome: 'fail', reason: 'NET.NO_ROUTE' },
  },
];

function assess(result: CheckResult, expected: Expect): void {
  expect(result.outcome).toBe(expected.outcome);
  if (expected.detail !== undefined)
    expect(
      result.outcome === 'pass' ? (result.detail ?? '') : 'detail' in result ? result.detail : '',
    ).toContain(expected.detail);
  if (expected.outcome === 'fail' && result.outcome === 'fail') {
    expect(result.reason).toBe(expected.reason);
    if (expected.cause !== undefined) expect(result.cause?.resourceId).toBe(expected.cause);
  }
}

describe('network-path-to-ssm', () => {
  for (const [group, cases] of [
    ['internet path', internetPaths],
    ['internet path breaks', internetBreaks],
    ['cannot be verified from this account', unverifiablePaths],
    ['interface endpoints', endpointPaths],
    ['interface endpoint breaks', endpointBreaks],
    ['IPv6', ipv6Cases],
  ] as const) {
    describe(group, () => {
      it.for(cases)('$name', (c) => {
        // Prepare
        const w = newWorld();
        c.arrange(w);
        // Act
        const result = run(w);
        // Assess
        assess(result, c.expect);
      });
    });
  }

  describe('data it could not read is never a verdict', () => {
    it.for([
      'ec2:subnets',
      'ec2:route-tables',
      'ec2:network-acls',
      'ec2:vpc-endpoints',
      'ec2:security-groups',
    ] as const)('throws DataUnavailableError when %s is unreadable', (family) => {
      const w = newWorld();
      nat(w);
      w.unreadable.push(family);
      expect(() => run(w)).toThrow(DataUnavailableError);
    });

    it('needs the VPC DNS attributes only when an endpoint with private DNS is in play', () => {
      const w = newWorld();
      nat(w);
      w.missing.push('ec2:vpc-attributes');
      expect(run(w).outcome).toBe('pass');
      addEndpoints(w);
      expect(() => run(w)).toThrow(/ec2:vpc-attributes/);
    });

    it('throws when the DNS attributes of this VPC were not read', () => {
      const w = newWorld();
      addEndpoints(w);
      delete w.vpc.enableDnsHostnames;
      expect(() => run(w)).toThrow(/DNS attributes of vpc-1 were not read/);
    });

    it('throws when the subnet is missing from a read subnet list', () => {
      const w = newWorld();
      w.instance.subnetId = 'subnet-gone';
      expect(() => run(w)).toThrow(/subnet subnet-gone is not in the inventory/);
    });

    it('throws when no network ACL is associated with the subnet', () => {
      const w = newWorld();
      w.appAcl.subnetIds = [];
      expect(() => run(w)).toThrow(/no network ACL is associated with subnet-app/);
    });
  });

  it('is not applicable to an instance outside any subnet', () => {
    const w = newWorld();
    delete w.instance.subnetId;
    expect(run(w)).toMatchObject({
      outcome: 'not-applicable',
      detail: 'Instance i-1 is not in a VPC subnet.',
    });
  });

  it('suggests a NACL entry numbered below the blocking one', () => {
    const w = newWorld();
    nat(w);
    w.appAcl.entries.push({
      ruleNumber: 90,
      protocol: '6',
      action: 'deny',
      egress: true,
      cidrBlock: '0.0.0.0/0',
      portFrom: 443,
      portTo: 443,
    });
    const result = run(w);
    expect(result.outcome === 'fail' && result.remediation?.command).toBe(
      'aws ec2 create-network-acl-entry --network-acl-id acl-app --rule-number 89 --egress --protocol 6 --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow',
    );
  });

  it('gives instances of one subnet the same cause, so the report groups them', () => {
    const w = newWorld();
    addEndpoints(w);
    w.endpointSg.ingress = [];
    const second: Ec2Instance = { ...w.instance, instanceId: 'i-2', privateIpAddress: '10.0.1.11' };
    w.inventory.instances.push(second);
    const first = run(w);
    const index = new InventoryIndex(w.inventory);
    const other = networkPathToSsm.evaluate(second, { index, params: w.params, nowMs: 0 });
    expect(first.outcome === 'fail' && first.cause).toEqual(other.outcome === 'fail' && other.cause);
  });

  it('memoises per index: a second instance of the subnet reuses the subnet-level result', () => {
    const w = newWorld();
    nat(w);
    w.inventory.coverage = RESOURCE_FAMILIES.map((family) => ({ family, status: 'read' as const }));
    const index = new InventoryIndex(w.inventory);
    const a = networkPathToSsm.evaluate(w.instance, { index, params: w.params, nowMs: 0 });
    const b = networkPathToSsm.evaluate(
      { ...w.instance, instanceId: 'i-2', privateIpAddress: '10.0.1.99' },
      { index, params: w.params, nowMs: 0 },
    );
    expect(b).toEqual(a);
  });
});
