// Named check instance-role-trusted: the service each role must trust, causes, fix commands, and ERROR cases.
import { describe, expect, it, test } from 'vitest';
import { CheckDataError } from '../../../src/engine/checks/check-data-error.js';
import { instanceRoleTrusted } from '../../../src/engine/checks/iam-role-trusted.js';
import type { CheckResult } from '../../../src/engine/checks/named-check.js';
import { DataUnavailableError } from '../../../src/inventory/coverage.js';
import { ACCOUNT, doc, fleet, role, trust, type FleetSpec } from './iam-check-fixtures.js';

function run(spec: FleetSpec): CheckResult {
  const { index, instances } = fleet(spec);
  return instanceRoleTrusted.evaluate(instances[0]!, { index, params: {}, nowMs: 0 });
}

const ROWS: {
  name: string;
  spec: FleetSpec;
  outcome: CheckResult['outcome'];
  reason?: string;
  detail: string;
  cause?: string;
  command?: string;
}[] = [
  {
    name: 'profile role trusted by ec2',
    spec: { profileRole: role('AppRole') },
    outcome: 'pass',
    detail: 'role AppRole (instance profile AppProfile) is trusted by ec2.amazonaws.com',
  },
  {
    name: 'profile role trusted by ssm only (a DHMC-style role in a profile)',
    spec: { profileRole: role('AppRole', { trustPolicy: trust('ssm.amazonaws.com') }) },
    outcome: 'fail',
    reason: 'IAM.TRUST_NOT_EC2',
    detail: 'its trust policy trusts ssm.amazonaws.com instead',
    cause: `arn:aws:iam::${ACCOUNT}:role/AppRole`,
    command: `aws iam update-assume-role-policy --role-name AppRole --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
  },
  {
    name: 'trust through {"AWS": "*"} is a wildcard',
    spec: {
      profileRole: role('AppRole', {
        trustPolicy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
      }),
    },
    outcome: 'fail',
    reason: 'IAM.TRUST_WILDCARD',
    detail: 'can be assumed by any principal',
  },
  {
    name: 'service principals compare case-insensitively',
    spec: { profileRole: role('AppRole', { trustPolicy: trust('EC2.amazonaws.com') }) },
    outcome: 'pass',
    detail: 'is trusted by ec2.amazonaws.com',
  },
  {
    name: 'DHMC role trusted by ssm',
    spec: {
      dhmc: { enabled: true, roleName: 'service-role/DhmcRole' },
      otherRoles: [role('DhmcRole', { path: '/service-role/', trustPolicy: trust('ssm.amazonaws.com') })],
    },
    outcome: 'pass',
    detail: 'DHMC role service-role/DhmcRole is trusted by ssm.amazonaws.com',
  },
  {
    name: 'DHMC role with a conditional trust',
    spec: {
      dhmc: { enabled: true, roleName: 'DhmcRole' },
      otherRoles: [
        role('DhmcRole', {
          trustPolicy: doc({
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': '999988887777' } },
          }),
        }),
      ],
    },
    outcome: 'fail',
    reason: 'IAM.TRUST_CONDITIONAL',
    detail: 'trusts ssm.amazonaws.com only under a condition',
  },
  {
    name: 'DHMC enabled with no role name',
    spec: { dhmc: { enabled: true } },
    outcome: 'fail',
    reason: 'IAM.DHMC_ROLE_MISSING',
    detail: 'names role (no role name), which is not in the IAM data',
  },
  {
    name: 'no profile, DHMC off',
    spec: {},
    outcome: 'not-applicable',
    detail: 'ec2-instance-profile-attached reports it',
  },
];

describe('instance-role-trusted', () => {
  it('is ERROR, not a finding, when the profile is absent from the IAM data', () => {
    const orphan = { instance: { iamInstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/Orphan` } };
    expect(() => run(orphan)).toThrow(/Orphan/);
  });
  test.for(ROWS)('$name', ({ spec, outcome, reason, detail, cause, command }) => {
    // Act
    const result = run(spec);
    // Assess
    expect(result.outcome).toBe(outcome);
    expect(result.detail).toContain(detail);
    if (result.outcome === 'fail') {
      expect(result.reason).toBe(reason);
      if (cause !== undefined)
        expect(result.cause).toEqual({ resourceType: 'AWS::IAM::Role', resourceId: cause });
      if (command !== undefined) expect(result.remediation?.command).toBe(command);
    }
  });

  it('throws CheckDataError when the role has no trust policy', () => {
    expect(() => run({ profileRole: role('AppRole', { trustPolicy: undefined }) })).toThrow(CheckDataError);
  });

  it('needs the DHMC setting only when no profile is attached', () => {
    expect(run({ profileRole: role('AppRole'), missing: ['ssm:dhmc-setting'] }).outcome).toBe('pass');
    expect(() => run({ missing: ['ssm:dhmc-setting'] })).toThrow(DataUnavailableError);
  });
});
