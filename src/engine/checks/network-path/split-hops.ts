// Splitting a hop over a destination set: the decision is taken on the parts of the family's whole space cut by
// the hop's own prefixes (security-group egress rules, NACL entries), then the set is cut along equal decisions.

import type { NetworkAcl, SecurityGroup } from '../../../inventory/model.js';
import { intersectSets, mergeSet, partitionSet, type AddressSet } from './address-set.js';
import { cidrContains, type Cidr } from './cidr.js';
import { outcomeSignature } from './combine-parts.js';
import type { PathCache } from './path-cache.js';
import type { PathOutcome } from './path-outcome.js';

/** The whole address space of a family (0.0.0.0/0 or ::/0). */
export function anyOf(family: 4 | 6): Cidr {
  return { family, base: 0n, prefix: 0 };
}

/** A hop's decision for some of the destinations; `sample` is one block it was taken for. */
export interface SplitDecision {
  parts: Cidr[];
  outcome: PathOutcome;
  /**
   * A block of the set inside a single part of the hop's split: deciding again for it gives the same answer
   * (the merged `parts` may straddle the hop's prefixes, and a partial match decides nothing).
   */
  sample: Cidr;
}

/**
 * One hop's decisions over `destinations`: the same parts as splitting the set itself by `prefixes`, at the
 * cost of the hop's entries (one decision per part of the family's space that the set touches, whatever the
 * size of the set). Parts with the same decision are grouped; each group keeps its first decision.
 */
export function splitHop(
  destinations: AddressSet,
  prefixes: readonly Cidr[],
  decide: (part: Cidr) => PathOutcome,
): SplitDecision[] {
  const family = destinations[0]!.family;
  // Each part of the split space is wholly inside or outside every prefix: one decision holds for all of it.
  const space = partitionSet([anyOf(family)], prefixes);
  const groups = new Map<string, { raw: Cidr[]; outcome: PathOutcome }>();
  // The decision (and its signature, the group it joins) per part of the space, taken once.
  const decided = new Map<number, { outcome: PathOutcome; key: string }>();
  let u = 0;
  // Intersected blocks lie each inside one part of the space; both lists are in ascending order.
  for (const block of intersectSets(space, destinations)) {
    while (!cidrContains(space[u]!, block)) u++;
    let decision = decided.get(u);
    if (decision === undefined) {
      const outcome = decide(block);
      decision = { outcome, key: outcomeSignature(outcome) };
      decided.set(u, decision);
    }
    const group = groups.get(decision.key);
    if (group) group.raw.push(block);
    else groups.set(decision.key, { raw: [block], outcome: decision.outcome });
  }
  return [...groups.values()].map((g) => ({ parts: mergeSet(g.raw), outcome: g.outcome, sample: g.raw[0]! }));
}

/** The blocks the groups' egress rules name for a family (prefix-list and group rules name none). */
export function egressPrefixes(
  groups: readonly { group: SecurityGroup | undefined }[],
  family: 4 | 6,
  cache: PathCache,
): Cidr[] {
  return groups.flatMap(({ group }) =>
    (group?.egress ?? []).flatMap((r) => {
      const text = family === 4 ? r.cidrIpv4 : r.cidrIpv6;
      const cidr = text === undefined ? undefined : cache.cidr(text);
      return cidr ? [cidr] : [];
    }),
  );
}

/** The blocks a network ACL's entries name for a family. */
export function naclPrefixes(acl: NetworkAcl, family: 4 | 6, cache: PathCache): Cidr[] {
  return acl.entries.flatMap((e) => {
    const text = family === 4 ? e.cidrBlock : e.ipv6CidrBlock;
    const cidr = text === undefined ? undefined : cache.cidr(text);
    return cidr ? [cidr] : [];
  });
}
