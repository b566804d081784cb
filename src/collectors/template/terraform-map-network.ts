// Terraform plan → VPCs, subnets, route tables (inline routes, aws_route, associations), network ACLs (inline
// rules, aws_network_acl_rule, associations), VPC endpoints, NAT, internet and egress-only gateways.

import type {
  DeployInternetGateway,
  DeployNatGateway,
  DeployNetworkAcl,
  DeployNetworkAclEntry,
  DeployRoute,
  DeployRouteTable,
  DeploySubnet,
  DeployVpc,
  DeployVpcEndpoint,
  Maybe,
  Ref,
} from './deploy-model.js';
import { declaredId, note, type PlanContext, type PlanResource } from './terraform-map-context.js';
import { readRef, readRefList } from './terraform-map-references.js';
import {
  afterApply,
  child,
  isDeclared,
  isUnknown,
  items,
  readBoolean,
  readNonEmptyText,
  readNumber,
  readPolicyDocument,
  readText,
  readTextMap,
  whenDeclaredOrKnown,
  type PlanNode,
} from './terraform-map-values.js';

function ofType(ctx: PlanContext, type: string): PlanResource[] {
  return ctx.resources.filter((resource) => resource.type === type);
}

function idOf(ctx: PlanContext, resource: PlanResource): string {
  return declaredId(ctx, resource) ?? resource.address;
}

function tagsOf(node: PlanNode) {
  return readTextMap(node).map(({ key, value }) => ({ Key: key, Value: value }));
}

/** An id attribute the provider plans as "" or null when unset, and computes when not declared. */
function optionalRef(ctx: PlanContext, resource: PlanResource, node: PlanNode): Ref | undefined {
  return whenDeclaredOrKnown(node, (declared) => readRef(ctx, resource, declared));
}

/** The DeployModel collection of what a child attaches to, by the name `attach` is given. */
const COLLECTION_OF: Readonly<Record<string, string>> = {
  'route table': 'routeTables',
  'network ACL': 'networkAcls',
  'internet gateway': 'internetGateways',
};

/** Attach a standalone resource's value to the mapped resource whose id it names, or note it. */
function attach<T>(
  ctx: PlanContext,
  owner: PlanResource,
  id: Ref | undefined,
  targets: Map<string, T>,
  add: (target: T) => void,
  what: string,
): void {
  const target = typeof id === 'string' ? targets.get(id) : undefined;
  if (target !== undefined) return add(target);
  // What it adds to a table, ACL or gateway outside the plan still decides: the rules reading that one are unknown.
  const affects = [{ collection: COLLECTION_OF[what] ?? '*', resourceId: typeof id === 'string' ? id : '*' }];
  note(
    ctx,
    owner,
    `${what} ${typeof id === 'string' ? id : '(known after apply)'} is not in the plan: not read`,
    affects,
  );
}

/** The provider plans ipv6_cidr_block as computed even when the VPC gets no IPv6 block: only a requested one counts. */
function ipv6CidrOf(vpc: PlanNode): Maybe<string> | undefined {
  const block = child(vpc, 'ipv6_cidr_block');
  const requested =
    isDeclared(block) ||
    isDeclared(child(vpc, 'ipv6_ipam_pool_id')) ||
    readBoolean(child(vpc, 'assign_generated_ipv6_cidr_block')) === true;
  return requested ? readNonEmptyText(block) : undefined;
}

export function mapVpcs(ctx: PlanContext): DeployVpc[] {
  return ofType(ctx, 'aws_vpc').map((vpc) => {
    const ipv6 = ipv6CidrOf(vpc.node);
    return {
      address: vpc.address,
      location: vpc.location,
      vpcId: idOf(ctx, vpc),
      cidrBlock: readText(child(vpc.node, 'cidr_block')) ?? afterApply(),
      ipv6CidrBlocks: ipv6 === undefined ? [] : [ipv6],
      enableDnsSupport: whenDeclaredOrKnown(child(vpc.node, 'enable_dns_support'), readBoolean),
      enableDnsHostnames: whenDeclaredOrKnown(child(vpc.node, 'enable_dns_hostnames'), readBoolean),
      tags: tagsOf(child(vpc.node, 'tags')),
    };
  });
}

