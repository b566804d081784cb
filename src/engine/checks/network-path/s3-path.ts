// The path to Amazon S3 in the instance's Region (Patch Manager's buckets): the S3 gateway endpoint's route, an
// S3 interface endpoint with private DNS, or the internet path; judged hop by hop like the SSM paths.

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { VpcEndpoint } from '../../../inventory/model.js';
import { describeSgRule } from './security-group-match.js';
import { ruleAllowsTcpPort } from '../port-exposure.js';
import { intersectSets, subtractSet, type AddressSet } from './address-set.js';
import { chainParts, combineParts, type HopParts } from './combine-parts.js';
import { endpointAddresses } from './endpoint-addresses.js';
import { endpointPath, selectEndpoint } from './endpoint-path.js';
import { naclSteps, routeDeviceSteps, singleStep } from './hop-steps.js';
import { naclHop } from './hops.js';
import type { InstanceNetwork } from './instance-network.js';
import { internetPath } from './internet-path.js';
import type { PortRange } from './nacl-evaluation.js';
import type { PathCache } from './path-cache.js';
import { broken, open, unverifiable, type PathOutcome } from './path-outcome.js';
import { s3RouteChoice, type S3RouteChoice } from './s3-gateway-route.js';
import { describeRoute } from './route-selection.js';
import { anyOf, naclPrefixes, splitHop } from './split-hops.js';

export interface S3Path {
  outcome: PathOutcome;
  via: 'gateway-endpoint' | 'interface-endpoint' | 'internet' | 'unknown';
  /** The endpoint S3 requests go through: its policy must allow the reads as well. */
  endpoint?: VpcEndpoint;
}

const HTTPS = 443;
const SG_PATH = 'securityGroups[*].egress';

/**
 * Security-group egress to S3 through a gateway endpoint: a rule naming the endpoint route's prefix list allows
 * it (the list is the route's own, so no call is needed to know it); a CIDR rule allows it when it covers every
 * address S3 may have. A rule that covers only some of them, or another prefix list, cannot be judged without the
 * list's entries.
 */
function s3EgressHop(
  net: InstanceNetwork,
  prefixListId: string,
  addresses: AddressSet,
  cache: PathCache,
): PathOutcome {
  const expected = `tcp/443 to ${prefixListId} (Amazon S3)`;
  let undecided: string | undefined;
  for (const { groupId, group } of net.groups) {
    for (const rule of group?.egress ?? []) {
      if (!ruleAllowsTcpPort(rule, HTTPS)) continue;
      const text = describeSgRule(groupId, rule, 'egress');
      const allow = () => open(text, [{ path: SG_PATH, resourceId: groupId, actual: text, expected }]);
      if (rule.prefixListId !== undefined) {
        if (rule.prefixListId === prefixListId) return allow();
        undecided ??= `${text} names another prefix list, whose entries are not in the inventory`;
        continue;
      }
      const cidr = rule.cidrIpv4 === undefined ? undefined : cache.cidr(rule.cidrIpv4);
      if (cidr === undefined) continue;
      if (subtractSet(addresses, [cidr]).length === 0) return allow();
      if (intersectSets(addresses, [cidr]).length > 0)
        undecided ??= `${text} covers only some public addresses, and which are S3's (${prefixListId}) is not in the inventory`;
    }
  }
  const ids = net.groupIds;
  if (undecided !== undefined)
    return unverifiable(undecided, ids.join(','), [
      { path: SG_PATH, resourceId: ids.join(','), actual: undecided, expected },
    ]);
  return broken(
    'NET.EGRESS_BLOCKS',
    ids.length === 0
      ? `the instance has no security groups, so nothing allows outbound TCP 443 to Amazon S3 (${prefixListId})`
      : `none of its security groups (${ids.join(', ')}) allows outbound TCP 443 to Amazon S3 (${prefixListId})`,
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: ids.join(',') },
    [{ path: SG_PATH, resourceId: ids.join(','), actual: 'no matching egress rule', expected }],
    ids[0]
      ? {
          text: `Allow outbound TCP 443 to the S3 prefix list ${prefixListId} in one of the instance's security groups.`,
          command: `aws ec2 authorize-security-group-egress --group-id ${ids[0]} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=${prefixListId}}]`,
        }
      : undefined,
  );
}

/** The gateway endpoint's route: a blackhole drops S3 traffic; the endpoint must be available. */
function gatewayRouteHop(
  net: InstanceNetwork,
  choice: Extract<S3RouteChoice, { kind: 'gateway' }>,
): PathOutcome {
  const { route, endpoint, prefixListId } = choice;
  const rtb = net.routeTable.routeTableId;
  const evidence = [
    {
      path: 'routeTable.routes',
      resourceId: rtb,
      actual: describeRoute(route),
      expected: `${prefixListId} → ${endpoint.vpcEndpointId}`,
    },
  ];
  if (route.state === 'blackhole')
    return broken(
      'NET.BLACKHOLE_ROUTE',
      `route table ${rtb} sends Amazon S3 (${prefixListId}) to ${endpoint.vpcEndpointId} as a blackhole route`,
      { resourceType: 'AWS::EC2::RouteTable', resourceId: rtb },
      evidence,
    );
  if (endpoint.state.toLowerCase() !== 'available')
    return broken(
      'NET.ENDPOINT_NOT_AVAILABLE',
      `gateway endpoint ${endpoint.vpcEndpointId} (Amazon S3) is ${endpoint.state}, not available`,
      { resourceType: 'AWS::EC2::VPCEndpoint', resourceId: endpoint.vpcEndpointId },
      [
        ...evidence,
        {
          path: 'vpcEndpoint.state',
          resourceId: endpoint.vpcEndpointId,
          actual: endpoint.state,
          expected: 'available',
        },
      ],
    );
  return open(`gateway endpoint ${endpoint.vpcEndpointId}`, evidence);
}

