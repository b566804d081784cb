// Security-group matching for the SSM path: does a set of groups let TCP 443 out to a destination, or in from
// the instance? Groups are stateful and allow-only, so any one matching rule decides.

import type { SecurityGroup, SecurityGroupRule } from '../../../inventory/model.js';
import { describePeer, ruleAllowsTcpPort } from '../port-exposure.js';
import { cidrContains, cidrOverlaps, type Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';

/** The far end of a connection: an address block and the security groups on its network interfaces. */
export interface Peer {
  cidr: Cidr;
  groupIds: readonly string[];
}

export type SgDecision =
  | { kind: 'allow'; groupId: string; rule: string }
  /** Only rules we cannot resolve offline (prefix lists) might allow it. */
  | { kind: 'maybe'; groupId: string; rule: string }
  /** A rule covers part of the peer block: the answer depends on the exact address. */
  | { kind: 'ambiguous' }
  | { kind: 'deny' };

export interface SgQuery {
  direction: 'egress' | 'ingress';
  peer: Peer;
  port: number;
  /** As in NaclQuery: stop with 'ambiguous', or ignore rules that cover part of the peer block. */
  onPartial: 'ambiguous' | 'skip';
}

/** "sg-0abc allows tcp/443 to 10.1.0.0/16", for evidence. */
export function describeSgRule(
  groupId: string,
  rule: SecurityGroupRule,
  direction: 'egress' | 'ingress',
): string {
  const ports =
    rule.protocol === 'all'
      ? 'all traffic'
      : `${rule.protocol}/${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
  return `${groupId} allows ${ports} ${direction === 'egress' ? 'to' : 'from'} ${describePeer(rule)}`;
}

/** Decides whether `groups` allow TCP `port` in `direction` with `peer`. */
export function securityGroupsAllow(
  groups: readonly { groupId: string; group: SecurityGroup | undefined }[],
  query: SgQuery,
  cache: PathCache,
): SgDecision {
  let maybe: SgDecision | undefined;
  let ambiguous = false;
  const peerSet = new Set(query.peer.groupIds);
  for (const { groupId, group } of groups) {
    for (const rule of (query.direction === 'egress' ? group?.egress : group?.ingress) ?? []) {
      if (!ruleAllowsTcpPort(rule, query.port)) continue;
      if (rule.referencedGroupId !== undefined) {
        // A group reference matches traffic to/from network interfaces that carry the referenced group.
        if (peerSet.has(rule.referencedGroupId))
          return { kind: 'allow', groupId, rule: describeSgRule(groupId, rule, query.direction) };
        continue;
      }
      if (rule.prefixListId !== undefined) {
        maybe ??= { kind: 'maybe', groupId, rule: describeSgRule(groupId, rule, query.direction) };
        continue;
      }
      const text = query.peer.cidr.family === 4 ? rule.cidrIpv4 : rule.cidrIpv6;
      const cidr = text === undefined ? undefined : cache.cidr(text);
      if (cidr === undefined) continue;
      if (cidrContains(cidr, query.peer.cidr))
        return { kind: 'allow', groupId, rule: describeSgRule(groupId, rule, query.direction) };
      if (cidrOverlaps(cidr, query.peer.cidr)) ambiguous = true;
    }
  }
  if (ambiguous && query.onPartial === 'ambiguous') return { kind: 'ambiguous' };
  return maybe ?? { kind: 'deny' };
}
