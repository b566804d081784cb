// Named check instance-role-grants-actions: reason precedence, deciding statements, smallest-fix commands, DHMC
// fallback, causes for root-cause grouping, per-inventory caching, and ERROR on unreadable policies.
import { DataUnavailableError } from '../../../src/inventory/coverage.js';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { NAMED_CHECKS } from '../../../src/engine/checks/index.js';
import { compileRule } from '../../../src/engine/compile-rule.js';
import { RuleFileError } from '../../../src/errors.js';
import { shippedRulesDir } from '../../../src/package-root.js';
import { loadRules } from '../../../src/ruleset/load-rules.js';
import { CheckDataError } from '../../../src/engine/checks/check-data-error.js';
import {
  instanceRoleGrantsActions,
  type GrantsActionsParams,
} from '../../../src/engine/checks/iam-role-grants-actions.js';
import { iamContextOf } from '../../../src/engine/checks/iam-inventory-context.js';
import type { CheckResult } from '../../../src/engine/checks/named-check.js';
import {
  ACCOUNT,
  CORE,
  DHMC_POLICY,
  doc,
  fleet,
  managedPolicy,
  role,
  trust,
  type FleetSpec,
} from './iam-check-fixtures.js';

const AGENT_CORE: GrantsActionsParams = { actionSet: 'agent-core', actions: [], includeEc2Messages: false };
const withCore = { attachedPolicies: [{ policyName: 'AmazonSSMManagedInstanceCore', policyArn: CORE }] };
const CUSTOMER_POLICY = `arn:aws:iam::${ACCOUNT}:policy/SsmFreeze`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/Boundary`;
const dhmcRole = role('DhmcRole', {
  path: '/service-role/',
  trustPolicy: trust('ssm.amazonaws.com'),
  attachedPolicies: [{ policyName: 'AmazonSSMManagedEC2InstanceDefaultPolicy', policyArn: DHMC_POLICY }],
});

function run(spec: FleetSpec, params: GrantsActionsParams = AGENT_CORE): CheckResult {
  const { index, instances } = fleet(spec);
  return instanceRoleGrantsActions.evaluate(instances[0]!, { index, params, nowMs: 0 });
}

interface Row {
  name: string;
  spec: FleetSpec;
  params?: GrantsActionsParams;
  outcome: CheckResult['outcome'];
  reason?: string;
  detail?: string[];
  command?: string;
  remediation?: string;
}

const ROWS: Row[] = [
  {
    name: 'Core attached',
    spec: { profileRole: role('AppRole', withCore) },
    outcome: 'pass',
    detail: ['role AppRole (instance profile AppProfile) allows all 5 agent-core actions'],
  },
  {
    name: 'an identity Deny outranks a missing action and names both',
    spec: {
      profileRole: role('AppRole', {
        inlinePolicies: [
          {
            policyName: 'partial',
            policy: doc({
              Effect: 'Allow',
              Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:Create*'],
              Resource: '*',
            }),
          },
          {
            policyName: 'no-data',
            policy: doc(
              { Sid: 'NoData', Effect: 'Deny', Action: 'ssmmessages:CreateDataChannel', Resource: '*' },
              { Effect: 'Allow', Action: 's3:*', Resource: '*' },
            ),
          },
        ],
      }),
    },
    outcome: 'fail',
    reason: 'IAM.EXPLICIT_DENY',
    detail: [
      'is denied ssmmessages:CreateDataChannel by inline policy no-data Statement[0] (Sid "NoData")',
      'lacks ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel',
    ],
    // The policy also grants s3, so deleting it is not the smallest fix: edit it.
    command: 'aws iam get-role-policy --role-name AppRole --policy-name no-data',
  },
  {
    name: 'a Deny in a customer managed policy is fixed by a new policy version',
    spec: {
      profileRole: role('AppRole', {
        attachedPolicies: [
          { policyName: 'AmazonSSMManagedInstanceCore', policyArn: CORE },
          { policyName: 'SsmFreeze', policyArn: CUSTOMER_POLICY },
        ],
      }),
      managedPolicies: [
        managedPolicy(
          CUSTOMER_POLICY,
          [{ Effect: 'Deny', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }],
          { defaultVersionId: 'v4' },
        ),
      ],
    },
    outcome: 'fail',
    reason: 'IAM.EXPLICIT_DENY',
    detail: [`by managed policy ${CUSTOMER_POLICY} (default version v4) Statement[0]`],
    command: `aws iam create-policy-version --policy-arn ${CUSTOMER_POLICY} --policy-document file://without-deny.json --set-as-default`,
  },
  {
    name: 'a Deny statement inside the boundary is IAM.BOUNDARY_DENY',
    spec: {
      profileRole: role('AppRole', { ...withCore, permissionsBoundaryArn: BOUNDARY }),
      managedPolicies: [
        managedPolicy(BOUNDARY, [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'NoSessions', Effect: 'Deny', Action: 'ssmmessages:*', Resource: '*' },
        ]),
      ],
    },
    outcome: 'fail',
    reason: 'IAM.BOUNDARY_DENY',
    detail: [
      `is denied ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel by permissions boundary ${BOUNDARY} (default version v1) Statement[1] (Sid "NoSessions")`,
    ],
    command: `aws iam create-policy-version --policy-arn ${BOUNDARY} --policy-document file://boundary-with-ssm.json --set-as-default`,
  },
  {
    name: 'custom actions outside AmazonSSMManagedInstanceCore get an inline put-role-policy',
    spec: { profileRole: role('AppRole', withCore) },
    params: {
      actionSet: 'custom',
      actions: ['ssm:UpdateInstanceInformation', 's3:GetObject'],
      includeEc2Messages: false,
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    command: `aws iam put-role-policy --role-name AppRole --policy-name ssmguard-ssm-agent-actions --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}'`,
  },
  {
    name: 'a GovCloud role is told to attach the policy in its own partition',
    spec: {
      profileRole: role('AppRole', {
        arn: `arn:aws-us-gov:iam::${ACCOUNT}:role/AppRole`,
        inlinePolicies: [
          { policyName: 'p', policy: doc({ Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*' }) },
        ],
      }),
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    command:
      'aws iam attach-role-policy --role-name AppRole --policy-arn arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore',
  },
  {
    name: 'a DHMC role is told to attach the DHMC policy',
    spec: {
      dhmc: { enabled: true, roleName: 'service-role/DhmcRole' },
      otherRoles: [role('DhmcRole', { path: '/service-role/', trustPolicy: trust('ssm.amazonaws.com') })],
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    detail: ['DHMC role service-role/DhmcRole lacks ssm:UpdateInstanceInformation'],
    command: `aws iam attach-role-policy --role-name DhmcRole --policy-arn ${DHMC_POLICY}`,
  },
  {
    name: 'an allow scoped to instance ARNs does not cover ssmmessages, which supports no resource types',
    spec: {
      profileRole: role('AppRole', {
        inlinePolicies: [
          {
            policyName: 'scoped',
            policy: doc({
              Effect: 'Allow',
              Action: ['ssm:*', 'ssmmessages:*'],
              Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`,
            }),
          },
        ],
      }),
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    detail: [
      'lacks ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel: no policy',
    ],
  },
  {
    name: 'the fallback does not help when the DHMC role is not trusted by ssm',
    spec: {
      profileRole: role('AppRole'),
      dhmc: { enabled: true, roleName: 'DhmcRole' },
      otherRoles: [role('DhmcRole', { ...withCore })],
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    detail: [
      'tries DHMC instead, but DHMC role DhmcRole is not usable: its trust policy is NOT_TRUSTED for ssm.amazonaws.com',
    ],
  },
  {
    name: 'the fallback does not help when the DHMC role lacks the actions too',
    spec: {
      profileRole: role('AppRole'),
      dhmc: { enabled: true, roleName: 'DhmcRole' },
      otherRoles: [role('DhmcRole', { trustPolicy: trust('ssm.amazonaws.com') })],
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    detail: ['tries DHMC instead, but DHMC role DhmcRole lacks ssm:UpdateInstanceInformation'],
  },
  {
    name: 'the fallback rescues the instance when DHMC covers it with a good role',
    spec: {
      profileRole: role('AppRole'),
      dhmc: { enabled: true, roleName: 'service-role/DhmcRole' },
      otherRoles: [dhmcRole],
    },
    outcome: 'pass',
    detail: ['so the agent works through DHMC'],
  },
  {
    name: 'the fallback is not evaluated when DHMC data was not read, and that is said',
    spec: { profileRole: role('AppRole'), missing: ['ssm:dhmc-setting'] },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    detail: ['but the DHMC setting was not read, so ssmguard cannot tell whether that works'],
  },
  {
    name: 'IMDS disabled stops the DHMC fallback',
    spec: {
      profileRole: role('AppRole'),
      dhmc: { enabled: true, roleName: 'service-role/DhmcRole' },
      otherRoles: [dhmcRole],
      instance: { metadataOptions: { httpEndpoint: 'disabled' } },
    },
    outcome: 'fail',
    reason: 'IAM.MISSING_ACTION',
    detail: ['but DHMC is enabled but the instance metadata endpoint is disabled'],
  },
];

describe('instance-role-grants-actions', () => {
  test.for(ROWS)('$name', ({ spec, params, outcome, reason, detail, command }) => {
    // Act
    const result = run(spec, params);
    // Assess
    expect(result.outcome).toBe(outcome);
    if (result.outcome === 'fail') {
      expect(result.reason).toBe(reason);
      expect(result.cause?.resourceType).toBe('AWS::IAM::Role');
      if (command !== undefined) expect(result.remediation?.command).toContain(command);
    }
    for (const part of detail ?? []) expect(result.detail).toContain(part);
  });

  it('lists every non-allowed action in the evidence with its decision and deciding statement', () => {
    // Act
    const result = run({
      profileRole: role('AppRole', {
        inlinePolicies: [
          {
            policyName: 'deny',
            policy: doc({ Sid: 'X', Effect: 'Deny', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }),
          },
        ],
      }),
    });
    // Assess
    expect(result.evidence).toContainEqual(
      expect.objectContaining({
        path: 'role.permissions',
        actual: 'EXPLICIT_DENY',
        expected: 'ALLOWED',
        note: 'ssm:UpdateInstanceInformation: denied by identity; inline policy deny Statement[0] (Sid "X")',
      }),
    );
    expect(result.evidence).toContainEqual(
      expect.objectContaining({
        path: 'role.permissions',
        actual: 'NOT_ALLOWED',
        note: 'ssmmessages:OpenDataChannel: denied by identity; no statement allows it',
      }),
    );
  });

  test.for([
    {
      name: 'SCPs not supplied',
      spec: {},
      note: 'SCPs not supplied: the SCP layer was not evaluated (ssmguard scan --scp FILE)',
    },
    {
      name: 'no SCP for the account',
      spec: { scps: [] },
      note: `no supplied SCP applies to account ${ACCOUNT}`,
    },
    {
      name: 'SCPs evaluated',
      spec: {
        scps: [
          {
            policyId: 'p-FullAWSAccess',
            name: 'FullAWSAccess',
            targetAccountIds: [],
            policy: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
          },
        ],
      },
      note: `SCPs evaluated for account ${ACCOUNT}: FullAWSAccess`,
    },
  ])('says in the evidence how SCPs were treated: $name', ({ spec, note }) => {
    // Act
    const result = run({ profileRole: role('AppRole', withCore), ...spec });
    // Assess
    expect(result.outcome).toBe('pass');
    expect(result.evidence).toContainEqual({ path: 'serviceControlPolicies', note });
  });

  it('fails closed when supplied SCPs could not be read: DataUnavailableError (ERROR), never a skipped layer', () => {
    expect(() =>
      run({ profileRole: role('AppRole', withCore), scps: [], unreadable: ['org:service-control-policies'] }),
    ).toThrow(DataUnavailableError);
  });

  it('throws CheckDataError (IAM.POLICY_UNREADABLE, grouped by role) when a policy cannot be read', () => {
    // Prepare
    const { index, instances } = fleet({
      profileRole: role('AppRole', {
        attachedPolicies: [{ policyName: 'Gone', policyArn: CUSTOMER_POLICY }],
      }),
    });
    // Act
    const act = (): unknown =>
      instanceRoleGrantsActions.evaluate(instances[0]!, { index, params: AGENT_CORE, nowMs: 0 });
    // Assess
    expect(act).toThrow(CheckDataError);
    try {
      act();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'IAM_POLICY_UNAVAILABLE',
        reason: 'IAM.POLICY_UNREADABLE',
        causeRef: { key: `arn:aws:iam::${ACCOUNT}:role/AppRole` },
      });
    }
  });

  it('evaluates a role once for 40 instances that share it, and gives them one cause', () => {
    // Prepare
    const { index, instances } = fleet({ profileRole: role('SharedRole'), count: 40 });
    // Act
    const results = instances.map((i) =>
      instanceRoleGrantsActions.evaluate(i, { index, params: AGENT_CORE, nowMs: 0 }),
    );
    // Assess
    expect(new Set(results.map((r) => (r.outcome === 'fail' ? r.cause?.resourceId : undefined)))).toEqual(
      new Set([`arn:aws:iam::${ACCOUNT}:role/SharedRole`]),
    );
    expect(iamContextOf(index).verdictCount).toBe(1);
  });

  it('still evaluates a role once when its only resource-scoped statements are about other actions', () => {
    // Prepare: an application bucket statement names resources, but no agent-core action matches it.
    const appData = {
      policyName: 'app-data',
      policy: doc({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::app-data/*',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'web' } },
      }),
    };
    const { index, instances } = fleet({
      profileRole: role('SharedRole', { ...withCore, inlinePolicies: [appData] }),
      count: 30,
    });
    // Act
    const results = instances.map((i) =>
      instanceRoleGrantsActions.evaluate(i, { index, params: AGENT_CORE, nowMs: 0 }),
    );
    // Assess
    expect(results.every((r) => r.outcome === 'pass')).toBe(true);
    expect(iamContextOf(index).verdictCount).toBe(1);
  });

  it('decides per instance when a statement about an agent action names instances', () => {
    // Prepare: a Deny on one instance ARN for the registration call.
    const { index, instances } = fleet({ profileRole: role('SharedRole', withCore), count: 3 });
    const fenced = instances[1]!;
    index.inventory.roles[0]!.inlinePolicies.push({
      policyName: 'fence',
      policy: doc({
        Effect: 'Deny',
        Action: 'ssm:UpdateInstanceInformation',
        Resource: `arn:aws:ec2:*:*:instance/${fenced.instanceId}`,
      }),
    });
    // Act
    const outcomes = instances.map(
      (i) => instanceRoleGrantsActions.evaluate(i, { index, params: AGENT_CORE, nowMs: 0 }).outcome,
    );
    // Assess
    expect(outcomes).toEqual(['pass', 'fail', 'pass']);
    expect(iamContextOf(index).verdictCount).toBe(3);
  });

  it('never leaks results between inventories that reuse a role ARN', () => {
    // Prepare
    const good = fleet({ profileRole: role('AppRole', withCore) });
    const bad = fleet({ profileRole: role('AppRole') });
    // Act
    const first = instanceRoleGrantsActions.evaluate(good.instances[0]!, {
      index: good.index,
      params: AGENT_CORE,
      nowMs: 0,
    });
    const second = instanceRoleGrantsActions.evaluate(bad.instances[0]!, {
      index: bad.index,
      params: AGENT_CORE,
      nowMs: 0,
    });
    // Assess
    expect(first.outcome).toBe('pass');
    expect(second.outcome).toBe('fail');
  });

  it('rejects a custom action set without actions when the rule is compiled', async () => {
    // Prepare
    const [rule] = await loadRules([
      join(shippedRulesDir(), 'ec2', 'ec2-instance-role-grants-ssm-core.yaml'),
    ]);
    // Act
    const act = (): unknown =>
      compileRule(rule!, {
        params: { actionSet: 'custom', actions: [], includeEc2Messages: false },
        checks: NAMED_CHECKS,
      });
    // Assess
    expect(act).toThrow(RuleFileError);
    expect(act).toThrow('/actions must NOT have fewer than 1 items');
  });
});
