// The interface-endpoint path: which endpoint serves a service in the instance's VPC (available, private DNS,
// VPC DNS attributes on), then route, SG egress, both subnets' NACLs and the endpoint's SG ingress.

import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Vpc, VpcEndpoint } from '../../../inventory/model.js';
import { CheckDataError } from '../check-data-error.js';
import type { Cidr } from './cidr.js';
import { naclHop, sgEgressHop, sgIngressHop } from './hops.js';
import { notInInventory, subnetNetwork, type InstanceNetwork } from './instance-network.js';
import type { PortRange } from './nacl-evaluation.js';
import type { PathCache } from './path-cache.js';
import {
  broken,
  open,
  unverifiable,
  type NetReason,
  type PathBroken,
  type PathOutcome,
} from './path-outcome.js';
import { describeRoute, describeTarget } from './route-selection.js';
import type { AddressSet } from './address-set.js';
import { chainParts, combineParts, type HopParts } from './combine-parts.js';
import { describeParts, routeLegs, type RouteLeg } from './route-partition.js';
import { egressPrefixes, naclPrefixes, splitHop } from './split-hops.js';
import { naclSteps, routeDeviceSteps, singleStep } from './hop-steps.js';
import { compareText } from '../../../compare-text.js';

export const SSM_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;
export type SsmService = (typeof SSM_SERVICES)[number];
/** The services whose interface endpoints a path may use: the SSM ones, and S3 (the patch buckets). */
export type EndpointService = SsmService | 's3';
const ENDPOINT_SERVICES: readonly EndpointService[] = [...SSM_SERVICES, 's3'];

const MISSING_REASON: Record<EndpointService, NetReason> = {
  ssm: 'NET.NO_SSM_ENDPOINT',
  ssmmessages: 'NET.NO_SSMMESSAGES_ENDPOINT',
  ec2messages: 'NET.NO_EC2MESSAGES_ENDPOINT',
  // Without an S3 interface endpoint, S3 names resolve to public addresses: the caller judges that path instead.
  s3: 'NET.NO_ROUTE',
};

/** The endpoint the service name resolves to, or why none does (then traffic goes to the public endpoint). */
export type EndpointSelection =
  { kind: 'usable'; endpoint: VpcEndpoint } | { kind: 'unusable'; problem: PathBroken; exists: boolean };

/** Interface endpoints of a VPC by service ("ssm"), matching "com.amazonaws.<region>.<service>" in any partition. */
function endpointsByService(
  index: InventoryIndex,
  cache: PathCache,
  vpcId: string,
  region: string,
): Map<EndpointService, VpcEndpoint[]> {
  return cache.memo(`endpoints|${vpcId}|${region}`, () => {
    const map = new Map<EndpointService, VpcEndpoint[]>();
    for (const endpoint of index.endpointsInVpc(vpcId)) {
      if (endpoint.endpointType !== 'Interface') continue;
      for (const service of ENDPOINT_SERVICES) {
        // China regions use "cn.com.amazonaws.cn-north-1.ssm": compare the suffix only.
        if (!endpoint.serviceName.endsWith(`.${region}.${service}`)) continue;
        const list = map.get(service) ?? [];
        list.push(endpoint);
        map.set(service, list);
      }
    }
    for (const list of map.values()) list.sort((a, b) => compareText(a.vpcEndpointId, b.vpcEndpointId));
    return map;
  });
}

/** True when the VPC has an interface endpoint for any SSM service: it is meant to reach SSM privately. */
export function vpcUsesEndpoints(
  index: InventoryIndex,
  cache: PathCache,
  vpcId: string,
  region: string,
): boolean {
  const byService = endpointsByService(index, cache, vpcId, region);
  return SSM_SERVICES.some((service) => byService.has(service));
}

function vpcDns(index: InventoryIndex, net: InstanceNetwork): Vpc {
  index.need('ec2:vpcs', net.instance);
  index.need('ec2:vpc-attributes', net.instance);
  const vpc = index.vpc(net.subnet.vpcId);
  if (!vpc) throw notInInventory('ec2:vpcs', net.instance, `VPC ${net.subnet.vpcId} is not in the inventory`);
  if (vpc.enableDnsSupport === undefined || vpc.enableDnsHostnames === undefined) {
    throw notInInventory(
      'ec2:vpc-attributes',
      net.instance,
      `the DNS attributes of ${vpc.vpcId} were not read (aws ec2 describe-vpc-attribute)`,
    );
  }
  return vpc;
}

