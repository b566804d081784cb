// CloudFormation network resources → the DeployModel's VPCs, subnets, route tables, NACLs, gateways, endpoints and
// security groups, with the standalone routes, entries, associations and rules folded into the resource they change.

import type { CfnObject, CfnResource } from './cfn-template.js';
import {
  declaredOf,
  ec2Id,
  generatedName,
  ifCreated,
  noteFor,
  physicalName,
  referencedOf,
} from './cfn-identity.js';
import type { StackIdentity } from './cfn-identity.js';
import {
  cfnBoolean,
  cfnDocument,
  cfnNumber,
  cfnObject,
  cfnObjectList,
  cfnString,
  cfnStringList,
  resourceTags,
} from './cfn-values.js';
import {
  isUnresolved,
  unresolved,
  type DeployInternetGateway,
  type DeployModel,
  type DeployNatGateway,
  type DeployNetworkAcl,
  type DeployNetworkAclEntry,
  type DeployRoute,
  type DeployRouteTable,
  type DeploySecurityGroup,
  type DeploySecurityGroupRule,
  type DeploySubnet,
  type DeployVpc,
  type DeployVpcEndpoint,
  type Maybe,
  type Ref,
} from './deploy-model.js';

export type NetworkModel = Pick<
  DeployModel,
  | 'vpcs'
  | 'subnets'
  | 'routeTables'
  | 'networkAcls'
  | 'vpcEndpoints'
  | 'natGateways'
  | 'internetGateways'
  | 'securityGroups'
>;

type Notes = DeployModel['notes'];

/** The resource types this module reads. */
export const NETWORK_TYPES: readonly string[] = [
  'AWS::EC2::VPC',
  'AWS::EC2::VPCCidrBlock',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkAclEntry',
  'AWS::EC2::SubnetNetworkAclAssociation',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
];

function ofType(resources: readonly CfnResource[], type: string): CfnResource[] {
  return resources.filter((r) => r.type === type);
}

function prop(resource: CfnResource, name: string): Maybe<string> | undefined {
  return cfnString(resource.properties[name], `${resource.logicalId}.${name}`);
}

function requiredRef(resource: CfnResource, name: string): Ref {
  return prop(resource, name) ?? unresolved(`${resource.logicalId} declares no ${name}`);
}

/**
 * Children (routes, entries, associations) of the declared parents they name. The others become notes that affect
 * the parent they name (any of its `collection`, when unknown): a deny-all entry on an ACL of another stack must
 * make the rules reading that ACL unknown, not be left out.
 */
function childrenByParent(
  children: readonly CfnResource[],
  parentProperty: string,
  parentIds: ReadonlySet<string>,
  notes: Notes,
  collection: string,
): Map<string, CfnResource[]> {
  const byParent = new Map<string, CfnResource[]>();
  for (const child of children) {
    const parent = child.properties[parentProperty];
    if (typeof parent === 'string' && parentIds.has(parent)) {
      byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
      continue;
    }
    const named = isUnresolved(parent)
      ? `an unknown ${parentProperty} (${parent.reason})`
      : `${parentProperty} ${JSON.stringify(parent)}, which is not a resource of this template`;
    const affects = [{ collection, resourceId: typeof parent === 'string' ? parent : '*' }];
    notes.push(
      noteFor(child, `${child.type} ${child.logicalId} changes ${named}; what it adds is not read`, affects),
    );
  }
  return byParent;
}

function mapVpc(resource: CfnResource, id: string, cidrBlocks: CfnResource[], notes: Notes): DeployVpc {
  const p = resource.properties;
  const what = resource.logicalId;
  return {
    ...declaredOf(resource),
    vpcId: id,
    cidrBlock:
      cfnString(p.CidrBlock, `${what}.CidrBlock`) ??
      unresolved(`the CIDR block of ${what} is allocated at deploy (IPAM)`),
    ipv6CidrBlocks: cidrBlocks.flatMap(ipv6BlockOf),
    enableDnsSupport: cfnBoolean(p.EnableDnsSupport, `${what}.EnableDnsSupport`),
    enableDnsHostnames: cfnBoolean(p.EnableDnsHostnames, `${what}.EnableDnsHostnames`),
    tags: resourceTags(resource, notes),
  };
}

