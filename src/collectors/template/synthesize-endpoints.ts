// Writes DescribeVpcEndpoints for a DeployModel, and the routes its gateway endpoints add to their route tables.

import type { ApiJson } from '../api/api-data.js';
import type { DeployVpcEndpoint } from './deploy-model.js';
import { stableHex } from './implicit-ids.js';
import { UNKNOWN_DOCUMENT, type Site, type SynthesisContext } from './synthesis-context.js';
import type { GatewayEndpointRoutes } from './synthesize-route-tables.js';
import type { VpcFacts } from './synthesize-vpcs.js';

/**
 * The policy an endpoint gets when none is given: full access
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#default-endpoint-policy).
 */
const DEFAULT_ENDPOINT_POLICY = JSON.stringify({
  Version: '2008-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
});

/**
 * DescribeVpcEndpoints (every endpoint available) and the gateway endpoints' routes. An interface endpoint
 * declared without security groups gets its VPC's default group
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html, SecurityGroupId). Private
 * DNS is off unless declared, the default of both AWS::EC2::VPCEndpoint and aws_vpc_endpoint. An endpoint whose
 * VPC, service or type is unknown is left out: no endpoint never opens a path.
 */
export function describeVpcEndpoints(
  ctx: SynthesisContext,
  vpcs: Map<string, VpcFacts>,
  groupNames: ReadonlyMap<string, string>,
): { response: ApiJson; gatewayRoutes: GatewayEndpointRoutes } {
  const gatewayRoutes: GatewayEndpointRoutes = new Map();
  const endpoints: ApiJson[] = [];
  for (const endpoint of ctx.model.vpcEndpoints) {
    const json = vpcEndpoint(ctx, endpoint, vpcs, groupNames);
    if (json === undefined) continue;
    endpoints.push(json);
    if (json.VpcEndpointType !== 'Gateway') continue;
    for (const routeTableId of json.RouteTableIds as string[]) {
      const routes = gatewayRoutes.get(routeTableId) ?? [];
      routes.push({
        DestinationPrefixListId: prefixListId(String(json.ServiceName)),
        GatewayId: endpoint.vpcEndpointId,
        Origin: 'CreateRoute',
        State: 'active',
      });
      gatewayRoutes.set(routeTableId, routes);
    }
  }
  return { response: { VpcEndpoints: endpoints }, gatewayRoutes };
}

/**
 * The AWS-managed prefix list of a gateway endpoint's service. Its real id (pl-63a5400a for S3 in us-east-1) is
 * the region's and is not in the template; rules read only that the route goes to the endpoint.
 */
function prefixListId(serviceName: string): string {
  return `pl-${stableHex(serviceName, 8)}`;
}

function vpcEndpoint(
  ctx: SynthesisContext,
  endpoint: DeployVpcEndpoint,
  vpcs: Map<string, VpcFacts>,
  groupNames: ReadonlyMap<string, string>,
): ApiJson | undefined {
  const site = ctx.declare(endpoint, endpoint.vpcEndpointId, 'vpcEndpoints');
  const vpcId = ctx.reference(endpoint.vpcId, 'vpcs', site, 'vpcId');
  const serviceName = ctx.known(endpoint.serviceName, site, 'serviceName');
  const type = ctx.known(endpoint.vpcEndpointType, site, 'vpcEndpointType');
  const privateDns =
    endpoint.privateDnsEnabled === undefined
      ? false
      : (ctx.known(endpoint.privateDnsEnabled, site, 'privateDnsEnabled') ?? false);
  const subnetIds = ctx.referenceList(endpoint.subnetIds, 'subnets', site, 'subnetIds');
  const routeTableIds = ctx.referenceList(endpoint.routeTableIds, 'routeTables', site, 'routeTableIds');
  let groupIds = ctx.referenceList(endpoint.securityGroupIds, 'securityGroups', site, 'securityGroupIds');
  const vpc = vpcId === undefined ? undefined : vpcs.get(vpcId);
  const declaredNoGroups = Array.isArray(endpoint.securityGroupIds) && endpoint.securityGroupIds.length === 0;
  if (type === 'Interface' && declaredNoGroups && vpc !== undefined) groupIds = [vpc.defaultSecurityGroupId];
  else if (type === 'Interface' && declaredNoGroups)
    ctx.unknown(
      site,
      'securityGroupIds',
      "none declared: AWS uses its VPC's default group, and the VPC is not known",
    );
  const policy = endpointPolicy(ctx, endpoint, site);
  if (vpcId === undefined || serviceName === undefined || type === undefined) return undefined;
  return {
    VpcEndpointId: endpoint.vpcEndpointId,
    VpcEndpointType: type,
    VpcId: vpcId,
    ServiceName: serviceName,
    State: 'available',
    PolicyDocument: policy,
    RouteTableIds: type === 'Gateway' ? routeTableIds : [],
    SubnetIds: type === 'Gateway' ? [] : subnetIds,
    Groups:
      type === 'Gateway'
        ? []
        : groupIds.map((GroupId) => {
            const GroupName = groupNames.get(GroupId);
            return GroupName === undefined ? { GroupId } : { GroupId, GroupName };
          }),
    PrivateDnsEnabled: type === 'Interface' && privateDns,
    ...(type === 'Interface' && { IpAddressType: 'ipv4', DnsOptions: { DnsRecordIpType: 'ipv4' } }),
    RequesterManaged: false,
    OwnerId: ctx.accountId,
    Tags: [],
  };
}

function endpointPolicy(ctx: SynthesisContext, endpoint: DeployVpcEndpoint, site: Site): string {
  if (endpoint.policyDocument === undefined) return DEFAULT_ENDPOINT_POLICY;
  const document = ctx.document(endpoint.policyDocument, site, 'policyDocument');
  return document === undefined ? UNKNOWN_DOCUMENT : JSON.stringify(document);
}
