// The devices a route can send traffic to, judged in their real state: internet gateways (attached to this VPC),
// egress-only internet gateways, NAT gateways (available, public, their own subnet routing to an internet
// gateway) and NAT instances (running, source/destination check off, a public address and an internet route).
// A device that the inventory's data for it was not read is ERROR naming the command that provides it.

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type {
  EgressOnlyInternetGateway,
  Ec2Instance,
  InternetGateway,
  NatGateway,
  Route,
  RouteTable,
  Scope,
} from '../../../inventory/model.js';
import { ipv4OfNat64, nat64Set } from './address-set.js';
import type { Cidr } from './cidr.js';
import { notInInventory, subnetNetwork } from './instance-network.js';
import type { PathCache } from './path-cache.js';
import { broken, open, unverifiable, type PathOutcome } from './path-outcome.js';
import { describeParts, routeLegs } from './route-partition.js';
import { describeRoute, describeTarget } from './route-selection.js';

/** Gateways and NAT instances by id, built once per inventory. */
interface DeviceIndex {
  nat: Map<string, NatGateway>;
  igw: Map<string, InternetGateway>;
  eigw: Map<string, EgressOnlyInternetGateway>;
  instanceByEni: Map<string, Ec2Instance>;
}

const DEVICES = Symbol('network-path devices');

function devices(index: InventoryIndex): DeviceIndex {
  return index.derived(DEVICES, (ix) => {
    const inv = ix.inventory;
    const instanceByEni = new Map<string, Ec2Instance>();
    for (const instance of inv.instances)
      for (const eni of instance.networkInterfaces) instanceByEni.set(eni.networkInterfaceId, instance);
    return {
      nat: new Map(inv.natGateways.map((n) => [n.natGatewayId, n])),
      igw: new Map(inv.internetGateways.map((g) => [g.internetGatewayId, g])),
      eigw: new Map(inv.egressOnlyInternetGateways.map((g) => [g.egressOnlyInternetGatewayId, g])),
      instanceByEni,
    };
  });
}

/** Where a route is looked up: the table, what it belongs to (for messages) and the source's addresses. */
export interface RouteSource {
  scope: Scope;
  vpcId: string;
  subnetId: string;
  routeTable: RouteTable;
  /** "route table rtb-… (the main table of vpc-…)" */
  tableName: string;
  /** The address the internet sees for IPv4 through an internet gateway, if any. */
  publicIpv4: string | undefined;
  /** The source's IPv6 address, if any (IPv6 needs no translation). */
  ipv6Address: string | undefined;
  /** What the source is, for messages: "the instance", "NAT gateway nat-…". */
  who: string;
}

/** One part of the destination set and the outcome of sending it that way. */
export interface PartOutcome {
  parts: Cidr[];
  outcome: PathOutcome;
}

const CLI_COMMAND = {
  nat: 'aws ec2 describe-nat-gateways',
  igw: 'aws ec2 describe-internet-gateways',
  eigw: 'aws ec2 describe-egress-only-internet-gateways',
} as const;

function routeEvidence(src: RouteSource, route: Route, parts: readonly Cidr[]) {
  return {
    path: 'routeTable.routes',
    resourceId: src.routeTable.routeTableId,
    actual: describeRoute(route),
    expected: `${describeParts(parts)} → internet gateway or NAT`,
  };
}

function noRoute(src: RouteSource, parts: readonly Cidr[]): PathOutcome {
  const rtb = src.routeTable.routeTableId;
  const dest = describeParts(parts);
  const first = parts[0]!.family === 4 ? '0.0.0.0/0' : '::/0';
  return broken(
    'NET.NO_ROUTE',
    `${src.tableName} has no route to ${dest}`,
    { resourceType: 'AWS::EC2::RouteTable', resourceId: rtb },
    [
      {
        path: 'routeTable.routes',
        resourceId: rtb,
        actual: 'no matching route',
        expected: `${dest} → internet gateway or NAT`,
      },
    ],
    {
      text: `Add interface endpoints for ssm and ssmmessages (with private DNS) to ${src.vpcId}, or route ${first} to a NAT gateway in ${rtb}.`,
      command: `aws ec2 create-route --route-table-id ${rtb} --destination-cidr-block ${first} --nat-gateway-id NAT_GATEWAY_ID`,
    },
  );
}

