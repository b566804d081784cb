// Named check: the role the SSM Agent uses trusts the right service (ec2 for a profile role, ssm for DHMC).

import { evaluateTrustPolicy, type TrustEvaluation } from '../../iam/index.js';
import type { Ec2Instance, IamRole, MaybePolicyDocument } from '../../inventory/model.js';
import type { Evidence } from '../types.js';
import { CheckDataError } from './check-data-error.js';
import {
  describeCredentials,
  resolveInstanceCredentials,
  type InstanceCredentials,
} from './iam-instance-credentials.js';
import { iamContextOf } from './iam-inventory-context.js';
import { describeTrustStatement, shellQuote, trustDocument } from './iam-statement-text.js';
import type { CheckResult, NamedCheck } from './named-check.js';

export const EC2_SERVICE_PRINCIPAL = 'ec2.amazonaws.com';
export const SSM_SERVICE_PRINCIPAL = 'ssm.amazonaws.com';

// Memo key of this check's per-profile verdicts (many instances share one profile and role).
const TRUST_KEY = {};

type RoleCredentials = Extract<InstanceCredentials, { kind: 'profile' | 'dhmc' }>;

/**
 * The instance-profile role must be assumable by ec2.amazonaws.com; the DHMC role, used when no profile is
 * attached, by ssm.amazonaws.com (aws-facts §0 #1, §1.3). A wildcard principal works but lets anyone assume
 * the role; a condition may or may not hold for the service, so both are reported rather than guessed.
 */
export const instanceRoleTrusted: NamedCheck<Ec2Instance, Record<string, never>> = {
  name: 'instance-role-trusted',
  description:
    "The instance profile's role trusts ec2.amazonaws.com, or, without a profile, the DHMC role trusts ssm.amazonaws.com.",
  resourceTypes: ['AWS::EC2::Instance'],
  needs: ['instance.iam', 'region.dhmc'],
  parameters: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(instance, { index }) {
    const credentials = resolveInstanceCredentials(instance, index);
    switch (credentials.kind) {
      case 'none':
        return {
          outcome: 'not-applicable',
          detail: `Instance ${instance.instanceId} has no instance profile and DHMC does not cover it (${credentials.detail}); ec2-instance-profile-attached reports it.`,
          evidence: [{ path: 'iamInstanceProfileArn', actual: undefined, note: credentials.detail }],
        };
      case 'profile-without-role':
        return profileWithoutRole(credentials);
      case 'dhmc': {
        const role = credentials.role;
        if (role === undefined) return dhmcRoleMissing(instance, credentials.roleName);
        return iamContextOf(index).remember(credentials.setting, TRUST_KEY, () =>
          judgeTrust({ ...credentials, role }),
        );
      }
      case 'profile':
        return iamContextOf(index).remember(credentials.profile, TRUST_KEY, () => judgeTrust(credentials));
    }
  },
};

function profileWithoutRole(
  credentials: Extract<InstanceCredentials, { kind: 'profile-without-role' }>,
): CheckResult {
  const name = credentials.profile.instanceProfileName;
  return {
    outcome: 'fail',
    reason: 'IAM.PROFILE_WITHOUT_ROLE',
    detail: `instance profile ${name} holds no role, so the SSM Agent gets no credentials from it`,
    evidence: [
      {
        path: 'instanceProfile.roleArns',
        resourceId: credentials.profileArn,
        actual: credentials.profile.roleArns,
        expected: 'one role',
      },
    ],
    cause: { resourceType: 'AWS::IAM::InstanceProfile', resourceId: credentials.profileArn },
    remediation: {
      text: `Add a role with AmazonSSMManagedInstanceCore to instance profile ${name} (or create the profile again).`,
      command: `aws iam add-role-to-instance-profile --instance-profile-name ${name} --role-name SSMInstanceRole`,
    },
  };
}

