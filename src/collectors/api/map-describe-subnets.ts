// Maps an EC2 DescribeSubnets response into Subnet models.

import type { Subnet } from '../../inventory/model.js';
import { tagsFromList } from '../../inventory/tags.js';
import {
  MappingContext,
  regionFromAvailabilityZone,
  scopeFromArn,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';
import { associatedCidrs } from './map-describe-vpcs.js';

/** Maps DescribeSubnets; the region comes from the subnet's AZ or ARN unless the scope says otherwise. */
export function mapDescribeSubnets(body: unknown, scope: PartialScope, origin: string): MapResult<Subnet> {
  const ctx = new MappingContext(origin, scope);
  const subnets = ctx.responseList(body, 'Subnets');
  if (subnets === undefined) return ctx.result([], false);
  const items: Subnet[] = [];
  for (let s = 0; s < subnets.length; s++) {
    const path = `Subnets[${s}]`;
    const o = subnets[s];
    if (!ctx.entry(o, path)) continue;
    const subnetId = ctx.requiredString(o.SubnetId, 'SubnetId', path);
    const vpcId = ctx.requiredString(o.VpcId, 'VpcId', path);
    if (subnetId === undefined || vpcId === undefined) continue;
    const availabilityZone = ctx.string(o.AvailabilityZone, 'AvailabilityZone', path);
    const arnScope = scopeFromArn(ctx.string(o.SubnetArn, 'SubnetArn', path));
    const { accountId, region } = ctx.scope(
      ctx.string(o.OwnerId, 'OwnerId', path) ?? arnScope.accountId,
      regionFromAvailabilityZone(availabilityZone) ?? arnScope.region,
    );
    const subnet: Subnet = {
      accountId,
      region,
      subnetId,
      vpcId,
      ipv6CidrBlocks: associatedCidrs(
        ctx,
        o,
        'Ipv6CidrBlockAssociationSet',
        'Ipv6CidrBlock',
        'Ipv6CidrBlockState',
        path,
      ),
      ipv6Native: ctx.boolean(o.Ipv6Native, 'Ipv6Native', path) ?? false,
      mapPublicIpOnLaunch: ctx.boolean(o.MapPublicIpOnLaunch, 'MapPublicIpOnLaunch', path) ?? false,
      tags: tagsFromList(o.Tags),
    };
    if (availabilityZone !== undefined) subnet.availabilityZone = availabilityZone;
    const cidrBlock = ctx.string(o.CidrBlock, 'CidrBlock', path);
    if (cidrBlock !== undefined) subnet.cidrBlock = cidrBlock;
    const enableDns64 = ctx.boolean(o.EnableDns64, 'EnableDns64', path);
    if (enableDns64 !== undefined) subnet.enableDns64 = enableDns64;
    items.push(subnet);
  }
  return ctx.result(items);
}
