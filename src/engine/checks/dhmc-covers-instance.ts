// Named check: Default Host Management Configuration gives this instance credentials instead of a profile.

import type { Ec2Instance } from '../../inventory/model.js';
import type { NamedCheck } from './named-check.js';

/**
 * DHMC covers an instance when the setting is enabled in its account and region and the instance can use
 * IMDSv2 (DHMC does not support IMDSv1; aws-facts §1.4). The agent version (≥ 3.2.582.0) is only known once
 * the node has registered, so it is reported as evidence when known.
 */
export const dhmcCoversInstance: NamedCheck<Ec2Instance, Record<string, never>> = {
  name: 'dhmc-covers-instance',
  description: 'Default Host Management Configuration is enabled for the instance and IMDSv2 is usable.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['region.dhmc'],
  parameters: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(instance, { index }) {
    const setting = index.dhmcSetting(instance);
    if (!setting || !setting.enabled) {
      return {
        outcome: 'fail',
        detail: `DHMC is not enabled in ${instance.accountId}/${instance.region}`,
        evidence: [{ path: 'dhmc.enabled', actual: setting?.enabled ?? false, expected: 'equals true' }],
      };
    }
    if (instance.metadataOptions?.httpEndpoint === 'disabled') {
      return {
        outcome: 'fail',
        detail:
          'DHMC is enabled but the instance metadata endpoint is disabled, so DHMC cannot deliver credentials',
        evidence: [{ path: 'metadataOptions.httpEndpoint', actual: 'disabled', expected: 'equals enabled' }],
      };
    }
    return {
      outcome: 'pass',
      detail: `DHMC role ${setting.roleName ?? '(unnamed)'} covers the instance`,
      evidence: [{ path: 'dhmc.roleName', actual: setting.roleName }],
    };
  },
};