/** An AWS::EC2::VPCCidrBlock's IPv6 block (its IPv4 secondary blocks are not part of the model). */
function ipv6BlockOf(block: CfnResource): Maybe<string>[] {
  const p = block.properties;
  const explicit = prop(block, 'Ipv6CidrBlock');
  if (explicit !== undefined) return [ifCreated(block, explicit)];
  const amazon = cfnBoolean(p.AmazonProvidedIpv6CidrBlock, `${block.logicalId}.AmazonProvidedIpv6CidrBlock`);
  if (amazon !== undefined && amazon !== false) {
    return [unresolved(`Amazon assigns the IPv6 block of ${block.logicalId} at deploy`)];
  }
  if (p.Ipv6Pool !== undefined || p.Ipv6IpamPoolId !== undefined) {
    return [unresolved(`the IPv6 block of ${block.logicalId} is allocated from a pool at deploy`)];
  }
  return [];
}

function mapSubnet(resource: CfnResource, stack: StackIdentity, notes: Notes): DeploySubnet {
  const p = resource.properties;
  const what = resource.logicalId;
  const zoneId = prop(resource, 'AvailabilityZoneId');
  return {
    ...declaredOf(resource),
    subnetId: ec2Id('subnet', stack, what),
    vpcId: requiredRef(resource, 'VpcId'),
    cidrBlock: prop(resource, 'CidrBlock'),
    ipv6CidrBlock: prop(resource, 'Ipv6CidrBlock'),
    availabilityZone:
      prop(resource, 'AvailabilityZone') ??
      (zoneId === undefined
        ? undefined
        : unresolved(`the zone name of ${what}'s AvailabilityZoneId is known at deploy`)),
    mapPublicIpOnLaunch: cfnBoolean(p.MapPublicIpOnLaunch, `${what}.MapPublicIpOnLaunch`),
    ipv6Native: cfnBoolean(p.Ipv6Native, `${what}.Ipv6Native`),
    enableDns64: cfnBoolean(p.EnableDns64, `${what}.EnableDns64`),
    tags: resourceTags(resource, notes),
  };
}

const ROUTE_DESTINATIONS = [
  'DestinationCidrBlock',
  'DestinationIpv6CidrBlock',
  'DestinationPrefixListId',
] as const;
const ROUTE_TARGETS = [
  'GatewayId',
  'NatGatewayId',
  'EgressOnlyInternetGatewayId',
  'InstanceId',
  'NetworkInterfaceId',
  'TransitGatewayId',
  'VpcPeeringConnectionId',
  'VpcEndpointId',
] as const;

/** A route; its target is unknown when the route itself may not be created. */
function mapRoute(route: CfnResource): DeployRoute {
  const mapped: DeployRoute = { location: route.location };
  for (const field of ROUTE_DESTINATIONS) {
    const value = prop(route, field);
    if (value !== undefined) mapped[field] = value;
  }
  for (const field of ROUTE_TARGETS) {
    const value = prop(route, field);
    if (value !== undefined) mapped[field] = ifCreated(route, value);
  }
  return mapped;
}

function associatedSubnets(associations: readonly CfnResource[]): Ref[] {
  return associations.map((a) => ifCreated(a, requiredRef(a, 'SubnetId')));
}