function dhmcRoleMissing(instance: Ec2Instance, roleName: string): CheckResult {
  const shown = roleName === '' ? '(no role name)' : roleName;
  return {
    outcome: 'fail',
    reason: 'IAM.DHMC_ROLE_MISSING',
    detail: `DHMC in ${instance.accountId}/${instance.region} names role ${shown}, which is not in the IAM data, so the SSM Agent gets no credentials`,
    evidence: [
      { path: 'dhmc.roleName', actual: roleName, expected: 'an existing role trusted by ssm.amazonaws.com' },
    ],
    cause: { key: `dhmc-role-missing|${instance.accountId}|${instance.region}|${roleName}` },
    remediation: {
      text: 'Create the DHMC role (trusted by ssm.amazonaws.com, with AmazonSSMManagedEC2InstanceDefaultPolicy), or point DHMC at an existing one.',
      command: `aws ssm update-service-setting --setting-id /ssm/managed-instance/default-ec2-instance-management-role --setting-value service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole --region ${instance.region}`,
    },
  };
}

function judgeTrust(credentials: RoleCredentials & { role: IamRole }): CheckResult {
  const { role } = credentials;
  const service = credentials.kind === 'profile' ? EC2_SERVICE_PRINCIPAL : SSM_SERVICE_PRINCIPAL;
  const who = describeCredentials(credentials);
  const trust: TrustEvaluation = evaluateTrustPolicy(role.trustPolicy, service);
  const cause = { resourceType: 'AWS::IAM::Role', resourceId: role.arn };
  if (trust.status === 'ERROR') {
    throw new CheckDataError(
      trust.error.code,
      'IAM.POLICY_UNREADABLE',
      `cannot read the trust policy of ${who}: ${trust.error.message}`,
      { ...cause, key: role.arn },
      [{ resourceId: role.arn, path: 'role.trustPolicy', note: trust.error.message }],
    );
  }
  const evidence: Evidence[] = [
    { resourceId: role.arn, path: 'role.trustPolicy', actual: trust.decision, expected: `trusts ${service}` },
  ];
  const statements = trust.statements.map(describeTrustStatement).join('; ');
  const fix = {
    text: `Let ${service} assume role ${role.roleName}: add it to the trust policy's Service principal, or give the instance a dedicated role. The command replaces the trust policy with the ${service}-only one.`,
    command: `aws iam update-assume-role-policy --role-name ${role.roleName} --policy-document ${shellQuote(trustDocument(service))}`,
  };
  switch (trust.decision) {
    case 'TRUSTED':
      return { outcome: 'pass', detail: `${who} is trusted by ${service} (${statements})`, evidence };
    case 'NOT_TRUSTED': {
      const why =
        trust.statements.length > 0
          ? `${statements} denies it`
          : `its trust policy trusts ${trustedPrincipals(role.trustPolicy) || 'no service'} instead`;
      return {
        outcome: 'fail',
        reason: credentials.kind === 'profile' ? 'IAM.TRUST_NOT_EC2' : 'IAM.TRUST_NOT_SSM',
        detail: `${who} cannot be assumed by ${service}: ${why}`,
        evidence,
        cause,
        remediation: fix,
      };
    }
    case 'WILDCARD':
      return {
        outcome: 'fail',
        reason: 'IAM.TRUST_WILDCARD',
        detail: `${who} can be assumed by any principal (${statements}), not only ${service}`,
        evidence,
        cause,
        remediation: {
          ...fix,
          text: `Restrict the trust policy of role ${role.roleName} to ${service}; a wildcard principal lets anyone assume it.`,
        },
      };
    case 'CONDITIONAL':
      return {
        outcome: 'fail',
        reason: 'IAM.TRUST_CONDITIONAL',
        detail: `${who} trusts ${service} only under a condition (${statements}); ssmguard cannot tell whether ${service} meets it`,
        evidence,
        cause,
        remediation: {
          ...fix,
          text: `Check that ${service} satisfies the condition of role ${role.roleName}'s trust policy, or trust it without a condition.`,
        },
      };
  }
}

/** The principals the trust policy's Allow statements name ("lambda.amazonaws.com, arn:aws:iam::…:root"). */
function trustedPrincipals(trustPolicy: MaybePolicyDocument | undefined): string {
  if (trustPolicy === undefined || !('document' in trustPolicy)) return '';
  const raw = trustPolicy.document.Statement;
  const names = new Set<string>();
  for (const statement of Array.isArray(raw) ? raw : [raw]) {
    if (statement.Effect !== 'Allow' || statement.Principal === undefined || statement.Principal === '*')
      continue;
    for (const value of Object.values(statement.Principal))
      for (const name of Array.isArray(value) ? value : [value]) names.add(name);
  }
  return [...names].join(', ');
}
