// Maps EC2 DescribeInternetGateways and DescribeEgressOnlyInternetGateways responses into gateway models.

import type { EgressOnlyInternetGateway, GatewayAttachment, InternetGateway } from '../../inventory/model.js';
import { tagsFromList } from '../../inventory/tags.js';
import { MappingContext, type JsonObject, type MapResult, type PartialScope } from './mapping-context.js';

function attachments(ctx: MappingContext, o: JsonObject, path: string): GatewayAttachment[] {
  const out: GatewayAttachment[] = [];
  ctx.array(o.Attachments, 'Attachments', path).forEach((a, i) => {
    const aPath = `${path}.Attachments[${i}]`;
    if (!ctx.entry(a, aPath)) return;
    const vpcId = ctx.requiredString(a.VpcId, 'VpcId', aPath);
    const state = ctx.requiredString(a.State, 'State', aPath);
    if (vpcId && state) out.push({ vpcId, state: state.toLowerCase() });
  });
  return out;
}

/** Maps DescribeInternetGateways; OwnerId gives the account, the region comes from the caller's scope. */
export function mapInternetGateways(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<InternetGateway> {
  const ctx = new MappingContext(origin, scope);
  const gateways = ctx.responseList(body, 'InternetGateways');
  if (gateways === undefined) return ctx.result([], false);
  const items: InternetGateway[] = [];
  for (let g = 0; g < gateways.length; g++) {
    const path = `InternetGateways[${g}]`;
    const o = gateways[g];
    if (!ctx.entry(o, path)) continue;
    const internetGatewayId = ctx.requiredString(o.InternetGatewayId, 'InternetGatewayId', path);
    if (!internetGatewayId) continue;
    const { accountId, region } = ctx.scope(ctx.string(o.OwnerId, 'OwnerId', path), undefined);
    items.push({
      accountId,
      region,
      internetGatewayId,
      attachments: attachments(ctx, o, path),
      tags: tagsFromList(o.Tags),
    });
  }
  return ctx.result(items);
}

/** Maps DescribeEgressOnlyInternetGateways; account and region come from the caller's scope. */
export function mapEgressOnlyInternetGateways(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<EgressOnlyInternetGateway> {
  const ctx = new MappingContext(origin, scope);
  const gateways = ctx.responseList(body, 'EgressOnlyInternetGateways');
  if (gateways === undefined) return ctx.result([], false);
  const items: EgressOnlyInternetGateway[] = [];
  for (let g = 0; g < gateways.length; g++) {
    const path = `EgressOnlyInternetGateways[${g}]`;
    const o = gateways[g];
    if (!ctx.entry(o, path)) continue;
    const egressOnlyInternetGatewayId = ctx.requiredString(
      o.EgressOnlyInternetGatewayId,
      'EgressOnlyInternetGatewayId',
      path,
    );
    if (!egressOnlyInternetGatewayId) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    items.push({
      accountId,
      region,
      egressOnlyInternetGatewayId,
      attachments: attachments(ctx, o, path),
      tags: tagsFromList(o.Tags),
    });
  }
  return ctx.result(items);
}