export function mapSubnets(ctx: PlanContext): DeploySubnet[] {
  return ofType(ctx, 'aws_subnet').map((subnet) => {
    const value = (name: string) => child(subnet.node, name);
    const fields = {
      cidrBlock: readText(value('cidr_block')),
      ipv6CidrBlock: readNonEmptyText(value('ipv6_cidr_block')),
      availabilityZone: readText(value('availability_zone')),
      mapPublicIpOnLaunch: readBoolean(value('map_public_ip_on_launch')),
      ipv6Native: readBoolean(value('ipv6_native')),
      enableDns64: readBoolean(value('enable_dns64')),
    };
    return {
      address: subnet.address,
      location: subnet.location,
      subnetId: idOf(ctx, subnet),
      vpcId: readRef(ctx, subnet, value('vpc_id')) ?? afterApply(),
      ...Object.fromEntries(Object.entries(fields).filter(([, field]) => field !== undefined)),
      tags: tagsOf(value('tags')),
    };
  });
}

/** Route attributes: the inline `route` block and aws_route spell the destination differently. */
function routeOf(ctx: PlanContext, resource: PlanResource, node: PlanNode, inline: boolean): DeployRoute {
  const text = (name: string) => whenDeclaredOrKnown(child(node, name), readNonEmptyText);
  const ref = (name: string) => optionalRef(ctx, resource, child(node, name));
  const fields: DeployRoute = {
    DestinationCidrBlock: text(inline ? 'cidr_block' : 'destination_cidr_block'),
    DestinationIpv6CidrBlock: text(inline ? 'ipv6_cidr_block' : 'destination_ipv6_cidr_block'),
    DestinationPrefixListId: ref('destination_prefix_list_id'),
    GatewayId: ref('gateway_id'),
    NatGatewayId: ref('nat_gateway_id'),
    EgressOnlyInternetGatewayId: ref('egress_only_gateway_id'),
    NetworkInterfaceId: ref('network_interface_id'),
    TransitGatewayId: ref('transit_gateway_id'),
    VpcPeeringConnectionId: ref('vpc_peering_connection_id'),
    VpcEndpointId: ref('vpc_endpoint_id'),
    ...(inline ? {} : { location: resource.location }),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as DeployRoute;
}

function inlineRoutes(ctx: PlanContext, table: PlanResource): DeployRoute[] {
  const node = child(table.node, 'route');
  if (isUnknown(node)) return isDeclared(node) ? [{ GatewayId: afterApply() }] : [];
  return items(node).map((route) => routeOf(ctx, table, route, true));
}

export function mapRouteTables(ctx: PlanContext): DeployRouteTable[] {
  const tables = ofType(ctx, 'aws_route_table').map((table) => ({
    address: table.address,
    location: table.location,
    routeTableId: idOf(ctx, table),
    vpcId: readRef(ctx, table, child(table.node, 'vpc_id')) ?? afterApply(),
    routes: inlineRoutes(ctx, table),
    subnetIds: [] as Ref[],
  }));
  const byId = new Map(tables.map((table) => [table.routeTableId, table]));
  for (const route of ofType(ctx, 'aws_route')) {
    const tableId = readRef(ctx, route, child(route.node, 'route_table_id'));
    attach(
      ctx,
      route,
      tableId,
      byId,
      (table) => table.routes.push(routeOf(ctx, route, route.node, false)),
      'route table',
    );
  }
  for (const association of ofType(ctx, 'aws_route_table_association')) {
    const subnetId = readRef(ctx, association, child(association.node, 'subnet_id'));
    if (subnetId === undefined) {
      note(ctx, association, 'a gateway route table association (edge association): not read', [
        { collection: 'routeTables', resourceId: '*' },
      ]);
      continue;
    }
    const tableId = readRef(ctx, association, child(association.node, 'route_table_id'));
    attach(ctx, association, tableId, byId, (table) => table.subnetIds.push(subnetId), 'route table');
  }
  for (const main of ofType(ctx, 'aws_main_route_table_association')) {
    note(
      ctx,
      main,
      "aws_main_route_table_association is not read: which table the VPC's unassociated subnets use is unknown",
      [{ collection: 'routeTables', resourceId: '*' }],
    );
  }
  return tables;
}

/** NACL protocols: Terraform takes names or numbers; EC2 answers the number ("-1" for all). */
const PROTOCOL_NUMBER: Readonly<Record<string, string>> = {
  all: '-1',
  tcp: '6',
  udp: '17',
  icmp: '1',
  icmpv6: '58',
};

function aclEntryOf(
  resource: PlanResource,
  node: PlanNode,
  egress: boolean,
  standalone: boolean,
): DeployNetworkAclEntry {
  const value = (inline: string, own: string) => child(node, standalone ? own : inline);
  const protocolText = readText(value('protocol', 'protocol'));
  const Protocol =
    typeof protocolText === 'string'
      ? (PROTOCOL_NUMBER[protocolText] ?? protocolText)
      : (protocolText ?? afterApply());
  const action = readText(value('action', 'rule_action'));
  const ports = Protocol === '6' || Protocol === '17' || typeof Protocol !== 'string';
  const cidr = readNonEmptyText(value('cidr_block', 'cidr_block'));
  const ipv6 = readNonEmptyText(value('ipv6_cidr_block', 'ipv6_cidr_block'));
  return {
    RuleNumber: readNumber(value('rule_no', 'rule_number')) ?? afterApply(),
    Protocol,
    RuleAction: action === 'allow' || action === 'deny' || typeof action === 'object' ? action : afterApply(),
    Egress: egress,
    ...(cidr !== undefined && { CidrBlock: cidr }),
    ...(ipv6 !== undefined && { Ipv6CidrBlock: ipv6 }),
    ...(ports && {
      PortRange: {
        From: readNumber(value('from_port', 'from_port')) ?? afterApply(),
        To: readNumber(value('to_port', 'to_port')) ?? afterApply(),
      },
    }),
    ...(standalone && { location: resource.location }),
  };
}

function inlineAclEntries(acl: PlanResource): DeployNetworkAclEntry[] {
  return (['ingress', 'egress'] as const).flatMap((key) => {
    const node = child(acl.node, key);
    if (isUnknown(node)) {
      return isDeclared(node)
        ? [
            {
              RuleNumber: afterApply(),
              Protocol: afterApply(),
              RuleAction: afterApply(),
              Egress: key === 'egress',
            },
          ]
        : [];
    }
    return items(node).map((block) => aclEntryOf(acl, block, key === 'egress', false));
  });
}

export function mapNetworkAcls(ctx: PlanContext): DeployNetworkAcl[] {
  const acls = ofType(ctx, 'aws_network_acl').map((acl) => {
    const subnets = readRefList(ctx, acl, child(acl.node, 'subnet_ids'));
    return {
      address: acl.address,
      location: acl.location,
      networkAclId: idOf(ctx, acl),
      vpcId: readRef(ctx, acl, child(acl.node, 'vpc_id')) ?? afterApply(),
      entries: inlineAclEntries(acl),
      subnetIds: subnets === undefined ? [] : Array.isArray(subnets) ? subnets : [subnets],
    };
  });
  const byId = new Map(acls.map((acl) => [acl.networkAclId, acl]));
  for (const rule of ofType(ctx, 'aws_network_acl_rule')) {
    const aclId = readRef(ctx, rule, child(rule.node, 'network_acl_id'));
    const egress = readBoolean(child(rule.node, 'egress')) === true;
    attach(
      ctx,
      rule,
      aclId,
      byId,
      (acl) => acl.entries.push(aclEntryOf(rule, rule.node, egress, true)),
      'network ACL',
    );
  }
  for (const association of ofType(ctx, 'aws_network_acl_association')) {
    const aclId = readRef(ctx, association, child(association.node, 'network_acl_id'));
    const subnetId = readRef(ctx, association, child(association.node, 'subnet_id')) ?? afterApply();
    attach(ctx, association, aclId, byId, (acl) => acl.subnetIds.push(subnetId), 'network ACL');
  }
  return acls;
}

/** A list the configuration does not set is empty; one it sets but the plan does not know is Unresolved. */
function declaredList(ctx: PlanContext, resource: PlanResource, name: string): Maybe<Ref[]> {
  const node = child(resource.node, name);
  if (!isDeclared(node) && isUnknown(node)) return [];
  return readRefList(ctx, resource, node) ?? [];
}

export function mapVpcEndpoints(ctx: PlanContext): DeployVpcEndpoint[] {
  return ofType(ctx, 'aws_vpc_endpoint').map((endpoint) => {
    const node = endpoint.node;
    // The provider's default type is Gateway, as CloudFormation's.
    const type = readText(child(node, 'vpc_endpoint_type')) ?? 'Gateway';
    const groups = child(node, 'security_group_ids');
    const privateDns = whenDeclaredOrKnown(child(node, 'private_dns_enabled'), readBoolean);
    const policy = whenDeclaredOrKnown(child(node, 'policy'), readPolicyDocument);
    return {
      address: endpoint.address,
      location: endpoint.location,
      vpcEndpointId: idOf(ctx, endpoint),
      vpcId: readRef(ctx, endpoint, child(node, 'vpc_id')) ?? afterApply(),
      serviceName: readText(child(node, 'service_name')) ?? afterApply(),
      vpcEndpointType: type,
      ...(privateDns !== undefined && { privateDnsEnabled: privateDns }),
      subnetIds: declaredList(ctx, endpoint, 'subnet_ids'),
      // An interface endpoint without groups gets the VPC's default group, whose id is known after apply.
      securityGroupIds:
        type === 'Interface' && !isDeclared(groups)
          ? afterApply()
          : declaredList(ctx, endpoint, 'security_group_ids'),
      routeTableIds: declaredList(ctx, endpoint, 'route_table_ids'),
      ...(policy !== undefined && { policyDocument: policy }),
    };
  });
}

export function mapNatGateways(ctx: PlanContext): DeployNatGateway[] {
  return ofType(ctx, 'aws_nat_gateway').map((nat) => {
    const connectivity = readText(child(nat.node, 'connectivity_type'));
    return {
      address: nat.address,
      location: nat.location,
      natGatewayId: idOf(ctx, nat),
      subnetId: readRef(ctx, nat, child(nat.node, 'subnet_id')) ?? afterApply(),
      ...(connectivity !== undefined && { connectivityType: connectivity }),
    };
  });
}

export function mapInternetGateways(ctx: PlanContext): DeployInternetGateway[] {
  const gateways = [
    ...ofType(ctx, 'aws_internet_gateway'),
    ...ofType(ctx, 'aws_egress_only_internet_gateway'),
  ].map((gateway) => {
    const vpcId = optionalRef(ctx, gateway, child(gateway.node, 'vpc_id'));
    return {
      address: gateway.address,
      location: gateway.location,
      internetGatewayId: idOf(ctx, gateway),
      attachedVpcIds: vpcId === undefined ? [] : [vpcId],
      ...(gateway.type === 'aws_egress_only_internet_gateway' && { egressOnly: true }),
    };
  });
  const byId = new Map(gateways.map((gateway) => [gateway.internetGatewayId, gateway]));
  for (const attachment of ofType(ctx, 'aws_internet_gateway_attachment')) {
    const gatewayId = readRef(ctx, attachment, child(attachment.node, 'internet_gateway_id'));
    const vpcId = readRef(ctx, attachment, child(attachment.node, 'vpc_id')) ?? afterApply();
    attach(
      ctx,
      attachment,
      gatewayId,
      byId,
      (gateway) => gateway.attachedVpcIds.push(vpcId),
      'internet gateway',
    );
  }
  return gateways;
}
