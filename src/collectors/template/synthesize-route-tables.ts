// Writes DescribeRouteTables for a DeployModel: each VPC's main route table, the declared tables with their local
// routes, and the routes gateway endpoints add.

import type { ApiJson } from '../api/api-data.js';
import type { DeployRoute, DeployRouteTable, Ref } from './deploy-model.js';
import { implicitId } from './implicit-ids.js';
import type { ReferencedCollection, Site, SynthesisContext } from './synthesis-context.js';
import type { SubnetFacts, VpcFacts } from './synthesize-vpcs.js';

/** Routes a gateway endpoint adds, by route table id. */
export type GatewayEndpointRoutes = Map<string, ApiJson[]>;

const DESTINATIONS = ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'] as const;

// The target fields of a declared route, and the collection a literal id of each must be declared in. Transit
// gateways, peering connections and network interfaces have no collection: the model cannot tell those apart.
type RouteTargetKey =
  | 'GatewayId'
  | 'NatGatewayId'
  | 'EgressOnlyInternetGatewayId'
  | 'InstanceId'
  | 'VpcEndpointId'
  | 'NetworkInterfaceId'
  | 'TransitGatewayId'
  | 'VpcPeeringConnectionId';

const TARGETS: readonly [RouteTargetKey, ReferencedCollection | undefined][] = [
  ['GatewayId', undefined],
  ['NatGatewayId', 'natGateways'],
  ['EgressOnlyInternetGatewayId', 'internetGateways'],
  ['InstanceId', 'instances'],
  ['VpcEndpointId', 'vpcEndpoints'],
  ['NetworkInterfaceId', undefined],
  ['TransitGatewayId', undefined],
  ['VpcPeeringConnectionId', undefined],
];

/**
 * DescribeRouteTables. Every VPC has a main route table holding only the local route(s), used by every subnet not
 * explicitly associated with another table; every table has a local route for each of its VPC's CIDR blocks
 * (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html). Subnets whose table cannot be told
 * (a declared table associates an unknown subnet of their VPC) are recorded as unknown.
 */
export function describeRouteTables(
  ctx: SynthesisContext,
  vpcs: Map<string, VpcFacts>,
  subnets: Map<string, SubnetFacts>,
  gatewayRoutes: GatewayEndpointRoutes,
): ApiJson {
  const declaredIds = new Set(ctx.model.routeTables.map((t) => t.routeTableId));
  // A declared table with a VPC's main table id (aws_default_route_table) is that main table, as declared.
  const mains = new Map([...vpcs.values()].map((vpc) => [vpc.mainRouteTableId, vpc]));
  const tables: ApiJson[] = [...vpcs.values()]
    .filter((vpc) => !declaredIds.has(vpc.mainRouteTableId))
    .map((vpc) => mainRouteTable(ctx, vpc));
  const associated = new Set<string>();
  const ambiguous = new Map<string | undefined, string>();
  for (const table of ctx.model.routeTables) {
    const json = declaredRouteTable(ctx, table, vpcs, associated, ambiguous);
    if (json === undefined) continue;
    const main = mains.get(table.routeTableId);
    if (main !== undefined) (json.Associations as ApiJson[]).unshift(mainAssociation(main));
    tables.push(json);
  }
  for (const table of tables)
    (table.Routes as ApiJson[]).push(...(gatewayRoutes.get(String(table.RouteTableId)) ?? []));
  markAmbiguousSubnets(ctx, subnets, associated, ambiguous, 'routeTable', 'route table');
  return { RouteTables: tables };
}

/** The local route(s) of a table: one per CIDR block of its VPC; a block that is unknown is recorded on the table. */
function localRoutes(ctx: SynthesisContext, vpc: VpcFacts, table: Site): ApiJson[] {
  if (vpc.unknownCidrReason !== undefined)
    ctx.unknown(table, 'localRoute', `a CIDR block of ${vpc.vpcId} is unknown: ${vpc.unknownCidrReason}`);
  // The IPv6 local route decides only IPv6 paths: its own property, so IPv4 verdicts stand.
  if (vpc.unknownIpv6CidrReason !== undefined)
    ctx.unknown(
      table,
      'localRoute.DestinationIpv6CidrBlock',
      `an IPv6 CIDR block of ${vpc.vpcId} is unknown: ${vpc.unknownIpv6CidrReason}`,
    );
  return [
    ...vpc.cidrBlocks.map((block) => ({ DestinationCidrBlock: block })),
    ...vpc.ipv6CidrBlocks.map((block) => ({ DestinationIpv6CidrBlock: block })),
  ].map((destination) => ({
    ...destination,
    GatewayId: 'local',
    Origin: 'CreateRouteTable',
    State: 'active',
  }));
}

function mainAssociation(vpc: VpcFacts): ApiJson {
  return {
    Main: true,
    RouteTableAssociationId: implicitId('rtbassoc', `main|${vpc.vpcId}`),
    RouteTableId: vpc.mainRouteTableId,
    AssociationState: { State: 'associated' },
  };
}

