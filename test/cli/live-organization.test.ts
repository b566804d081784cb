// scan --live --organization reads the organization's tree from the loopback Organizations endpoint and judges SCPs
// level by level: a Deny on an OU reaches only the accounts below it, the management account is exempt, and a tree
// that cannot be read makes the IAM rules ERROR with the call that failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetApiData } from '../../src/collectors/api/api-data.js';
import { generateFleet } from '../../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../../src/generator/write-aws-cli-files.js';
import type { LoopbackOrganization } from '../support/aws-endpoint/organizations-service.js';
import { runCli } from './cli-harness.js';
import {
  cleanUp,
  type ReportResult,
  resultsOf,
  sealAwsEnvironment,
  serveFleet,
  tempDir,
} from './live-cli-kit.js';

beforeEach(() => sealAwsEnvironment());
afterEach(cleanUp);

const fleet = generateFleet({ seed: 31, instances: 60, accounts: 2 });
const [management, member] = fleet.accounts.map((a) => a.accountId) as [string, string];
const NOW = fleet.collectedAt;
const RULE = 'ec2-instance-role-grants-ssm-core';

const doc = (effect: string, action: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });

// root ── ou-sandbox (DenySsm) ── member;  root ── management (DenySsm too: no effect on the management account)
const TREE: LoopbackOrganization = {
  organizationId: 'o-testorg0001',
  managementAccountId: management,
  roots: [{ Id: 'r-test', Name: 'Root' }],
  ous: [{ Id: 'ou-test-sandbox1', Name: 'Sandbox', ParentId: 'r-test' }],
  accountParents: { [management]: 'r-test', [member]: 'ou-test-sandbox1' },
  policies: [
    { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true, Content: doc('Allow', '*') },
    { Id: 'p-denyssm0001', Name: 'DenySsm', Content: doc('Deny', 'ssm:*') },
  ],
  attachments: {
    'r-test': ['p-FullAWSAccess'],
    'ou-test-sandbox1': ['p-FullAWSAccess', 'p-denyssm0001'],
    [management]: ['p-FullAWSAccess', 'p-denyssm0001'],
    [member]: ['p-FullAWSAccess'],
  },
};

async function scanOrganization(
  data: FleetApiData,
  options: Parameters<typeof serveFleet>[1],
): Promise<{ results: ReportResult[]; stderr: string; counts: Map<string, number> }> {
  const endpoint = await serveFleet(data, { callerAccountId: management, ...options });
  const regions = data.accounts[0]!.regions.flatMap((r) => ['--region', r.region]);
  const run = await runCli([
    'scan',
    '--live',
    '--endpoint-url',
    endpoint.url,
    ...regions,
    '--role-name',
    'ssmguard-scan',
    '--organization',
    '--format',
    'json',
    '--now',
    NOW,
  ]);
  return { results: resultsOf(run.stdout), stderr: run.stderr, counts: endpoint.counts };
}

const ofRule = (results: ReportResult[], accountId: string): ReportResult[] =>
  results.filter((r) => r.ruleId === RULE && r.accountId === accountId);

describe('scan --live --organization: SCPs along the tree', () => {
  it('applies an OU Deny to the accounts below it only, and none to the management account', async () => {
    // Prepare: the default tree (FullAWSAccess everywhere) is the baseline.
    const baseline = await scanOrganization(fleet, {});
    const withTree = await scanOrganization(fleet, { organization: TREE });

    // Assess: the hierarchy was read with the tree calls.
    for (const op of [
      'DescribeOrganization',
      'ListRoots',
      'ListOrganizationalUnitsForParent',
      'ListAccountsForParent',
      'ListPoliciesForTarget',
      'DescribePolicy',
    ])
      expect(withTree.counts.get(`organizations:${op}`), op).toBeGreaterThan(0);
    // The member account (under the sandbox OU): every instance that passed now fails on the SCP.
    const before = new Map(ofRule(baseline.results, member).map((r) => [r.resourceId, r]));
    const passed = [...before.values()].filter((r) => r.status === 'COMPLIANT').map((r) => r.resourceId);
    expect(passed.length).toBeGreaterThan(0);
    for (const result of ofRule(withTree.results, member).filter((r) => passed.includes(r.resourceId))) {
      expect(result.status).toBe('NON_COMPLIANT');
      expect(result.message).toMatch(/SCP|service control polic/i);
    }
    // The management account: DenySsm is attached to it, and changes nothing.
    expect(ofRule(withTree.results, management).map((r) => [r.resourceId, r.status])).toEqual(
      ofRule(baseline.results, management).map((r) => [r.resourceId, r.status]),
    );
  });

  it('makes the IAM rules ERROR, naming the call, when the tree cannot be read', async () => {
    const run = await scanOrganization(fleet, {
      organization: TREE,
      faults: [{ operation: 'organizations:ListPoliciesForTarget', kind: 'access-denied' }],
    });

    expect(run.stderr).toMatch(/organizations:ListPoliciesForTarget/);
    const iam = run.results.filter((r) => r.ruleId === RULE);
    expect(iam.length).toBeGreaterThan(0);
    expect(iam.filter((r) => r.status === 'COMPLIANT')).toEqual([]);
    expect(iam.some((r) => r.status === 'ERROR' && /ListPoliciesForTarget/.test(JSON.stringify(r)))).toBe(
      true,
    );
  });
});

