// isFullAccessPolicy: only a policy that allows everything to everyone, unconditionally and with no Deny, is a no-op.
import { describe, expect, it } from 'vitest';
import { isFullAccessPolicy } from '../../src/iam/full-access-policy.js';
import { evaluateRolePermissions, resolveActionSet } from '../../src/iam/index.js';
import type { IamRole } from '../../src/inventory/model.js';

const ALL = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
const doc = (...Statement: unknown[]) => ({ document: { Statement } as never });

describe('isFullAccessPolicy', () => {
  it.each([
    ['the default endpoint policy', doc(ALL), true],
    [
      'the default with Principal {"AWS": "*"} and lists',
      doc({ ...ALL, Principal: { AWS: '*' }, Action: ['*'] }),
      true,
    ],
    ['a single statement object', { document: { Statement: ALL } as never }, true],
    ['plus a Deny', doc(ALL, { Effect: 'Deny', Principal: '*', Action: 'ssm:*', Resource: '*' }), false],
    [
      'with a condition',
      doc({ ...ALL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }),
      false,
    ],
    ['only ssm actions', doc({ ...ALL, Action: 'ssm:*' }), false],
    ['one principal', doc({ ...ALL, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), false],
    ['one resource', doc({ ...ALL, Resource: 'arn:aws:s3:::b/*' }), false],
    ['NotAction', doc({ Effect: 'Allow', Principal: '*', NotAction: 'iam:*', Resource: '*' }), false],
    ['unparsable', { parseError: 'bad', raw: '{' }, false],
  ])('%s → %s', (_name, policy, expected) => {
    expect(isFullAccessPolicy(policy as never)).toBe(expected);
  });
});

describe('a role whose permissions were not read', () => {
  it('is an ERROR (IAM_POLICY_UNAVAILABLE), never "no policies"', () => {
    // Prepare
    const role: IamRole = {
      accountId: '111122223333',
      region: 'global',
      roleName: 'R',
      arn: 'arn:aws:iam::111122223333:role/R',
      path: '/',
      attachedPolicies: [],
      inlinePolicies: [],
      instanceProfileArns: [],
      tags: {},
      permissionsUnread: true,
    };
    // Act
    const result = evaluateRolePermissions(role, {
      actionSet: resolveActionSet({ name: 'agent-core', includeEc2Messages: false }),
      managedPolicies: new Map(),
    });
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', error: { code: 'IAM_POLICY_UNAVAILABLE' } });
  });
});
