// Role-level evaluation: action sets, embedded AWS managed policies, unavailable documents, default versions, cache.
import { describe, expect, test } from 'vitest';
import type { IamRole, ManagedPolicy, ServiceControlPolicy } from '../../src/inventory/model.js';
import {
  AGENT_CORE_ACTIONS,
  EC2MESSAGES_ACTIONS,
  PATCHING_EXTRA_ACTIONS,
  resolveActionSet,
} from '../../src/iam/action-sets.js';
import {
  AMAZON_EC2_ROLE_FOR_SSM_ARN,
  AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
  AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN,
  DEPRECATED_AWS_MANAGED_POLICY_ARNS,
  findEmbeddedAwsManagedPolicy,
  isDeprecatedAwsManagedPolicy,
} from '../../src/iam/aws-managed-policies.js';
import { pickDefaultPolicyVersion } from '../../src/iam/pick-default-policy-version.js';
import { RolePermissionCache, scpKey } from '../../src/iam/role-permission-cache.js';
import {
  evaluateRolePermissions,
  type RolePermissionEvaluation,
  type RolePermissionOptions,
} from '../../src/iam/role-permissions.js';
import { scpLayersForAccount } from '../../src/iam/scp-layers.js';
import { allow, deny, doc } from './iam-test-helpers.js';