function mapRouteTables(
  resources: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): DeployRouteTable[] {
  const tables = ofType(resources, 'AWS::EC2::RouteTable');
  const ids = new Set(tables.map((t) => ec2Id('rtb', stack, t.logicalId)));
  const routes = childrenByParent(
    ofType(resources, 'AWS::EC2::Route'),
    'RouteTableId',
    ids,
    notes,
    'routeTables',
  );
  const associations = childrenByParent(
    ofType(resources, 'AWS::EC2::SubnetRouteTableAssociation'),
    'RouteTableId',
    ids,
    notes,
    'routeTables',
  );
  return tables.map((table) => {
    const id = ec2Id('rtb', stack, table.logicalId);
    return {
      ...declaredOf(table),
      routeTableId: id,
      vpcId: requiredRef(table, 'VpcId'),
      routes: (routes.get(id) ?? []).map(mapRoute),
      subnetIds: associatedSubnets(associations.get(id) ?? []),
    };
  });
}

/** NACL entries use protocol numbers ("6", "-1"); CloudFormation declares them as integers. */
function mapAclEntry(
  entry: CfnResource,
  egress: boolean,
  action: DeployNetworkAclEntry['RuleAction'],
): DeployNetworkAclEntry {
  const p = entry.properties;
  const what = entry.logicalId;
  const mapped: DeployNetworkAclEntry = {
    RuleNumber: cfnNumber(p.RuleNumber, `${what}.RuleNumber`) ?? unresolved(`${what} declares no RuleNumber`),
    Protocol: prop(entry, 'Protocol') ?? unresolved(`${what} declares no Protocol`),
    RuleAction: action,
    Egress: egress,
    location: entry.location,
  };
  const cidr = prop(entry, 'CidrBlock');
  const ipv6 = prop(entry, 'Ipv6CidrBlock');
  if (cidr !== undefined) mapped.CidrBlock = cidr;
  if (ipv6 !== undefined) mapped.Ipv6CidrBlock = ipv6;
  const range = cfnObject(p.PortRange, `${what}.PortRange`);
  if (range !== undefined) {
    mapped.PortRange = isUnresolved(range)
      ? { From: range, To: range }
      : {
          From:
            cfnNumber(range.From, `${what}.PortRange.From`) ?? unresolved(`${what}.PortRange has no From`),
          To: cfnNumber(range.To, `${what}.PortRange.To`) ?? unresolved(`${what}.PortRange has no To`),
        };
  }
  return mapped;
}

function ruleActionOf(entry: CfnResource): DeployNetworkAclEntry['RuleAction'] {
  const action = prop(entry, 'RuleAction');
  if (action === undefined) return unresolved(`${entry.logicalId} declares no RuleAction`);
  if (isUnresolved(action)) return action;
  const lower = action.toLowerCase();
  if (lower !== 'allow' && lower !== 'deny')
    return unresolved(`${entry.logicalId}.RuleAction '${action}' is not allow or deny`);
  return ifCreated(entry, lower);
}

/** An entry whose direction is unknown is placed in both, with an unknown action, so neither side passes on it. */
function aclEntriesOf(entry: CfnResource): DeployNetworkAclEntry[] {
  const egress = cfnBoolean(entry.properties.Egress, `${entry.logicalId}.Egress`) ?? false;
  if (!isUnresolved(egress)) return [mapAclEntry(entry, egress, ruleActionOf(entry))];
  return [mapAclEntry(entry, false, egress), mapAclEntry(entry, true, egress)];
}

function mapNetworkAcls(
  resources: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): DeployNetworkAcl[] {
  const acls = ofType(resources, 'AWS::EC2::NetworkAcl');
  const ids = new Set(acls.map((a) => ec2Id('acl', stack, a.logicalId)));
  const entries = childrenByParent(
    ofType(resources, 'AWS::EC2::NetworkAclEntry'),
    'NetworkAclId',
    ids,
    notes,
    'networkAcls',
  );
  const associations = childrenByParent(
    ofType(resources, 'AWS::EC2::SubnetNetworkAclAssociation'),
    'NetworkAclId',
    ids,
    notes,
    'networkAcls',
  );
  return acls.map((acl) => {
    const id = ec2Id('acl', stack, acl.logicalId);
    return {
      ...declaredOf(acl),
      networkAclId: id,
      vpcId: requiredRef(acl, 'VpcId'),
      entries: (entries.get(id) ?? []).flatMap(aclEntriesOf),
      subnetIds: associatedSubnets(associations.get(id) ?? []),
    };
  });
}

