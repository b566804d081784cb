// The IAM write operations `ssmguard fix --apply` (and its undo) call, changing the account's
// GetAccountAuthorizationDetails data so later reads see them, with IAM's error codes
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html).

import { createHash } from 'node:crypto';
import type { AccountApiData, ApiJson } from '../../../src/collectors/api/api-data.js';
import { AwsWireError, missingParameter } from './wire-error.js';

/** Instance profiles IAM holds; GetAccountAuthorizationDetails only shows those that contain a role. */
const standaloneProfiles = new WeakMap<AccountApiData, Map<string, ApiJson>>();

const id = (prefix: string, seed: string): string =>
  `${prefix}${createHash('sha1').update(seed).digest('hex').toUpperCase().slice(0, 17)}`;

const list = (value: unknown): ApiJson[] => (Array.isArray(value) ? (value as ApiJson[]) : []);

const noSuchEntity = (what: string): AwsWireError =>
  new AwsWireError('NoSuchEntity', `The ${what} cannot be found.`, 404);

function details(account: AccountApiData): ApiJson {
  return account.GetAccountAuthorizationDetails;
}

function roles(account: AccountApiData): ApiJson[] {
  const gaad = details(account);
  if (!Array.isArray(gaad.RoleDetailList)) gaad.RoleDetailList = [];
  return gaad.RoleDetailList as ApiJson[];
}

function findRole(account: AccountApiData, name: string): ApiJson {
  const role = roles(account).find((r) => r.RoleName === name);
  if (!role) throw noSuchEntity(`role with name ${name}`);
  return role;
}

/** Every instance profile: those inside roles (GAAD) and those without a role. */
function profiles(account: AccountApiData): Map<string, ApiJson> {
  let own = standaloneProfiles.get(account);
  if (!own) {
    own = new Map();
    standaloneProfiles.set(account, own);
  }
  const all = new Map(own);
  for (const role of roles(account))
    for (const p of list(role.InstanceProfileList)) all.set(String(p.InstanceProfileName), p);
  return all;
}

function findProfile(account: AccountApiData, name: string): ApiJson {
  const profile = profiles(account).get(name);
  if (!profile) throw noSuchEntity(`Instance Profile ${name}`);
  return profile;
}

/** The role as IAM's Role shape (no lists), for CreateRole/GetRole and profile `Roles`. */
const roleShape = (role: ApiJson): ApiJson => ({
  Path: role.Path,
  RoleName: role.RoleName,
  RoleId: role.RoleId,
  Arn: role.Arn,
  CreateDate: role.CreateDate,
  AssumeRolePolicyDocument: role.AssumeRolePolicyDocument,
});

const NOW = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

type Handler = (account: AccountApiData, params: URLSearchParams, accountId: string) => ApiJson;

const required = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (!value) throw missingParameter('iam', name);
  return value;
};

