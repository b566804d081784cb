// SCPs along the organization tree: one layer per level from the root to the account, the management account
// exempt, and an attached SCP whose document is missing is an error, never a pass.
import { describe, expect, it } from 'vitest';
import { resolveActionSet } from '../../src/iam/action-sets.js';
import { AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN } from '../../src/iam/aws-managed-policies.js';
import { evaluateRolePermissions } from '../../src/iam/role-permissions.js';
import { ScpNotSuppliedError, scpLayersForAccount } from '../../src/iam/scp-layers.js';
import type { IamRole, Organization, ServiceControlPolicy } from '../../src/inventory/model.js';
import { allow, deny, doc } from './iam-test-helpers.js';

const MANAGEMENT = '999999999999';
const IN_WORKLOADS = '111111111111';
const IN_SANDBOX = '222222222222';
const UNDER_ROOT = '333333333333';
const IN_NESTED = '444444444444';
const OUTSIDE = '555555555555';

const SCPS: ServiceControlPolicy[] = [
  { policyId: 'p-FullAWSAccess', name: 'FullAWSAccess', targetAccountIds: [], policy: doc(allow('*')) },
  { policyId: 'p-denyssm', name: 'DenySsm', targetAccountIds: [], policy: doc(deny('ssm:*')) },
  { policyId: 'p-ec2only', name: 'Ec2Only', targetAccountIds: [], policy: doc(allow('ec2:*')) },
  {
    policyId: 'p-flat',
    name: 'FlatDenySessions',
    targetAccountIds: [OUTSIDE],
    policy: doc(deny('ssmmessages:*')),
  },
];

// root r-root ── ou-workloads ── IN_WORKLOADS
//            │               └─ ou-nested ── IN_NESTED   (only ec2:* allowed at ou-nested)
//            ├─ ou-sandbox (DenySsm) ── IN_SANDBOX
//            ├─ UNDER_ROOT
//            └─ MANAGEMENT (DenySsm attached: no effect on the management account)
const ORG: Organization = {
  organizationId: 'o-example',
  managementAccountId: MANAGEMENT,
  origin: 'test',
  parentOf: {
    'ou-workloads': 'r-root',
    'ou-sandbox': 'r-root',
    'ou-nested': 'ou-workloads',
    [IN_WORKLOADS]: 'ou-workloads',
    [IN_SANDBOX]: 'ou-sandbox',
    [UNDER_ROOT]: 'r-root',
    [IN_NESTED]: 'ou-nested',
    [MANAGEMENT]: 'r-root',
  },
  attachedScps: {
    'r-root': ['p-FullAWSAccess'],
    'ou-workloads': ['p-FullAWSAccess'],
    'ou-sandbox': ['p-FullAWSAccess', 'p-denyssm'],
    'ou-nested': ['p-ec2only'],
    [IN_WORKLOADS]: ['p-FullAWSAccess'],
    [IN_SANDBOX]: ['p-FullAWSAccess'],
    [UNDER_ROOT]: ['p-FullAWSAccess'],
    [IN_NESTED]: ['p-FullAWSAccess'],
    [MANAGEMENT]: ['p-FullAWSAccess', 'p-denyssm'],
  },
};

const agentCore = resolveActionSet({ name: 'agent-core' });

function decide(accountId: string, org: Organization = ORG, scps = SCPS): Record<string, string> {
  const role: IamRole = {
    accountId,
    region: 'global',
    roleName: 'SSMRole',
    arn: `arn:aws:iam::${accountId}:role/SSMRole`,
    path: '/',
    attachedPolicies: [
      { policyArn: AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN, policyName: 'AmazonSSMManagedInstanceCore' },
    ],
    inlinePolicies: [],
    instanceProfileArns: [],
    tags: {},
  };
  const result = evaluateRolePermissions(role, {
    actionSet: agentCore,
    managedPolicies: new Map(),
    scpLayers: scpLayersForAccount(accountId, scps, [org]).layers,
  });
  if (result.status !== 'EVALUATED') throw new Error(result.error.message);
  return Object.fromEntries(result.decisions.map((d) => [d.action, d.decision]));
}

describe('SCP layers along the organization tree', () => {
  it.for([
    {
      name: 'account in an OU that allows everything',
      account: IN_WORKLOADS,
      update: 'ALLOWED',
      channel: 'ALLOWED',
    },
    {
      name: 'account in an OU with a Deny on ssm:*',
      account: IN_SANDBOX,
      update: 'EXPLICIT_DENY',
      channel: 'ALLOWED',
    },
    { name: 'account directly under the root', account: UNDER_ROOT, update: 'ALLOWED', channel: 'ALLOWED' },
    // An Allow at the account and the root is not enough: ou-nested allows only ec2:*.
    {
      name: 'account below an OU that allows only ec2:*',
      account: IN_NESTED,
      update: 'NOT_ALLOWED',
      channel: 'NOT_ALLOWED',
    },
    {
      name: 'management account (SCPs do not apply)',
      account: MANAGEMENT,
      update: 'ALLOWED',
      channel: 'ALLOWED',
    },
    {
      name: 'account outside the tree: flat SCP targets',
      account: OUTSIDE,
      update: 'EXPLICIT_DENY',
      channel: 'EXPLICIT_DENY',
    },
  ])('$name', ({ account, update, channel }) => {
    const decisions = decide(account);
    expect(decisions['ssm:UpdateInstanceInformation']).toBe(update);
    expect(decisions['ssmmessages:CreateControlChannel']).toBe(channel);
  });

  it('names every level root first, with the SCPs attached at it', () => {
    const { layers, note } = scpLayersForAccount(IN_NESTED, SCPS, [ORG]);
    expect(layers!.map((l) => l.name)).toEqual([
      'root r-root',
      'OU ou-workloads',
      'OU ou-nested',
      `account ${IN_NESTED}`,
    ]);
    expect(layers!.map((l) => l.policies.map((p) => p.id))).toEqual([
      ['FullAWSAccess'],
      ['FullAWSAccess'],
      ['Ec2Only'],
      ['FullAWSAccess'],
    ]);
    expect(note).toContain('OU ou-nested (Ec2Only)');
  });

  it('says the management account is exempt, and gives it no layer', () => {
    const { layers, note } = scpLayersForAccount(MANAGEMENT, SCPS, [ORG]);
    expect(layers).toBeUndefined();
    expect(note).toMatch(/management account of o-example: SCPs do not apply/);
  });

  it('a level with nothing attached allows nothing', () => {
    const bare: Organization = { ...ORG, attachedScps: { ...ORG.attachedScps, 'ou-workloads': [] } };
    expect(decide(IN_WORKLOADS, bare)['ssm:UpdateInstanceInformation']).toBe('NOT_ALLOWED');
  });

  it('an attached SCP whose document is not in the data is an error naming it, not a pass', () => {
    const scps = SCPS.filter((p) => p.policyId !== 'p-denyssm');
    expect(() => scpLayersForAccount(IN_SANDBOX, scps, [ORG])).toThrow(ScpNotSuppliedError);
    expect(() => scpLayersForAccount(IN_SANDBOX, scps, [ORG])).toThrow(
      /p-denyssm is attached to OU ou-sandbox/,
    );
  });
});
