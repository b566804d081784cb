// The IAM documents ssmguard ships (policies/iam/): valid policy language, the least-privilege instance policy
// passes the real IAM rules, and the scan's read-only permissions match what the collectors call, both ways.
import { ORGANIZATION_TREE_PERMISSIONS } from '../src/collectors/live/collect-organization.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { API_RESPONSE_KINDS } from '../src/collectors/api/api-data.js';
import { NAMED_CHECKS } from '../src/engine/checks/index.js';
import { compileRule } from '../src/engine/compile-rule.js';
import {
  AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN,
  evaluateActions,
  evaluateTrustPolicy,
  findEmbeddedAwsManagedPolicy,
} from '../src/iam/index.js';
import { FAMILY_SOURCES } from '../src/inventory/coverage.js';
import { InventoryIndex } from '../src/inventory/inventory-index.js';
import {
  emptyInventory,
  RESOURCE_FAMILIES,
  type PolicyDocument,
  type PolicyStatement,
} from '../src/inventory/model.js';
import { shippedPoliciesDir, shippedRulesDir } from '../src/package-root.js';
import { loadRules } from '../src/ruleset/load-rules.js';

const ACCOUNT = '111122223333';
const read = (name: string): PolicyDocument =>
  JSON.parse(readFileSync(join(shippedPoliciesDir(), 'iam', name), 'utf8')) as PolicyDocument;
const statements = (doc: PolicyDocument): PolicyStatement[] =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
const actionsOf = (doc: PolicyDocument): string[] =>
  statements(doc).flatMap((s) =>
    Array.isArray(s.Action) ? s.Action : s.Action === undefined ? [] : [s.Action],
  );

const LEAST_PRIVILEGE = read('ssm-instance-least-privilege.json');
const EC2_TRUST = read('ec2-trust-policy.json');
const SCAN_READONLY = read('ssmguard-scan-readonly.json');

/**
 * Permissions the collectors use that fill no resource family: who am I (sts:GetCallerIdentity, the account of
 * a live scan), which regions exist (ec2:DescribeRegions) and which accounts to scan (organizations:ListAccounts).
 */
const ORCHESTRATION_PERMISSIONS = [
  'ec2:DescribeRegions',
  'organizations:ListAccounts',
  ...ORGANIZATION_TREE_PERMISSIONS,
  'sts:GetCallerIdentity',
];

const rules = await loadRules([shippedRulesDir()]);
const ruleById = (id: string): (typeof rules)[number] => rules.find((r) => r.definition.id === id)!;

/** One running instance whose profile's role has the given trust policy and inline policy, every family read. */
function instanceWithRole(trust: PolicyDocument, permissions: PolicyDocument): InventoryIndex {
  const inventory = emptyInventory({
    kind: 'fixture',
    inputs: [],
    accounts: [ACCOUNT],
    regions: ['us-east-1'],
  });
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/SsmLeastPrivilegeRole`;
  const profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/SsmLeastPrivilegeProfile`;
  inventory.instances.push({
    accountId: ACCOUNT,
    region: 'us-east-1',
    instanceId: 'i-0123456789abcdef0',
    state: 'running',
    tags: {},
    iamInstanceProfileArn: profileArn,
    securityGroupIds: [],
    ipv6Addresses: [],
    networkInterfaces: [],
    platform: 'linux',
  });
  inventory.instanceProfiles.push({
    accountId: ACCOUNT,
    region: 'global',
    instanceProfileName: 'SsmLeastPrivilegeProfile',
    arn: profileArn,
    path: '/',
    roleArns: [roleArn],
  });
  inventory.roles.push({
    accountId: ACCOUNT,
    region: 'global',
    roleName: 'SsmLeastPrivilegeRole',
    arn: roleArn,
    path: '/',
    trustPolicy: { document: trust },
    attachedPolicies: [],
    inlinePolicies: [{ policyName: 'ssm-instance-least-privilege', policy: { document: permissions } }],
    instanceProfileArns: [profileArn],
    tags: {},
  });
  for (const family of RESOURCE_FAMILIES)
    if (family !== 'org:service-control-policies') inventory.coverage.push({ family, status: 'read' });
  return new InventoryIndex(inventory);
}

