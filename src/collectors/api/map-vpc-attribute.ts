// Maps one EC2 DescribeVpcAttribute response ({VpcId, EnableDnsSupport|EnableDnsHostnames: {Value}}).

import type { Scope } from '../../inventory/model.js';
import {
  MappingContext,
  isJsonObject,
  jsonTypeOf,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/** One VPC's DNS attributes as read; the inventory builder merges them onto the matching Vpc. */
export interface VpcAttributes extends Scope {
  vpcId: string;
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
}

/** The attributes ssmguard reads (private DNS of interface endpoints needs both). */
export const VPC_DNS_ATTRIBUTES = ['EnableDnsSupport', 'EnableDnsHostnames'] as const;

/**
 * Maps a DescribeVpcAttribute response. The API returns one attribute per call, so a VPC needs two responses;
 * a response carrying both (as a hand-merged file might) is accepted too. Other attributes are ignored.
 */
export function mapVpcAttribute(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<VpcAttributes> {
  const ctx = new MappingContext(origin, scope);
  if (!isJsonObject(body)) {
    ctx.issue('RESPONSE_INVALID', '$', `expected a JSON object with "VpcId", got ${jsonTypeOf(body)}`);
    return ctx.result([], false);
  }
  const vpcId = body.VpcId;
  if (typeof vpcId !== 'string' || vpcId === '') {
    ctx.issue('RESPONSE_INVALID', 'VpcId', `expected a non-empty string, got ${jsonTypeOf(vpcId)}`);
    return ctx.result([], false);
  }
  const { accountId, region } = ctx.scope(undefined, undefined);
  const item: VpcAttributes = { accountId, region, vpcId };
  let found = false;
  for (const key of VPC_DNS_ATTRIBUTES) {
    if (body[key] === undefined) continue;
    const holder = ctx.object(body[key], key, '$');
    const value = holder === undefined ? undefined : ctx.boolean(holder.Value, 'Value', key);
    if (value === undefined) {
      ctx.issue('RESPONSE_INVALID', `${key}.Value`, 'expected a boolean');
      continue;
    }
    found = true;
    if (key === 'EnableDnsSupport') item.enableDnsSupport = value;
    else item.enableDnsHostnames = value;
  }
  if (!found) {
    ctx.issue(
      'RESPONSE_INVALID',
      '$',
      'expected EnableDnsSupport or EnableDnsHostnames with a boolean Value',
    );
    return ctx.result([], false);
  }
  return ctx.result([item]);
}