function blackhole(src: RouteSource, route: Route, parts: readonly Cidr[]): PathOutcome {
  const rtb = src.routeTable.routeTableId;
  const dest = route.destinationCidr ?? route.destinationIpv6Cidr ?? describeParts(parts);
  const flag =
    route.destinationIpv6Cidr !== undefined ? '--destination-ipv6-cidr-block' : '--destination-cidr-block';
  return broken(
    'NET.BLACKHOLE_ROUTE',
    `${src.tableName} sends ${dest} to ${describeTarget(route.target)}, which no longer exists (blackhole route)`,
    { resourceType: 'AWS::EC2::RouteTable', resourceId: rtb },
    [routeEvidence(src, route, parts)],
    {
      text: `Point the ${dest} route of ${rtb} at a NAT gateway that exists (the old target was deleted), or add interface endpoints.`,
      command: `aws ec2 replace-route --route-table-id ${rtb} ${flag} ${dest} --nat-gateway-id NAT_GATEWAY_ID`,
    },
  );
}

function isAttached(attachments: readonly { vpcId: string; state: string }[], vpcId: string): boolean {
  // DescribeInternetGateways reports an attached gateway as "available"; egress-only ones say "attached".
  return attachments.some((a) => a.vpcId === vpcId && (a.state === 'available' || a.state === 'attached'));
}

function internetGatewayHop(
  index: InventoryIndex,
  src: RouteSource,
  route: Route,
  id: string,
  parts: readonly Cidr[],
): PathOutcome {
  index.need('ec2:internet-gateways', src.scope);
  const evidence = [routeEvidence(src, route, parts)];
  const igw = devices(index).igw.get(id);
  if (!igw)
    throw notInInventory(
      'ec2:internet-gateways',
      src.scope,
      `internet gateway ${id} is not in the output of ${CLI_COMMAND.igw}`,
    );
  if (!isAttached(igw.attachments, src.vpcId)) {
    return broken(
      'NET.GATEWAY_NOT_ATTACHED',
      `${src.tableName} sends ${describeParts(parts)} to internet gateway ${id}, which is not attached to ${src.vpcId}`,
      { resourceType: 'AWS::EC2::InternetGateway', resourceId: id },
      [
        ...evidence,
        {
          path: 'internetGateway.attachments',
          resourceId: id,
          actual: igw.attachments.map((a) => `${a.vpcId} ${a.state}`).join(', ') || 'none',
          expected: `${src.vpcId} available`,
        },
      ],
      {
        text: `Attach ${id} to ${src.vpcId}.`,
        command: `aws ec2 attach-internet-gateway --internet-gateway-id ${id} --vpc-id ${src.vpcId}`,
      },
    );
  }
  const family = parts[0]!.family;
  const address = family === 4 ? src.publicIpv4 : src.ipv6Address;
  if (address === undefined) {
    return broken(
      'NET.NO_PUBLIC_IP',
      `${src.subnetId} sends ${describeParts(parts)} to internet gateway ${id} (${src.routeTable.routeTableId}), but ${src.who} has no ${family === 4 ? 'public IPv4' : 'IPv6'} address`,
      { resourceType: 'AWS::EC2::Subnet', resourceId: src.subnetId },
      evidence,
      family === 4
        ? {
            text: 'Give the instance a public IPv4 address (an Elastic IP), or move it to a private subnet that routes through a NAT gateway or has interface endpoints.',
            command: `aws ec2 associate-address --instance-id INSTANCE_ID --allocation-id ALLOCATION_ID`,
          }
        : {
            text: 'Assign an IPv6 address to the instance.',
            command: `aws ec2 assign-ipv6-addresses --network-interface-id ENI_ID --ipv6-address-count 1`,
          },
    );
  }
  return open(`internet gateway ${id}`, evidence);
}