const ACCOUNT = '111122223333';
const CUSTOM_ARN = `arn:aws:iam::${ACCOUNT}:policy/ssm-agent`;
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/boundary`;

function role(overrides: Partial<IamRole> = {}): IamRole {
  return {
    accountId: ACCOUNT,
    region: 'global',
    roleName: 'SSMRole',
    arn: `arn:aws:iam::${ACCOUNT}:role/SSMRole`,
    path: '/',
    attachedPolicies: [],
    inlinePolicies: [],
    instanceProfileArns: [],
    tags: {},
    ...overrides,
  };
}

function managed(arn: string, defaultVersion: ManagedPolicy['defaultVersion']): ManagedPolicy {
  return {
    accountId: ACCOUNT,
    region: 'global',
    policyName: arn.split('/').pop()!,
    arn,
    defaultVersion,
    isAwsManaged: arn.includes(':aws:policy'),
  };
}

function attach(...arns: string[]): Pick<IamRole, 'attachedPolicies'> {
  return {
    attachedPolicies: arns.map((policyArn) => ({ policyArn, policyName: policyArn.split('/').pop()! })),
  };
}

function decisions(result: RolePermissionEvaluation): Record<string, string> {
  if (result.status !== 'EVALUATED')
    throw new Error(`unexpected ERROR ${result.error.code}: ${result.error.message}`);
  return Object.fromEntries(result.decisions.map((d) => [d.action, d.decision]));
}

function allAllowed(result: RolePermissionEvaluation): boolean {
  return Object.values(decisions(result)).every((d) => d === 'ALLOWED');
}

const NO_POLICIES = new Map<string, ManagedPolicy>();
const agentCore = resolveActionSet({ name: 'agent-core' });
const patching = resolveActionSet({ name: 'patching' });

describe('action sets', () => {
  test('agent-core is UpdateInstanceInformation plus the four ssmmessages channel actions', () => {
    expect(agentCore).toEqual({
      key: 'agent-core',
      actions: [
        'ssm:UpdateInstanceInformation',
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
    });
  });

  test('adds the six ec2messages actions for older agents', () => {
    const set = resolveActionSet({ name: 'agent-core', includeEc2Messages: true });
    expect(set.key).toBe('agent-core+ec2messages');
    expect(set.actions).toEqual([...AGENT_CORE_ACTIONS, ...EC2MESSAGES_ACTIONS]);
    expect(EC2MESSAGES_ACTIONS).toHaveLength(6);
  });

  test('patching is agent-core plus the Patch Manager actions', () => {
    expect(patching.key).toBe('patching');
    expect(patching.actions).toEqual([...AGENT_CORE_ACTIONS, ...PATCHING_EXTRA_ACTIONS]);
    expect(patching.actions).toContain('ssm:GetDeployablePatchSnapshotForInstance');
    expect(patching.actions).toContain('ssm:PutConfigurePackageResult');
  });

  test('custom sets dedupe case-insensitively and key by content, not order', () => {
    const a = resolveActionSet({
      name: 'custom',
      actions: ['ssm:GetDocument', 'SSM:getdocument', 'ec2:DescribeTags'],
    });
    const b = resolveActionSet({ name: 'custom', actions: ['ec2:DescribeTags', 'ssm:GetDocument'] });
    expect(a.actions).toEqual(['ssm:GetDocument', 'ec2:DescribeTags']);
    expect(a.key).toBe(b.key);
  });
});

describe('embedded AWS managed policies', () => {
  test.for([
    ['AmazonSSMManagedInstanceCore', AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN, 'agent-core+ec2messages'],
    ['AmazonSSMManagedInstanceCore', AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN, 'patching'],
    [
      'AmazonSSMManagedEC2InstanceDefaultPolicy',
      AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
      'agent-core',
    ],
    [
      'AmazonSSMManagedEC2InstanceDefaultPolicy',
      AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
      'patching',
    ],
    ['AmazonEC2RoleforSSM', AMAZON_EC2_ROLE_FOR_SSM_ARN, 'agent-core'],
  ] as const)('%s allows the %s set (%s)', ([, arn, set]) => {
    const spec =
      set === 'agent-core+ec2messages'
        ? { name: 'agent-core' as const, includeEc2Messages: true }
        : { name: set };
    const result = evaluateRolePermissions(role(attach(arn)), {
      actionSet: resolveActionSet(spec),
      managedPolicies: NO_POLICIES,
    });
    expect(allAllowed(result)).toBe(true);
    expect(result.embeddedPolicyArns).toEqual([arn]);
  });

  test('the DHMC policy omits GetParameter, which Core grants', () => {
    const getParameter = resolveActionSet({ name: 'custom', actions: ['ssm:GetParameter'] });
    const dhmc = evaluateRolePermissions(role(attach(AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN)), {
      actionSet: getParameter,
      managedPolicies: NO_POLICIES,
    });
    const core = evaluateRolePermissions(role(attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN)), {
      actionSet: getParameter,
      managedPolicies: NO_POLICIES,
    });
    expect(decisions(dhmc)['ssm:GetParameter']).toBe('NOT_ALLOWED');
    expect(decisions(core)['ssm:GetParameter']).toBe('ALLOWED');
  });

  test('marks AmazonEC2RoleforSSM deprecated, in every partition', () => {
    expect(DEPRECATED_AWS_MANAGED_POLICY_ARNS.has(AMAZON_EC2_ROLE_FOR_SSM_ARN)).toBe(true);
    expect(isDeprecatedAwsManagedPolicy('arn:aws-cn:iam::aws:policy/service-role/AmazonEC2RoleforSSM')).toBe(
      true,
    );
    expect(isDeprecatedAwsManagedPolicy(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN)).toBe(false);
    const result = evaluateRolePermissions(role(attach(AMAZON_EC2_ROLE_FOR_SSM_ARN)), {
      actionSet: agentCore,
      managedPolicies: NO_POLICIES,
    });
    expect(result.deprecatedPolicyArns).toEqual([AMAZON_EC2_ROLE_FOR_SSM_ARN]);
    expect(findEmbeddedAwsManagedPolicy(AMAZON_EC2_ROLE_FOR_SSM_ARN)?.partial).toBe(true);
  });

  test('finds embedded policies by ARN in other partitions', () => {
    const arn = 'arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore';
    expect(
      allAllowed(
        evaluateRolePermissions(role(attach(arn)), { actionSet: agentCore, managedPolicies: NO_POLICIES }),
      ),
    ).toBe(true);
  });

  test('does not mistake a customer policy with the same name for the AWS one', () => {
    expect(
      findEmbeddedAwsManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/AmazonSSMManagedInstanceCore`),
    ).toBeUndefined();
  });
});

