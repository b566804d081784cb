// The hops of a path, one check each: the instance's security-group egress, a subnet's network ACL in both
// directions, and an endpoint's security-group ingress. Each returns a PathOutcome naming what blocks it.

import type { NetworkAcl, NetworkAclEntry, SecurityGroup } from '../../../inventory/model.js';
import { formatCidr, type Cidr } from './cidr.js';
import { describeNaclRule, evaluateNacl, type NaclDecision, type PortRange } from './nacl-evaluation.js';
import { broken, open, unverifiable, type PathOutcome } from './path-outcome.js';
import type { PathCache } from './path-cache.js';
import { securityGroupsAllow, type Peer } from './security-group-match.js';

const HTTPS = 443;

/** Text of a peer for messages: "0.0.0.0/0", "10.1.2.0/24", or a single address without its /32. */
export function describeCidr(cidr: Cidr): string {
  const text = formatCidr(cidr);
  return cidr.prefix === (cidr.family === 4 ? 32 : 128) ? text.slice(0, text.indexOf('/')) : text;
}

/** The instance's groups let TCP 443 out to `peer` (`what` names the destination in messages). */
export function sgEgressHop(
  groups: readonly { groupId: string; group: SecurityGroup | undefined }[],
  peer: Peer,
  what: string,
  cache: PathCache,
  /** The block the fix command names, when the decision was taken for a part of it. */
  fixCidr: Cidr = peer.cidr,
): PathOutcome {
  const decision = securityGroupsAllow(
    groups,
    { direction: 'egress', peer, port: HTTPS, onPartial: 'skip' },
    cache,
  );
  const ids = groups.map((g) => g.groupId);
  const path = 'securityGroups[*].egress';
  if (decision.kind === 'allow')
    return open(decision.rule, [
      { path, resourceId: decision.groupId, actual: decision.rule, expected: `tcp/443 to ${what}` },
    ]);
  if (decision.kind === 'maybe') {
    return unverifiable(
      `${decision.rule}, a prefix list whose entries are not in the inventory, is the only egress rule that could allow TCP 443 to ${what}`,
      decision.groupId,
      [{ path, resourceId: decision.groupId, actual: decision.rule, expected: `tcp/443 to ${what}` }],
    );
  }
  const target =
    peer.groupIds.length > 0
      ? `UserIdGroupPairs=[{GroupId=${peer.groupIds[0]}}]`
      : `${fixCidr.family === 4 ? 'IpRanges=[{CidrIp' : 'Ipv6Ranges=[{CidrIpv6'}=${formatCidr(fixCidr)}}]`;
  return broken(
    'NET.EGRESS_BLOCKS',
    ids.length === 0
      ? `the instance has no security groups, so nothing allows outbound TCP 443 to ${what}`
      : `none of its security groups (${ids.join(', ')}) allows outbound TCP 443 to ${what}`,
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: ids.join(',') },
    [{ path, resourceId: ids.join(','), actual: 'no matching egress rule', expected: `tcp/443 to ${what}` }],
    ids[0]
      ? {
          text: `Allow outbound TCP 443 to ${what} in one of the instance's security groups.`,
          command: `aws ec2 authorize-security-group-egress --group-id ${ids[0]} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,${target}`,
        }
      : undefined,
  );
}

/** The endpoint's groups let TCP 443 in from the instance (`source` is its address, or its subnet's block). */
export function sgIngressHop(
  endpointId: string,
  groups: readonly { groupId: string; group: SecurityGroup | undefined }[],
  source: Peer,
  onPartial: 'ambiguous' | 'skip',
  cache: PathCache,
  fix: { vpcCidr: string | undefined },
): PathOutcome | 'ambiguous' {
  const decision = securityGroupsAllow(
    groups,
    { direction: 'ingress', peer: source, port: HTTPS, onPartial },
    cache,
  );
  if (decision.kind === 'ambiguous') return 'ambiguous';
  const path = 'vpcEndpoint.securityGroups[*].ingress';
  const single = source.cidr.prefix === (source.cidr.family === 4 ? 32 : 128);
  const from = `${single ? "the instance's address" : "the instance's subnet"} ${describeCidr(source.cidr)}${source.groupIds.length > 0 ? ` or its security group${source.groupIds.length === 1 ? '' : 's'} ${source.groupIds.join(', ')}` : ''}`;
  if (decision.kind === 'allow')
    return open(decision.rule, [
      { path, resourceId: decision.groupId, actual: decision.rule, expected: `tcp/443 from ${from}` },
    ]);
  if (decision.kind === 'maybe') {
    return unverifiable(
      `endpoint ${endpointId} admits TCP 443 only through ${decision.rule}, a prefix list whose entries are not in the inventory`,
      decision.groupId,
      [{ path, resourceId: decision.groupId, actual: decision.rule, expected: `tcp/443 from ${from}` }],
    );
  }
  const ids = groups.map((g) => g.groupId);
  const sources = groups.flatMap(({ group }) =>
    (group?.ingress ?? [])
      .filter(
        (r) => r.protocol === 'all' || (r.protocol === 'tcp' && r.fromPort <= HTTPS && HTTPS <= r.toPort),
      )
      .map((r) => r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId ?? '?'),
  );
  const verb = ids.length === 1 ? 'allows' : 'allow';
  const allowed =
    sources.length === 0
      ? `${verb} no inbound TCP 443 at all`
      : `${verb} inbound TCP 443 only from ${[...new Set(sources)].slice(0, 3).join(', ')}`;
  const cidr = fix.vpcCidr ?? formatCidr(source.cidr);
  return broken(
    'NET.ENDPOINT_SG_BLOCKS',
    `the security group${ids.length === 1 ? '' : 's'} of endpoint ${endpointId} (${ids.join(', ') || 'none'}) ${allowed}, not from ${from}`,
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: ids.join(',') || endpointId },
    [{ path, resourceId: ids.join(',') || endpointId, actual: allowed, expected: `tcp/443 from ${from}` }],
    ids[0]
      ? {
          text: "Allow inbound TCP 443 on the endpoint's security group from the instances (their subnet or VPC CIDR, or their security group).",
          command: `aws ec2 authorize-security-group-ingress --group-id ${ids[0]} --protocol tcp --port 443 --cidr ${cidr}`,
        }
      : undefined,
  );
}

