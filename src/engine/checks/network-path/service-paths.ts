// Which way each SSM service's traffic leaves an instance: through an interface endpoint (which one, in which
// VPC) or toward the internet (through which device, seen by AWS from which source address). This is the
// request context the IAM layers need (aws:SourceVpce, aws:SourceVpc, aws:SourceIp, the endpoint policy); it
// says which path is taken, not whether it works (that is the network-path rule's verdict).

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Ec2Instance, Route } from '../../../inventory/model.js';
import type { Neighbour } from '../../../inventory/neighbourhood.js';
import { nat64Set, type AddressSet } from './address-set.js';
import { formatCidr } from './cidr.js';
import { SSM_SERVICES, selectEndpoint, type SsmService } from './endpoint-path.js';
import { natGatewayPublicIp } from './devices.js';
import { endpointAddresses, type EndpointAddresses } from './endpoint-addresses.js';
import { instanceNetwork, type InstanceNetwork } from './instance-network.js';
import { pathCacheFor, type PathCache } from './path-cache.js';
import { routeLegs } from './route-partition.js';

/** The device a part of the public address space is routed to. */
/** What `ssmServicePaths` reads around an instance: every check built on the paths declares these. */
export const SERVICE_PATH_NEEDS: readonly Neighbour[] = [
  'instance.security-groups',
  'instance.subnet',
  'instance.route-table',
  'instance.route-devices',
  'instance.network-acl',
  'instance.vpc',
  'instance.vpc-attributes',
  'vpc.endpoints',
];

export type ExitDevice =
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'nat-gateway'
  /** An instance or network-interface route target (normally a NAT instance). */
  | 'nat-instance'
  /** Transit gateway, peering, virtual private gateway, appliance endpoint: the path leaves the account. */
  | 'outside-account'
  /** No route, or a blackhole route: the traffic is dropped. */
  | 'dropped';

/** One way out of the VPC toward the service's public endpoint, for part of its possible addresses. */
export interface InternetExit {
  device: ExitDevice;
  /** The route target's id (igw-…, nat-…, i-…, eni-…, tgw-…); absent when no route matched. */
  deviceId?: string;
  /**
   * The address AWS sees the request come from (aws:SourceIp): the instance's public IPv4 or its IPv6 address
   * through an internet gateway, the NAT gateway's Elastic IP. Absent when not known offline (no address, or a
   * NAT instance, whose translation is its own business).
   */
  sourceIp?: string;
  /** The destination blocks (CIDR text) that take this exit. */
  destinations: string[];
}

export type ServicePath =
  /** Private DNS resolves the service name to this interface endpoint: aws:SourceVpce / aws:SourceVpc apply. */
  | { service: SsmService; via: 'vpc-endpoint'; vpcId: string; vpcEndpointId: string }
  /**
   * The name resolves to the public endpoint. With more than one exit the way out depends on which public
   * address the name resolves to (the route table splits the address space); callers must not pick one.
   */
  | { service: SsmService; via: 'internet'; vpcId: string; family: 4 | 6; exits: InternetExit[] }
  /** The instance is not in a VPC subnet. */
  | { service: SsmService; via: 'none' };

function exitOf(
  index: InventoryIndex,
  route: Route | undefined,
  net: InstanceNetwork,
): Omit<InternetExit, 'destinations'> {
  if (route === undefined) return { device: 'dropped' };
  const target = route.target;
  const id = target.kind === 'local' ? undefined : target.id;
  if (route.state === 'blackhole') return { device: 'dropped', ...(id ? { deviceId: id } : {}) };
  const sourceIp = net.family === 4 ? net.publicIpv4 : net.ipv6Address;
  switch (target.kind) {
    case 'internet-gateway':
      return { device: 'internet-gateway', deviceId: target.id, ...(sourceIp ? { sourceIp } : {}) };
    case 'egress-only-internet-gateway':
      return {
        device: 'egress-only-internet-gateway',
        deviceId: target.id,
        ...(net.ipv6Address ? { sourceIp: net.ipv6Address } : {}),
      };
    case 'nat-gateway': {
      const natIp = natGatewayPublicIp(index, target.id);
      return { device: 'nat-gateway', deviceId: target.id, ...(natIp ? { sourceIp: natIp } : {}) };
    }
    case 'instance':
    case 'network-interface':
      return { device: 'nat-instance', deviceId: target.id };
    case 'local':
      return { device: 'dropped' };
    default:
      return { device: 'outside-account', deviceId: target.id };
  }
}

/** The public addresses the instance's family may reach the service at (IPv6-only: direct IPv6 or NAT64). */
function internetDestinations(
  net: InstanceNetwork,
  cache: PathCache,
  addresses: EndpointAddresses,
): AddressSet {
  if (net.family === 4) return addresses.ipv4;
  const direct = routeLegs(net.routeTable, addresses.ipv6, cache);
  const directWorks = direct.every(
    (leg) =>
      leg.route !== undefined &&
      leg.route.state !== 'blackhole' &&
      (leg.route.target.kind === 'internet-gateway' ||
        leg.route.target.kind === 'egress-only-internet-gateway'),
  );
  return directWorks ? addresses.ipv6 : nat64Set(addresses.ipv4);
}

function internetExits(index: InventoryIndex, net: InstanceNetwork, cache: PathCache): InternetExit[] {
  const addresses = endpointAddresses(index, cache, net.instance.region);
  // The legs depend on the subnet only; the source address is the instance's own.
  const legs = cache.memo(`exit-legs|${net.subnet.subnetId}|${net.family}|${addresses.key}`, () =>
    routeLegs(net.routeTable, internetDestinations(net, cache, addresses), cache),
  );
  return legs.map((leg) => ({ ...exitOf(index, leg.route, net), destinations: leg.parts.map(formatCidr) }));
}

/**
 * The path each of ssm, ssmmessages and ec2messages takes from `instance`. Throws what the network-path rule
 * throws when the data it needs is missing (DataUnavailableError naming the AWS CLI command, CheckDataError for
 * inconsistent data): a caller turns that into ERROR, never into a guess.
 */
export function ssmServicePaths(
  instance: Ec2Instance,
  index: InventoryIndex,
  services: readonly SsmService[] = SSM_SERVICES,
): ServicePath[] {
  const cache = pathCacheFor(index);
  const net = instanceNetwork(instance, index, cache);
  if (!net) return services.map((service) => ({ service, via: 'none' as const }));
  const vpcId = net.subnet.vpcId;
  return services.map((service): ServicePath => {
    const selection = selectEndpoint(index, cache, net, service);
    if (selection.kind === 'usable')
      return { service, via: 'vpc-endpoint', vpcId, vpcEndpointId: selection.endpoint.vpcEndpointId };
    return { service, via: 'internet', vpcId, family: net.family, exits: internetExits(index, net, cache) };
  });
}
