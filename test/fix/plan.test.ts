// The fix plan on the example fleet: one change set per root cause, in dependency order, reusing the profile
// that already passes every IAM rule; what needs a person (with the deciding statement); --only, --replace,
// --credentials dhmc, a created role when no profile passes; the JSON validates and the script parses.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFromInventory, readFixDocuments } from '../../src/cli/fix-command.js';
import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { parseFixPlan } from '../../src/fix/plan/parse-plan.js';
import type { FixPlan, FixPlanOptions } from '../../src/fix/plan/plan-types.js';
import { renderPlanScript, renderPlanText } from '../../src/fix/plan/render-plan.js';
import { EXAMPLE_FLEET_FACTS as F } from '../../src/generator/example-fleet-facts.js';
import type { Inventory } from '../../src/inventory/model.js';
import { exampleFleetDir } from '../../src/package-root.js';

const ruleSet = await loadRuleSet({});
const documents = await readFixDocuments();
const { inventory } = await loadInput([exampleFleetDir()]);
const DEFAULTS: FixPlanOptions = { credentials: 'profile', policy: 'core', replace: false, only: [] };
const plan = (options: Partial<FixPlanOptions> = {}, input: Inventory = inventory): FixPlan =>
  planFromInventory(input, ruleSet, { ...DEFAULTS, ...options }, documents, undefined, Date.now);
const kinds = (p: FixPlan): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const change of p.changes) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
  return counts;
};

