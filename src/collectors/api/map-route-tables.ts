// Maps an EC2 DescribeRouteTables response into RouteTable models with typed route targets.

import type { Route, RouteTable, RouteTarget } from '../../inventory/model.js';
import {
  MappingContext,
  pushUnique,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/**
 * Maps DescribeRouteTables. `isMain` comes from an association with `Main: true`; subnets come from explicit
 * associations. A subnet without an explicit association uses its VPC's main table (rules resolve that).
 */
export function mapRouteTables(body: unknown, scope: PartialScope, origin: string): MapResult<RouteTable> {
  const ctx = new MappingContext(origin, scope);
  const tables = ctx.responseList(body, 'RouteTables');
  if (tables === undefined) return ctx.result([], false);
  const items: RouteTable[] = [];
  for (let t = 0; t < tables.length; t++) {
    const path = `RouteTables[${t}]`;
    const o = tables[t];
    if (!ctx.entry(o, path)) continue;
    const routeTableId = ctx.requiredString(o.RouteTableId, 'RouteTableId', path);
    const vpcId = ctx.requiredString(o.VpcId, 'VpcId', path);
    if (routeTableId === undefined || vpcId === undefined) continue;
    const { accountId, region } = ctx.scope(ctx.string(o.OwnerId, 'OwnerId', path), undefined);
    let isMain = false;
    const subnetIds: string[] = [];
    const associations = ctx.array(o.Associations, 'Associations', path);
    for (let a = 0; a < associations.length; a++) {
      const aPath = `${path}.Associations[${a}]`;
      const association = associations[a];
      if (!ctx.entry(association, aPath)) continue;
      if (!isLiveAssociation(ctx, association, aPath)) continue;
      if (ctx.boolean(association.Main, 'Main', aPath) === true) isMain = true;
      const subnetId = ctx.string(association.SubnetId, 'SubnetId', aPath);
      if (subnetId !== undefined) pushUnique(subnetIds, subnetId);
    }
    const routes: Route[] = [];
    const rawRoutes = ctx.array(o.Routes, 'Routes', path);
    for (let r = 0; r < rawRoutes.length; r++) {
      const rPath = `${path}.Routes[${r}]`;
      const raw = rawRoutes[r];
      if (!ctx.entry(raw, rPath)) continue;
      const route = mapRoute(ctx, raw, rPath);
      if (route !== undefined) routes.push(route);
    }
    items.push({ accountId, region, routeTableId, vpcId, isMain, subnetIds, routes });
  }
  return ctx.result(items);
}

// AssociationState.State: associating | associated | disassociating | disassociated | failed. Absent in
// older outputs, which only listed current associations.
function isLiveAssociation(ctx: MappingContext, o: JsonObject, path: string): boolean {
  const holder = ctx.object(o.AssociationState, 'AssociationState', path);
  const state =
    holder === undefined ? undefined : ctx.string(holder.State, 'State', `${path}.AssociationState`);
  return state === undefined || state === 'associated' || state === 'associating';
}

function mapRoute(ctx: MappingContext, o: JsonObject, path: string): Route | undefined {
  const target = routeTarget(ctx, o, path);
  if (target === undefined) {
    ctx.issue('ENTRY_INVALID', path, 'route has no recognisable target; route ignored');
    return undefined;
  }
  const route: Route = { target, state: ctx.string(o.State, 'State', path) ?? 'active' };
  const cidr = ctx.string(o.DestinationCidrBlock, 'DestinationCidrBlock', path);
  if (cidr !== undefined) route.destinationCidr = cidr;
  const ipv6 = ctx.string(o.DestinationIpv6CidrBlock, 'DestinationIpv6CidrBlock', path);
  if (ipv6 !== undefined) route.destinationIpv6Cidr = ipv6;
  const prefixList = ctx.string(o.DestinationPrefixListId, 'DestinationPrefixListId', path);
  if (prefixList !== undefined) route.destinationPrefixListId = prefixList;
  return route;
}

/**
 * The route's target. GatewayId is overloaded: "local", igw-, vgw-, vpce- (gateway endpoints) and, in some
 * outputs, eigw-. A NAT instance route carries both InstanceId and NetworkInterfaceId; the instance wins.
 */
function routeTarget(ctx: MappingContext, o: JsonObject, path: string): RouteTarget | undefined {
  const gatewayId = ctx.string(o.GatewayId, 'GatewayId', path);
  if (gatewayId !== undefined && gatewayId !== '') {
    if (gatewayId === 'local') return { kind: 'local' };
    if (gatewayId.startsWith('igw-')) return { kind: 'internet-gateway', id: gatewayId };
    if (gatewayId.startsWith('eigw-')) return { kind: 'egress-only-internet-gateway', id: gatewayId };
    if (gatewayId.startsWith('vgw-')) return { kind: 'virtual-private-gateway', id: gatewayId };
    if (gatewayId.startsWith('vpce-')) return { kind: 'vpc-endpoint', id: gatewayId };
    return { kind: 'other', id: gatewayId };
  }
  const eigw = ctx.string(o.EgressOnlyInternetGatewayId, 'EgressOnlyInternetGatewayId', path);
  if (eigw) return { kind: 'egress-only-internet-gateway', id: eigw };
  const nat = ctx.string(o.NatGatewayId, 'NatGatewayId', path);
  if (nat) return { kind: 'nat-gateway', id: nat };
  const tgw = ctx.string(o.TransitGatewayId, 'TransitGatewayId', path);
  if (tgw) return { kind: 'transit-gateway', id: tgw };
  const peering = ctx.string(o.VpcPeeringConnectionId, 'VpcPeeringConnectionId', path);
  if (peering) return { kind: 'vpc-peering', id: peering };
  const instance = ctx.string(o.InstanceId, 'InstanceId', path);
  if (instance) return { kind: 'instance', id: instance };
  const eni = ctx.string(o.NetworkInterfaceId, 'NetworkInterfaceId', path);
  if (eni) return { kind: 'network-interface', id: eni };
  // Carrier, local and core-network gateways do not reach SSM endpoints as far as rules can tell.
  for (const key of ['CarrierGatewayId', 'LocalGatewayId', 'CoreNetworkArn']) {
    const other = ctx.string(o[key], key, path);
    if (other) return { kind: 'other', id: other };
  }
  return undefined;
}
