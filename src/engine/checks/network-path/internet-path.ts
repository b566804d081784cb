// The internet path: the public addresses the SSM endpoints may have, split by the subnet's route table (each
// part to its device: internet gateway with a public address, NAT gateway, NAT instance, egress-only internet
// gateway), by the instance's security-group egress and by its subnet's network ACL; judged part by part.

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Cidr } from './cidr.js';
import {
  PUBLIC_IPV4,
  PUBLIC_IPV6,
  intersectSets,
  mergeSet,
  nat64Set,
  subtractSet,
  type AddressSet,
} from './address-set.js';
import { chainParts, combineParts, type HopParts } from './combine-parts.js';
import { judgeRoutes, type PartOutcome, type RouteSource } from './devices.js';
import { ANY_PUBLIC_ENDPOINT, type EndpointAddresses } from './endpoint-addresses.js';
import { naclHop, sgEgressHop } from './hops.js';
import { notInInventory, type InstanceNetwork } from './instance-network.js';
import type { PortRange } from './nacl-evaluation.js';
import type { PathCache } from './path-cache.js';
import { broken, open, unverifiable, type PathOutcome } from './path-outcome.js';
import { describeParts } from './route-partition.js';
import { anyOf, egressPrefixes, naclPrefixes, splitHop } from './split-hops.js';
import { naclSteps, routeDeviceSteps, singleStep } from './hop-steps.js';

function tableName(net: InstanceNetwork): string {
  return net.explicitRouteTable
    ? `route table ${net.routeTable.routeTableId}`
    : `route table ${net.routeTable.routeTableId} (the main table of ${net.subnet.vpcId}; ${net.subnet.subnetId} has no explicit association)`;
}

function routeSource(net: InstanceNetwork): RouteSource {
  return {
    scope: net.instance,
    vpcId: net.subnet.vpcId,
    subnetId: net.subnet.subnetId,
    routeTable: net.routeTable,
    tableName: tableName(net),
    publicIpv4: net.publicIpv4,
    ipv6Address: net.ipv6Address,
    who: 'the instance',
  };
}

/** Security-group egress over the set: split by the groups' rule blocks, one decision per kind of answer. */
function sgEgressParts(net: InstanceNetwork, destinations: AddressSet, cache: PathCache): HopParts {
  const family = destinations[0]!.family;
  const prefixes = egressPrefixes(net.groups, family, cache);
  const grouped = splitHop(destinations, prefixes, (part) =>
    sgEgressHop(net.groups, { cidr: part, groupIds: [] }, `the internet (${describeParts([part])})`, cache),
  );
  // Re-word each group's answer for all of its parts (the decision is the same for every part of a group).
  return {
    ...(cache.recordHops && { steps: singleStep('sg-egress', 'securityGroups[*].egress') }),
    legs: grouped.map((g) => ({
      parts: g.parts,
      // The decision is taken for one of the group's parts (the same for all of them); the fix names them all.
      outcome: sgEgressHop(
        net.groups,
        { cidr: g.parts[0]!, groupIds: [] },
        `the internet (${describeParts(g.parts)})`,
        cache,
        grouped.length === 1 ? anyOf(family) : g.parts[0]!,
      ),
    })),
  };
}

/** The subnet's network ACL over the set, both directions: split by its entries' blocks. */
function naclParts(
  net: InstanceNetwork,
  destinations: AddressSet,
  ephemeral: PortRange,
  cache: PathCache,
): HopParts {
  const family = destinations[0]!.family;
  const prefixes = naclPrefixes(net.nacl, family, cache);
  const hop = (peer: Cidr, shown: Cidr): PathOutcome =>
    naclHop(net.nacl, net.subnet.subnetId, true, peer, ephemeral, 'skip', cache, shown) as PathOutcome;
  const grouped = splitHop(destinations, prefixes, (part) => hop(part, part));
  // One answer for the whole set: decided for one part (after the split no entry covers part of a part), worded
  // for the default route's block.
  const steps = cache.recordHops ? naclSteps(true) : undefined;
  if (grouped.length === 1)
    return {
      legs: [{ parts: grouped[0]!.parts, outcome: hop(grouped[0]!.parts[0]!, anyOf(family)) }],
      steps,
    };
  // Worded for the parts of the set each decision covers (not for the family space around them).
  return { legs: grouped.map((g) => ({ parts: g.parts, outcome: hop(g.parts[0]!, g.parts[0]!) })), steps };
}

