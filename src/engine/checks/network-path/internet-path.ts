// The internet path: the subnet's route to the internet (IGW with a public address, NAT gateway, NAT
// instance, egress-only IGW for IPv6), then the instance's SG egress and its subnet's NACL toward the internet.

import type { Route } from '../../../inventory/model.js';
import { ANY_IPV4, ANY_IPV6, NAT64_PREFIX, cidrContains, formatCidr, parseCidr, type Cidr } from './cidr.js';
import { naclHop, sgEgressHop } from './hops.js';
import type { InstanceNetwork } from './instance-network.js';
import type { PortRange } from './nacl-evaluation.js';
import type { PathCache } from './path-cache.js';
import { broken, chain, open, unverifiable, type PathOutcome } from './path-outcome.js';
import { describeRoute, describeTarget, selectRoute } from './route-selection.js';

function tableName(net: InstanceNetwork): string {
  return net.explicitRouteTable
    ? `route table ${net.routeTable.routeTableId}`
    : `route table ${net.routeTable.routeTableId} (the main table of ${net.subnet.vpcId}; ${net.subnet.subnetId} has no explicit association)`;
}

/** RFC 1918 and shared (RFC 6598) space: never where the public SSM endpoints live. */
const PRIVATE_IPV4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) =>
  parseCidr(c)!,
);

/**
 * A more specific route toward public address space (e.g. 0.0.0.0/1 and 128.0.0.0/1 to a NAT) may carry the
 * SSM endpoints' public addresses, which are unknown offline; when the default route gives no path, such a
 * route makes the answer unverifiable rather than a failure.
 */
function publicSpecificRoute(net: InstanceNetwork, cache: PathCache): Route | undefined {
  const local = net.routeTable.routes
    .filter((r) => r.target.kind === 'local' && r.destinationCidr !== undefined)
    .map((r) => cache.cidr(r.destinationCidr!));
  return net.routeTable.routes.find((r) => {
    if (r.state === 'blackhole' || r.destinationCidr === undefined || r.target.kind === 'local') return false;
    const cidr = cache.cidr(r.destinationCidr);
    if (cidr === undefined || cidr.prefix === 0) return false;
    return ![...PRIVATE_IPV4, ...local].some((block) => block !== undefined && cidrContains(block, cidr));
  });
}

/** What the selected route does with traffic to the internet. */
function routeHop(net: InstanceNetwork, route: Route | undefined, destination: Cidr): PathOutcome {
  const rtb = net.routeTable.routeTableId;
  const dest = formatCidr(destination);
  const cause = { resourceType: 'AWS::EC2::RouteTable', resourceId: rtb };
  if (route === undefined) {
    return broken(
      'NET.NO_ROUTE',
      `${tableName(net)} has no route to ${dest}`,
      cause,
      [
        {
          path: 'routeTable.routes',
          resourceId: rtb,
          actual: 'no matching route',
          expected: `${dest} → internet gateway or NAT`,
        },
      ],
      {
        text: `Add interface endpoints for ssm and ssmmessages (with private DNS) to ${net.subnet.vpcId}, or route ${dest} to a NAT gateway in ${rtb}.`,
        command: `aws ec2 create-route --route-table-id ${rtb} --destination-cidr-block ${dest} --nat-gateway-id NAT_GATEWAY_ID`,
      },
    );
  }
  const evidence = [
    {
      path: 'routeTable.routes',
      resourceId: rtb,
      actual: describeRoute(route),
      expected: `${dest} → internet gateway or NAT`,
    },
  ];
  if (route.state === 'blackhole') {
    return broken(
      'NET.BLACKHOLE_ROUTE',
      `${tableName(net)} sends ${dest} to ${describeTarget(route.target)}, which no longer exists (blackhole route)`,
      cause,
      evidence,
      {
        text: `Point the ${dest} route of ${rtb} at a NAT gateway that exists (the old target was deleted), or add interface endpoints.`,
        command: `aws ec2 replace-route --route-table-id ${rtb} --destination-cidr-block ${dest} --nat-gateway-id NAT_GATEWAY_ID`,
      },
    );
  }
  const target = route.target;
  switch (target.kind) {
    case 'internet-gateway':
      if (destination.family === 4 && net.publicIpv4 === undefined) {
        return broken(
          'NET.NO_PUBLIC_IP',
          `${net.subnet.subnetId} sends ${dest} to internet gateway ${target.id} (${rtb}), but the instance has no public IPv4 address`,
          { resourceType: 'AWS::EC2::Subnet', resourceId: net.subnet.subnetId },
          evidence,
          {
            text: 'Give the instance a public IPv4 address (an Elastic IP), or move it to a private subnet that routes through a NAT gateway or has interface endpoints.',
            command: `aws ec2 associate-address --instance-id INSTANCE_ID --allocation-id ALLOCATION_ID`,
          },
        );
      }
      if (destination.family === 6 && net.ipv6Address === undefined) {
        return broken(
          'NET.NO_PUBLIC_IP',
          `${net.subnet.subnetId} sends ${dest} to internet gateway ${target.id} (${rtb}), but the instance has no IPv6 address`,
          { resourceType: 'AWS::EC2::Subnet', resourceId: net.subnet.subnetId },
          evidence,
          {
            text: 'Assign an IPv6 address to the instance.',
            command: `aws ec2 assign-ipv6-addresses --network-interface-id ENI_ID --ipv6-address-count 1`,
          },
        );
      }
      return open(`internet gateway ${target.id}`, evidence);
    case 'nat-gateway':
      return open(`NAT gateway ${target.id}`, evidence);
    case 'egress-only-internet-gateway':
      return destination.family === 6
        ? open(`egress-only internet gateway ${target.id}`, evidence)
        : unverifiable(`${tableName(net)} sends ${dest} to ${describeTarget(target)}`, target.id, evidence);
    case 'instance':
    case 'network-interface':
      // Almost always a NAT instance; its own route, source/destination check and SGs are not verified here.
      return open(`NAT instance ${target.id}`, [
        ...evidence,
        {
          resourceId: target.id,
          note: 'NAT instance: its own route and source/destination check are not verified',
        },
      ]);
    default:
      return unverifiable(
        `${tableName(net)} sends ${dest} to ${describeTarget(target)}; the rest of the path (e.g. an egress VPC) is outside this account's inventory`,
        target.kind === 'local' ? rtb : target.id,
        evidence,
      );
  }
}

