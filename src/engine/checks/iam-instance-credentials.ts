// Which IAM role the SSM Agent on an instance works with: the instance profile's role, or the DHMC role.

import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { DhmcSetting, Ec2Instance, IamRole, InstanceProfile } from '../../inventory/model.js';
import { accountFromArn } from '../../collectors/api/mapping-context.js';
import { CheckDataError } from './check-data-error.js';
import { dhmcCoversInstance } from './dhmc-covers-instance.js';

/**
 * Where an instance's agent gets credentials (aws-facts §0 #1–2, §1.4):
 * - `profile`: the attached instance profile and its role (trusted by ec2.amazonaws.com);
 * - `profile-without-role`: the IAM data shows the attached profile holding no role;
 * - `dhmc`: no profile, and Default Host Management Configuration covers the instance with the named role
 *   (trusted by ssm.amazonaws.com), which may be absent from IAM data;
 * - `none`: neither; `ec2-instance-profile-attached` reports it.
 */
export type InstanceCredentials =
  | { kind: 'profile'; profile: InstanceProfile; role: IamRole }
  | { kind: 'profile-without-role'; profileArn: string; profile: InstanceProfile }
  | { kind: 'dhmc'; setting: DhmcSetting; roleName: string; role?: IamRole }
  | { kind: 'none'; detail: string };

/**
 * Resolves the credentials' source. Reads IAM data whenever a role is involved and the DHMC setting when no
 * profile is attached; families that were not read throw DataUnavailableError (the engine makes it ERROR).
 */
export function resolveInstanceCredentials(
  instance: Ec2Instance,
  index: InventoryIndex,
): InstanceCredentials {
  const profileArn = instance.iamInstanceProfileArn;
  if (profileArn !== undefined) {
    const profile = index.instanceProfileOf(instance);
    if (profile === undefined) throw profileNotInData(instance, profileArn);
    const roleArn = profile.roleArns[0];
    if (roleArn === undefined) return { kind: 'profile-without-role', profileArn, profile };
    const role = index.roleByArn(roleArn);
    if (role === undefined) throw roleNotInData(profile, roleArn);
    return { kind: 'profile', profile, role };
  }
  return dhmcCredentials(instance, index);
}

/**
 * The attached profile is not in the IAM data. GetAccountAuthorizationDetails lists a profile only under its role,
 * so a profile with no role is not in it either; but so is one from an export of another account, or of another
 * day. Which one cannot be told from here, and the instance must not be blamed for the tool's blindness: ERROR.
 */
function profileNotInData(instance: Ec2Instance, profileArn: string): CheckDataError {
  const name = profileArn.slice(profileArn.lastIndexOf('/') + 1);
  const account = accountFromArn(profileArn) ?? instance.accountId;
  return new CheckDataError(
    'INSTANCE_PROFILE_NOT_IN_DATA',
    'IAM.PROFILE_NOT_IN_DATA',
    `instance profile ${profileArn} is not in the IAM data: the output of 'aws iam get-account-authorization-details' for account ${account} lists every instance profile that holds a role, so that export is missing, from another account or time, or the profile holds no role or no longer exists ('aws iam get-instance-profile --instance-profile-name ${name}' tells)`,
    { resourceType: 'AWS::IAM::InstanceProfile', resourceId: profileArn },
    [{ path: 'iamInstanceProfileArn', actual: profileArn, note: 'not in the IAM data' }],
  );
}

/** A profile names a role that the IAM data does not hold (partial or mixed IAM data). */
function roleNotInData(profile: InstanceProfile, roleArn: string): CheckDataError {
  return new CheckDataError(
    'ROLE_NOT_IN_DATA',
    'IAM.PROFILE_NOT_IN_DATA',
    `instance profile ${profile.arn} holds role ${roleArn}, which is not in the IAM data (give the complete output of 'aws iam get-account-authorization-details' for account ${profile.accountId})`,
    { resourceType: 'AWS::IAM::Role', resourceId: roleArn },
    [
      {
        path: 'instanceProfile.roleArns',
        resourceId: profile.arn,
        actual: roleArn,
        note: 'not in the IAM data',
      },
    ],
  );
}

/**
 * The DHMC credentials of an instance, or `none` with the reason DHMC does not cover it. Also used for the
 * fallback: an agent whose profile role is refused ssm:UpdateInstanceInformation switches to DHMC.
 */
export function dhmcCredentials(instance: Ec2Instance, index: InventoryIndex): InstanceCredentials {
  const covers = dhmcCoversInstance.evaluate(instance, { index, params: {}, nowMs: 0 });
  const setting = index.dhmcSetting(instance);
  if (covers.outcome !== 'pass' || setting === undefined) {
    return {
      kind: 'none',
      detail: covers.outcome === 'fail' ? covers.detail : 'DHMC does not cover the instance',
    };
  }
  index.need('iam:authorization-details', instance);
  const roleName = setting.roleName ?? '';
  return {
    kind: 'dhmc',
    setting,
    roleName,
    role: roleName === '' ? undefined : index.roleByName(instance.accountId, roleName),
  };
}

/** How messages name the role: "role X (instance profile P)" or "DHMC role path/X". */
export function describeCredentials(
  credentials: Extract<InstanceCredentials, { kind: 'profile' | 'dhmc' }>,
): string {
  if (credentials.kind === 'profile') {
    return `role ${credentials.role.roleName} (instance profile ${credentials.profile.instanceProfileName})`;
  }
  return `DHMC role ${credentials.roleName}`;
}