function mapInternetGateways(
  resources: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): DeployInternetGateway[] {
  const gateways = ofType(resources, 'AWS::EC2::InternetGateway');
  const ids = new Set(gateways.map((g) => ec2Id('igw', stack, g.logicalId)));
  // A VPCGatewayAttachment attaches either an internet gateway or a VPN gateway; only the former is read here.
  const attachments = ofType(resources, 'AWS::EC2::VPCGatewayAttachment').filter(
    (a) => a.properties.InternetGatewayId !== undefined,
  );
  const byGateway = childrenByParent(attachments, 'InternetGatewayId', ids, notes, 'internetGateways');
  const internet = gateways.map((gateway): DeployInternetGateway => {
    const id = ec2Id('igw', stack, gateway.logicalId);
    const attached = (byGateway.get(id) ?? []).map((a) => ifCreated(a, requiredRef(a, 'VpcId')));
    return { ...declaredOf(gateway), internetGatewayId: id, attachedVpcIds: attached };
  });
  const egressOnly = ofType(resources, 'AWS::EC2::EgressOnlyInternetGateway').map(
    (gateway): DeployInternetGateway => ({
      ...declaredOf(gateway),
      internetGatewayId: ec2Id('eigw', stack, gateway.logicalId),
      attachedVpcIds: [requiredRef(gateway, 'VpcId')],
      egressOnly: true,
    }),
  );
  return [...internet, ...egressOnly];
}

function mapNatGateway(resource: CfnResource, stack: StackIdentity): DeployNatGateway {
  return {
    ...declaredOf(resource),
    natGatewayId: ec2Id('nat', stack, resource.logicalId),
    subnetId: requiredRef(resource, 'SubnetId'),
    connectivityType: prop(resource, 'ConnectivityType'),
  };
}

function refList(resource: CfnResource, name: string): Maybe<Ref[]> {
  return cfnStringList(resource.properties[name], `${resource.logicalId}.${name}`) ?? [];
}

function mapVpcEndpoint(resource: CfnResource, stack: StackIdentity): DeployVpcEndpoint {
  const p = resource.properties;
  const what = resource.logicalId;
  // VpcEndpointType defaults to Gateway, and PrivateDnsEnabled "is supported only for interface endpoints.
  // Default: false" (AWS::EC2::VPCEndpoint,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html) —
  // unlike CreateVpcEndpoint, which turns private DNS on for AWS services unless told otherwise.
  const type = prop(resource, 'VpcEndpointType') ?? 'Gateway';
  const privateDns =
    cfnBoolean(p.PrivateDnsEnabled, `${what}.PrivateDnsEnabled`) ??
    (type === 'Interface' ? false : undefined);
  const endpoint: DeployVpcEndpoint = {
    ...declaredOf(resource),
    vpcEndpointId: ec2Id('vpce', stack, what),
    vpcId: requiredRef(resource, 'VpcId'),
    serviceName: prop(resource, 'ServiceName') ?? unresolved(`${what} declares no ServiceName`),
    vpcEndpointType: type,
    subnetIds: refList(resource, 'SubnetIds'),
    securityGroupIds: refList(resource, 'SecurityGroupIds'),
    routeTableIds: refList(resource, 'RouteTableIds'),
  };
  if (privateDns !== undefined) endpoint.privateDnsEnabled = privateDns;
  const policy = cfnDocument(p.PolicyDocument, `${what}.PolicyDocument`);
  if (policy !== undefined) endpoint.policyDocument = policy;
  return endpoint;
}