describe('policies/iam', () => {
  test.for(['ssm-instance-least-privilege.json', 'ssmguard-scan-readonly.json', 'ssmguard-scan-caller.json'])(
    '%s is valid IAM policy language',
    (name) => {
      // Act
      const result = evaluateActions({
        identityPolicies: [{ id: name, policy: { document: read(name) } }],
        actions: ['ssm:UpdateInstanceInformation'],
      });
      // Assess
      expect(result.status).toBe('EVALUATED');
    },
  );

  it('ssmguard-scan-caller.json lets the scanning identity assume only the scan role, and list accounts', () => {
    const caller = { id: 'caller', policy: { document: read('ssmguard-scan-caller.json') } };
    const decide = (action: string, resource: string): string | undefined => {
      const result = evaluateActions({ identityPolicies: [caller], actions: [action], resource });
      return result.status === 'EVALUATED' ? result.decisions[0]?.decision : 'ERROR';
    };
    expect(decide('sts:AssumeRole', 'arn:aws:iam::444455556666:role/ssmguard-scan')).toBe('ALLOWED');
    expect(decide('sts:AssumeRole', 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole')).not.toBe(
      'ALLOWED',
    );
    expect(decide('organizations:ListAccounts', '*')).toBe('ALLOWED');
    expect(decide('iam:PassRole', '*')).toBe('NOT_ALLOWED');
  });

  it('ec2-trust-policy.json lets exactly ec2.amazonaws.com assume the role', () => {
    expect(evaluateTrustPolicy({ document: EC2_TRUST }, 'ec2.amazonaws.com')).toMatchObject({
      status: 'EVALUATED',
      decision: 'TRUSTED',
    });
    expect(evaluateTrustPolicy({ document: EC2_TRUST }, 'ssm.amazonaws.com')).toMatchObject({
      status: 'EVALUATED',
      decision: 'NOT_TRUSTED',
    });
  });

  test.for([
    { params: { actionSet: 'agent-core', actions: [], includeEc2Messages: false } },
    { params: { actionSet: 'agent-core', actions: [], includeEc2Messages: true } },
    { params: { actionSet: 'patching', actions: [], includeEc2Messages: true } },
  ])(
    'the least-privilege policy passes ec2-instance-role-grants-ssm-core with $params.actionSet (ec2messages: $params.includeEc2Messages)',
    ({ params }) => {
      // Prepare
      const rule = compileRule(ruleById('ec2-instance-role-grants-ssm-core'), {
        params,
        checks: NAMED_CHECKS,
      });
      const index = instanceWithRole(EC2_TRUST, LEAST_PRIVILEGE);
      // Act
      const evaluation = rule.evaluate(index.inventory.instances[0]!, index, 0);
      // Assess
      expect(evaluation.status).toBe('COMPLIANT');
      expect(evaluation.message).toContain('allows all');
    },
  );

  it('the EC2 trust policy passes ec2-instance-role-trusts-ec2', () => {
    // Prepare
    const rule = compileRule(ruleById('ec2-instance-role-trusts-ec2'), { params: {}, checks: NAMED_CHECKS });
    const index = instanceWithRole(EC2_TRUST, LEAST_PRIVILEGE);
    // Act + Assess
    expect(rule.evaluate(index.inventory.instances[0]!, index, 0).status).toBe('COMPLIANT');
  });

  it('the least-privilege policy grants nothing AmazonSSMManagedInstanceCore does not, and leaves out GetParameter(s)', () => {
    // Prepare
    const core = findEmbeddedAwsManagedPolicy(AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN)!;
    const actions = actionsOf(LEAST_PRIVILEGE);
    // Act
    const result = evaluateActions({
      identityPolicies: [{ id: 'core', policy: { document: core.document } }],
      actions,
    });
    // Assess
    expect(result.status === 'EVALUATED' && result.decisions.filter((d) => d.decision !== 'ALLOWED')).toEqual(
      [],
    );
    expect(actions).not.toContain('ssm:GetParameter');
    expect(actions).not.toContain('ssm:GetParameters');
    for (const s of statements(LEAST_PRIVILEGE)) expect(s.Resource).toBe('*');
  });

  describe('ssmguard-scan-readonly.json', () => {
    const documented = actionsOf(SCAN_READONLY);
    const familyPermissions = new Set(Object.values(FAMILY_SOURCES).map((s) => s.permission));
    const apiPermissions = new Set(Object.values(API_RESPONSE_KINDS).map((k) => k.permission));

    it('keeps its action list sorted and without duplicates', () => {
      expect(documented).toEqual([...new Set(documented)].sort());
    });

    it('documents every permission a resource family or API response kind needs', () => {
      expect([...familyPermissions].filter((p) => !documented.includes(p))).toEqual([]);
      expect([...apiPermissions].filter((p) => !documented.includes(p))).toEqual([]);
    });

    it('documents no permission the collectors do not use', () => {
      const used = new Set([...familyPermissions, ...apiPermissions, ...ORCHESTRATION_PERMISSIONS]);
      expect(documented.filter((p) => !used.has(p))).toEqual([]);
    });

    it('is read-only: Describe, Get and List calls only, no wildcards', () => {
      expect(documented.filter((p) => !/^[a-z0-9]+:(Describe|Get|List)[A-Za-z]+$/.test(p))).toEqual([]);
    });
  });
});