function mainRouteTable(ctx: SynthesisContext, vpc: VpcFacts): ApiJson {
  const site = { resourceId: vpc.mainRouteTableId, collection: 'routeTables', location: vpc.site.location };
  return {
    RouteTableId: vpc.mainRouteTableId,
    VpcId: vpc.vpcId,
    OwnerId: ctx.accountId,
    Associations: [mainAssociation(vpc)],
    Routes: localRoutes(ctx, vpc, site),
    PropagatingVgws: [],
    Tags: [],
  };
}

function declaredRouteTable(
  ctx: SynthesisContext,
  table: DeployRouteTable,
  vpcs: Map<string, VpcFacts>,
  associated: Set<string>,
  ambiguous: Map<string | undefined, string>,
): ApiJson | undefined {
  const site = ctx.declare(table, table.routeTableId, 'routeTables');
  const vpcId = ctx.reference(table.vpcId, 'vpcs', site, 'vpcId');
  const vpc = vpcId === undefined ? undefined : vpcs.get(vpcId);
  const routes = vpc === undefined ? [] : localRoutes(ctx, vpc, site);
  table.routes.forEach((route, i) => {
    const json = declaredRoute(ctx, route, site, `routes[${i}]`);
    if (json !== undefined) routes.push(json);
  });
  const associations: ApiJson[] = [];
  table.subnetIds.forEach((ref, i) => {
    const subnetId = ctx.reference(ref, 'subnets', site, `subnetIds[${i}]`);
    if (subnetId === undefined) {
      ambiguous.set(vpcId, table.address);
      return;
    }
    associated.add(subnetId);
    associations.push({
      Main: false,
      RouteTableAssociationId: implicitId('rtbassoc', `${table.routeTableId}|${subnetId}`),
      RouteTableId: table.routeTableId,
      SubnetId: subnetId,
      AssociationState: { State: 'associated' },
    });
  });
  // The API never answers without a VpcId: a table whose VPC is unknown is left out (its subnets then have none).
  if (vpcId === undefined) return undefined;
  return {
    RouteTableId: table.routeTableId,
    VpcId: vpcId,
    OwnerId: ctx.accountId,
    Associations: associations,
    Routes: routes,
    PropagatingVgws: [],
    Tags: [],
  };
}

/** A declared route; undefined (recorded) when its destination or target is unknown: no route is never a path. */
function declaredRoute(
  ctx: SynthesisContext,
  route: DeployRoute,
  site: Site,
  path: string,
): ApiJson | undefined {
  const json: ApiJson = {};
  let complete = true;
  for (const key of DESTINATIONS) {
    if (route[key] === undefined) continue;
    const value = ctx.known(route[key], site, `${path}.${key}`, route.location);
    if (value === undefined) complete = false;
    else json[key] = value;
  }
  for (const [key, collection] of TARGETS) {
    const ref = route[key];
    if (ref === undefined) continue;
    const id = targetReference(ctx, ref, collection, site, `${path}.${key}`, route.location);
    if (id === undefined) complete = false;
    // Routes to gateway load balancer endpoints print the endpoint under GatewayId, as gateway endpoints do.
    else json[key === 'VpcEndpointId' ? 'GatewayId' : key] = id;
  }
  if (!complete) return undefined;
  return { ...json, Origin: 'CreateRoute', State: 'active' };
}

function targetReference(
  ctx: SynthesisContext,
  ref: Ref,
  collection: ReferencedCollection | undefined,
  site: Site,
  property: string,
  location: DeployRoute['location'],
): string | undefined {
  const id = ctx.known(ref, site, property, location);
  if (id === undefined || id === 'local') return id;
  // GatewayId is overloaded: an internet gateway, a gateway endpoint, or a virtual private gateway (which the
  // model has no collection for, so it is not checked).
  const owner =
    collection ??
    (id.startsWith('igw-') ? 'internetGateways' : id.startsWith('vpce-') ? 'vpcEndpoints' : undefined);
  if (owner !== undefined && !ctx.isDeclared(owner, id)) ctx.outside(id, site, property, location);
  return id;
}

/**
 * Records the subnets whose table (or network ACL) cannot be told: not associated explicitly, in a VPC where a
 * declared association names an unknown subnet (`undefined` key: a table of unknown VPC, so any subnet).
 */
export function markAmbiguousSubnets(
  ctx: SynthesisContext,
  subnets: Map<string, SubnetFacts>,
  associated: ReadonlySet<string>,
  ambiguous: ReadonlyMap<string | undefined, string>,
  property: string,
  what: string,
): void {
  if (ambiguous.size === 0) return;
  for (const subnet of subnets.values()) {
    if (associated.has(subnet.subnetId)) continue;
    const culprit = ambiguous.get(subnet.vpcId) ?? ambiguous.get(undefined);
    if (culprit === undefined) continue;
    ctx.unknown(
      subnet.site,
      property,
      `which ${what} it uses is unknown: ${culprit} is associated with a subnet that is unknown until deployed`,
    );
  }
}
