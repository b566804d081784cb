// The network facts of one instance that every path starts from: subnet, route table, NACL, security groups,
// address family and addresses, all resolved through guarded lookups.

import { DataUnavailableError } from '../../../inventory/coverage.js';
import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type {
  Ec2Instance,
  NetworkAcl,
  ResourceFamily,
  RouteTable,
  Scope,
  SecurityGroup,
  Subnet,
} from '../../../inventory/model.js';
import { parseCidr, type Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';
import { missingGroup } from '../port-exposure.js';

/** Where an instance's traffic starts. */
export interface InstanceNetwork {
  instance: Ec2Instance;
  subnet: Subnet;
  routeTable: RouteTable;
  /** False when the subnet has no explicit association and uses the VPC's main table. */
  explicitRouteTable: boolean;
  nacl: NetworkAcl;
  groups: { groupId: string; group: SecurityGroup | undefined }[];
  groupIds: string[];
  /** Sorted group ids joined: part of memo keys, since instances with the same groups behave the same. */
  groupKey: string;
  /** 4 normally; 6 in IPv6-only subnets (and for instances with no IPv4 address), where the agent must use IPv6. */
  family: 4 | 6;
  /** The instance's own source address (/32 or /128), when known; parsed only when a rule depends on it. */
  address: () => Cidr | undefined;
  /** The subnet's block in that family: stands for the instance when its exact address does not matter. */
  subnetCidr: Cidr;
  publicIpv4: string | undefined;
  ipv6Address: string | undefined;
}

/** A lookup that came back empty although its family was read: the inventory is inconsistent, so no verdict. */
export function notInInventory(family: ResourceFamily, scope: Scope, what: string): DataUnavailableError {
  return new DataUnavailableError(family, scope, {
    status: 'error',
    error: { code: 'NotInInventory', message: what },
  });
}

/** The subnet-level part of InstanceNetwork. */
export type SubnetNetwork = Pick<
  InstanceNetwork,
  'subnet' | 'routeTable' | 'explicitRouteTable' | 'nacl' | 'subnetCidr'
>;

/** The subnet-level part, shared by every instance of the subnet. */
export function subnetNetwork(
  index: InventoryIndex,
  cache: PathCache,
  scope: Scope,
  subnetId: string,
  family: 4 | 6,
): SubnetNetwork {
  return cache.memo<SubnetNetwork>(`subnet|${subnetId}|${family}`, () => {
    const subnet = index.subnet(subnetId);
    if (!subnet) throw notInInventory('ec2:subnets', scope, `subnet ${subnetId} is not in the inventory`);
    const { table, explicit } = index.routeTableForSubnet(subnet.subnetId, subnet.vpcId);
    if (!table)
      throw notInInventory(
        'ec2:route-tables',
        scope,
        `no route table for ${subnet.subnetId} (no association, no main table of ${subnet.vpcId})`,
      );
    const nacl = index.networkAclForSubnet(subnet.subnetId);
    if (!nacl)
      throw notInInventory('ec2:network-acls', scope, `no network ACL is associated with ${subnet.subnetId}`);
    const cidrText = family === 4 ? subnet.cidrBlock : subnet.ipv6CidrBlocks[0];
    const subnetCidr = cidrText === undefined ? undefined : cache.cidr(cidrText);
    if (!subnetCidr)
      throw notInInventory('ec2:subnets', scope, `subnet ${subnet.subnetId} has no IPv${family} CIDR block`);
    return { subnet, routeTable: table, explicitRouteTable: explicit, nacl, subnetCidr };
  });
}

/** Resolves the instance's network; undefined when it is not in a VPC subnet at all. */
export function instanceNetwork(
  instance: Ec2Instance,
  index: InventoryIndex,
  cache: PathCache,
): InstanceNetwork | undefined {
  if (instance.subnetId === undefined) return undefined;
  for (const family of [
    'ec2:subnets',
    'ec2:route-tables',
    'ec2:network-acls',
    'ec2:vpc-endpoints',
    'ec2:security-groups',
  ] as const) {
    index.need(family, instance);
  }
  const primary =
    instance.networkInterfaces.find((n) => n.deviceIndex === 0) ?? instance.networkInterfaces[0];
  const privateIpv4 = instance.privateIpAddress ?? primary?.privateIpAddresses[0];
  const ipv6Address = instance.ipv6Addresses[0] ?? primary?.ipv6Addresses[0];
  const subnet = index.subnet(instance.subnetId);
  // IPv6-only subnets give instances no IPv4 address; the agent then needs IPv6 (or NAT64) to reach SSM.
  const family: 4 | 6 =
    subnet?.ipv6Native || (privateIpv4 === undefined && ipv6Address !== undefined) ? 6 : 4;
  const shared = subnetNetwork(index, cache, instance, instance.subnetId, family);
  // The agent's connections leave through the primary interface, so its groups are the ones that apply.
  const groupIds = [
    ...new Set(
      primary && primary.securityGroupIds.length > 0 ? primary.securityGroupIds : instance.securityGroupIds,
    ),
  ].sort();
  const addressText = family === 4 ? privateIpv4 : ipv6Address;
  return {
    instance,
    ...shared,
    // A group the (read) data does not hold is inconsistent data, not a group without rules: no verdict.
    groups: groupIds.map((groupId) => {
      const group = index.securityGroup(groupId);
      if (!group) throw missingGroup(instance.instanceId, groupId);
      return { groupId, group };
    }),
    groupIds,
    groupKey: groupIds.join(','),
    family,
    address: () => (addressText === undefined ? undefined : parseCidr(addressText)),
    publicIpv4:
      instance.publicIpAddress ?? instance.networkInterfaces.find((n) => n.publicIp !== undefined)?.publicIp,
    ipv6Address,
  };
}
