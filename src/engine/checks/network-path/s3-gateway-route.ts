// Route selection for Amazon S3 traffic: whether an S3 gateway endpoint's prefix-list route carries it, decided
// from the route table alone (the prefix list's entries are not in the inventory, and no call reads them).

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Route, VpcEndpoint } from '../../../inventory/model.js';
import { PUBLIC_IPV4, intersectSets } from './address-set.js';
import { notInInventory, type InstanceNetwork } from './instance-network.js';
import type { PathCache } from './path-cache.js';
import { describeRoute } from './route-selection.js';

/** Where S3 traffic from the subnet goes, as far as the route table decides it. */
export type S3RouteChoice =
  /** No route names an S3 gateway endpoint: S3 addresses take the CIDR routes like any public address. */
  | { kind: 'none' }
  /** The S3 gateway endpoint's route carries every S3 address of the Region (it may be a blackhole). */
  | { kind: 'gateway'; route: Route; endpoint: VpcEndpoint; prefixListId: string }
  /** Which route carries S3 depends on the prefix list's entries: neither a pass nor a failure. */
  | { kind: 'unverifiable'; detail: string; resourceId: string };

/** True for the Region's S3 service name, in any partition ("com.amazonaws.eu-west-1.s3", "cn.com.amazonaws…"). */
export function isS3Service(serviceName: string, region: string): boolean {
  return serviceName.endsWith(`.${region}.s3`);
}

function endpointOf(index: InventoryIndex, net: InstanceNetwork, route: Route): VpcEndpoint | undefined {
  if (route.target.kind !== 'vpc-endpoint') return undefined;
  const id = route.target.id;
  const endpoint = index.endpointsInVpc(net.subnet.vpcId).find((e) => e.vpcEndpointId === id);
  // The endpoints were read (instanceNetwork needs them): a live route to an endpoint they lack is inconsistent.
  if (endpoint === undefined && route.state !== 'blackhole')
    throw notInInventory(
      'ec2:vpc-endpoints',
      net.instance,
      `route ${describeRoute(route)} of ${net.routeTable.routeTableId} names endpoint ${id}, which is not in the endpoint data`,
    );
  return endpoint;
}

/**
 * AWS routes by longest prefix match, and "for routes that overlap, more specific routes always take priority
 * irrespective of whether they are propagated routes, static routes, or routes that reference prefix lists";
 * prefix lists with overlapping entries to different targets are chosen at random
 * (https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html#route-priority-managed-prefix-list).
 * The gateway endpoint's route therefore beats 0.0.0.0/0, as the gateway-endpoint page says of a default route
 * to an internet gateway (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing),
 * while a more specific CIDR route to part of the public space may beat it for some S3 addresses: without the
 * list's entries that is unknown. The S3 list holds IPv4 entries only as far as this inventory shows, so an
 * IPv6-only instance with such a route cannot be judged either.
 */
export function s3RouteChoice(index: InventoryIndex, cache: PathCache, net: InstanceNetwork): S3RouteChoice {
  return cache.memo(`s3-route|${net.routeTable.routeTableId}|${net.family}|${net.instance.region}`, () =>
    choose(index, cache, net),
  );
}

function choose(index: InventoryIndex, cache: PathCache, net: InstanceNetwork): S3RouteChoice {
  const table = net.routeTable;
  let gateway: { route: Route; endpoint: VpcEndpoint; prefixListId: string } | undefined;
  const otherLists: Route[] = [];
  for (const route of table.routes) {
    const prefixListId = route.destinationPrefixListId;
    if (prefixListId === undefined) continue;
    const endpoint = endpointOf(index, net, route);
    if (endpoint?.endpointType === 'Gateway' && isS3Service(endpoint.serviceName, net.instance.region))
      gateway = { route, endpoint, prefixListId };
    // Another service's gateway endpoint (DynamoDB): its AWS-managed list holds that service's addresses.
    else if (endpoint?.endpointType !== 'Gateway') otherLists.push(route);
  }
  if (gateway === undefined) {
    const other = otherLists[0];
    return other === undefined
      ? { kind: 'none' }
      : {
          kind: 'unverifiable',
          detail: `route table ${table.routeTableId} sends prefix list ${other.destinationPrefixListId} to ${describeRoute(other).split(' → ')[1]}; its entries are not in the inventory and may hold S3 addresses`,
          resourceId: table.routeTableId,
        };
  }
  const unknown = (detail: string): S3RouteChoice => ({
    kind: 'unverifiable',
    detail: `${detail}, and the entries of ${gateway.prefixListId} are not in the inventory`,
    resourceId: table.routeTableId,
  });
  if (net.family === 6)
    return unknown(
      `the instance uses IPv6, and whether ${gateway.endpoint.vpcEndpointId}'s prefix list carries S3's IPv6 addresses is not known`,
    );
  const other = otherLists[0];
  if (other !== undefined)
    return unknown(
      `route table ${table.routeTableId} also sends prefix list ${other.destinationPrefixListId} elsewhere (${describeRoute(other)}); overlapping lists are chosen at random`,
    );
  const rival = table.routes.find((route) => {
    if (route.destinationCidr === undefined) return false;
    const cidr = cache.cidr(route.destinationCidr);
    return cidr !== undefined && cidr.prefix > 0 && intersectSets([cidr], PUBLIC_IPV4).length > 0;
  });
  if (rival !== undefined)
    return unknown(
      `route ${describeRoute(rival)} of ${table.routeTableId} covers public addresses and wins over the S3 prefix-list route wherever it is more specific than an entry of the list`,
    );
  return { kind: 'gateway', ...gateway };
}
