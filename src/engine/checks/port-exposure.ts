// Named check: no security group of the instance opens the given ports inbound (to the internet, or to any
// source in strict mode), directly, inside a port range, or through an all-traffic rule.

import type { Ec2Instance, SecurityGroupRule } from '../../inventory/model.js';
import type { Evidence } from '../types.js';
import { CheckDataError } from './check-data-error.js';
import type { NamedCheck } from './named-check.js';

/**
 * An instance names a security group that the (read) security-group data does not hold: the data is
 * inconsistent (e.g. taken at different times), so the check cannot judge; it never passes for want of rules.
 */
export function missingGroup(instanceId: string, groupId: string): CheckDataError {
  return new CheckDataError(
    'SECURITY_GROUP_NOT_IN_INVENTORY',
    'DATA.INCONSISTENT',
    `instance ${instanceId} uses security group ${groupId}, which is not in the security-group data; collect both at the same time`,
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groupId },
  );
}

interface Params {
  ports: number[];
  strict: boolean;
}

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

/** The rule's peer as text, for evidence. */
export function describePeer(rule: SecurityGroupRule): string {
  return rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? rule.referencedGroupId ?? '(unknown)';
}

/** True when a rule carries TCP traffic (SSM ports are TCP) on `port`. */
export function ruleAllowsTcpPort(rule: SecurityGroupRule, port: number): boolean {
  if (rule.protocol !== 'tcp' && rule.protocol !== 'all') return false;
  return rule.fromPort <= port && port <= rule.toPort;
}

export const noInboundPorts: NamedCheck<Ec2Instance, Params> = {
  name: 'no-inbound-ports',
  description:
    'No security group attached to the instance allows the given TCP ports inbound from the internet.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.security-groups'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ports: {
        type: 'array',
        items: { type: 'integer', minimum: 0, maximum: 65535 },
        default: [22, 3389, 443],
      },
      strict: { type: 'boolean', default: false },
    },
  },
  evaluate(instance, { index, params, passEvidence = true }) {
    const findings: { groupId: string; rule: SecurityGroupRule; port: number }[] = [];
    const evidence: Evidence[] = [];
    for (const { groupId, group } of index.securityGroupsOf(instance)) {
      if (!group) throw missingGroup(instance.instanceId, groupId);
      for (const rule of group.ingress) {
        const exposed =
          params.strict ||
          (rule.cidrIpv4 !== undefined && INTERNET.has(rule.cidrIpv4)) ||
          (rule.cidrIpv6 !== undefined && INTERNET.has(rule.cidrIpv6));
        if (!exposed) continue;
        for (const port of params.ports)
          if (ruleAllowsTcpPort(rule, port)) findings.push({ groupId, rule, port });
      }
    }
    if (findings.length === 0) {
      if (!passEvidence) return { outcome: 'pass', evidence };
      return {
        outcome: 'pass',
        evidence: [
          ...evidence,
          {
            note: `no inbound ${params.ports.join(', ')} ${params.strict ? 'from any source' : 'from the internet'}`,
          },
        ],
      };
    }
    const first = findings[0]!;
    const describeRule = (f: typeof first): string => {
      const ports =
        f.rule.protocol === 'all'
          ? 'all traffic'
          : f.rule.fromPort === f.rule.toPort
            ? `${f.rule.protocol}/${f.rule.fromPort}`
            : `${f.rule.protocol}/${f.rule.fromPort}-${f.rule.toPort}`;
      return `${f.groupId} allows ${ports} from ${describePeer(f.rule)} (port ${f.port})`;
    };
    const groups = [...new Set(findings.map((f) => f.groupId))];
    return {
      outcome: 'fail',
      detail:
        findings.slice(0, 3).map(describeRule).join('; ') +
        (findings.length > 3 ? `; and ${findings.length - 3} more` : ''),
      evidence: findings.map((f) => ({
        resourceId: f.groupId,
        path: 'securityGroups[*].ingress',
        actual: describeRule(f),
        expected: 'no inbound SSM ports',
        facts: { port: f.port, source: describePeer(f.rule) },
      })),
      cause: { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groups.join(',') },
      remediation: {
        command: `aws ec2 revoke-security-group-ingress --group-id ${first.groupId} --ip-permissions IpProtocol=${first.rule.protocol === 'all' ? '-1' : first.rule.protocol},FromPort=${first.rule.fromPort},ToPort=${first.rule.toPort},${first.rule.cidrIpv6 ? `Ipv6Ranges=[{CidrIpv6=${first.rule.cidrIpv6}}]` : `IpRanges=[{CidrIp=${first.rule.cidrIpv4 ?? '0.0.0.0/0'}}]`}`,
      },
    };
  },
};
