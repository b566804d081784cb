// Maps an EC2 DescribeVpcEndpoints response into VpcEndpoint models.

import type { VpcEndpoint } from '../../inventory/model.js';
import { decodePolicyDocument } from '../../inventory/policy-document.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

// Service names look like "com.amazonaws.us-east-1.ssm" (or "cn.com.amazonaws.cn-north-1.ssm" in China).
const SERVICE_REGION = /(?:^|\.)amazonaws\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)\./;

/**
 * Maps DescribeVpcEndpoints. The state is lower-cased: the service model's enum says "Available" while real
 * output says "available". The endpoint policy is a JSON string; it is decoded like IAM documents.
 */
export function mapVpcEndpoints(body: unknown, scope: PartialScope, origin: string): MapResult<VpcEndpoint> {
  const ctx = new MappingContext(origin, scope);
  const endpoints = ctx.responseList(body, 'VpcEndpoints');
  if (endpoints === undefined) return ctx.result([], false);
  const items: VpcEndpoint[] = [];
  for (let e = 0; e < endpoints.length; e++) {
    const path = `VpcEndpoints[${e}]`;
    const o = endpoints[e];
    if (!ctx.entry(o, path)) continue;
    const vpcEndpointId = ctx.requiredString(o.VpcEndpointId, 'VpcEndpointId', path);
    const vpcId = ctx.requiredString(o.VpcId, 'VpcId', path);
    const serviceName = ctx.requiredString(o.ServiceName, 'ServiceName', path);
    if (vpcEndpointId === undefined || vpcId === undefined || serviceName === undefined) continue;
    const { accountId, region } = ctx.scope(
      ctx.string(o.OwnerId, 'OwnerId', path),
      SERVICE_REGION.exec(serviceName)?.[1],
    );
    const endpoint: VpcEndpoint = {
      accountId,
      region,
      vpcEndpointId,
      vpcId,
      serviceName,
      endpointType: ctx.string(o.VpcEndpointType, 'VpcEndpointType', path) ?? 'Interface',
      state: (ctx.string(o.State, 'State', path) ?? 'unknown').toLowerCase(),
      privateDnsEnabled: ctx.boolean(o.PrivateDnsEnabled, 'PrivateDnsEnabled', path) ?? false,
      subnetIds: ctx.stringList(o.SubnetIds, 'SubnetIds', path),
      securityGroupIds: ctx.fieldList(o.Groups, 'Groups', 'GroupId', path),
      routeTableIds: ctx.stringList(o.RouteTableIds, 'RouteTableIds', path),
    };
    const policy = o.PolicyDocument;
    if (policy !== undefined && policy !== null && policy !== '')
      endpoint.policy = decodePolicyDocument(policy);
    const ipAddressType = ctx.string(o.IpAddressType, 'IpAddressType', path);
    if (ipAddressType !== undefined) endpoint.ipAddressType = ipAddressType;
    const dnsOptions = ctx.object(o.DnsOptions, 'DnsOptions', path);
    const dnsRecordIpType =
      dnsOptions && ctx.string(dnsOptions.DnsRecordIpType, 'DnsRecordIpType', `${path}.DnsOptions`);
    if (dnsRecordIpType) endpoint.dnsRecordIpType = dnsRecordIpType;
    items.push(endpoint);
  }
  return ctx.result(items);
}
