// Named check: the SSM Agent on an EC2 instance is at least a minimum version and not too many releases behind.

import type { Ec2Instance } from '../../inventory/model.js';
import { compareVersions } from '../operators/version-at-least.js';
import { CheckDataError } from './check-data-error.js';
import type { NamedCheck } from './named-check.js';

interface Params {
  minimumVersion: string;
  /** Released agent versions, any order (e.g. from the agent's RELEASENOTES.md); empty: no release check. */
  releases: string[];
  maxReleasesBehind: number;
}

/**
 * The version is what the agent reported to DescribeInstanceInformation, so it is known only for registered
 * nodes: an unregistered instance is NOT_APPLICABLE here (ec2-instance-ssm-online reports it). 3.2.582.0 is
 * the first agent that supports Default Host Management Configuration (aws-facts §1.4).
 */
export const agentVersionCurrent: NamedCheck<Ec2Instance, Params> = {
  name: 'agent-version-current',
  description:
    'The SSM Agent version is at least the minimum and at most N releases behind the newest listed.',
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.managed-node'],
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      minimumVersion: { type: 'string', pattern: '^\\d+(\\.\\d+)*$', default: '3.2.582.0' },
      releases: { type: 'array', items: { type: 'string', pattern: '^\\d+(\\.\\d+)*$' }, default: [] },
      maxReleasesBehind: { type: 'integer', minimum: 0, default: 5 },
    },
  },
  evaluate(instance, { index, params }) {
    const node = index.managedNodeOf(instance);
    const version = node?.agentVersion;
    if (node === undefined || version === undefined || version === '') {
      return {
        outcome: 'not-applicable',
        detail: `Instance ${instance.instanceId} has reported no SSM Agent version (it is not a registered managed node).`,
        evidence: [{ path: 'managedNode.agentVersion', actual: version }],
      };
    }
    const vsMinimum = compareVersions(version, params.minimumVersion);
    if (vsMinimum === undefined) {
      throw new CheckDataError(
        'AGENT_VERSION_INVALID',
        'SSM.AGENT_VERSION_INVALID',
        `Instance ${instance.instanceId} reported the SSM Agent version "${version}", which is not a dotted version.`,
      );
    }
    const evidence = [
      { path: 'managedNode.agentVersion', actual: version, expected: `>= ${params.minimumVersion}` },
    ];
    if (vsMinimum < 0) {
      return {
        outcome: 'fail',
        reason: 'SSM.AGENT_TOO_OLD',
        detail: `SSM Agent ${version} is older than ${params.minimumVersion}`,
        evidence,
      };
    }
    const newer = params.releases.filter((r) => (compareVersions(r, version) ?? 0) > 0);
    const distinctNewer = new Set(newer).size;
    if (params.releases.length > 0 && distinctNewer > params.maxReleasesBehind) {
      const newest = [...params.releases].sort((a, b) => compareVersions(b, a) ?? 0)[0];
      return {
        outcome: 'fail',
        reason: 'SSM.AGENT_OUTDATED',
        detail: `SSM Agent ${version} is ${distinctNewer} releases behind ${newest} (at most ${params.maxReleasesBehind} allowed)`,
        evidence: [...evidence, { note: `${distinctNewer} newer releases listed` }],
      };
    }
    return { outcome: 'pass', detail: `SSM Agent ${version}`, evidence };
  },
};
