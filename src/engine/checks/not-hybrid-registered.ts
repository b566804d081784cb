// Named check: an EC2 instance is not registered with SSM through a hybrid activation (as an mi- node).

import type { Ec2Instance } from '../../inventory/model.js';
import type { NamedCheck } from './named-check.js';

/**
 * SSM gives no EC2 id for a hybrid registration, so the match is by private IP or host name in the same account
 * (aws-facts §2). Such an instance keeps the mi- identity even with a valid profile, because the agent's OnPrem
 * identity outranks EC2, and it counts against the hybrid-node quota.
 */
export const notHybridRegistered: NamedCheck<Ec2Instance, Record<string, never>> = {
  name: 'not-hybrid-registered',
  description: 'No hybrid (mi-) managed node matches the instance by private IP or host name.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['account.hybrid-nodes'],
  parameters: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(instance, { index }) {
    const matches = index.hybridRegistrationsOf(instance);
    if (matches.length === 0)
      return { outcome: 'pass', evidence: [{ note: 'no mi- node matches its IP or host name' }] };
    const node = matches[0]!;
    return {
      outcome: 'fail',
      detail: `registered as ${matches.map((m) => m.instanceId).join(', ')} (activation ${node.activationId ?? 'unknown'}, IP ${node.ipAddress ?? '?'}, host ${node.computerName ?? '?'})`,
      evidence: matches.map((m) => ({
        resourceId: m.instanceId,
        path: 'managedNodes',
        actual: { ipAddress: m.ipAddress, computerName: m.computerName, activationId: m.activationId },
        expected: 'no hybrid registration',
      })),
      cause: { resourceType: 'AWS::SSM::ManagedInstance', resourceId: node.instanceId },
      remediation: {
        command: `aws ssm deregister-managed-instance --instance-id ${node.instanceId}`,
      },
    };
  },
};