/**
 * The IPv6-only case: the agent reaches SSM either over IPv6 (::/0 to an IGW or egress-only IGW, which needs
 * an agent with UseDualStackEndpoint, 3.3.3270.0 or later) or through NAT64 (64:ff9b::/96 to a NAT gateway,
 * with DNS64 on the subnet). https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html
 */
function ipv6Route(
  net: InstanceNetwork,
  cache: PathCache,
): { route: Route | undefined; destination: Cidr; note: string } {
  const direct = selectRoute(net.routeTable, ANY_IPV6, cache);
  const viaNat64 = selectRoute(net.routeTable, NAT64_PREFIX, cache);
  const directNote = 'IPv6: needs SSM Agent 3.3.3270.0 or later with UseDualStackEndpoint enabled';
  const nat64Note = 'NAT64: needs DNS64 enabled on the subnet';
  const internetTarget = (r: Route | undefined): boolean =>
    r !== undefined &&
    r.state !== 'blackhole' &&
    (r.target.kind === 'internet-gateway' || r.target.kind === 'egress-only-internet-gateway');
  if (internetTarget(direct)) return { route: direct, destination: ANY_IPV6, note: directNote };
  if (viaNat64 !== undefined && viaNat64 !== direct)
    return { route: viaNat64, destination: NAT64_PREFIX, note: nat64Note };
  return { route: direct, destination: ANY_IPV6, note: directNote };
}

/** The internet path of an instance; shared by instances of a subnet with the same groups and public address. */
export function internetPath(net: InstanceNetwork, ephemeral: PortRange, cache: PathCache): PathOutcome {
  const hasPublic = net.family === 4 ? net.publicIpv4 !== undefined : net.ipv6Address !== undefined;
  const key = `inet|${net.subnet.subnetId}|${net.family}|${net.groupKey}|${hasPublic ? 1 : 0}|${ephemeral.join('-')}`;
  return cache.memo(key, () => {
    const { route, destination, note } =
      net.family === 4
        ? { route: selectRoute(net.routeTable, ANY_IPV4, cache), destination: ANY_IPV4, note: undefined }
        : ipv6Route(net, cache);
    let first = routeHop(net, route, destination);
    if (
      first.kind === 'broken' &&
      net.family === 4 &&
      (first.reason === 'NET.NO_ROUTE' || first.reason === 'NET.BLACKHOLE_ROUTE')
    ) {
      const specific = publicSpecificRoute(net, cache);
      if (specific) {
        const id = specific.target.kind === 'local' ? net.routeTable.routeTableId : specific.target.id;
        first = unverifiable(
          `${first.detail}; the more specific route ${describeRoute(specific)} may carry the SSM endpoints' public addresses, which are not known offline`,
          id,
          first.evidence,
        );
      }
    }
    const outcome = chain(first.kind === 'open' ? first.via : 'the internet', [
      () => first,
      () =>
        sgEgressHop(
          net.groups,
          { cidr: destination, groupIds: [] },
          `the internet (${formatCidr(destination)})`,
          cache,
        ),
      () =>
        naclHop(net.nacl, net.subnet.subnetId, true, destination, ephemeral, 'skip', cache) as PathOutcome,
    ]);
    return note ? { ...outcome, evidence: [...outcome.evidence, { note }] } : outcome;
  });
}
