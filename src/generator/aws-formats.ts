// String formats AWS uses in API output: CLI timestamps, EC2 DNS names, IPv4 arithmetic, URL-encoded IAM documents.

/**
 * A timestamp as the AWS CLI prints it (Python `datetime.isoformat()` in UTC):
 * `2026-11-20T11:58:12+00:00`, or `2026-11-20T11:58:12.345000+00:00` when there are milliseconds.
 */
export function cliTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-11-20T11:58:12.345Z
  const ms = epochMs % 1000;
  return ms === 0 ? `${iso.slice(0, 19)}+00:00` : `${iso.slice(0, 23)}000+00:00`;
}

/** An IPv4 address as a 32-bit unsigned integer. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

/** A 32-bit unsigned integer as dotted IPv4. */
export function intToIp(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** The EC2 private DNS name of an address (us-east-1 uses `ec2.internal`, other regions `<region>.compute.internal`). */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The EC2 public DNS name of a public address. */
export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1'
    ? `${host}.compute-1.amazonaws.com`
    : `${host}.${region}.compute.amazonaws.com`;
}

/**
 * A policy document as the IAM API returns it: URL-encoded JSON (GAAD, GetPolicyVersion, trust policies).
 * `pretty` keeps the line breaks and indentation AWS-managed policies are authored with.
 */
export function encodeIamDocument(document: unknown, pretty = false): string {
  return encodeURIComponent(pretty ? JSON.stringify(document, null, 4) : JSON.stringify(document));
}