/** DNS64 must be on for an IPv6-only instance to get NAT64 answers for the IPv4-only SSM names. */
function dns64Hop(net: InstanceNetwork): PathOutcome {
  const subnet = net.subnet;
  if (subnet.enableDns64 === undefined)
    throw notInInventory(
      'ec2:subnets',
      net.instance,
      `EnableDns64 of ${subnet.subnetId} was not read (aws ec2 describe-subnets)`,
    );
  const evidence = [
    { path: 'subnet.enableDns64', resourceId: subnet.subnetId, actual: subnet.enableDns64, expected: 'true' },
  ];
  if (subnet.enableDns64) return open('DNS64', evidence);
  return broken(
    'NET.DNS64_OFF',
    `${subnet.subnetId} routes NAT64 (64:ff9b::/96) to a NAT gateway, but DNS64 is off, so the SSM names get no IPv6 answer`,
    { resourceType: 'AWS::EC2::Subnet', resourceId: subnet.subnetId },
    evidence,
    {
      text: `Turn on DNS64 for ${subnet.subnetId}.`,
      command: `aws ec2 modify-subnet-attribute --subnet-id ${subnet.subnetId} --enable-dns64`,
    },
  );
}

/**
 * IPv6-only subnets: the agent reaches SSM over IPv6 (dual-stack endpoints, SSM Agent 3.3.3270.0 or later with
 * UseDualStackEndpoint) or through NAT64: DNS64 answers 64:ff9b::/96 addresses that a route sends to a NAT
 * gateway. https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html
 */
function ipv6Legs(
  index: InventoryIndex,
  cache: PathCache,
  net: InstanceNetwork,
  addresses: EndpointAddresses,
): Routed {
  const src = routeSource(net);
  // A VPC's IPv6 blocks are Amazon-provided (or the owner's BYOIP/IPAM space), never an AWS service's
  // addresses, so the local route holds none of the endpoints:
  // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
  const local = net.routeTable.routes.flatMap((r) => {
    const cidr =
      r.target.kind === 'local' && r.destinationIpv6Cidr ? cache.cidr(r.destinationIpv6Cidr) : undefined;
    return cidr ? [cidr] : [];
  });
  const outsideVpc = (set: AddressSet): AddressSet => (local.length > 0 ? subtractSet(set, local) : set);
  const ipv6 = outsideVpc(PUBLIC_IPV6);
  const ipv6Narrowed = addresses.narrowed ? outsideVpc(addresses.ipv6) : ipv6;
  const direct = judgeRoutes(index, cache, src, ipv6);
  const directLegs = { destinations: ipv6, narrowed: ipv6Narrowed, legs: direct, nat64: false };
  if (restrict(direct, ipv6Narrowed, addresses.narrowed).every((l) => l.outcome.kind === 'open'))
    return directLegs;
  const usesNat = net.routeTable.routes.some(
    (r) => r.destinationIpv6Cidr !== undefined && r.target.kind === 'nat-gateway',
  );
  if (!usesNat) return directLegs;
  const viaNat64 = nat64Set(PUBLIC_IPV4);
  return {
    destinations: viaNat64,
    narrowed: addresses.narrowed ? nat64Set(addresses.ipv4) : viaNat64,
    legs: judgeRoutes(index, cache, src, viaNat64),
    nat64: true,
  };
}

/** The route legs of a path: judged over `destinations` (public space), of which `narrowed` may hold the endpoints. */
interface Routed {
  destinations: AddressSet;
  narrowed: AddressSet;
  legs: PartOutcome[];
  nat64: boolean;
}

/**
 * Keeps of each part only the addresses the endpoints may have. Every hop decides alike over each part of the
 * public space its own prefixes leave whole, so judging the public space and then cutting it down to the narrowed
 * set gives each address the answer it would get if the narrowed set were judged directly, at the cost of the
 * public space's few dozen parts (not the hundreds of published prefixes).
 */
