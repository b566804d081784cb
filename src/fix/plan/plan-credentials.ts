// Plans the credentials link: an instance profile whose role passes every IAM rule (reused, or created with the
// EC2 trust policy and the Core or least-privilege policy), associated with every instance lacking one; or
// Default Host Management Configuration for the region (`--credentials dhmc`); and, with `--replace`, swapping
// profiles whose role fails the trust or permission rule for one that passes.

import type { Evaluation } from '../../engine/types.js';
import {
  AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
  AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN,
} from '../../iam/index.js';
import type { IamRole } from '../../inventory/model.js';
import { failing, groupBy, type PlanContext } from './plan-context.js';

/** The DHMC service setting (aws-facts §1.4). */
export const DHMC_SETTING_ID = '/ssm/managed-instance/default-ec2-instance-management-role';
const DHMC_ROLE_NAME = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const DHMC_ROLE_PATH = '/service-role/';
const LEAST_PRIVILEGE_POLICY_NAME = 'ssmguard-ssm-instance-least-privilege';
const NEW_ROLE_NAME = 'ssmguard-ssm-instance-role';
const NEW_PROFILE_NAME = 'ssmguard-ssm-instance-profile';

/** Trust and permission failures a different (passing) role repairs; Denies and boundaries are not among them. */
const REPLACEABLE = new Map<string, readonly string[]>([
  ['ec2-instance-role-trusts-ec2', ['IAM.TRUST_NOT_EC2', 'IAM.TRUST_WILDCARD', 'IAM.PROFILE_WITHOUT_ROLE']],
  ['ec2-instance-role-grants-ssm-core', ['IAM.MISSING_ACTION']],
]);

/** A profile the fleet can use: either one that exists, or one the plan creates (with the change ids to wait for). */
interface UsableProfile {
  name: string;
  arn: string;
  /** The role in the profile (passed to EC2 with the profile). */
  roleArn: string;
  dependsOn: string[];
  created: boolean;
}

export function planCredentials(context: PlanContext): void {
  const missing = failing(context, 'ec2-instance-profile-attached', ['IAM.NO_INSTANCE_PROFILE']);
  const replaceable = [...REPLACEABLE].flatMap(([ruleId, reasons]) => failing(context, ruleId, reasons));
  const accounts = new Set([...missing, ...replaceable].map((r) => r.accountId));
  for (const accountId of accounts) {
    const lacking = missing.filter((r) => r.accountId === accountId);
    if (context.options.credentials === 'dhmc') planDhmc(context, accountId, lacking);
    const needsProfile =
      (context.options.credentials === 'profile' && lacking.length > 0) ||
      (context.options.replace && replaceable.some((r) => r.accountId === accountId));
    const profile = needsProfile ? usableProfile(context, accountId) : undefined;
    if (profile && context.options.credentials === 'profile') associate(context, profile, lacking);
    replaceOrAsk(
      context,
      profile,
      replaceable.filter((r) => r.accountId === accountId),
    );
  }
}

/** An existing profile whose role passed the trust and permission rules on every instance using it, else a new one. */
function usableProfile(context: PlanContext, accountId: string): UsableProfile {
  const passing = passingProfiles(context, accountId);
  if (passing.length > 0) return { ...passing[0]!, dependsOn: [], created: false };
  return createProfile(context, accountId);
}