const HANDLERS: Record<string, Handler> = {
  CreateRole(account, params, accountId) {
    const name = required(params, 'RoleName');
    const document = required(params, 'AssumeRolePolicyDocument');
    if (roles(account).some((r) => r.RoleName === name)) {
      throw new AwsWireError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
    }
    parseDocument(document);
    const path = params.get('Path') ?? '/';
    const role: ApiJson = {
      Path: path,
      RoleName: name,
      RoleId: id('AROA', `${accountId}:${name}`),
      Arn: `arn:aws:iam::${accountId}:role${path}${name}`,
      CreateDate: NOW(),
      // GetAccountAuthorizationDetails returns policy documents URL-encoded, as IAM does.
      AssumeRolePolicyDocument: encodeURIComponent(document),
      InstanceProfileList: [],
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [],
    };
    roles(account).push(role);
    return { Role: roleShape(role) };
  },
  // GetRole answers with the whole Role: its boundary, tags and last use too (the scoped Lambda read needs them).
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
  GetRole(account, params) {
    const role = findRole(account, required(params, 'RoleName'));
    const extra = Object.fromEntries(
      ['Description', 'MaxSessionDuration', 'PermissionsBoundary', 'Tags', 'RoleLastUsed']
        .filter((key) => role[key] !== undefined)
        .map((key) => [key, role[key]]),
    );
    return { Role: { ...roleShape(role), ...extra } };
  },
  DeleteRole(account, params) {
    const role = findRole(account, required(params, 'RoleName'));
    if (
      list(role.AttachedManagedPolicies).length > 0 ||
      list(role.RolePolicyList).length > 0 ||
      list(role.InstanceProfileList).length > 0
    ) {
      throw new AwsWireError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
    }
    details(account).RoleDetailList = roles(account).filter((r) => r !== role);
    return {};
  },
  AttachRolePolicy(account, params) {
    const role = findRole(account, required(params, 'RoleName'));
    const arn = required(params, 'PolicyArn');
    const known =
      arn.startsWith('arn:aws:iam::aws:policy/') ||
      list(details(account).Policies).some((p) => p.Arn === arn);
    if (!known) throw noSuchEntity(`policy ${arn}`);
    const attached = list(role.AttachedManagedPolicies);
    if (!attached.some((p) => p.PolicyArn === arn))
      attached.push({ PolicyName: arn.split('/').pop(), PolicyArn: arn });
    role.AttachedManagedPolicies = attached;
    return {};
  },
  DetachRolePolicy(account, params) {
    const role = findRole(account, required(params, 'RoleName'));
    const arn = required(params, 'PolicyArn');
    const attached = list(role.AttachedManagedPolicies);
    if (!attached.some((p) => p.PolicyArn === arn)) throw noSuchEntity(`policy ${arn} attached to role`);
    role.AttachedManagedPolicies = attached.filter((p) => p.PolicyArn !== arn);
    return {};
  },
  PutRolePolicy(account, params) {
    const role = findRole(account, required(params, 'RoleName'));
    const name = required(params, 'PolicyName');
    const document = required(params, 'PolicyDocument');
    parseDocument(document);
    role.RolePolicyList = [
      ...list(role.RolePolicyList).filter((p) => p.PolicyName !== name),
      { PolicyName: name, PolicyDocument: encodeURIComponent(document) },
    ];
    return {};
  },
  DeleteRolePolicy(account, params) {
    const role = findRole(account, required(params, 'RoleName'));
    const name = required(params, 'PolicyName');
    if (!list(role.RolePolicyList).some((p) => p.PolicyName === name))
      throw noSuchEntity(`role policy with name ${name}`);
    role.RolePolicyList = list(role.RolePolicyList).filter((p) => p.PolicyName !== name);
    return {};
  },
  CreateInstanceProfile(account, params, accountId) {
    const name = required(params, 'InstanceProfileName');
    if (profiles(account).has(name)) {
      throw new AwsWireError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
    }
    const path = params.get('Path') ?? '/';
    const profile: ApiJson = {
      Path: path,
      InstanceProfileName: name,
      InstanceProfileId: id('AIPA', `${accountId}:${name}`),
      Arn: `arn:aws:iam::${accountId}:instance-profile${path}${name}`,
      CreateDate: NOW(),
      Roles: [],
      Tags: [],
    };
    standaloneProfiles.get(account)!.set(name, profile);
    return { InstanceProfile: profile };
  },
  GetInstanceProfile(account, params) {
    return { InstanceProfile: findProfile(account, required(params, 'InstanceProfileName')) };
  },
  DeleteInstanceProfile(account, params) {
    const name = required(params, 'InstanceProfileName');
    const profile = findProfile(account, name);
    if (list(profile.Roles).length > 0) {
      throw new AwsWireError(
        'DeleteConflict',
        'Cannot delete entity, must remove roles from instance profile first.',
        409,
      );
    }
    standaloneProfiles.get(account)?.delete(name);
    return {};
  },
  AddRoleToInstanceProfile(account, params) {
    const profile = findProfile(account, required(params, 'InstanceProfileName'));
    const role = findRole(account, required(params, 'RoleName'));
    // An instance profile holds at most one role (an IAM hard limit).
    if (list(profile.Roles).length > 0) {
      throw new AwsWireError(
        'LimitExceeded',
        'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
        409,
      );
    }
    profile.Roles = [roleShape(role)];
    role.InstanceProfileList = [...list(role.InstanceProfileList), profile];
    standaloneProfiles.get(account)?.delete(String(profile.InstanceProfileName));
    return {};
  },
  RemoveRoleFromInstanceProfile(account, params) {
    const name = required(params, 'InstanceProfileName');
    const profile = findProfile(account, name);
    const role = findRole(account, required(params, 'RoleName'));
    if (!list(profile.Roles).some((r) => r.RoleName === role.RoleName))
      throw noSuchEntity(`role ${String(role.RoleName)} in instance profile ${name}`);
    profile.Roles = [];
    role.InstanceProfileList = list(role.InstanceProfileList).filter((p) => p.InstanceProfileName !== name);
    standaloneProfiles.get(account)?.set(name, profile);
    return {};
  },
};

function parseDocument(text: string): void {
  try {
    JSON.parse(text);
  } catch {
    throw new AwsWireError('MalformedPolicyDocument', 'This policy contains invalid Json');
  }
}

/** True when the operation is one of the write operations above. */
export function isIamWrite(operation: string): boolean {
  return Object.hasOwn(HANDLERS, operation);
}

/** Runs an IAM write operation against the account's data; the result is the `<XResult>` members. */
export function handleIamWrite(
  operation: string,
  account: AccountApiData | undefined,
  params: URLSearchParams,
  accountId: string,
): ApiJson {
  if (!account)
    throw new AwsWireError('AccessDenied', `account ${accountId} is not served by this endpoint`, 403);
  profiles(account);
  return HANDLERS[operation]!(account, params, accountId);
}

/** The instance profile named, for EC2's AssociateIamInstanceProfile (which validates it against IAM). */
export function instanceProfileNamed(account: AccountApiData | undefined, name: string): ApiJson | undefined {
  return account ? profiles(account).get(name) : undefined;
}