/** The tree as `aws organizations …` prints it, one file per call, named by the parent or target it was run for. */
function writeOrganizationFiles(tree: LoopbackOrganization, dir: string, skip: string[] = []): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, body: unknown): void => {
    if (!skip.includes(name)) writeFileSync(join(dir, name), JSON.stringify(body, null, 2));
  };
  write('describe-organization.json', {
    Organization: { Id: tree.organizationId, MasterAccountId: tree.managementAccountId, FeatureSet: 'ALL' },
  });
  write('list-roots.json', { Roots: tree.roots });
  for (const parent of [...tree.roots.map((r) => r.Id), ...tree.ous.map((o) => o.Id)]) {
    write(`list-organizational-units-for-parent.${parent}.json`, {
      OrganizationalUnits: tree.ous
        .filter((o) => o.ParentId === parent)
        .map(({ Id, Name }) => ({ Id, Name })),
    });
    write(`list-accounts-for-parent.${parent}.json`, {
      Accounts: Object.entries(tree.accountParents)
        .filter(([, p]) => p === parent)
        .map(([Id]) => ({ Id, Status: 'ACTIVE' })),
    });
  }
  for (const [target, ids] of Object.entries(tree.attachments))
    write(`list-policies-for-target.${target}.json`, {
      Policies: ids.map((Id) => ({ Id, Name: Id, Type: 'SERVICE_CONTROL_POLICY' })),
    });
  for (const policy of tree.policies)
    write(`describe-policy.${policy.Id}.json`, {
      Policy: {
        PolicySummary: { Id: policy.Id, Name: policy.Name, Type: 'SERVICE_CONTROL_POLICY' },
        Content: policy.Content,
      },
    });
}

/** The fleet as AWS CLI files and the tree as Organizations files (less `skip`), scanned offline with --scp. */
async function scanSavedOrganization(skip: string[] = [], extra: (dir: string) => void = () => {}) {
  const dir = tempDir();
  await writeAwsCliFiles(fleet, join(dir, 'fleet'));
  writeOrganizationFiles(TREE, join(dir, 'org'), skip);
  extra(dir);
  return runCli(['scan', join(dir, 'fleet'), '--scp', join(dir, 'org'), '--format', 'json', '--now', NOW]);
}

describe('scan DIR --scp ORG_DIR: the same tree from saved Organizations output', () => {
  it('gives the live verdicts', async () => {
    const live = await scanOrganization(fleet, { organization: TREE });

    const run = await scanSavedOrganization();

    const verdicts = (results: ReportResult[]): string[] =>
      results
        .filter((r) => r.ruleId === RULE)
        .map((r) => `${r.resourceId} ${r.status}`)
        .sort();
    expect(verdicts(resultsOf(run.stdout))).toEqual(verdicts(live.results));
    expect(verdicts(live.results).some((v) => v.endsWith('NON_COMPLIANT'))).toBe(true);
  });

  it.for([
    {
      skip: `list-policies-for-target.ou-test-sandbox1.json`,
      says: /SCPs attached to ou-test-sandbox1 were not given/,
    },
    {
      skip: 'describe-policy.p-denyssm0001.json',
      says: /SCP p-denyssm0001 is attached to .*describe-policy --policy-id p-denyssm0001/,
    },
    { skip: 'describe-organization.json', says: /needs describe-organization output/ },
  ])('refuses a tree without $skip (exit 2)', async ({ skip, says }) => {
    const run = await scanSavedOrganization([skip]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(says);
    expect(run.stdout).toBe('');
  });

  it('refuses a per-parent file whose name does not say the parent', async () => {
    const run = await scanSavedOrganization([], (dir) =>
      writeFileSync(join(dir, 'org', 'accounts.json'), JSON.stringify({ Accounts: [{ Id: member }] })),
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/accounts\.json.*name the file after that id/);
  });
});