/** Profiles (by use count, then name) whose every instance passes both IAM rules with no note (no deprecated policy). */
function passingProfiles(
  context: PlanContext,
  accountId: string,
): { name: string; arn: string; roleArn: string }[] {
  const verdicts = new Map<string, boolean>();
  const uses = new Map<string, number>();
  const resultsOf = groupBy(
    context.allResults.filter(
      (r) => r.ruleId === 'ec2-instance-role-trusts-ec2' || r.ruleId === 'ec2-instance-role-grants-ssm-core',
    ),
    (r) => r.resourceId,
  );
  for (const instance of context.index.inventory.instances) {
    const arn = instance.iamInstanceProfileArn;
    if (instance.accountId !== accountId || arn === undefined) continue;
    const results = resultsOf.get(instance.instanceId) ?? [];
    const good =
      results.length === 2 && results.every((r) => r.status === 'COMPLIANT' && r.reason === undefined);
    verdicts.set(arn, (verdicts.get(arn) ?? true) && good);
    uses.set(arn, (uses.get(arn) ?? 0) + 1);
  }
  const roleOf = (arn: string): string | undefined =>
    context.index.inventory.instanceProfiles.find((p) => p.arn === arn)?.roleArns[0];
  return [...verdicts]
    .filter(([arn, good]) => good && roleOf(arn) !== undefined)
    .map(([arn]) => ({ arn, name: arn.split('/').pop() ?? arn, roleArn: roleOf(arn)! }))
    .sort(
      (a, b) =>
        (uses.get(b.arn) ?? 0) - (uses.get(a.arn) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

function createProfile(context: PlanContext, accountId: string): UsableProfile {
  const { builder, options, documents } = context;
  const roleName = freeName(NEW_ROLE_NAME, (n) =>
    context.index.inventory.roles.some((r) => r.accountId === accountId && r.roleName === n),
  );
  const profileName = freeName(NEW_PROFILE_NAME, (n) =>
    context.index.inventory.instanceProfiles.some(
      (p) => p.accountId === accountId && p.instanceProfileName === n,
    ),
  );
  const group = builder.group(
    `credentials|${accountId}|profile`,
    `Instance profile ${profileName} (role ${roleName})`,
    'ec2-instance-profile-attached',
    'IAM.NO_INSTANCE_PROFILE',
  );
  const iam = { accountId, region: 'global' };
  const role = { resourceType: 'AWS::IAM::Role', resourceId: roleName };
  const createRole = builder.add(group, {
    ...iam,
    kind: 'iam:create-role',
    target: role,
    params: {
      roleName,
      path: '/',
      trustPolicy: documents.ec2TrustPolicy,
      description: 'SSM Agent credentials (created by ssmguard fix)',
    },
    after: { exists: true, trustPolicy: documents.ec2TrustPolicy },
    summary: `create role ${roleName}, trusted by ec2.amazonaws.com`,
  });
  const grant =
    options.policy === 'core'
      ? builder.add(group, {
          ...iam,
          kind: 'iam:attach-role-policy',
          target: role,
          params: { roleName, policyArn: AMAZON_SSM_MANAGED_INSTANCE_CORE_ARN },
          after: { attached: true },
          dependsOn: [createRole],
          summary: `attach AmazonSSMManagedInstanceCore to ${roleName}`,
        })
      : builder.add(group, {
          ...iam,
          kind: 'iam:put-role-policy',
          target: role,
          params: {
            roleName,
            policyName: LEAST_PRIVILEGE_POLICY_NAME,
            policyDocument: documents.leastPrivilegePolicy,
          },
          after: { policyDocument: documents.leastPrivilegePolicy },
          dependsOn: [createRole],
          summary: `put ssmguard's least-privilege SSM policy on ${roleName}`,
        });
  const profile = { resourceType: 'AWS::IAM::InstanceProfile', resourceId: profileName };
  const createProfileId = builder.add(group, {
    ...iam,
    kind: 'iam:create-instance-profile',
    target: profile,
    params: { instanceProfileName: profileName, path: '/' },
    after: { exists: true },
    summary: `create instance profile ${profileName}`,
  });
  const addRole = builder.add(group, {
    ...iam,
    kind: 'iam:add-role-to-instance-profile',
    target: profile,
    params: { instanceProfileName: profileName, roleName },
    before: { roles: [] },
    after: { roles: [roleName] },
    dependsOn: [createRole, createProfileId],
    summary: `add role ${roleName} to instance profile ${profileName}`,
  });
  return {
    name: profileName,
    arn: `arn:${partitionOf(context)}:iam::${accountId}:instance-profile/${profileName}`,
    roleArn: `arn:${partitionOf(context)}:iam::${accountId}:role/${roleName}`,
    dependsOn: [grant, addRole],
    created: true,
  };
}

function associate(context: PlanContext, profile: UsableProfile, lacking: readonly Evaluation[]): void {
  const { builder } = context;
  for (const [scope, results] of groupBy(lacking, (r) => `${r.accountId}|${r.region}`)) {
    const group = builder.group(
      `ec2-instance-profile-attached|IAM.NO_INSTANCE_PROFILE|${scope}|${profile.name}`,
      `No instance profile, and DHMC does not cover the instance — associate ${profile.created ? 'the new' : 'the existing'} instance profile ${profile.name}`,
      'ec2-instance-profile-attached',
      'IAM.NO_INSTANCE_PROFILE',
    );
    for (const result of results) {
      const instance = context.index.instance(result.resourceId);
      builder.add(group, {
        kind: 'ec2:associate-iam-instance-profile',
        accountId: result.accountId,
        region: result.region,
        target: { resourceType: 'AWS::EC2::Instance', resourceId: result.resourceId },
        params: {
          instanceId: result.resourceId,
          instanceProfileName: profile.name,
          instanceProfileArn: profile.arn,
          roleArn: profile.roleArn,
        },
        after: { instanceProfileArn: profile.arn },
        dependsOn: profile.dependsOn,
        summary: `associate instance profile ${profile.name} with ${result.resourceId}`,
        warnings:
          instance?.state === 'stopped'
            ? ['the instance is stopped: the agent gets the credentials when it starts']
            : [],
        fixes: [
          { ruleId: result.ruleId, reason: 'IAM.NO_INSTANCE_PROFILE', resourceIds: [result.resourceId] },
        ],
      });
      builder.covers(group, [result.resourceId]);
    }
  }
}

/** With `--replace`, swaps the failing profile for the usable one, saying what else the old role is for; else asks. */
function replaceOrAsk(
  context: PlanContext,
  profile: UsableProfile | undefined,
  results: readonly Evaluation[],
): void {
  const { builder } = context;
  for (const [instanceId, instanceResults] of groupBy(results, (r) => r.resourceId)) {
    const instance = context.index.instance(instanceId);
    const current = instance?.iamInstanceProfileArn;
    const first = instanceResults[0]!;
    if (!context.options.replace || !profile || !instance || current === undefined) {
      for (const result of instanceResults) {
        builder.person(
          result,
          `instance profile ${current ?? '(none)'} has a role that fails this rule; ssmguard replaces an instance's profile only with --replace (re-plan with --replace to associate a passing profile instead)`,
        );
      }
      continue;
    }
    const group = builder.group(
      `${first.ruleId}|${first.reason ?? ''}|${current}`,
      `Role of ${current.split('/').pop() ?? current} fails ${first.ruleId} (${first.reason ?? ''}) — replace the instance profile with ${profile.name}`,
      first.ruleId,
      first.reason ?? '',
    );
    builder.add(group, {
      kind: 'ec2:replace-iam-instance-profile-association',
      accountId: instance.accountId,
      region: instance.region,
      target: { resourceType: 'AWS::EC2::Instance', resourceId: instanceId },
      params: {
        instanceId,
        currentInstanceProfileArn: current,
        instanceProfileName: profile.name,
        instanceProfileArn: profile.arn,
        roleArn: profile.roleArn,
      },
      after: { instanceProfileArn: profile.arn },
      dependsOn: profile.dependsOn,
      summary: `replace instance profile ${current.split('/').pop() ?? current} of ${instanceId} with ${profile.name}`,
      warnings: otherUses(context, current, instanceId),
      fixes: instanceResults.map((r) => ({
        ruleId: r.ruleId,
        reason: r.reason ?? '',
        resourceIds: [instanceId],
      })),
    });
    builder.covers(group, [instanceId]);
  }
}

/** What the replaced profile's role is used for besides the SSM Agent: its other policies, other instances. */
function otherUses(context: PlanContext, profileArn: string, instanceId: string): string[] {
  const profile = context.index.inventory.instanceProfiles.find((p) => p.arn === profileArn);
  const roles = (profile?.roleArns ?? [])
    .map((arn) => context.index.roleByArn(arn))
    .filter((r): r is IamRole => r !== undefined);
  const warnings: string[] = [];
  for (const role of roles) {
    const policies = [
      ...role.attachedPolicies.map((p) => p.policyName),
      ...role.inlinePolicies.map((p) => `${p.policyName} (inline)`),
    ];
    if (policies.length > 0) {
      warnings.push(
        `role ${role.roleName} is used for more than the SSM Agent: the instance loses its policies ${policies.join(', ')}`,
      );
    }
  }
  const sharing = context.index.inventory.instances.filter(
    (i) => i.iamInstanceProfileArn === profileArn && i.instanceId !== instanceId,
  );
  if (sharing.length > 0) {
    warnings.push(
      `${sharing.length} other instance(s) keep ${profileArn.split('/').pop() ?? profileArn}: ${sharing
        .slice(0, 5)
        .map((i) => i.instanceId)
        .join(', ')}${sharing.length > 5 ? ', …' : ''}`,
    );
  }
  return warnings;
}

/** DHMC: a role trusted by ssm.amazonaws.com with AmazonSSMManagedEC2InstanceDefaultPolicy, then the setting per region. */
function planDhmc(context: PlanContext, accountId: string, lacking: readonly Evaluation[]): void {
  const { builder, documents } = context;
  if (lacking.length === 0) return;
  const group = builder.group(
    `credentials|${accountId}|dhmc`,
    `Default Host Management Configuration (role ${DHMC_ROLE_NAME})`,
    'ec2-instance-profile-attached',
    'IAM.NO_INSTANCE_PROFILE',
  );
  const iam = { accountId, region: 'global' };
  const role = { resourceType: 'AWS::IAM::Role', resourceId: DHMC_ROLE_NAME };
  const existing = context.index.inventory.roles.find(
    (r) => r.accountId === accountId && r.roleName === DHMC_ROLE_NAME,
  );
  const dependsOn: string[] = [];
  if (!existing) {
    dependsOn.push(
      builder.add(group, {
        ...iam,
        kind: 'iam:create-role',
        target: role,
        params: {
          roleName: DHMC_ROLE_NAME,
          path: DHMC_ROLE_PATH,
          trustPolicy: documents.ssmTrustPolicy,
          description: 'Default Host Management Configuration role (created by ssmguard fix)',
        },
        after: { exists: true, trustPolicy: documents.ssmTrustPolicy },
        summary: `create role ${DHMC_ROLE_PATH}${DHMC_ROLE_NAME}, trusted by ssm.amazonaws.com`,
      }),
    );
  }
  if (
    !existing?.attachedPolicies.some(
      (p) => p.policyArn === AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN,
    )
  ) {
    dependsOn.push(
      builder.add(group, {
        ...iam,
        kind: 'iam:attach-role-policy',
        target: role,
        params: { roleName: DHMC_ROLE_NAME, policyArn: AMAZON_SSM_MANAGED_EC2_INSTANCE_DEFAULT_POLICY_ARN },
        after: { attached: true },
        dependsOn: [...dependsOn],
        summary: `attach AmazonSSMManagedEC2InstanceDefaultPolicy to ${DHMC_ROLE_NAME}`,
      }),
    );
  }
  const value = `${DHMC_ROLE_PATH.slice(1)}${DHMC_ROLE_NAME}`;
  for (const [region, results] of groupBy(lacking, (r) => r.region)) {
    builder.add(group, {
      kind: 'ssm:update-service-setting',
      accountId,
      region,
      target: { resourceType: 'AWS::SSM::ServiceSetting', resourceId: DHMC_SETTING_ID },
      params: { settingId: DHMC_SETTING_ID, settingValue: value },
      after: { settingValue: value },
      dependsOn,
      summary: `enable DHMC in ${accountId}/${region} with role ${value}`,
      warnings: [
        'DHMC needs SSM Agent 3.2.582.0 or later and IMDSv2; instances pick it up within about 30 minutes',
      ],
      fixes: [
        {
          ruleId: 'ec2-instance-profile-attached',
          reason: 'IAM.NO_INSTANCE_PROFILE',
          resourceIds: results.map((r) => r.resourceId),
        },
      ],
    });
    builder.covers(
      group,
      results.map((r) => r.resourceId),
    );
  }
}

function freeName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n += 1) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

/** The partition of the account's own ARNs (aws, aws-cn, aws-us-gov), `aws` when none are known. */
function partitionOf(context: PlanContext): string {
  const arn = context.index.inventory.roles[0]?.arn ?? context.index.inventory.instanceProfiles[0]?.arn;
  return arn?.split(':')[1] ?? 'aws';
}