function egressOnlyHop(
  index: InventoryIndex,
  src: RouteSource,
  route: Route,
  id: string,
  parts: readonly Cidr[],
): PathOutcome {
  const evidence = [routeEvidence(src, route, parts)];
  // An egress-only internet gateway carries IPv6 only: https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html
  if (parts[0]!.family === 4)
    return unverifiable(
      `${src.tableName} sends ${describeParts(parts)} to ${describeTarget(route.target)}`,
      id,
      evidence,
    );
  index.need('ec2:egress-only-internet-gateways', src.scope);
  const eigw = devices(index).eigw.get(id);
  if (!eigw)
    throw notInInventory(
      'ec2:egress-only-internet-gateways',
      src.scope,
      `egress-only internet gateway ${id} is not in the output of ${CLI_COMMAND.eigw}`,
    );
  if (!isAttached(eigw.attachments, src.vpcId)) {
    return broken(
      'NET.GATEWAY_NOT_ATTACHED',
      `${src.tableName} sends ${describeParts(parts)} to egress-only internet gateway ${id}, which is not attached to ${src.vpcId}`,
      { resourceType: 'AWS::EC2::EgressOnlyInternetGateway', resourceId: id },
      evidence,
    );
  }
  if (src.ipv6Address === undefined) {
    return broken(
      'NET.NO_PUBLIC_IP',
      `${src.subnetId} sends ${describeParts(parts)} to egress-only internet gateway ${id}, but ${src.who} has no IPv6 address`,
      { resourceType: 'AWS::EC2::Subnet', resourceId: src.subnetId },
      evidence,
    );
  }
  return open(`egress-only internet gateway ${id}`, evidence);
}

/**
 * What a NAT device's own subnet does with the (IPv4) traffic it translates: it must reach an internet gateway.
 * A NAT gateway in a subnet without one cannot reach the internet:
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
 */
function natUpstream(
  index: InventoryIndex,
  cache: PathCache,
  src: RouteSource,
  device: { id: string; subnetId: string; publicIpv4: string | undefined; who: string },
  parts: readonly Cidr[],
  depth: number,
): PartOutcome[] {
  const side = subnetNetwork(index, cache, src.scope, device.subnetId, 4);
  const upstream: RouteSource = {
    scope: src.scope,
    vpcId: side.subnet.vpcId,
    subnetId: device.subnetId,
    routeTable: side.routeTable,
    tableName: `route table ${side.routeTable.routeTableId} of ${device.who}'s subnet ${device.subnetId}`,
    publicIpv4: device.publicIpv4,
    ipv6Address: undefined,
    who: device.who,
  };
  return judgeRoutes(index, cache, upstream, parts, depth + 1);
}