describe('evaluateRolePermissions', () => {
  test('combines inline and customer-managed policies', () => {
    // Prepare
    const policies = new Map([[CUSTOM_ARN, managed(CUSTOM_ARN, doc(allow('ssmmessages:*')))]]);
    const r = role({
      ...attach(CUSTOM_ARN),
      inlinePolicies: [{ policyName: 'health', policy: doc(allow('ssm:UpdateInstanceInformation')) }],
    });

    // Act
    const result = evaluateRolePermissions(r, { actionSet: agentCore, managedPolicies: policies });

    // Assess
    expect(allAllowed(result)).toBe(true);
    expect(result.embeddedPolicyArns).toEqual([]);
  });

  test('prefers the inventory document over the embedded copy', () => {
    const policies = new Map([
      [
        AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN,
        managed(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN, doc(allow('ec2:*'))),
      ],
    ]);
    const result = evaluateRolePermissions(role(attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN)), {
      actionSet: agentCore,
      managedPolicies: policies,
    });
    expect(decisions(result)['ssm:UpdateInstanceInformation']).toBe('NOT_ALLOWED');
  });

  test('gives IAM_POLICY_UNAVAILABLE for an attached policy we have no document for', () => {
    const result = evaluateRolePermissions(role(attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN, CUSTOM_ARN)), {
      actionSet: agentCore,
      managedPolicies: NO_POLICIES,
    });
    expect(result.status).toBe('ERROR');
    expect(result.status === 'ERROR' && result.error.code).toBe('IAM_POLICY_UNAVAILABLE');
    expect(result.status === 'ERROR' && result.error.location.policy).toBe(CUSTOM_ARN);
  });

  test('gives IAM_POLICY_UNAVAILABLE for a listed policy without its default version', () => {
    const policies = new Map([[CUSTOM_ARN, managed(CUSTOM_ARN, undefined)]]);
    const result = evaluateRolePermissions(role(attach(CUSTOM_ARN)), {
      actionSet: agentCore,
      managedPolicies: policies,
    });
    expect(result.status === 'ERROR' && result.error.code).toBe('IAM_POLICY_UNAVAILABLE');
  });

  test('gives IAM_POLICY_UNAVAILABLE for a boundary we have no document for', () => {
    const r = role({ ...attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN), permissionsBoundaryArn: BOUNDARY_ARN });
    const result = evaluateRolePermissions(r, { actionSet: agentCore, managedPolicies: NO_POLICIES });
    expect(result.status === 'ERROR' && result.error).toMatchObject({
      code: 'IAM_POLICY_UNAVAILABLE',
      location: { layer: 'boundary', policy: BOUNDARY_ARN },
    });
  });

  test('gives IAM_POLICY_MALFORMED for an inline policy that did not decode', () => {
    const r = role({
      ...attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN),
      inlinePolicies: [{ policyName: 'bad', policy: { parseError: 'not JSON', raw: '%7B' } }],
    });
    const result = evaluateRolePermissions(r, { actionSet: agentCore, managedPolicies: NO_POLICIES });
    expect(result.status === 'ERROR' && result.error.code).toBe('IAM_POLICY_MALFORMED');
  });

  test('applies the permissions boundary, from a separate lookup when given', () => {
    const boundaries = new Map([[BOUNDARY_ARN, managed(BOUNDARY_ARN, doc(allow('ssm:*')))]]);
    const r = role({ ...attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN), permissionsBoundaryArn: BOUNDARY_ARN });
    const result = evaluateRolePermissions(r, {
      actionSet: agentCore,
      managedPolicies: NO_POLICIES,
      boundaryPolicies: boundaries,
    });
    expect(decisions(result)).toMatchObject({
      'ssm:UpdateInstanceInformation': 'ALLOWED',
      'ssmmessages:OpenDataChannel': 'NOT_ALLOWED',
    });
  });

  test('applies the SCPs that target the role account', () => {
    // Prepare
    const scps: ServiceControlPolicy[] = [
      { policyId: 'p-full', name: 'FullAWSAccess', targetAccountIds: [], policy: doc(allow('*')) },
      {
        policyId: 'p-deny',
        name: 'DenySessions',
        targetAccountIds: [ACCOUNT],
        policy: doc(deny('ssmmessages:*')),
      },
      {
        policyId: 'p-other',
        name: 'DenySsmElsewhere',
        targetAccountIds: ['444455556666'],
        policy: doc(deny('ssm:*')),
      },
    ];

    // Act
    const result = evaluateRolePermissions(role(attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN)), {
      actionSet: agentCore,
      managedPolicies: NO_POLICIES,
      scpLayers: scpLayersForAccount(ACCOUNT, scps).layers,
    });

    // Assess
    expect(decisions(result)).toMatchObject({
      'ssm:UpdateInstanceInformation': 'ALLOWED',
      'ssmmessages:CreateControlChannel': 'EXPLICIT_DENY',
    });
    expect(result.status === 'EVALUATED' && result.decisions[1]).toMatchObject({
      deniedBy: ['scp'],
      statements: [{ policy: 'DenySessions', layer: 'scp' }],
    });
  });

  test('sets no SCP layer for an account no SCP targets', () => {
    expect(
      scpLayersForAccount(ACCOUNT, [
        { policyId: 'p', name: 'x', targetAccountIds: ['444455556666'], policy: doc(allow('*')) },
      ]).layers,
    ).toBeUndefined();
  });
});