/**
 * Picks the endpoint that the service's public name resolves to inside the VPC. Private DNS only takes effect
 * when the VPC has both enableDnsSupport and enableDnsHostnames on; otherwise the name resolves to public
 * addresses. https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#private-dns
 */
export function selectEndpoint(
  index: InventoryIndex,
  cache: PathCache,
  net: InstanceNetwork,
  service: EndpointService,
): EndpointSelection {
  const vpcId = net.subnet.vpcId;
  const candidates = endpointsByService(index, cache, vpcId, net.instance.region).get(service) ?? [];
  const vpce = (id: string) => ({ resourceType: 'AWS::EC2::VPCEndpoint', resourceId: id });
  if (candidates.length === 0) {
    return {
      kind: 'unusable',
      exists: false,
      problem: broken(
        MISSING_REASON[service],
        `${vpcId} has no interface endpoint for ${service}`,
        { resourceType: 'AWS::EC2::VPC', resourceId: vpcId },
        [
          {
            path: 'vpcEndpoints',
            resourceId: vpcId,
            actual: 'none',
            expected: `com.amazonaws.${net.instance.region}.${service}`,
          },
        ],
        {
          text: `Create an interface endpoint for ${service} in ${vpcId}, with private DNS, in the instances' subnets and with the same security group as the other SSM endpoints.`,
          command: `aws ec2 create-vpc-endpoint --vpc-id ${vpcId} --vpc-endpoint-type Interface --service-name com.amazonaws.${net.instance.region}.${service} --subnet-ids ${net.subnet.subnetId} --security-group-ids ENDPOINT_SG_ID --private-dns-enabled`,
        },
      ),
    };
  }
  const available = candidates.filter((e) => e.state.toLowerCase() === 'available');
  if (available.length === 0) {
    const e = candidates[0]!;
    return {
      kind: 'unusable',
      exists: true,
      problem: broken(
        'NET.ENDPOINT_NOT_AVAILABLE',
        `endpoint ${e.vpcEndpointId} (${service}) is ${e.state}, not available`,
        vpce(e.vpcEndpointId),
        [{ path: 'vpcEndpoint.state', resourceId: e.vpcEndpointId, actual: e.state, expected: 'available' }],
        { text: `Fix or recreate endpoint ${e.vpcEndpointId}; only an available endpoint carries traffic.` },
      ),
    };
  }
  const withDns = available.filter((e) => e.privateDnsEnabled);
  if (withDns.length === 0) {
    const e = available[0]!;
    return {
      kind: 'unusable',
      exists: true,
      problem: broken(
        'NET.PRIVATE_DNS_OFF',
        `endpoint ${e.vpcEndpointId} (${service}) has private DNS off, so ${service}.${net.instance.region}.amazonaws.com resolves to public addresses`,
        vpce(e.vpcEndpointId),
        [
          {
            path: 'vpcEndpoint.privateDnsEnabled',
            resourceId: e.vpcEndpointId,
            actual: false,
            expected: 'true',
          },
        ],
        {
          text: `Turn on private DNS for endpoint ${e.vpcEndpointId}.`,
          command: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.vpcEndpointId} --private-dns-enabled`,
        },
      ),
    };
  }
  const vpc = vpcDns(index, net);
  const e = withDns[0]!;
  if (!vpc.enableDnsSupport || !vpc.enableDnsHostnames) {
    const off = [
      vpc.enableDnsSupport ? undefined : 'enableDnsSupport',
      vpc.enableDnsHostnames ? undefined : 'enableDnsHostnames',
    ].filter((a): a is string => a !== undefined);
    return {
      kind: 'unusable',
      exists: true,
      problem: broken(
        'NET.VPC_DNS_OFF',
        `${vpc.vpcId} has ${off.join(' and ')} off, so the private DNS of endpoint ${e.vpcEndpointId} (${service}) does not apply`,
        { resourceType: 'AWS::EC2::VPC', resourceId: vpc.vpcId },
        [
          {
            path: 'vpc.enableDnsSupport',
            resourceId: vpc.vpcId,
            actual: vpc.enableDnsSupport,
            expected: 'true',
          },
          {
            path: 'vpc.enableDnsHostnames',
            resourceId: vpc.vpcId,
            actual: vpc.enableDnsHostnames,
            expected: 'true',
          },
        ],
        {
          text: `Turn on ${off.join(' and ')} for ${vpc.vpcId} (one attribute per call).`,
          command: `aws ec2 modify-vpc-attribute --vpc-id ${vpc.vpcId} --${off[0] === 'enableDnsSupport' ? 'enable-dns-support' : 'enable-dns-hostnames'} '{"Value":true}'`,
        },
      ),
    };
  }
  const ipProblem = ipTypeProblem(net, e, service);
  if (ipProblem) return { kind: 'unusable', exists: true, problem: ipProblem };
  return { kind: 'usable', endpoint: e };
}

/**
 * The endpoint must have addresses, and publish DNS records, of the instance's family: IpAddressType ipv4 |
 * dualstack | ipv6 and DnsOptions.DnsRecordIpType ipv4 (A) | dualstack | ipv6 (AAAA). An IPv6-only instance
 * needs IPv6 addresses and AAAA records; without those fields in the data it is ERROR, not a guess. For IPv4
 * instances an endpoint without the fields is taken as ipv4, the default and the only type before dual-stack
 * endpoints: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
function ipTypeProblem(
  net: InstanceNetwork,
  e: VpcEndpoint,
  service: EndpointService,
): PathBroken | undefined {
  const vpce = { resourceType: 'AWS::EC2::VPCEndpoint', resourceId: e.vpcEndpointId };
  const wanted = net.family === 4 ? ['ipv4', 'dualstack'] : ['ipv6', 'dualstack'];
  if (net.family === 6 && (e.ipAddressType === undefined || e.dnsRecordIpType === undefined)) {
    throw notInInventory(
      'ec2:vpc-endpoints',
      net.instance,
      `the IpAddressType and DnsOptions of endpoint ${e.vpcEndpointId} were not read (aws ec2 describe-vpc-endpoints); an IPv6-only instance needs both`,
    );
  }
  const addressType = e.ipAddressType ?? 'ipv4';
  const recordType = e.dnsRecordIpType ?? 'ipv4';
  // "service-defined" lets the service choose its records; it is accepted only with addresses of the family.
  const recordsFit = wanted.includes(recordType) || recordType === 'service-defined';
  if (wanted.includes(addressType) && recordsFit) return undefined;
  const what = wanted.includes(addressType)
    ? `publishes ${recordType} DNS records only`
    : `has ${addressType} addresses only`;
  return broken(
    'NET.ENDPOINT_IP_TYPE',
    `endpoint ${e.vpcEndpointId} (${service}) ${what}, so the instance's IPv${net.family} traffic cannot use it`,
    vpce,
    [
      {
        path: 'vpcEndpoint.ipAddressType',
        resourceId: e.vpcEndpointId,
        actual: addressType,
        expected: wanted.join(' or '),
      },
      {
        path: 'vpcEndpoint.dnsRecordIpType',
        resourceId: e.vpcEndpointId,
        actual: recordType,
        expected: wanted.join(' or '),
      },
    ],
    {
      text: `Make endpoint ${e.vpcEndpointId} dual-stack (its subnets need IPv4 and IPv6 blocks).`,
      command: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.vpcEndpointId} --ip-address-type dualstack --dns-options DnsRecordIpType=dualstack`,
    },
  );
}

/** The route from the instance's subnet for part of the endpoint's subnet: the local route, unless an appliance intervenes. */
function routeToEndpointHop(net: InstanceNetwork, leg: RouteLeg): PathOutcome {
  const rtb = net.routeTable.routeTableId;
  const route = leg.route;
  const dest = describeParts(leg.parts);
  const cause = { resourceType: 'AWS::EC2::RouteTable', resourceId: rtb };
  if (route === undefined)
    return broken('NET.NO_ROUTE', `route table ${rtb} has no route to the endpoint's subnet ${dest}`, cause);
  const evidence = [
    { path: 'routeTable.routes', resourceId: rtb, actual: describeRoute(route), expected: `${dest} → local` },
  ];
  if (route.state === 'blackhole')
    return broken(
      'NET.BLACKHOLE_ROUTE',
      `route table ${rtb} sends ${dest} to ${describeTarget(route.target)}, which no longer exists (blackhole route)`,
      cause,
      evidence,
    );
  if (route.target.kind === 'local') return open('local', evidence);
  return unverifiable(
    `route table ${rtb} sends the endpoint's subnet ${dest} to ${describeTarget(route.target)}, whose forwarding is not in the inventory`,
    route.target.id,
    evidence,
  );
}

/** Where the endpoint's network interface in a subnet may be, until network interfaces are read: anywhere in it. */
const INTERFACE_UNKNOWN =
  "which address of the subnet the endpoint's network interface has is not in the inventory (its subnet's block is judged, not its interface)";

/**
 * The path from the instance to the endpoint's network interface in one subnet. The interface may have any
 * address of the subnet: the route, the instance's security-group egress and its subnet's NACL are judged part
 * by part over the subnet's block (every part works → open, every part fails → broken, else unverifiable naming
 * the parts). `source` stands for the instance on the endpoint's side: its subnet's block (shared by the subnet's
 * instances) or its exact address; the endpoint's group and subnet NACL decide on it once.
 */
function legToEndpointSubnet(
  index: InventoryIndex,
  cache: PathCache,
  net: InstanceNetwork,
  endpoint: VpcEndpoint,
  endpointSubnetId: string,
  source: Cidr,
  onPartial: 'ambiguous' | 'skip',
  ephemeral: PortRange,
): PathOutcome | 'ambiguous' {
  const side = subnetNetwork(index, cache, net.instance, endpointSubnetId, net.family);
  const sameSubnet = endpointSubnetId === net.subnet.subnetId;
  const endpointGroups = endpoint.securityGroupIds.map((groupId) => {
    const group = index.securityGroup(groupId);
    // Inconsistent data (the endpoint names a group the read data lacks) gives no verdict, not "blocks".
    if (!group) {
      throw new CheckDataError(
        'SECURITY_GROUP_NOT_IN_INVENTORY',
        'DATA.INCONSISTENT',
        `endpoint ${endpoint.vpcEndpointId} uses security group ${groupId}, which is not in the security-group data; collect both at the same time`,
        { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groupId },
      );
    }
    return { groupId, group };
  });
  const vpcCidr = index.vpc(net.subnet.vpcId)?.[net.family === 4 ? 'cidrBlocks' : 'ipv6CidrBlocks'][0];
  const destinations: AddressSet = [side.subnetCidr];
  const whole = (outcome: PathOutcome): HopParts => ({ legs: [{ parts: [...destinations], outcome }] });
  const groupsText = endpoint.securityGroupIds.join(', ') || 'its groups';
  const egressTo = (parts: readonly Cidr[]): string =>
    `endpoint ${endpoint.vpcEndpointId} (${describeParts(parts)} or ${groupsText})`;
  const egress = splitHop(destinations, egressPrefixes(net.groups, net.family, cache), (part) =>
    sgEgressHop(net.groups, { cidr: part, groupIds: endpoint.securityGroupIds }, egressTo([part]), cache),
  );
  const naclOut = (part: Cidr, shown: Cidr): PathOutcome =>
    naclHop(net.nacl, net.subnet.subnetId, true, part, ephemeral, 'skip', cache, shown) as PathOutcome;
  const outParts = sameSubnet
    ? []
    : splitHop(destinations, naclPrefixes(net.nacl, net.family, cache), (part) => naclOut(part, part));
  const ingress = sgIngressHop(
    endpoint.vpcEndpointId,
    endpointGroups,
    { cidr: source, groupIds: net.groupIds },
    onPartial,
    cache,
    { vpcCidr },
  );
  // NACLs filter traffic entering and leaving a subnet, not traffic inside one.
  const naclIn = sameSubnet
    ? open('same subnet')
    : naclHop(side.nacl, endpointSubnetId, false, source, ephemeral, onPartial, cache);
  if (ingress === 'ambiguous' || naclIn === 'ambiguous') return 'ambiguous';
  const hops: HopParts[] = [
    {
      legs: routeLegs(net.routeTable, destinations, cache).map((leg) => ({
        parts: leg.parts,
        outcome: routeToEndpointHop(net, leg),
      })),
      ...(cache.recordHops && {
        steps: routeDeviceSteps(
          net.routeTable.routeTableId,
          false,
          `the network interface of ${endpoint.vpcEndpointId} in ${endpointSubnetId} (${describeParts(destinations)})`,
        ),
      }),
    },
    // Each group's answer worded for all of its parts (the decision is the same for every part of a group).
    {
      ...(cache.recordHops && { steps: singleStep('sg-egress', 'securityGroups[*].egress') }),
      legs: egress.map((g) => ({
        parts: g.parts,
        outcome: sgEgressHop(
          net.groups,
          { cidr: g.sample, groupIds: endpoint.securityGroupIds },
          egressTo(g.parts),
          cache,
          egress.length === 1 ? side.subnetCidr : g.parts[0]!,
        ),
      })),
    },
    {
      ...(sameSubnet
        ? whole(open('same subnet'))
        : outParts.length === 1
          ? whole(naclOut(outParts[0]!.sample, side.subnetCidr))
          : { legs: outParts.map((g) => ({ parts: g.parts, outcome: naclOut(g.sample, g.parts[0]!) })) }),
      ...(cache.recordHops && { steps: naclSteps(true) }),
    },
    {
      ...whole(ingress),
      ...(cache.recordHops && { steps: singleStep('endpoint-sg', 'vpcEndpoint.securityGroups[*].ingress') }),
    },
    { ...whole(naclIn), ...(cache.recordHops && { steps: naclSteps(false) }) },
  ];
  return combineParts(
    chainParts(endpoint.vpcEndpointId, hops),
    `the interface of endpoint ${endpoint.vpcEndpointId} in ${endpointSubnetId}`,
    INTERFACE_UNKNOWN,
  );
}

/**
 * The endpoint path. The endpoint's DNS name answers with its interfaces in every subnet; the instance can
 * connect when at least one of them is reachable (the agent's dialer tries the next address on failure).
 */
export function endpointPath(
  index: InventoryIndex,
  cache: PathCache,
  net: InstanceNetwork,
  endpoint: VpcEndpoint,
  ephemeral: PortRange,
): PathOutcome {
  if (endpoint.subnetIds.length === 0) {
    return broken(
      'NET.ENDPOINT_NOT_AVAILABLE',
      `endpoint ${endpoint.vpcEndpointId} has no subnets, so no network interfaces`,
      { resourceType: 'AWS::EC2::VPCEndpoint', resourceId: endpoint.vpcEndpointId },
    );
  }
  const outcomes: PathOutcome[] = [];
  for (const subnetId of [...endpoint.subnetIds].sort()) {
    const shared = cache.memo(
      `vpce|${endpoint.vpcEndpointId}|${subnetId}|${net.subnet.subnetId}|${net.family}|${net.groupKey}|${ephemeral.join('-')}|${cache.recordHops}`,
      () =>
        legToEndpointSubnet(index, cache, net, endpoint, subnetId, net.subnetCidr, 'ambiguous', ephemeral),
    );
    // Some rule covers only part of the instance's subnet: decide with its exact address (not memoised).
    if (shared === 'ambiguous') cache.addressDependent = true;
    const outcome =
      shared !== 'ambiguous'
        ? shared
        : (legToEndpointSubnet(
            index,
            cache,
            net,
            endpoint,
            subnetId,
            net.address() ?? net.subnetCidr,
            'skip',
            ephemeral,
          ) as PathOutcome);
    if (outcome.kind === 'open')
      return {
        ...open(`endpoint ${endpoint.vpcEndpointId}`, outcome.evidence),
        ...(outcome.trails ? { trails: outcome.trails } : {}),
      };
    outcomes.push(outcome);
  }
  return outcomes.find((o) => o.kind === 'unverifiable') ?? outcomes[0]!;
}
