// Which IAM role the SSM Agent on an instance works with: the instance profile's role, or the DHMC role.

import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { DhmcSetting, Ec2Instance, IamRole, InstanceProfile } from '../../inventory/model.js';
import { dhmcCoversInstance } from './dhmc-covers-instance.js';

/**
 * Where an instance's agent gets credentials (aws-facts §0 #1–2, §1.4):
 * - `profile`: the attached instance profile and its role (trusted by ec2.amazonaws.com);
 * - `profile-without-role`: a profile is attached but names no role we know — GetAccountAuthorizationDetails
 *   lists profiles only under their role, so a profile missing from IAM data has no role (or was deleted);
 * - `dhmc`: no profile, and Default Host Management Configuration covers the instance with the named role
 *   (trusted by ssm.amazonaws.com), which may be absent from IAM data;
 * - `none`: neither; `ec2-instance-profile-attached` reports it.
 */
export type InstanceCredentials =
  | { kind: 'profile'; profile: InstanceProfile; role: IamRole }
  | { kind: 'profile-without-role'; profileArn: string; profile?: InstanceProfile; roleArn?: string }
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
  if (instance.iamInstanceProfileArn !== undefined) {
    const profile = index.instanceProfileOf(instance);
    const roleArn = profile?.roleArns[0];
    const role = roleArn === undefined ? undefined : index.roleByArn(roleArn);
    if (profile !== undefined && role !== undefined) return { kind: 'profile', profile, role };
    return { kind: 'profile-without-role', profileArn: instance.iamInstanceProfileArn, profile, roleArn };
  }
  return dhmcCredentials(instance, index);
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
