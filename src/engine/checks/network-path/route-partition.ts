// Route selection for an address set: the set is split along the route table's prefixes and each part takes
// the route with the longest prefix that contains it, so "the internet" is judged address range by range.

import type { Route, RouteTable } from '../../../inventory/model.js';
import { mergeSet, partitionSet, type AddressSet } from './address-set.js';
import { cidrContains, formatCidr, type Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';

/** The destination blocks that one route (or no route) carries. */
export interface RouteLeg {
  /** Undefined when no route covers these blocks: the packets are dropped. */
  route: Route | undefined;
  /** Disjoint blocks, merged where possible. */
  parts: Cidr[];
}

function routeCidr(route: Route, family: 4 | 6, cache: PathCache): Cidr | undefined {
  const text = family === 4 ? route.destinationCidr : route.destinationIpv6Cidr;
  return text === undefined ? undefined : cache.cidr(text);
}

/**
 * Splits `destinations` by the table's routes and gives each part its route. AWS picks "the most specific route
 * that matches the traffic" (longest prefix match), and a blackhole route still wins the match (the packet is
 * then dropped): https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
 * Prefix-list routes are left out here: their entries are not in the inventory (callers decide what that means).
 */
export function routeLegs(table: RouteTable, destinations: AddressSet, cache: PathCache): RouteLeg[] {
  const families = new Set(destinations.map((d) => d.family));
  const candidates: { route: Route; cidr: Cidr }[] = [];
  for (const route of table.routes) {
    for (const family of families) {
      const cidr = routeCidr(route, family, cache);
      if (cidr !== undefined) candidates.push({ route, cidr });
    }
  }
  const parts = partitionSet(
    destinations,
    candidates.map((c) => c.cidr),
  );
  const legs = new Map<Route | undefined, Cidr[]>();
  for (const part of parts) {
    let best: { route: Route; cidr: Cidr } | undefined;
    for (const c of candidates) {
      if ((best === undefined || c.cidr.prefix > best.cidr.prefix) && cidrContains(c.cidr, part)) best = c;
    }
    const list = legs.get(best?.route);
    if (list) list.push(part);
    else legs.set(best?.route, [part]);
  }
  return [...legs].map(([route, blocks]) => ({ route, parts: mergeSet(blocks) }));
}

/** Blocks as text for messages, the first few only ("0.0.0.0/1, 128.0.0.0/2 and 3 more"). */
export function describeParts(parts: readonly Cidr[], limit = 3): string {
  const shown = parts.slice(0, limit).map(formatCidr).join(', ');
  return parts.length > limit ? `${shown} and ${parts.length - limit} more` : shown;
}