describe('ssmguard fix plan (example fleet)', () => {
  const full = plan();

  it('associates the existing passing profile with the 200 instances lacking one, and makes each other repair once', () => {
    expect(kinds(full)).toEqual({
      'ec2:associate-iam-instance-profile': 200,
      'ec2:modify-instance-metadata-options': 1,
      'ec2:revoke-security-group-ingress': 3,
      'ec2:authorize-security-group-ingress': 2,
      'ec2:create-security-group': 1,
      'ec2:create-vpc-endpoint': 2,
      'ssm:update-maintenance-window-target': 1,
      'ssm:deregister-managed-instance': 1,
    });
    const associations = full.changes.filter((c) => c.kind === 'ec2:associate-iam-instance-profile');
    expect(new Set(associations.map((c) => c.params.instanceProfileArn))).toEqual(
      new Set([F.instanceProfiles.healthy]),
    );
    expect(associations[0]).toMatchObject({
      before: { instanceProfileArn: null },
      after: { instanceProfileArn: F.instanceProfiles.healthy },
    });
    expect(full.groups[0]!.resourceIds).toHaveLength(F.inventory.count);
  });

  it('revokes exactly the exposing rules, never a whole group, and says what else a range closes', () => {
    const revokes = full.changes.filter((c) => c.kind === 'ec2:revoke-security-group-ingress');
    expect(revokes.map((c) => [c.params.groupId, c.params.permission])).toEqual(
      expect.arrayContaining([
        [
          F.securityGroups.sshFromAnywhere,
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
        [F.securityGroups.allTrafficIpv6, { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      ]),
    );
    const range = revokes.find((c) => c.params.groupId === F.securityGroups.portRange3000To4000)!;
    expect(range.warnings.join(' ')).toContain('tcp/3000-4000 beyond port(s) 3389');
  });

  it('keeps the window target id and swaps its instance IDs for the tag that selects exactly them', () => {
    const update = full.changes.find((c) => c.kind === 'ssm:update-maintenance-window-target')!;
    expect(update.params).toMatchObject({
      windowId: F.instanceIdTargetWindowId,
      targets: [{ Key: 'tag:PatchGroup', Values: ['BillingServers'] }],
    });
    expect(update.fixes.flatMap((f) => f.resourceIds)).toEqual(
      expect.arrayContaining([...F.instanceIdTargetedInstanceIds]),
    );
  });

  it('adds the missing interface endpoints with private DNS and an endpoint group allowing 443 from the VPC', () => {
    const endpoints = full.changes.filter((c) => c.kind === 'ec2:create-vpc-endpoint');
    expect(endpoints.map((c) => c.params.serviceName).sort()).toEqual([
      'com.amazonaws.us-east-1.ssm',
      'com.amazonaws.us-east-1.ssmmessages',
    ]);
    expect(endpoints[0]!.params).toMatchObject({
      vpcId: F.vpcs.production,
      subnetIds: [F.subnets.privateNoPath],
      group: { groupName: 'ssmguard-ssm-endpoints' },
    });
    const created = full.changes.find((c) => c.kind === 'ec2:create-security-group')!;
    expect(endpoints[0]!.dependsOn).toContain(created.id);
  });

  it('deregisters the mi- node of an EC2 instance whose own profile already works', () => {
    const deregister = full.changes.find((c) => c.kind === 'ssm:deregister-managed-instance')!;
    expect(deregister.params).toEqual({
      managedInstanceId: F.ec2AsHybridManagedInstanceId,
      ec2InstanceId: F.ec2AsHybridInstanceId,
    });
  });

  it('lists what it will not touch as needing a person, with the deciding statement', () => {
    // The readiness finding of each instance (patching outcomes and hygiene findings need a person too).
    const later = new Set([
      'ec2-instance-patched-recently',
      'ec2-instance-no-missing-patches',
      'ec2-instance-imdsv2-required',
      'ec2-instance-ssm-agent-current',
    ]);
    const person = (id: string) => full.needsPerson.find((p) => p.resourceId === id && !later.has(p.ruleId));
    expect(person(F.explicitDenyInstanceId)).toMatchObject({
      reason: 'IAM.EXPLICIT_DENY',
      statement: expect.stringContaining('DenySystemsManagerUntilApproved'),
    });
    expect(person(F.boundaryDenyInstanceId)).toMatchObject({
      reason: 'IAM.BOUNDARY_DENY',
      statement: expect.stringContaining(F.boundaryPolicyArn),
    });
    expect(person(F.wrongTrustInstanceId)?.why).toContain('--replace');
    expect(person(F.egressPort80OnlyInstanceId)?.why).toContain('egress');
    expect(full.needsPerson.some((p) => p.ruleId === 'ec2-instance-ssm-online')).toBe(false);
  });

  it('orders changes so each depends only on earlier ones, and its JSON validates against the schema', () => {
    const seen = new Set<string>();
    for (const change of full.changes) {
      for (const dependency of change.dependsOn) expect(seen.has(dependency)).toBe(true);
      seen.add(change.id);
    }
    expect(parseFixPlan('plan.json', JSON.stringify(full))).toEqual(full);
  });

  it('writes a shell script that parses, with one commented block per change, and a text naming every group', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssmguard-fix-'));
    const script = renderPlanScript(full);
    writeFileSync(join(dir, 'fix.sh'), script);
    execFileSync('sh', ['-n', join(dir, 'fix.sh')]);
    for (const change of full.changes) expect(script).toContain(`# ${change.id}: `);
    const text = renderPlanText(full);
    for (const group of full.groups) expect(text).toContain(group.title);
    expect(text).toContain('Needs a person');
  });
});

describe('ssmguard fix plan options', () => {
  it('--only narrows the plan to one cause', () => {
    const only = plan({ only: ['IAM.NO_INSTANCE_PROFILE'] });
    expect(kinds(only)).toEqual({ 'ec2:associate-iam-instance-profile': 200 });
    expect(only.needsPerson).toEqual([]);
  });

  it('--replace swaps failing profiles, saying what the old role is also used for, but never around a Deny', () => {
    const replaced = plan({ replace: true });
    const replaces = replaced.changes.filter(
      (c) => c.kind === 'ec2:replace-iam-instance-profile-association',
    );
    expect(replaces.map((c) => c.params.instanceId).sort()).toEqual(
      [F.missingSsmMessagesActionInstanceId, F.wrongTrustInstanceId].sort(),
    );
    expect(
      replaces.every((c) => c.warnings.some((w) => w.includes('used for more than the SSM Agent'))),
    ).toBe(true);
    expect(replaced.needsPerson.map((p) => p.resourceId)).toContain(F.explicitDenyInstanceId);
  });

  it('creates role, policy and profile, in that order, when no existing profile passes every IAM rule', () => {
    const storyOnly = {
      ...inventory,
      instances: inventory.instances.filter((i) => i.iamInstanceProfileArn === undefined),
    };
    const created = plan({ only: ['IAM.NO_INSTANCE_PROFILE'], policy: 'least-privilege' }, storyOnly);
    expect(created.changes.slice(0, 4).map((c) => c.kind)).toEqual([
      'iam:create-role',
      'iam:put-role-policy',
      'iam:create-instance-profile',
      'iam:add-role-to-instance-profile',
    ]);
    const first = created.changes[4]!;
    expect(first).toMatchObject({ kind: 'ec2:associate-iam-instance-profile', dependsOn: ['c002', 'c004'] });
    expect(created.changes[0]!.params).toMatchObject({
      roleName: 'ssmguard-ssm-instance-role',
      trustPolicy: documents.ec2TrustPolicy,
    });
  });

  it('--credentials dhmc creates the DHMC role and enables the setting instead of associating profiles', () => {
    const dhmc = plan({ credentials: 'dhmc', only: ['IAM.NO_INSTANCE_PROFILE'] });
    expect(dhmc.changes.map((c) => c.kind)).toEqual([
      'iam:create-role',
      'iam:attach-role-policy',
      'ssm:update-service-setting',
    ]);
    expect(dhmc.changes[2]).toMatchObject({
      before: { settingValue: '$None' },
      after: { settingValue: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole' },
    });
  });
});
