// Maps an EC2 DescribeNetworkAcls response into NetworkAcl models.

import type { NetworkAcl, NetworkAclEntry } from '../../inventory/model.js';
import {
  MappingContext,
  pushUnique,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/**
 * Maps DescribeNetworkAcls. Entry protocols stay IANA numbers as strings ("-1", "6", "17"), as NACLs report
 * them; entries are kept in response order (rules sort by RuleNumber, first match wins).
 */
export function mapNetworkAcls(body: unknown, scope: PartialScope, origin: string): MapResult<NetworkAcl> {
  const ctx = new MappingContext(origin, scope);
  const acls = ctx.responseList(body, 'NetworkAcls');
  if (acls === undefined) return ctx.result([], false);
  const items: NetworkAcl[] = [];
  for (let n = 0; n < acls.length; n++) {
    const path = `NetworkAcls[${n}]`;
    const o = acls[n];
    if (!ctx.entry(o, path)) continue;
    const networkAclId = ctx.requiredString(o.NetworkAclId, 'NetworkAclId', path);
    const vpcId = ctx.requiredString(o.VpcId, 'VpcId', path);
    if (networkAclId === undefined || vpcId === undefined) continue;
    const { accountId, region } = ctx.scope(ctx.string(o.OwnerId, 'OwnerId', path), undefined);
    const subnetIds: string[] = [];
    for (const subnetId of ctx.fieldList(o.Associations, 'Associations', 'SubnetId', path))
      pushUnique(subnetIds, subnetId);
    const entries: NetworkAclEntry[] = [];
    const rawEntries = ctx.array(o.Entries, 'Entries', path);
    for (let e = 0; e < rawEntries.length; e++) {
      const ePath = `${path}.Entries[${e}]`;
      const raw = rawEntries[e];
      if (!ctx.entry(raw, ePath)) continue;
      const entry = mapEntry(ctx, raw, ePath);
      if (entry !== undefined) entries.push(entry);
    }
    items.push({
      accountId,
      region,
      networkAclId,
      vpcId,
      isDefault: ctx.boolean(o.IsDefault, 'IsDefault', path) ?? false,
      subnetIds,
      entries,
    });
  }
  return ctx.result(items);
}

function mapEntry(ctx: MappingContext, o: JsonObject, path: string): NetworkAclEntry | undefined {
  const ruleNumber = ctx.number(o.RuleNumber, 'RuleNumber', path);
  const protocolRaw = o.Protocol;
  const protocol = typeof protocolRaw === 'number' ? String(protocolRaw) : protocolRaw;
  const action = ctx.string(o.RuleAction, 'RuleAction', path)?.toLowerCase();
  const egress = ctx.boolean(o.Egress, 'Egress', path);
  if (
    ruleNumber === undefined ||
    typeof protocol !== 'string' ||
    (action !== 'allow' && action !== 'deny') ||
    egress === undefined
  ) {
    ctx.issue(
      'ENTRY_INVALID',
      path,
      'NACL entry needs RuleNumber, Protocol, RuleAction (allow|deny) and Egress; entry ignored',
    );
    return undefined;
  }
  const entry: NetworkAclEntry = { ruleNumber, protocol, action, egress };
  const cidr = ctx.string(o.CidrBlock, 'CidrBlock', path);
  if (cidr !== undefined) entry.cidrBlock = cidr;
  const ipv6 = ctx.string(o.Ipv6CidrBlock, 'Ipv6CidrBlock', path);
  if (ipv6 !== undefined) entry.ipv6CidrBlock = ipv6;
  const range = ctx.object(o.PortRange, 'PortRange', path);
  if (range !== undefined) {
    const from = ctx.number(range.From, 'From', `${path}.PortRange`);
    const to = ctx.number(range.To, 'To', `${path}.PortRange`);
    if (from !== undefined) entry.portFrom = from;
    if (to !== undefined) entry.portTo = to;
  }
  return entry;
}
