// Route selection: which route of a subnet's route table carries traffic to a destination (longest prefix wins).

import type { Route, RouteTable, RouteTarget } from '../../../inventory/model.js';
import { longestPrefixMatch, type Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';

/** The route a destination takes, or undefined when no route covers it (the packet is dropped). */
export function selectRoute(table: RouteTable, destination: Cidr, parsed: PathCache): Route | undefined {
  // Prefix-list routes (gateway endpoints, customer lists) are skipped: their entries are not in the inventory,
  // and none of them carries the SSM endpoints' addresses.
  return longestPrefixMatch(
    table.routes,
    (route) => {
      const text = destination.family === 4 ? route.destinationCidr : route.destinationIpv6Cidr;
      return text === undefined ? undefined : parsed.cidr(text);
    },
    destination,
  );
}

/** A route's destination and target as text, for messages ("0.0.0.0/0 → nat-0abc"). */
export function describeRoute(route: Route): string {
  const destination =
    route.destinationCidr ?? route.destinationIpv6Cidr ?? route.destinationPrefixListId ?? '?';
  return `${destination} → ${describeTarget(route.target)}${route.state === 'active' ? '' : ` (${route.state})`}`;
}

const TARGET_NAMES: Record<RouteTarget['kind'], string> = {
  local: 'local',
  'internet-gateway': 'internet gateway',
  'egress-only-internet-gateway': 'egress-only internet gateway',
  'nat-gateway': 'NAT gateway',
  instance: 'instance',
  'network-interface': 'network interface',
  'transit-gateway': 'transit gateway',
  'vpc-peering': 'VPC peering connection',
  'virtual-private-gateway': 'virtual private gateway',
  'vpc-endpoint': 'VPC endpoint',
  other: 'target',
};

export function describeTarget(target: RouteTarget): string {
  return target.kind === 'local' ? 'local' : `${TARGET_NAMES[target.kind]} ${target.id}`;
}