const RULE_PEERS = {
  ingress: {
    prefixList: 'SourcePrefixListId',
    group: 'SourceSecurityGroupId',
    groupName: 'SourceSecurityGroupName',
  },
  egress: {
    prefixList: 'DestinationPrefixListId',
    group: 'DestinationSecurityGroupId',
    groupName: undefined,
  },
} as const;

type Direction = keyof typeof RULE_PEERS;

function mapRule(rule: CfnObject, direction: Direction, what: string): DeploySecurityGroupRule {
  const read = (name: string): Maybe<string> | undefined => cfnString(rule[name], `${what}.${name}`);
  const peers = RULE_PEERS[direction];
  const mapped: DeploySecurityGroupRule = {
    IpProtocol: read('IpProtocol') ?? unresolved(`${what} declares no IpProtocol`),
  };
  const from = cfnNumber(rule.FromPort, `${what}.FromPort`);
  const to = cfnNumber(rule.ToPort, `${what}.ToPort`);
  if (from !== undefined) mapped.FromPort = from;
  if (to !== undefined) mapped.ToPort = to;
  for (const field of ['CidrIp', 'CidrIpv6', 'Description'] as const) {
    const value = read(field);
    if (value !== undefined) mapped[field] = value;
  }
  const prefixList = read(peers.prefixList);
  if (prefixList !== undefined)
    mapped[direction === 'ingress' ? 'SourcePrefixListId' : 'DestinationPrefixListId'] = prefixList;
  const peer = read(peers.group);
  if (peer !== undefined) mapped.GroupIdPeer = peer;
  else if (peers.groupName !== undefined && rule[peers.groupName] !== undefined) {
    mapped.GroupIdPeer = unresolved(`${what} names its peer group by name; only group ids are read`);
  }
  return mapped;
}

/** A rule of its own resource: located there, and with an unknown protocol when it may not be created. */
function mapStandaloneRule(resource: CfnResource, direction: Direction): DeploySecurityGroupRule {
  const rule = mapRule(resource.properties, direction, resource.logicalId);
  return { ...rule, IpProtocol: ifCreated(resource, rule.IpProtocol), location: resource.location };
}

/** Inline rules; an unknown list becomes one rule whose protocol is unknown, so no check passes on it. */
function inlineRules(group: CfnResource, property: string, direction: Direction): DeploySecurityGroupRule[] {
  const what = `${group.logicalId}.${property}`;
  const rules = cfnObjectList(group.properties[property], what);
  if (rules === undefined) return [];
  if (isUnresolved(rules)) return [{ IpProtocol: rules }];
  return rules.map((rule, i) => mapRule(rule, direction, `${what}[${i}]`));
}

interface StandaloneRules {
  ingress: CfnResource[];
  egress: CfnResource[];
}

function mapSecurityGroup(
  group: CfnResource,
  stack: StackIdentity,
  standalone: StandaloneRules,
  notes: Notes,
): DeploySecurityGroup {
  const name = physicalName(referencedOf(group), stack);
  if (isUnresolved(name))
    notes.push(noteFor(group, `GroupName of ${group.logicalId} is unknown until deploy (${name.reason})`));
  const inlineEgress = inlineRules(group, 'SecurityGroupEgress', 'egress');
  const standaloneEgress = standalone.egress.map((r) => mapStandaloneRule(r, 'egress'));
  const egress = [...inlineEgress, ...standaloneEgress];
  const mapped: DeploySecurityGroup = {
    ...declaredOf(group),
    groupId: ec2Id('sg', stack, group.logicalId),
    groupName: isUnresolved(name) ? generatedName(stack, group.logicalId, 255) : name,
    vpcId:
      prop(group, 'VpcId') ?? unresolved(`${group.logicalId} has no VpcId: it is created in the default VPC`),
    ingress: [
      ...inlineRules(group, 'SecurityGroupIngress', 'ingress'),
      ...standalone.ingress.map((r) => mapStandaloneRule(r, 'ingress')),
    ],
    tags: resourceTags(group, notes),
  };
  // EC2 adds an allow-all egress rule to a new group only when no egress rule is given ("if you do not add egress
  // rules, we add egress rules that allow all outbound IPv4 and IPv6 traffic. Otherwise, we do not add them",
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
  // A standalone AWS::EC2::SecurityGroupEgress counts too: its page is silent, but CloudFormation removes the
  // default rule when it adds one (aws-cdk#998 by the CDK maintainers, aws-cloudformation/cfn-language-discussion#157),
  // so the group keeps only the declared rules.
  if (egress.length > 0) mapped.egress = egress;
  return mapped;
}

