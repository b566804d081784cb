// A small ip-ranges.json in AWS's published shape, for tests that read one (no network, no full file).

/**
 * AMAZON and other services' entries: us-east-1's AMAZON space is 3.2.0.0/24 and 52.4.0.0/14 (both inside
 * 0.0.0.0/1) and 2600:1f18::/33; eu-west-1 has 18.200.0.0/16; GLOBAL and CLOUDFRONT entries are left out.
 */
export function publishedRanges(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    syncToken: '1787411825',
    createDate: '2026-08-22-15-17-05',
    prefixes: [
      { ip_prefix: '52.4.0.0/14', region: 'us-east-1', service: 'AMAZON', network_border_group: 'us-east-1' },
      { ip_prefix: '52.4.0.0/14', region: 'us-east-1', service: 'EC2', network_border_group: 'us-east-1' },
      {
        ip_prefix: '3.2.0.0/24',
        region: 'us-east-1',
        service: 'AMAZON',
        network_border_group: 'us-east-1-iah-1',
      },
      {
        ip_prefix: '18.200.0.0/16',
        region: 'eu-west-1',
        service: 'AMAZON',
        network_border_group: 'eu-west-1',
      },
      { ip_prefix: '205.251.249.0/24', region: 'GLOBAL', service: 'AMAZON', network_border_group: 'GLOBAL' },
      { ip_prefix: '54.230.0.0/16', region: 'GLOBAL', service: 'CLOUDFRONT', network_border_group: 'GLOBAL' },
    ],
    ipv6_prefixes: [
      {
        ipv6_prefix: '2600:1f18::/33',
        region: 'us-east-1',
        service: 'AMAZON',
        network_border_group: 'us-east-1',
      },
      {
        ipv6_prefix: '2a05:d018::/36',
        region: 'eu-west-1',
        service: 'EC2',
        network_border_group: 'eu-west-1',
      },
    ],
    ...overrides,
  });
}
