// Maps an EC2 DescribeNatGateways response into NatGateway models.

import type { NatGateway } from '../../inventory/model.js';
import { tagsFromList } from '../../inventory/tags.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

/**
 * Maps DescribeNatGateways. The state is lower-cased like other EC2 states; ConnectivityType defaults to
 * "public", as CreateNatGateway does (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html).
 * The response names no account and no region: both come from the caller's scope.
 */
export function mapNatGateways(body: unknown, scope: PartialScope, origin: string): MapResult<NatGateway> {
  const ctx = new MappingContext(origin, scope);
  const gateways = ctx.responseList(body, 'NatGateways');
  if (gateways === undefined) return ctx.result([], false);
  const items: NatGateway[] = [];
  for (let g = 0; g < gateways.length; g++) {
    const path = `NatGateways[${g}]`;
    const o = gateways[g];
    if (!ctx.entry(o, path)) continue;
    const natGatewayId = ctx.requiredString(o.NatGatewayId, 'NatGatewayId', path);
    const vpcId = ctx.requiredString(o.VpcId, 'VpcId', path);
    const subnetId = ctx.requiredString(o.SubnetId, 'SubnetId', path);
    const state = ctx.requiredString(o.State, 'State', path);
    if (!natGatewayId || !vpcId || !subnetId || !state) continue;
    const addresses = ctx.array(o.NatGatewayAddresses, 'NatGatewayAddresses', path);
    const publicIps: string[] = [];
    const privateIps: string[] = [];
    addresses.forEach((a, i) => {
      const aPath = `${path}.NatGatewayAddresses[${i}]`;
      if (!ctx.entry(a, aPath)) return;
      const publicIp = ctx.string(a.PublicIp, 'PublicIp', aPath);
      const privateIp = ctx.string(a.PrivateIp, 'PrivateIp', aPath);
      if (publicIp) publicIps.push(publicIp);
      if (privateIp) privateIps.push(privateIp);
    });
    const { accountId, region } = ctx.scope(undefined, undefined);
    items.push({
      accountId,
      region,
      natGatewayId,
      vpcId,
      subnetId,
      state: state.toLowerCase(),
      connectivityType: (ctx.string(o.ConnectivityType, 'ConnectivityType', path) ?? 'public').toLowerCase(),
      publicIps,
      privateIps,
      tags: tagsFromList(o.Tags),
    });
  }
  return ctx.result(items);
}