/** The subnet's NACL both ways over the addresses S3 may have, split by its entries' blocks. */
function s3NaclHop(
  net: InstanceNetwork,
  addresses: AddressSet,
  ephemeral: PortRange,
  cache: PathCache,
): HopParts {
  const hop = (peer: (typeof addresses)[number], shown = peer): PathOutcome =>
    naclHop(net.nacl, net.subnet.subnetId, true, peer, ephemeral, 'skip', cache, shown) as PathOutcome;
  const grouped = splitHop(addresses, naclPrefixes(net.nacl, 4, cache), (part) => hop(part));
  const steps = cache.recordHops ? { steps: naclSteps(true) } : {};
  if (grouped.length === 1)
    return { legs: [{ parts: grouped[0]!.parts, outcome: hop(grouped[0]!.sample, anyOf(4)) }], ...steps };
  return { legs: grouped.map((g) => ({ parts: g.parts, outcome: hop(g.sample, g.parts[0]!) })), ...steps };
}

/** Route, security-group egress and NACL of the path through the S3 gateway endpoint (it has no security group). */
function gatewayPath(
  index: InventoryIndex,
  cache: PathCache,
  net: InstanceNetwork,
  choice: Extract<S3RouteChoice, { kind: 'gateway' }>,
  ephemeral: PortRange,
): PathOutcome {
  const key = `s3-gateway|${net.subnet.subnetId}|${net.groupKey}|${ephemeral.join('-')}|${cache.recordHops}`;
  return cache.memo(key, () => {
    // S3's addresses are among the Region's AWS addresses (all public addresses without --ip-ranges).
    const addresses = endpointAddresses(index, cache, net.instance.region).ipv4;
    const whole = (outcome: PathOutcome) => [{ parts: [...addresses], outcome }];
    const name = `gateway endpoint ${choice.endpoint.vpcEndpointId}`;
    const rtb = net.routeTable.routeTableId;
    const hops: HopParts[] = [
      {
        legs: whole(gatewayRouteHop(net, choice)),
        ...(cache.recordHops && {
          steps: routeDeviceSteps(rtb, false, `${name} (Amazon S3, prefix list ${choice.prefixListId})`),
        }),
      },
      {
        // The groups' egress to the prefix list, and the subnet's NACL, are shared by every subnet × group-set
        // pair that needs them: judged once each.
        legs: whole(
          cache.memo(`s3-sg|${net.groupKey}|${choice.prefixListId}|${net.instance.region}`, () =>
            s3EgressHop(net, choice.prefixListId, addresses, cache),
          ),
        ),
        ...(cache.recordHops && { steps: singleStep('sg-egress', SG_PATH) }),
      },
      cache.memo(
        `s3-nacl|${net.subnet.subnetId}|${net.instance.region}|${ephemeral.join('-')}|${cache.recordHops}`,
        () => s3NaclHop(net, addresses, ephemeral, cache),
      ),
    ];
    return combineParts(
      chainParts(name, hops),
      'Amazon S3',
      `which of them are S3's (prefix list ${choice.prefixListId}) is not in the inventory`,
    );
  });
}

/**
 * The way S3 requests leave the instance and whether they get through. A gateway endpoint's route takes S3
 * traffic when it applies (s3RouteChoice); otherwise S3 names resolve to an S3 interface endpoint when one has
 * private DNS, else to public addresses, reached like any public endpoint (the SSM internet path's rules).
 */
export function s3Path(
  index: InventoryIndex,
  cache: PathCache,
  net: InstanceNetwork,
  ephemeral: PortRange,
): S3Path {
  const choice = s3RouteChoice(index, cache, net);
  if (choice.kind === 'unverifiable')
    return { via: 'unknown', outcome: unverifiable(choice.detail, choice.resourceId) };
  const selection = selectEndpoint(index, cache, net, 's3');
  if (choice.kind === 'gateway') {
    if (selection.kind === 'usable')
      return {
        via: 'unknown',
        outcome: unverifiable(
          `${selection.endpoint.vpcEndpointId}, an S3 interface endpoint with private DNS, and gateway endpoint ${choice.endpoint.vpcEndpointId} both serve ${net.subnet.vpcId}; which one S3 names resolve to depends on the interface endpoint's DNS options, which the inventory does not hold`,
          selection.endpoint.vpcEndpointId,
        ),
      };
    return {
      via: 'gateway-endpoint',
      endpoint: choice.endpoint,
      outcome: gatewayPath(index, cache, net, choice, ephemeral),
    };
  }
  if (selection.kind === 'usable')
    return {
      via: 'interface-endpoint',
      endpoint: selection.endpoint,
      outcome: endpointPath(index, cache, net, selection.endpoint, ephemeral),
    };
  const addresses = endpointAddresses(index, cache, net.instance.region);
  return { via: 'internet', outcome: internetPath(index, net, ephemeral, cache, addresses, 'Amazon S3') };
}