function natGatewayHop(
  index: InventoryIndex,
  cache: PathCache,
  src: RouteSource,
  route: Route,
  id: string,
  parts: readonly Cidr[],
  depth: number,
): PartOutcome[] {
  index.need('ec2:nat-gateways', src.scope);
  const evidence = [routeEvidence(src, route, parts)];
  const nat = devices(index).nat.get(id);
  const cause = { resourceType: 'AWS::EC2::NatGateway', resourceId: id };
  const whole = (outcome: PathOutcome): PartOutcome[] => [{ parts: [...parts], outcome }];
  if (!nat)
    throw notInInventory(
      'ec2:nat-gateways',
      src.scope,
      `NAT gateway ${id} is not in the output of ${CLI_COMMAND.nat}`,
    );
  const stateEvidence = {
    path: 'natGateway.state',
    resourceId: id,
    actual: nat.state,
    expected: 'available',
  };
  // Only an available NAT gateway passes traffic (pending, failed, deleting, deleted do not count).
  if (nat.state !== 'available') {
    return whole(
      broken(
        'NET.NAT_NOT_AVAILABLE',
        `${src.tableName} sends ${describeParts(parts)} to NAT gateway ${id}, which is ${nat.state}`,
        cause,
        [...evidence, stateEvidence],
        {
          text: `Replace NAT gateway ${id} (it is ${nat.state}) and point ${src.routeTable.routeTableId} at the new one.`,
          command: `aws ec2 create-nat-gateway --subnet-id PUBLIC_SUBNET_ID --allocation-id ALLOCATION_ID`,
        },
      ),
    );
  }
  // IPv6 traffic reaches a NAT gateway only as NAT64 (64:ff9b::/96); it leaves as IPv4.
  const ipv4 = parts[0]!.family === 6 ? ipv4OfNat64(parts) : [...parts];
  if (ipv4.length === 0)
    return whole(
      unverifiable(
        `${src.tableName} sends IPv6 ${describeParts(parts)} to NAT gateway ${id}, which translates only 64:ff9b::/96`,
        id,
        evidence,
      ),
    );
  if (nat.connectivityType === 'private') {
    // A private NAT gateway has no Elastic IP; what it sends to an internet gateway is dropped.
    const upstream = natUpstream(
      index,
      cache,
      src,
      { id, subnetId: nat.subnetId, publicIpv4: undefined, who: `private NAT gateway ${id}` },
      ipv4,
      depth,
    );
    return upstream.map(({ parts: p, outcome }) => ({
      parts: parts[0]!.family === 6 ? nat64Set(p) : p,
      outcome:
        outcome.kind === 'broken' && outcome.reason === 'NET.NO_PUBLIC_IP'
          ? broken(
              'NET.NAT_PRIVATE',
              `${src.tableName} sends ${describeParts(p)} to NAT gateway ${id}, whose connectivity type is private: it cannot reach the internet`,
              cause,
              [
                ...evidence,
                {
                  path: 'natGateway.connectivityType',
                  resourceId: id,
                  actual: 'private',
                  expected: 'public',
                },
              ],
              {
                text: `Route the SSM traffic through a public NAT gateway, or add interface endpoints.`,
                command: `aws ec2 create-nat-gateway --subnet-id PUBLIC_SUBNET_ID --connectivity-type public --allocation-id ALLOCATION_ID`,
              },
            )
          : outcome,
    }));
  }
  const upstream = natUpstream(
    index,
    cache,
    src,
    { id, subnetId: nat.subnetId, publicIpv4: nat.publicIps[0], who: `NAT gateway ${id}` },
    ipv4,
    depth,
  );
  return upstream.map(({ parts: p, outcome }) => ({
    parts: parts[0]!.family === 6 ? nat64Set(p) : p,
    outcome:
      outcome.kind === 'open' ? open(`NAT gateway ${id}`, [...evidence, ...outcome.evidence]) : outcome,
  }));
}

function natInstanceHop(
  index: InventoryIndex,
  cache: PathCache,
  src: RouteSource,
  route: Route,
  id: string,
  parts: readonly Cidr[],
  depth: number,
): PartOutcome[] {
  const evidence = [routeEvidence(src, route, parts)];
  const whole = (outcome: PathOutcome): PartOutcome[] => [{ parts: [...parts], outcome }];
  const instance = id.startsWith('eni-') ? devices(index).instanceByEni.get(id) : index.instance(id);
  // A network interface no instance of the inventory carries is an appliance (firewall, load balancer...).
  if (!instance)
    return whole(
      unverifiable(
        `${src.tableName} sends ${describeParts(parts)} to ${describeTarget(route.target)}, which is not an instance in the inventory`,
        id,
        evidence,
      ),
    );
  const cause = { resourceType: 'AWS::EC2::Instance', resourceId: instance.instanceId };
  const who = `NAT instance ${instance.instanceId}`;
  if (instance.state !== 'running')
    return whole(
      broken(
        'NET.NAT_INSTANCE_DOWN',
        `${src.tableName} sends ${describeParts(parts)} to ${who}, which is ${instance.state}`,
        cause,
        [
          ...evidence,
          {
            path: 'instance.state',
            resourceId: instance.instanceId,
            actual: instance.state,
            expected: 'running',
          },
        ],
        {
          text: `Start ${who}, or route through a NAT gateway.`,
          command: `aws ec2 start-instances --instance-ids ${instance.instanceId}`,
        },
      ),
    );
  if (instance.sourceDestCheck === undefined)
    throw notInInventory(
      'ec2:instances',
      src.scope,
      `the source/destination check of ${who} was not read (aws ec2 describe-instances, SourceDestCheck)`,
    );
  // Forwarding needs the check off: https://docs.aws.amazon.com/vpc/latest/userguide/work-with-nat-instances.html
  if (instance.sourceDestCheck)
    return whole(
      broken(
        'NET.NAT_INSTANCE_SOURCE_DEST_CHECK',
        `${src.tableName} sends ${describeParts(parts)} to ${who}, whose source/destination check is on, so it drops forwarded traffic`,
        cause,
        [
          ...evidence,
          {
            path: 'instance.sourceDestCheck',
            resourceId: instance.instanceId,
            actual: true,
            expected: 'false',
          },
        ],
        {
          text: `Turn off the source/destination check of ${who}.`,
          command: `aws ec2 modify-instance-attribute --instance-id ${instance.instanceId} --no-source-dest-check`,
        },
      ),
    );
  if (parts[0]!.family === 6)
    return whole(
      unverifiable(
        `${src.tableName} sends IPv6 ${describeParts(parts)} to ${who}, whose IPv6 forwarding is not in the inventory`,
        instance.instanceId,
        evidence,
      ),
    );
  if (instance.subnetId === undefined)
    return whole(unverifiable(`${who} is not in a VPC subnet`, instance.instanceId, evidence));
  const publicIpv4 =
    instance.publicIpAddress ?? instance.networkInterfaces.find((n) => n.publicIp !== undefined)?.publicIp;
  const upstream = natUpstream(
    index,
    cache,
    src,
    { id: instance.instanceId, subnetId: instance.subnetId, publicIpv4, who },
    parts,
    depth,
  );
  return upstream.map(({ parts: p, outcome }) => ({
    parts: p,
    outcome:
      outcome.kind === 'open'
        ? open(who, [
            ...evidence,
            ...outcome.evidence,
            {
              resourceId: instance.instanceId,
              note: `${who}: its own security groups and network ACL are not verified`,
            },
          ])
        : outcome,
  }));
}

