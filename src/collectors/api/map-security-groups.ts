// Maps an EC2 DescribeSecurityGroups response into SecurityGroup models with one normalised rule per peer.

import type { IpProtocol, SecurityGroup, SecurityGroupRule } from '../../inventory/model.js';
import { tagsFromList } from '../../inventory/tags.js';
import {
  MappingContext,
  scopeFromArn,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

// Security groups accept protocol names or IANA numbers; the model uses names for the ones rules care about.
// A Map, not an object literal: the key comes from input, and "__proto__" must not hit Object.prototype.
const PROTOCOL_NAMES: ReadonlyMap<string, IpProtocol> = new Map([
  ['-1', 'all'],
  ['6', 'tcp'],
  ['17', 'udp'],
  ['1', 'icmp'],
  ['58', 'icmpv6'],
  ['all', 'all'],
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['icmp', 'icmp'],
  ['icmpv6', 'icmpv6'],
]);

/** Normalises an IpProtocol value: "-1" → "all", "6" → "tcp", …; other numbers stay as strings. */
export function normaliseIpProtocol(raw: string): IpProtocol {
  const lower = raw.toLowerCase();
  return PROTOCOL_NAMES.get(lower) ?? lower;
}

/**
 * Maps DescribeSecurityGroups. Each IpPermissions entry bundles several peers (IPv4 ranges, IPv6 ranges,
 * prefix lists, group pairs); it becomes one SecurityGroupRule per peer, so rules test one peer at a time.
 */
export function mapSecurityGroups(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<SecurityGroup> {
  const ctx = new MappingContext(origin, scope);
  const groups = ctx.responseList(body, 'SecurityGroups');
  if (groups === undefined) return ctx.result([], false);
  const items: SecurityGroup[] = [];
  for (let g = 0; g < groups.length; g++) {
    const path = `SecurityGroups[${g}]`;
    const o = groups[g];
    if (!ctx.entry(o, path)) continue;
    const groupId = ctx.requiredString(o.GroupId, 'GroupId', path);
    if (groupId === undefined) continue;
    const arnScope = scopeFromArn(ctx.string(o.SecurityGroupArn, 'SecurityGroupArn', path));
    const { accountId, region } = ctx.scope(
      ctx.string(o.OwnerId, 'OwnerId', path) ?? arnScope.accountId,
      arnScope.region,
    );
    const group: SecurityGroup = {
      accountId,
      region,
      groupId,
      ingress: mapPermissions(ctx, o, 'IpPermissions', path),
      egress: mapPermissions(ctx, o, 'IpPermissionsEgress', path),
      tags: tagsFromList(o.Tags),
    };
    const groupName = ctx.string(o.GroupName, 'GroupName', path);
    if (groupName !== undefined) group.groupName = groupName;
    const vpcId = ctx.string(o.VpcId, 'VpcId', path);
    if (vpcId !== undefined) group.vpcId = vpcId;
    items.push(group);
  }
  return ctx.result(items);
}

function mapPermissions(
  ctx: MappingContext,
  group: JsonObject,
  key: string,
  groupPath: string,
): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  const permissions = ctx.array(group[key], key, groupPath);
  for (let p = 0; p < permissions.length; p++) {
    const path = `${groupPath}.${key}[${p}]`;
    const permission = permissions[p];
    if (!ctx.entry(permission, path)) continue;
    const protocolRaw = permission.IpProtocol;
    const protocolText = typeof protocolRaw === 'number' ? String(protocolRaw) : protocolRaw;
    if (typeof protocolText !== 'string' || protocolText === '') {
      ctx.issue('ENTRY_INVALID', `${path}.IpProtocol`, 'missing IpProtocol; permission ignored');
      continue;
    }
    const protocol = normaliseIpProtocol(protocolText);
    const [fromPort, toPort] = portRange(ctx, permission, protocol, path);
    const base = { protocol, fromPort, toPort };
    addPeers(ctx, rules, base, permission, 'IpRanges', 'CidrIp', 'cidrIpv4', path);
    addPeers(ctx, rules, base, permission, 'Ipv6Ranges', 'CidrIpv6', 'cidrIpv6', path);
    addPeers(ctx, rules, base, permission, 'PrefixListIds', 'PrefixListId', 'prefixListId', path);
    addPeers(ctx, rules, base, permission, 'UserIdGroupPairs', 'GroupId', 'referencedGroupId', path);
  }
  return rules;
}

/**
 * The inclusive port range. "all" protocols (and any protocol other than TCP/UDP/ICMP/ICMPv6) cover every
 * port, and so does a rule without ports. TCP/UDP ranges of -1 (DescribeSecurityGroupRules style) are
 * also "all". ICMP keeps type/code as AWS reports them, -1 meaning "any".
 */
function portRange(ctx: MappingContext, o: JsonObject, protocol: IpProtocol, path: string): [number, number] {
  const fromPort = ctx.number(o.FromPort, 'FromPort', path);
  const toPort = ctx.number(o.ToPort, 'ToPort', path);
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'icmp' && protocol !== 'icmpv6')
    return [0, 65535];
  if (fromPort === undefined || toPort === undefined) return [0, 65535];
  if ((protocol === 'tcp' || protocol === 'udp') && (fromPort < 0 || toPort < 0)) return [0, 65535];
  return [fromPort, toPort];
}

type PeerField = 'cidrIpv4' | 'cidrIpv6' | 'prefixListId' | 'referencedGroupId';

function addPeers(
  ctx: MappingContext,
  rules: SecurityGroupRule[],
  base: Pick<SecurityGroupRule, 'protocol' | 'fromPort' | 'toPort'>,
  permission: JsonObject,
  listKey: string,
  peerKey: string,
  field: PeerField,
  path: string,
): void {
  const peers = ctx.array(permission[listKey], listKey, path);
  for (let i = 0; i < peers.length; i++) {
    const peerPath = `${path}.${listKey}[${i}]`;
    const peer = peers[i];
    if (!ctx.entry(peer, peerPath)) continue;
    const value = ctx.requiredString(peer[peerKey], peerKey, peerPath);
    if (value === undefined) continue;
    const rule: SecurityGroupRule = { protocol: base.protocol, fromPort: base.fromPort, toPort: base.toPort };
    rule[field] = value;
    const description = ctx.string(peer.Description, 'Description', peerPath);
    if (description !== undefined) rule.description = description;
    rules.push(rule);
  }
}
