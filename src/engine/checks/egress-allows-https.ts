// Named check: the instance's security groups allow outbound TCP 443 (the agent opens every connection).

import type { Ec2Instance } from '../../inventory/model.js';
import type { NamedCheck } from './named-check.js';
import { describePeer, missingGroup, ruleAllowsTcpPort } from './port-exposure.js';

export const egressAllowsHttps: NamedCheck<Ec2Instance, Record<string, never>> = {
  name: 'egress-allows-https',
  description: 'Some security group of the instance allows outbound TCP 443.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.security-groups'],
  parameters: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(instance, { index, passEvidence = true }) {
    const groups = index.securityGroupsOf(instance);
    const allowing: string[] = [];
    let allowed = false;
    for (const { groupId, group } of groups) {
      if (!group) throw missingGroup(instance.instanceId, groupId);
      for (const rule of group.egress) {
        if (!ruleAllowsTcpPort(rule, 443)) continue;
        allowed = true;
        if (passEvidence) allowing.push(`${groupId} → ${describePeer(rule)}`);
      }
    }
    if (allowed) {
      return {
        outcome: 'pass',
        detail: allowing.join('; '),
        evidence: allowing.map((a) => ({
          path: 'securityGroups[*].egress',
          actual: a,
          expected: 'tcp/443 outbound',
        })),
      };
    }
    const ids = groups.map((g) => g.groupId);
    return {
      outcome: 'fail',
      detail:
        ids.length === 0
          ? 'the instance has no security groups'
          : `none of ${ids.join(', ')} allows outbound TCP 443`,
      evidence: groups.map((g) => ({
        resourceId: g.groupId,
        path: 'securityGroups[*].egress',
        actual: g.group ? `${g.group.egress.length} egress rules` : 'not found',
        expected: 'tcp/443 outbound',
      })),
      cause: { resourceType: 'AWS::EC2::SecurityGroup', resourceId: ids.join(',') },
      remediation: ids[0]
        ? {
            command: `aws ec2 authorize-security-group-egress --group-id ${ids[0]} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]`,
          }
        : undefined,
    };
  },
};
