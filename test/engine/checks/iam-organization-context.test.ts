// With the organization's tree in the inventory, aws:PrincipalOrgID and aws:PrincipalOrgPaths are known, so a
// policy guarded on them is decided; without it they stay unknown and the answer is CONDITIONAL, naming the key.
import { describe, expect, it } from 'vitest';
import {
  instanceRoleGrantsActions,
  type GrantsActionsParams,
} from '../../../src/engine/checks/iam-role-grants-actions.js';
import type { Organization } from '../../../src/inventory/model.js';
import { ACCOUNT, CORE, doc, fleet, role } from './iam-check-fixtures.js';

const AGENT_CORE: GrantsActionsParams = { actionSet: 'agent-core', actions: [], includeEc2Messages: false };
const ORG: Organization = {
  organizationId: 'o-testorg0001',
  managementAccountId: '999999999999',
  parentOf: { 'ou-ab12-workload': 'r-ab12', [ACCOUNT]: 'ou-ab12-workload' },
  attachedScps: { 'r-ab12': [], 'ou-ab12-workload': [], [ACCOUNT]: [] },
  origin: 'test',
};

/** The role's inline policy denies the agent's actions outside the given organization (or OU path). */
function guardedRole(condition: Record<string, Record<string, string>>) {
  return role('AppRole', {
    attachedPolicies: [{ policyName: 'AmazonSSMManagedInstanceCore', policyArn: CORE }],
    inlinePolicies: [
      {
        policyName: 'org-guard',
        policy: doc({
          Effect: 'Deny',
          Action: ['ssm:*', 'ssmmessages:*'],
          Resource: '*',
          Condition: condition,
        }),
      },
    ],
  });
}

function judge(condition: Record<string, Record<string, string>>, organizations?: Organization[]) {
  const { inventory, index, instances } = fleet({ profileRole: guardedRole(condition) });
  if (organizations !== undefined) inventory.organizations = organizations;
  return instanceRoleGrantsActions.evaluate(instances[0]!, { index, params: AGENT_CORE, nowMs: 0 });
}

describe('aws:PrincipalOrgID and aws:PrincipalOrgPaths from the organization tree', () => {
  it.for([
    { name: 'in the organization the guard names', org: 'o-testorg0001', outcome: 'pass' },
    { name: 'outside it', org: 'o-otherorg999', outcome: 'fail', reason: 'IAM.EXPLICIT_DENY' },
  ])('PrincipalOrgID guard, $name: decided', ({ org, outcome, reason }) => {
    const result = judge({ StringNotEquals: { 'aws:PrincipalOrgID': org } }, [ORG]);
    expect(result.outcome).toBe(outcome);
    if (reason !== undefined) expect(result).toMatchObject({ reason });
  });

  it('an OU-path guard matches the path root → OU of the account', () => {
    const result = judge(
      {
        'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': 'o-testorg0001/r-ab12/ou-ab12-workload/*' },
      },
      [ORG],
    );
    expect(result.outcome).toBe('pass');
  });

  it('without the tree the key is unknown: CONDITIONAL, naming it', () => {
    const result = judge({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-testorg0001' } });
    expect(result).toMatchObject({ reason: 'IAM.CONDITIONAL' });
    expect(JSON.stringify(result)).toMatch(/aws:PrincipalOrgID/);
  });
});