function restrict(legs: readonly PartOutcome[], narrowed: AddressSet, isNarrowed: boolean): PartOutcome[] {
  if (!isNarrowed) return [...legs];
  return legs.flatMap((leg) => {
    const parts = intersectSets(leg.parts, narrowed);
    return parts.length > 0 ? [{ parts: mergeSet(parts), outcome: leg.outcome }] : [];
  });
}

/** The internet path of an instance; shared by instances of a subnet with the same groups and kind of address. */
export function internetPath(
  index: InventoryIndex,
  net: InstanceNetwork,
  ephemeral: PortRange,
  cache: PathCache,
  addresses: EndpointAddresses = ANY_PUBLIC_ENDPOINT,
  /** The service the path is for, in messages ("the public SSM endpoints" unless another is named). */
  service = 'SSM',
): PathOutcome {
  const key = `inet|${net.subnet.subnetId}|${net.family}|${net.groupKey}|${net.publicIpv4 ? 'p' : ''}${net.ipv6Address ? '6' : ''}|${ephemeral.join('-')}|${addresses.key}|${service}|${cache.recordHops}`;
  return cache.memo(key, () => {
    // The route legs depend on the subnet (its table, NACL, VPC) and the kind of address, not on the groups, and
    // the groups' egress on the groups and the destinations alone: each is judged once and shared by every
    // subnet × group-set pair that needs it (at 100,000 instances there are thousands of such pairs).
    const routedKey = `inet-routed|${net.subnet.subnetId}|${net.family}|${net.publicIpv4 ? 'p' : ''}${net.ipv6Address ? '6' : ''}|${addresses.key}|${cache.recordHops}`;
    const routed: Routed = cache.memo(routedKey, () =>
      net.family === 4
        ? {
            destinations: PUBLIC_IPV4,
            narrowed: addresses.ipv4,
            legs: judgeRoutes(index, cache, routeSource(net), PUBLIC_IPV4),
            nat64: false,
          }
        : ipv6Legs(index, cache, net, addresses),
    );
    // IPv4 destinations are the public space whatever the subnet; IPv6 ones depend on the VPC's own blocks.
    const destinationsKey =
      routed.destinations === PUBLIC_IPV4 ? 'public-ipv4' : `${routedKey}|${routed.nat64}`;
    const { destinations } = routed;
    const hops: HopParts[] = [
      {
        legs: routed.legs,
        ...(cache.recordHops && { steps: routeDeviceSteps(net.routeTable.routeTableId, true) }),
      },
    ];
    if (routed.nat64)
      hops.push({
        legs: [{ parts: [...destinations], outcome: dns64Hop(net) }],
        ...(cache.recordHops && { steps: singleStep('dns64', 'subnet.enableDns64') }),
      });
    hops.push(
      cache.memo(`inet-sg|${net.groupKey}|${destinationsKey}|${cache.recordHops}`, () =>
        sgEgressParts(net, destinations, cache),
      ),
      cache.memo(
        `inet-nacl|${net.subnet.subnetId}|${destinationsKey}|${ephemeral.join('-')}|${cache.recordHops}`,
        () => naclParts(net, destinations, ephemeral, cache),
      ),
    );
    const legs = restrict(chainParts('the internet', hops), routed.narrowed, addresses.narrowed);
    // Never empty (endpointAddresses keeps any public address rather than narrow to nothing); if it were, no
    // address would be judged and the path would pass unseen: fail closed.
    if (legs.length === 0)
      return unverifiable(
        `no address the ${service} endpoints may have is left to judge`,
        net.subnet.subnetId,
      );
    const outcome = combineParts(
      legs,
      `the public ${service} endpoints`,
      addresses.narrowed
        ? 'the published ranges say only that the endpoints are somewhere in them'
        : "which of them holds the endpoints is not known offline (--ip-ranges narrows them to the region's AWS ranges)",
    );
    const withSource = addresses.evidence
      ? { ...outcome, evidence: [...outcome.evidence, addresses.evidence] }
      : outcome;
    const note =
      net.family === 6
        ? routed.nat64
          ? 'NAT64: needs DNS64 on the subnet'
          : 'IPv6: needs SSM Agent 3.3.3270.0 or later with UseDualStackEndpoint enabled'
        : undefined;
    return note ? { ...withSource, evidence: [...withSource.evidence, { note }] } : withSource;
  });
}
