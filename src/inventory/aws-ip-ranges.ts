// The AWS IP address ranges a scan narrows the public SSM endpoints to: the AMAZON prefixes of each region, from
// AWS's published ip-ranges.json (or ssmguard's trimmed copy of it), with the publication it came from.

/** One region's AMAZON prefixes, as CIDR text (validated when the file was read). */
export interface RegionIpRanges {
  ipv4: readonly string[];
  ipv6: readonly string[];
}

/** A publication of ip-ranges.json, reduced to what the network-path check reads. */
export interface AwsIpRanges {
  /** Publication time as AWS writes it (UTC, YYYY-MM-DD-hh-mm-ss). */
  createDate: string;
  /** Publication time in Unix epoch seconds, as text. */
  syncToken: string;
  /** Where it was read from, for evidence: a file path, or "the copy shipped with ssmguard". */
  origin: string;
  regions: ReadonlyMap<string, RegionIpRanges>;
}

/** The ip-ranges.json service that holds every AWS address, the regional SSM endpoints among them. */
export const AMAZON_SERVICE = 'AMAZON';

/** "ip-ranges.json of 2026-08-22-15-17-05 (<origin>)": how evidence names the publication. */
export function describeIpRanges(ranges: AwsIpRanges): string {
  return `ip-ranges.json of ${ranges.createDate} (syncToken ${ranges.syncToken}; ${ranges.origin})`;
}