describe('pickDefaultPolicyVersion', () => {
  const v1 = {
    VersionId: 'v1',
    IsDefaultVersion: false,
    Document: encodeURIComponent(JSON.stringify({ Statement: [allow('*')] })),
  };
  const v2 = {
    VersionId: 'v2',
    IsDefaultVersion: true,
    Document: encodeURIComponent(JSON.stringify({ Statement: [allow('ec2:*')] })),
  };

  test('picks the version flagged default, not the broader older one', () => {
    const picked = pickDefaultPolicyVersion([v1, v2], 'v2');
    expect(picked?.versionId).toBe('v2');
    const policies = new Map([[CUSTOM_ARN, managed(CUSTOM_ARN, picked?.policy)]]);
    const result = evaluateRolePermissions(role(attach(CUSTOM_ARN)), {
      actionSet: agentCore,
      managedPolicies: policies,
    });
    expect(decisions(result)['ssm:UpdateInstanceInformation']).toBe('NOT_ALLOWED');
  });

  test('falls back to DefaultVersionId when no entry is flagged', () => {
    expect(
      pickDefaultPolicyVersion(
        [
          { ...v1, IsDefaultVersion: undefined },
          { ...v2, IsDefaultVersion: undefined },
        ],
        'v1',
      )?.versionId,
    ).toBe('v1');
  });

  test('returns nothing when no version is the default', () => {
    expect(pickDefaultPolicyVersion([v1], 'v9')).toBeUndefined();
    expect(pickDefaultPolicyVersion(undefined)).toBeUndefined();
  });

  test('keeps a default version without a document as a parse error', () => {
    expect(pickDefaultPolicyVersion([{ VersionId: 'v3', IsDefaultVersion: true }])?.policy).toHaveProperty(
      'parseError',
    );
  });
});

describe('RolePermissionCache', () => {
  function countingCache() {
    let calls = 0;
    const cache = new RolePermissionCache({
      managedPolicies: NO_POLICIES,
      evaluate: (r, options: RolePermissionOptions) => {
        calls += 1;
        return evaluateRolePermissions(r, options);
      },
    });
    return { cache, calls: () => calls };
  }

  test('evaluates a role shared by many instances once', () => {
    // Prepare
    const { cache, calls } = countingCache();
    const shared = role(attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN));

    // Act
    const results = Array.from({ length: 1000 }, () => cache.evaluate(shared, agentCore));

    // Assess
    expect(calls()).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(cache.stats).toEqual({ hits: 999, misses: 1, size: 1 });
  });

  test('keys by role ARN, action set, SCP set and resource', () => {
    // Prepare
    const { cache, calls } = countingCache();
    const a = role(attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN));
    const b = role({
      ...attach(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN),
      arn: `arn:aws:iam::${ACCOUNT}:role/Other`,
    });
    const layers = [{ name: 'root', policies: [{ id: 'FullAWSAccess', policy: doc(allow('*')) }] }];

    // Act
    cache.evaluate(a, agentCore);
    cache.evaluate({ ...a }, agentCore); // another object for the same role ARN
    cache.evaluate(b, agentCore);
    cache.evaluate(a, patching);
    cache.evaluate(a, resolveActionSet({ name: 'agent-core' }));
    cache.evaluate(a, agentCore, layers);
    cache.evaluate(a, agentCore, [...layers]); // same SCP ids, new array
    cache.evaluate(a, agentCore, undefined, 'arn:aws:ec2:us-east-1:111122223333:instance/i-1');

    // Assess
    expect(calls()).toBe(5);
  });

  test('caches ERROR results too', () => {
    const { cache, calls } = countingCache();
    const broken = role(attach(CUSTOM_ARN));
    expect(cache.evaluate(broken, agentCore).status).toBe('ERROR');
    expect(cache.evaluate(broken, agentCore).status).toBe('ERROR');
    expect(calls()).toBe(1);
  });

  test('derives the SCP key from layer names and policy ids', () => {
    const policy = doc(allow('*'));
    expect(scpKey(undefined)).toBe('-');
    expect(
      scpKey([
        {
          name: 'root',
          policies: [
            { id: 'a', policy },
            { id: 'b', policy },
          ],
        },
        { name: 'ou', policies: [] },
      ]),
    ).toBe('root[a,b]/ou[]');
  });
});