/** A free rule number just below `blocking` (or below the catch-all), for the suggested fix. */
function freeRuleNumber(entries: readonly NetworkAclEntry[], blocking: number | undefined): number {
  const used = new Set(entries.map((e) => e.ruleNumber));
  const start = blocking === undefined || blocking >= 32767 ? 32766 : blocking - 1;
  for (let n = start; n >= 1; n--) if (!used.has(n)) return n;
  return 1;
}

/**
 * A subnet's NACL lets the connection through both ways: the request on 443 one way, the reply on the
 * ephemeral ports the other way (NACLs are stateless). `outbound` is true on the instance's subnet (request
 * leaves), false on the endpoint's subnet (request arrives).
 */
export function naclHop(
  acl: NetworkAcl,
  subnetId: string,
  requestLeaves: boolean,
  peer: Cidr,
  ephemeral: PortRange,
  onPartial: 'ambiguous' | 'skip',
  cache: PathCache,
  /** The block messages and the fix name, when the decision was taken for a part of it (`peer`). */
  shown: Cidr = peer,
): PathOutcome | 'ambiguous' {
  const legs: { egress: boolean; ports: PortRange; label: string }[] = requestLeaves
    ? [
        { egress: true, ports: [HTTPS, HTTPS], label: `outbound TCP 443 to ${describeCidr(shown)}` },
        {
          egress: false,
          ports: ephemeral,
          label: `inbound return traffic (TCP ${ephemeral[0]}-${ephemeral[1]}) from ${describeCidr(shown)}`,
        },
      ]
    : [
        { egress: false, ports: [HTTPS, HTTPS], label: `inbound TCP 443 from ${describeCidr(shown)}` },
        {
          egress: true,
          ports: ephemeral,
          label: `outbound return traffic (TCP ${ephemeral[0]}-${ephemeral[1]}) to ${describeCidr(shown)}`,
        },
      ];
  const evidence = [];
  for (const leg of legs) {
    const entries = cache.entriesOf(acl, leg.egress);
    const decision: NaclDecision = evaluateNacl(entries, { peer, ports: leg.ports, onPartial }, cache);
    if (decision.kind === 'ambiguous') return 'ambiguous';
    const path = `networkAcl.entries[${leg.egress ? 'egress' : 'ingress'}]`;
    if (decision.kind === 'mixed') {
      const rule = describeNaclRule(decision.rule);
      const allowed = decision.allowed.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
      return unverifiable(
        `network ACL ${acl.networkAclId} of ${subnetId} allows ${leg.label} only on ports ${allowed}; ${rule} denies ports ${decision.ports[0]}-${decision.ports[1]}, so it depends on the port the connection uses`,
        acl.networkAclId,
        [
          {
            path,
            resourceId: acl.networkAclId,
            actual: `ports ${allowed} allowed, ${rule} denies ${decision.ports[0]}-${decision.ports[1]}`,
            expected: leg.label,
          },
        ],
      );
    }
    if (decision.kind === 'deny') {
      const rule = describeNaclRule(decision.rule);
      const number = freeRuleNumber(entries, decision.rule);
      const portRange = `From=${leg.ports[0]},To=${leg.ports[1]}`;
      return broken(
        'NET.NACL_BLOCKS',
        `network ACL ${acl.networkAclId} of ${subnetId} denies ${leg.label} (${rule}${decision.ports[0] === leg.ports[0] && decision.ports[1] === leg.ports[1] ? '' : `, ports ${decision.ports[0]}-${decision.ports[1]}`})`,
        { resourceType: 'AWS::EC2::NetworkAcl', resourceId: acl.networkAclId },
        [{ path, resourceId: acl.networkAclId, actual: `${rule} denies`, expected: leg.label }],
        {
          text: `Allow ${leg.label} in network ACL ${acl.networkAclId} with a rule numbered below ${rule === 'the default deny rule (*)' ? 'the catch-all' : rule}. NACLs are stateless: both directions need a rule.`,
          command: `aws ec2 create-network-acl-entry --network-acl-id ${acl.networkAclId} --rule-number ${number} ${leg.egress ? '--egress' : '--ingress'} --protocol 6 --port-range ${portRange} ${shown.family === 4 ? '--cidr-block' : '--ipv6-cidr-block'} ${formatCidr(shown)} --rule-action allow`,
        },
      );
    }
    evidence.push({
      path,
      resourceId: acl.networkAclId,
      actual: `allowed by rule ${decision.rules.join(', ')}${decision.partial.length > 0 ? ` (rules ${decision.partial.join(', ')} cover part of the range and were not decisive)` : ''}`,
      expected: leg.label,
    });
  }
  return open(acl.networkAclId, evidence);
}
