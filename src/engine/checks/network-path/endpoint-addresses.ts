// Where the public SSM endpoints of a region may be: any public address, or, when the scan has AWS's
// ip-ranges.json, the region's AMAZON prefixes (IPv4, and IPv6 for dual-stack endpoints). The internet path is
// judged over exactly this set, so a route that only misses non-AWS space no longer leaves it unverifiable.

import { describeIpRanges } from '../../../inventory/aws-ip-ranges.js';
import type { InventoryIndex } from '../../../inventory/inventory-index.js';
import type { Evidence } from '../../types.js';
import {
  disjointSet,
  PUBLIC_IPV4,
  PUBLIC_IPV6,
  intersectSets,
  mergeSet,
  nat64Set,
  type AddressSet,
} from './address-set.js';
import type { Cidr } from './cidr.js';
import type { PathCache } from './path-cache.js';
import { labelSet } from './route-partition.js';

/** The public destinations of the region's SSM endpoints, per IP family. */
export interface EndpointAddresses {
  ipv4: AddressSet;
  ipv6: AddressSet;
  /** Part of memo keys: which sets these are ("public", or the ranges' publication and region). */
  key: string;
  /** Says which sets these are (the ip-ranges publication used), for the evidence of every internet path. */
  evidence?: Evidence;
  /** Narrowed to AWS's published ranges: messages then do not suggest --ip-ranges. */
  narrowed: boolean;
}

/** Without ip-ranges.json: any public address. */
export const ANY_PUBLIC_ENDPOINT: EndpointAddresses = {
  ipv4: PUBLIC_IPV4,
  ipv6: PUBLIC_IPV6,
  key: 'public',
  narrowed: false,
};

function blocks(texts: readonly string[], cache: PathCache): Cidr[] {
  return texts.flatMap((t) => {
    const cidr = cache.cidr(t);
    return cidr ? [cidr] : [];
  });
}

/**
 * The set for `region`. The SSM endpoints are AWS addresses of their region, so ip-ranges.json's AMAZON prefixes
 * of that region hold them: https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html . Cut to the
 * public space as well (a published prefix is never special-purpose space, but the sets must stay comparable).
 * A region the file does not list (newer than the file) keeps every public address: narrowing to nothing would
 * make every path pass.
 */
export function endpointAddresses(
  index: InventoryIndex,
  cache: PathCache,
  region: string,
): EndpointAddresses {
  const ranges = index.ipRanges;
  if (!ranges) return ANY_PUBLIC_ENDPOINT;
  const key = `ip-ranges|${ranges.syncToken}|${ranges.createDate}|${region}`;
  return cache.memo(key, (): EndpointAddresses => {
    const published = describeIpRanges(ranges);
    const own = ranges.regions.get(region);
    const ipv4 = own ? intersectSets(disjointSet(blocks(own.ipv4, cache)), PUBLIC_IPV4) : [];
    if (!own || ipv4.length === 0) {
      return {
        ...ANY_PUBLIC_ENDPOINT,
        key: `${key}|absent`,
        evidence: {
          path: 'networkPath.destinations',
          actual: 'any public address',
          note: `${region} has no AMAZON prefixes in ${published}, so the SSM endpoints may be at any public address; refresh the ranges (ssmguard ip-ranges refresh)`,
        },
      };
    }
    const ipv6 = mergeSet(intersectSets(disjointSet(blocks(own.ipv6, cache)), PUBLIC_IPV6));
    // Messages name the whole set in words rather than as hundreds of prefixes.
    const name = `the AMAZON ranges of ${region}`;
    labelSet(ipv4, name, `${key}|4`);
    labelSet(nat64Set(mergeSet(ipv4)), `64:ff9b::/96 (${name})`, `${key}|64`);
    if (ipv6.length > 0) labelSet(ipv6, `${name} (IPv6)`, `${key}|6`);
    return {
      ipv4: mergeSet(ipv4),
      // A region without published IPv6 prefixes: any IPv6 address (narrowing to nothing would pass the path).
      ipv6: ipv6.length > 0 ? ipv6 : PUBLIC_IPV6,
      key,
      narrowed: true,
      evidence: {
        path: 'networkPath.destinations',
        actual: `the AMAZON ranges of ${region} (${own.ipv4.length} IPv4, ${own.ipv6.length} IPv6 prefixes)`,
        note: `the public SSM endpoints are judged over the AMAZON prefixes of ${region} in ${published}`,
      },
    };
  });
}