/** Standalone rules by the group id they name (GroupId, or GroupName for a default-VPC group). */
function standaloneRulesOf(
  resources: readonly CfnResource[],
  groups: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): Map<string, StandaloneRules> {
  const idByName = new Map(
    groups.map((g) => [physicalName(referencedOf(g), stack), ec2Id('sg', stack, g.logicalId)]),
  );
  const known = new Set(idByName.values());
  const byGroup = new Map<string, StandaloneRules>();
  for (const direction of ['ingress', 'egress'] as const) {
    const type = direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
    const rules = ofType(resources, type).map((rule) => {
      const byName = rule.properties.GroupName;
      const id =
        typeof byName === 'string' && rule.properties.GroupId === undefined
          ? idByName.get(byName)
          : undefined;
      return id === undefined ? rule : { ...rule, properties: { ...rule.properties, GroupId: id } };
    });
    for (const [groupId, list] of childrenByParent(rules, 'GroupId', known, notes, 'securityGroups')) {
      const entry = byGroup.get(groupId) ?? { ingress: [], egress: [] };
      entry[direction].push(...list);
      byGroup.set(groupId, entry);
    }
  }
  return byGroup;
}

function mapSecurityGroups(
  resources: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): DeploySecurityGroup[] {
  const groups = ofType(resources, 'AWS::EC2::SecurityGroup');
  const standalone = standaloneRulesOf(resources, groups, stack, notes);
  return groups.map((group) =>
    mapSecurityGroup(
      group,
      stack,
      standalone.get(ec2Id('sg', stack, group.logicalId)) ?? { ingress: [], egress: [] },
      notes,
    ),
  );
}

function mapVpcs(resources: readonly CfnResource[], stack: StackIdentity, notes: Notes): DeployVpc[] {
  const vpcs = ofType(resources, 'AWS::EC2::VPC');
  const ids = new Set(vpcs.map((v) => ec2Id('vpc', stack, v.logicalId)));
  const blocks = childrenByParent(ofType(resources, 'AWS::EC2::VPCCidrBlock'), 'VpcId', ids, notes, 'vpcs');
  return vpcs.map((vpc) => {
    const id = ec2Id('vpc', stack, vpc.logicalId);
    return mapVpc(vpc, id, blocks.get(id) ?? [], notes);
  });
}

/** Every network resource of the template, in template order within each collection. */
export function mapNetwork(
  resources: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): NetworkModel {
  return {
    vpcs: mapVpcs(resources, stack, notes),
    subnets: ofType(resources, 'AWS::EC2::Subnet').map((s) => mapSubnet(s, stack, notes)),
    routeTables: mapRouteTables(resources, stack, notes),
    networkAcls: mapNetworkAcls(resources, stack, notes),
    vpcEndpoints: ofType(resources, 'AWS::EC2::VPCEndpoint').map((e) => mapVpcEndpoint(e, stack)),
    natGateways: ofType(resources, 'AWS::EC2::NatGateway').map((n) => mapNatGateway(n, stack)),
    internetGateways: mapInternetGateways(resources, stack, notes),
    securityGroups: mapSecurityGroups(resources, stack, notes),
  };
}
