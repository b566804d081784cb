// Maps an EC2 DescribeVpcs response into Vpc models (DNS attributes come from DescribeVpcAttribute).

import type { Vpc } from '../../inventory/model.js';
import { tagsFromList } from '../../inventory/tags.js';
import {
  MappingContext,
  pushUnique,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/**
 * Maps DescribeVpcs. CIDR blocks come from the association sets (the primary `CidrBlock` is included), skipping
 * associations that are being or have been removed. DNS support/hostnames stay absent: DescribeVpcs does not
 * return them, and a rule that needs them must see "not read" rather than a guess.
 */
export function mapDescribeVpcs(body: unknown, scope: PartialScope, origin: string): MapResult<Vpc> {
  const ctx = new MappingContext(origin, scope);
  const vpcs = ctx.responseList(body, 'Vpcs');
  if (vpcs === undefined) return ctx.result([], false);
  const items: Vpc[] = [];
  for (let v = 0; v < vpcs.length; v++) {
    const path = `Vpcs[${v}]`;
    const o = vpcs[v];
    if (!ctx.entry(o, path)) continue;
    const vpcId = ctx.requiredString(o.VpcId, 'VpcId', path);
    if (vpcId === undefined) continue;
    const { accountId, region } = ctx.scope(ctx.string(o.OwnerId, 'OwnerId', path), undefined);
    const cidrBlocks: string[] = [];
    const primary = ctx.string(o.CidrBlock, 'CidrBlock', path);
    if (primary !== undefined) cidrBlocks.push(primary);
    for (const cidr of associatedCidrs(
      ctx,
      o,
      'CidrBlockAssociationSet',
      'CidrBlock',
      'CidrBlockState',
      path,
    ))
      pushUnique(cidrBlocks, cidr);
    items.push({
      accountId,
      region,
      vpcId,
      cidrBlocks,
      ipv6CidrBlocks: associatedCidrs(
        ctx,
        o,
        'Ipv6CidrBlockAssociationSet',
        'Ipv6CidrBlock',
        'Ipv6CidrBlockState',
        path,
      ),
      isDefault: ctx.boolean(o.IsDefault, 'IsDefault', path) ?? false,
      tags: tagsFromList(o.Tags),
    });
  }
  return ctx.result(items);
}

// Association states: associating | associated | disassociating | disassociated | failing | failed.
const LIVE_ASSOCIATION: ReadonlySet<string> = new Set(['associating', 'associated']);

/** CIDRs of an association set whose state is live (or unstated). Shared with DescribeSubnets. */
export function associatedCidrs(
  ctx: MappingContext,
  o: JsonObject,
  setKey: string,
  cidrKey: string,
  stateKey: string,
  path: string,
): string[] {
  const out: string[] = [];
  const set = ctx.array(o[setKey], setKey, path);
  for (let i = 0; i < set.length; i++) {
    const entryPath = `${path}.${setKey}[${i}]`;
    const entry = set[i];
    if (!ctx.entry(entry, entryPath)) continue;
    const cidr = ctx.string(entry[cidrKey], cidrKey, entryPath);
    if (cidr === undefined) continue;
    const stateObject = ctx.object(entry[stateKey], stateKey, entryPath);
    const state =
      stateObject === undefined
        ? undefined
        : ctx.string(stateObject.State, 'State', `${entryPath}.${stateKey}`);
    if (state === undefined || LIVE_ASSOCIATION.has(state)) pushUnique(out, cidr);
  }
  return out;
}