/** What one route does with the destination parts it carries (a NAT's own subnet may split them further). */
function judgeRoute(
  index: InventoryIndex,
  cache: PathCache,
  src: RouteSource,
  route: Route | undefined,
  parts: readonly Cidr[],
  depth: number,
): PartOutcome[] {
  const whole = (outcome: PathOutcome): PartOutcome[] => [{ parts: [...parts], outcome }];
  if (route === undefined) return whole(noRoute(src, parts));
  if (route.state === 'blackhole') return whole(blackhole(src, route, parts));
  const target = route.target;
  switch (target.kind) {
    case 'internet-gateway':
      return whole(internetGatewayHop(index, src, route, target.id, parts));
    case 'egress-only-internet-gateway':
      return whole(egressOnlyHop(index, src, route, target.id, parts));
    case 'nat-gateway':
      // A NAT behind a NAT (a loop of tables) is not followed further.
      if (depth > 0) break;
      return natGatewayHop(index, cache, src, route, target.id, parts, depth);
    case 'instance':
    case 'network-interface':
      if (depth > 0) break;
      return natInstanceHop(index, cache, src, route, target.id, parts, depth);
    case 'local':
      // Public addresses inside the VPC's own CIDR stay in the VPC and never reach a public endpoint.
      return whole(
        broken(
          'NET.NO_ROUTE',
          `${src.tableName} keeps ${describeParts(parts)} inside the VPC (local route)`,
          { resourceType: 'AWS::EC2::RouteTable', resourceId: src.routeTable.routeTableId },
          [routeEvidence(src, route, parts)],
        ),
      );
    default:
      break;
  }
  return whole(
    unverifiable(
      `${src.tableName} sends ${describeParts(parts)} to ${describeTarget(target)}; the rest of the path (e.g. an egress VPC) is outside this account's inventory`,
      target.id,
      [routeEvidence(src, route, parts)],
    ),
  );
}

/** Every route leg of `destinations` in the source's table, each judged with its device. */
export function judgeRoutes(
  index: InventoryIndex,
  cache: PathCache,
  src: RouteSource,
  destinations: readonly Cidr[],
  depth = 0,
): PartOutcome[] {
  return routeLegs(src.routeTable, destinations, cache).flatMap((leg) =>
    judgeRoute(index, cache, src, leg.route, leg.parts, depth),
  );
}

/** The public address a NAT gateway translates to, for aws:SourceIp; undefined when unknown. */
export function natGatewayPublicIp(index: InventoryIndex, natGatewayId: string): string | undefined {
  return devices(index).nat.get(natGatewayId)?.publicIps[0];
}
