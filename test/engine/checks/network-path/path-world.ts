// A small VPC for network-path tests, rebuilt for every case: app and endpoint subnets, their tables, ACLs and
// security groups, one instance; helpers add routes and endpoints and run the check.

import type { CheckResult } from '../../../../src/engine/checks/named-check.js';
import {
  networkPathToSsm,
  type NetworkPathParams,
} from '../../../../src/engine/checks/network-path/network-path-to-ssm.js';
import type { AwsIpRanges } from '../../../../src/inventory/aws-ip-ranges.js';
import { InventoryIndex } from '../../../../src/inventory/inventory-index.js';
import {
  RESOURCE_FAMILIES,
  emptyInventory,
  type Ec2Instance,
  type Inventory,
  type NetworkAcl,
  type NetworkAclEntry,
  type ResourceFamily,
  type Route,
  type RouteTable,
  type RouteTarget,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from '../../../../src/inventory/model.js';

export const SCOPE = { accountId: '111122223333', region: 'us-east-1' };

export interface World {
  inventory: Inventory;
  instance: Ec2Instance;
  vpc: Vpc;
  appSubnet: Subnet;
  endpointSubnet: Subnet;
  appTable: RouteTable;
  mainTable: RouteTable;
  appAcl: NetworkAcl;
  endpointAcl: NetworkAcl;
  appSg: SecurityGroup;
  endpointSg: SecurityGroup;
  params: NetworkPathParams;
  /** Families to mark as not read / unreadable. */
  missing: ResourceFamily[];
  unreadable: ResourceFamily[];
  /** AWS's published ranges for the scan (none: every public address). */
  ipRanges?: AwsIpRanges;
}

export function openAclEntries(): NetworkAclEntry[] {
  return [
    { ruleNumber: 100, protocol: '-1', action: 'allow', egress: true, cidrBlock: '0.0.0.0/0' },
    { ruleNumber: 100, protocol: '-1', action: 'allow', egress: false, cidrBlock: '0.0.0.0/0' },
    { ruleNumber: 101, protocol: '-1', action: 'allow', egress: true, ipv6CidrBlock: '::/0' },
    { ruleNumber: 101, protocol: '-1', action: 'allow', egress: false, ipv6CidrBlock: '::/0' },
    { ruleNumber: 32767, protocol: '-1', action: 'deny', egress: true, cidrBlock: '0.0.0.0/0' },
    { ruleNumber: 32767, protocol: '-1', action: 'deny', egress: false, cidrBlock: '0.0.0.0/0' },
  ];
}

export function newWorld(): World {
  const vpc: Vpc = {
    ...SCOPE,
    vpcId: 'vpc-1',
    cidrBlocks: ['10.0.0.0/16'],
    ipv6CidrBlocks: ['2600:1f18:1:100::/56'],
    isDefault: false,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    tags: {},
  };
  const subnet = (subnetId: string, cidrBlock: string, ipv6: string): Subnet => ({
    ...SCOPE,
    subnetId,
    vpcId: 'vpc-1',
    cidrBlock,
    ipv6CidrBlocks: [ipv6],
    ipv6Native: false,
    mapPublicIpOnLaunch: false,
    tags: {},
  });
  const appSubnet = subnet('subnet-app', '10.0.1.0/24', '2600:1f18:1:101::/64');
  const endpointSubnet = subnet('subnet-ep', '10.0.2.0/24', '2600:1f18:1:102::/64');
  const local = { destinationCidr: '10.0.0.0/16', target: { kind: 'local' } as RouteTarget, state: 'active' };
  const local6 = {
    destinationIpv6Cidr: '2600:1f18:1:100::/56',
    target: { kind: 'local' } as RouteTarget,
    state: 'active',
  };
  const appTable: RouteTable = {
    ...SCOPE,
    routeTableId: 'rtb-app',
    vpcId: 'vpc-1',
    isMain: false,
    subnetIds: ['subnet-app'],
    routes: [local, local6],
  };
  const mainTable: RouteTable = {
    ...SCOPE,
    routeTableId: 'rtb-main',
    vpcId: 'vpc-1',
    isMain: true,
    subnetIds: [],
    routes: [{ ...local }, { ...local6 }],
  };
  const appAcl: NetworkAcl = {
    ...SCOPE,
    networkAclId: 'acl-app',
    vpcId: 'vpc-1',
    isDefault: false,
    subnetIds: ['subnet-app'],
    entries: openAclEntries(),
  };
  const endpointAcl: NetworkAcl = {
    ...SCOPE,
    networkAclId: 'acl-ep',
    vpcId: 'vpc-1',
    isDefault: false,
    subnetIds: ['subnet-ep'],
    entries: openAclEntries(),
  };
  const appSg: SecurityGroup = {
    ...SCOPE,
    groupId: 'sg-app',
    vpcId: 'vpc-1',
    ingress: [],
    egress: [
      { protocol: 'all', fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/0' },
      { protocol: 'all', fromPort: 0, toPort: 65535, cidrIpv6: '::/0' },
    ],
    tags: {},
  };
  const endpointSg: SecurityGroup = {
    ...SCOPE,
    groupId: 'sg-vpce',
    vpcId: 'vpc-1',
    ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' }],
    egress: [],
    tags: {},
  };
  const instance: Ec2Instance = {
    ...SCOPE,
    instanceId: 'i-1',
    state: 'running',
    tags: {},
    securityGroupIds: ['sg-app'],
    subnetId: 'subnet-app',
    vpcId: 'vpc-1',
    privateIpAddress: '10.0.1.10',
    ipv6Addresses: [],
    networkInterfaces: [],
    platform: 'linux',
  };
  const inventory = emptyInventory({
    kind: 'fixture',
    inputs: [],
    accounts: [SCOPE.accountId],
    regions: [SCOPE.region],
  });
  inventory.instances.push(instance);
  inventory.vpcs.push(vpc);
  inventory.subnets.push(appSubnet, endpointSubnet);
  inventory.routeTables.push(appTable, mainTable);
  inventory.networkAcls.push(appAcl, endpointAcl);
  addPublicSide(inventory, local, local6);
  inventory.securityGroups.push(appSg, endpointSg);
  return {
    inventory,
    instance,
    vpc,
    appSubnet,
    endpointSubnet,
    appTable,
    mainTable,
    appAcl,
    endpointAcl,
    appSg,
    endpointSg,
    params: { requireEc2messages: false, ephemeralPorts: { from: 1024, to: 65535 } },
    missing: [],
    unreadable: [],
  };
}

/** The ids of the NAT gateways the world has, all available and public in subnet-pub. */
export const WORLD_NATS = ['nat-1', 'nat-2', 'nat-a', 'nat-main', 'nat-64'];

/**
 * The public side every world has: subnet-pub (10.0.0.0/24) whose table routes 0.0.0.0/0 and ::/0 to igw-1
 * (attached to vpc-1), egress-only gateway eigw-1, the NAT gateways of WORLD_NATS in it, and NAT instance i-nat (eni-nat) with its
 * source/destination check off and a public address.
 */
function addPublicSide(inventory: Inventory, local: Route, local6: Route): void {
  inventory.subnets.push({
    ...SCOPE,
    subnetId: 'subnet-pub',
    vpcId: 'vpc-1',
    cidrBlock: '10.0.0.0/24',
    ipv6CidrBlocks: ['2600:1f18:1:1ff::/64'],
    ipv6Native: false,
    mapPublicIpOnLaunch: true,
    tags: {},
  });
  inventory.routeTables.push({
    ...SCOPE,
    routeTableId: 'rtb-pub',
    vpcId: 'vpc-1',
    isMain: false,
    subnetIds: ['subnet-pub'],
    routes: [
      { ...local },
      { ...local6 },
      { destinationCidr: '0.0.0.0/0', target: { kind: 'internet-gateway', id: 'igw-1' }, state: 'active' },
      { destinationIpv6Cidr: '::/0', target: { kind: 'internet-gateway', id: 'igw-1' }, state: 'active' },
    ],
  });
  inventory.networkAcls.push({
    ...SCOPE,
    networkAclId: 'acl-pub',
    vpcId: 'vpc-1',
    isDefault: false,
    subnetIds: ['subnet-pub'],
    entries: openAclEntries(),
  });
  inventory.internetGateways.push({
    ...SCOPE,
    internetGatewayId: 'igw-1',
    attachments: [{ vpcId: 'vpc-1', state: 'available' }],
    tags: {},
  });
  inventory.egressOnlyInternetGateways.push({
    ...SCOPE,
    egressOnlyInternetGatewayId: 'eigw-1',
    attachments: [{ vpcId: 'vpc-1', state: 'attached' }],
    tags: {},
  });
  WORLD_NATS.forEach((natGatewayId, i) =>
    inventory.natGateways.push({
      ...SCOPE,
      natGatewayId,
      vpcId: 'vpc-1',
      subnetId: 'subnet-pub',
      state: 'available',
      connectivityType: 'public',
      publicIps: [`198.51.100.${10 + i}`],
      privateIps: [`10.0.0.${10 + i}`],
      tags: {},
    }),
  );
  inventory.instances.push({
    ...SCOPE,
    instanceId: 'i-nat',
    state: 'running',
    tags: {},
    securityGroupIds: ['sg-app'],
    subnetId: 'subnet-pub',
    vpcId: 'vpc-1',
    privateIpAddress: '10.0.0.5',
    publicIpAddress: '198.51.100.99',
    ipv6Addresses: [],
    sourceDestCheck: false,
    networkInterfaces: [
      {
        networkInterfaceId: 'eni-nat',
        subnetId: 'subnet-pub',
        vpcId: 'vpc-1',
        deviceIndex: 0,
        securityGroupIds: ['sg-app'],
        privateIpAddresses: ['10.0.0.5'],
        ipv6Addresses: [],
        publicIp: '198.51.100.99',
      },
    ],
    platform: 'linux',
  });
}

/** Adds a route to a table (the instance's table by default). */
export function addRoute(
  w: World,
  destination: string,
  target: RouteTarget,
  state = 'active',
  table = w.appTable,
): void {
  table.routes.push({
    ...(destination.includes(':') ? { destinationIpv6Cidr: destination } : { destinationCidr: destination }),
    target,
    state,
  });
}

/** Adds an interface endpoint for `service` in the endpoint subnet, guarded by sg-vpce. */
export function addEndpoint(w: World, service: string, overrides: Partial<VpcEndpoint> = {}): VpcEndpoint {
  const endpoint: VpcEndpoint = {
    ...SCOPE,
    vpcEndpointId: `vpce-${service}`,
    vpcId: 'vpc-1',
    serviceName: `com.amazonaws.${SCOPE.region}.${service}`,
    endpointType: 'Interface',
    state: 'available',
    privateDnsEnabled: true,
    subnetIds: ['subnet-ep'],
    securityGroupIds: ['sg-vpce'],
    routeTableIds: [],
    ipAddressType: 'dualstack',
    dnsRecordIpType: 'dualstack',
    ...overrides,
  };
  w.inventory.vpcEndpoints.push(endpoint);
  return endpoint;
}

export function addEndpoints(w: World, services: string[] = ['ssm', 'ssmmessages']): void {
  for (const s of services) addEndpoint(w, s);
}

/**
 * A small publication of ip-ranges: us-east-1's AMAZON space is 3.0.0.0/9 and 52.0.0.0/10 (both inside
 * 0.0.0.0/1) and 2600:1f00::/24; eu-west-1 has other space.
 */
export const TEST_IP_RANGES: AwsIpRanges = {
  createDate: '2026-08-22-15-17-05',
  syncToken: '1787411825',
  origin: 'test ranges',
  regions: new Map([
    ['us-east-1', { ipv4: ['3.0.0.0/9', '52.0.0.0/10'], ipv6: ['2600:1f00::/24'] }],
    ['eu-west-1', { ipv4: ['176.32.0.0/16'], ipv6: ['2a05:d000::/25'] }],
  ]),
};

/** Runs the check on the world's instance. */
export function run(w: World): CheckResult {
  const missing = new Set(w.missing);
  const unreadable = new Set(w.unreadable);
  w.inventory.coverage = RESOURCE_FAMILIES.filter((f) => !missing.has(f)).map((family) =>
    unreadable.has(family)
      ? { family, status: 'error' as const, error: { code: 'AccessDenied', message: 'denied' } }
      : { family, status: 'read' as const },
  );
  return networkPathToSsm.evaluate(w.instance, {
    index: new InventoryIndex(w.inventory, w.ipRanges ? { ipRanges: w.ipRanges } : {}),
    params: w.params,
    nowMs: 0,
  });
}
