// Maps IAM GetAccountAuthorizationDetails (GAAD) into roles, instance profiles and managed policies.

import {
  GLOBAL_REGION,
  type AttachedPolicyRef,
  type IamRole,
  type InlinePolicy,
  type InstanceProfile,
  type ManagedPolicy,
} from '../../inventory/model.js';
import { decodePolicyDocument } from '../../inventory/policy-document.js';
import { tagsFromList } from '../../inventory/tags.js';
import {
  accountFromArn,
  isJsonObject,
  MappingContext,
  pushUnique,
  scopeFromArn,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

/** GAAD fills three collections; `items` holds the roles. */
export interface AuthorizationDetailsResult extends MapResult<IamRole> {
  instanceProfiles: InstanceProfile[];
  managedPolicies: ManagedPolicy[];
}

/**
 * Maps GAAD. IAM is global, so every resource gets region "global" whatever the scope says. Documents arrive
 * URL-encoded (IAM API, SDK v3) or as objects (AWS CLI); both decode to the same model.
 *
 * Instance profiles are derived from `RoleDetailList[].InstanceProfileList`: GAAD has no profile list of its
 * own, so a profile with no role is invisible here. That is harmless for readiness (a role-less profile gives
 * no credentials either way), but an instance pointing at a profile not in the inventory must be read as
 * "profile without role (or not read)", never as "compliant".
 *
 * Managed policies come from `Policies`, keeping only the default version's document: other versions are
 * inert. `Policies` lists customer-managed policies and the AWS-managed ones attached in the account.
 */
export function mapAuthorizationDetails(
  body: unknown,
  scope: PartialScope,
  origin: string,
): AuthorizationDetailsResult {
  // AWS-managed policies carry no account in their ARN, so the whole response takes the account of its roles.
  const ctx = new MappingContext(origin, {
    accountId: scope.accountId ?? responseAccount(body),
    region: GLOBAL_REGION,
  });
  const roleList = ctx.responseList(body, 'RoleDetailList');
  if (roleList === undefined) {
    return { ...ctx.result<IamRole>([], false), instanceProfiles: [], managedPolicies: [] };
  }
  const roles: IamRole[] = [];
  const profiles = new Map<string, InstanceProfile>();
  for (let r = 0; r < roleList.length; r++) {
    const path = `RoleDetailList[${r}]`;
    const o = roleList[r];
    if (!ctx.entry(o, path)) continue;
    const role = mapRole(ctx, o, path, profiles);
    if (role !== undefined) roles.push(role);
  }
  const managedPolicies: ManagedPolicy[] = [];
  const policies =
    isJsonObject(body) && body.Policies !== undefined ? ctx.array(body.Policies, 'Policies', '$') : [];
  for (let p = 0; p < policies.length; p++) {
    const path = `Policies[${p}]`;
    const o = policies[p];
    if (!ctx.entry(o, path)) continue;
    const policy = mapManagedPolicy(ctx, o, path);
    if (policy !== undefined) managedPolicies.push(policy);
  }
  return { ...ctx.result(roles), instanceProfiles: [...profiles.values()], managedPolicies };
}

/** The account the response belongs to, from the first role or customer-managed policy ARN. */
function responseAccount(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  for (const key of ['RoleDetailList', 'Policies', 'UserDetailList', 'GroupDetailList']) {
    const list = body[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const account =
        isJsonObject(entry) && typeof entry.Arn === 'string' ? accountFromArn(entry.Arn) : undefined;
      if (account !== undefined) return account;
    }
  }
  return undefined;
}

function mapRole(
  ctx: MappingContext,
  o: JsonObject,
  path: string,
  profiles: Map<string, InstanceProfile>,
): IamRole | undefined {
  const roleName = ctx.requiredString(o.RoleName, 'RoleName', path);
  const arn = ctx.requiredString(o.Arn, 'Arn', path);
  if (roleName === undefined || arn === undefined) return undefined;
  const { accountId, region } = ctx.scope(accountFromArn(arn), GLOBAL_REGION);
  const attachedPolicies: AttachedPolicyRef[] = [];
  const attached = ctx.array(o.AttachedManagedPolicies, 'AttachedManagedPolicies', path);
  for (let a = 0; a < attached.length; a++) {
    const aPath = `${path}.AttachedManagedPolicies[${a}]`;
    const entry = attached[a];
    if (!ctx.entry(entry, aPath)) continue;
    const policyArn = ctx.requiredString(entry.PolicyArn, 'PolicyArn', aPath);
    if (policyArn === undefined) continue;
    attachedPolicies.push({
      policyName:
        ctx.string(entry.PolicyName, 'PolicyName', aPath) ?? policyArn.slice(policyArn.lastIndexOf('/') + 1),
      policyArn,
    });
  }
  const inlinePolicies: InlinePolicy[] = [];
  const inline = ctx.array(o.RolePolicyList, 'RolePolicyList', path);
  for (let i = 0; i < inline.length; i++) {
    const iPath = `${path}.RolePolicyList[${i}]`;
    const entry = inline[i];
    if (!ctx.entry(entry, iPath)) continue;
    const policyName = ctx.requiredString(entry.PolicyName, 'PolicyName', iPath);
    if (policyName === undefined) continue;
    inlinePolicies.push({ policyName, policy: decodePolicyDocument(entry.PolicyDocument) });
  }
  const instanceProfileArns: string[] = [];
  const profileList = ctx.array(o.InstanceProfileList, 'InstanceProfileList', path);
  for (let p = 0; p < profileList.length; p++) {
    const pPath = `${path}.InstanceProfileList[${p}]`;
    const entry = profileList[p];
    if (!ctx.entry(entry, pPath)) continue;
    const profileArn = ctx.requiredString(entry.Arn, 'Arn', pPath);
    if (profileArn === undefined) continue;
    pushUnique(instanceProfileArns, profileArn);
    mergeProfile(ctx, entry, pPath, profileArn, arn, profiles);
  }
  const role: IamRole = {
    accountId,
    region,
    roleName,
    arn,
    path: ctx.string(o.Path, 'Path', path) ?? '/',
    attachedPolicies,
    inlinePolicies,
    instanceProfileArns,
    tags: tagsFromList(o.Tags),
  };
  const roleId = ctx.string(o.RoleId, 'RoleId', path);
  if (roleId !== undefined) role.roleId = roleId;
  if (o.AssumeRolePolicyDocument !== undefined && o.AssumeRolePolicyDocument !== null) {
    role.trustPolicy = decodePolicyDocument(o.AssumeRolePolicyDocument);
  }
  const boundary = ctx.object(o.PermissionsBoundary, 'PermissionsBoundary', path);
  const boundaryArn =
    boundary === undefined
      ? undefined
      : ctx.string(boundary.PermissionsBoundaryArn, 'PermissionsBoundaryArn', `${path}.PermissionsBoundary`);
  if (boundaryArn !== undefined) role.permissionsBoundaryArn = boundaryArn;
  return role;
}

/** Adds (or completes) the profile seen under a role; its own `Roles` list is authoritative when present. */
function mergeProfile(
  ctx: MappingContext,
  o: JsonObject,
  path: string,
  arn: string,
  roleArn: string,
  profiles: Map<string, InstanceProfile>,
): void {
  let profile = profiles.get(arn);
  if (profile === undefined) {
    const { accountId, region } = ctx.scope(accountFromArn(arn), GLOBAL_REGION);
    profile = {
      accountId,
      region,
      instanceProfileName:
        ctx.string(o.InstanceProfileName, 'InstanceProfileName', path) ?? arn.slice(arn.lastIndexOf('/') + 1),
      arn,
      path: ctx.string(o.Path, 'Path', path) ?? '/',
      roleArns: [],
    };
    profiles.set(arn, profile);
  }
  for (const listed of ctx.fieldList(o.Roles, 'Roles', 'Arn', path)) pushUnique(profile.roleArns, listed);
  pushUnique(profile.roleArns, roleArn);
}

function mapManagedPolicy(ctx: MappingContext, o: JsonObject, path: string): ManagedPolicy | undefined {
  const arn = ctx.requiredString(o.Arn, 'Arn', path);
  if (arn === undefined) return undefined;
  const { accountId, region } = ctx.scope(accountFromArn(arn), GLOBAL_REGION);
  const policy: ManagedPolicy = {
    accountId,
    region,
    policyName: ctx.string(o.PolicyName, 'PolicyName', path) ?? arn.slice(arn.lastIndexOf('/') + 1),
    arn,
    // AWS-managed policy ARNs use the literal account "aws" (arn:aws:iam::aws:policy/…), in every partition.
    isAwsManaged: scopeFromArn(arn).accountId === 'aws',
  };
  const defaultVersionId = ctx.string(o.DefaultVersionId, 'DefaultVersionId', path);
  if (defaultVersionId !== undefined) policy.defaultVersionId = defaultVersionId;
  const versions = ctx.array(o.PolicyVersionList, 'PolicyVersionList', path);
  let found = false;
  for (let v = 0; v < versions.length; v++) {
    const vPath = `${path}.PolicyVersionList[${v}]`;
    const version = versions[v];
    if (!ctx.entry(version, vPath)) continue;
    const isDefault = ctx.boolean(version.IsDefaultVersion, 'IsDefaultVersion', vPath);
    const versionId = ctx.string(version.VersionId, 'VersionId', vPath);
    // IsDefaultVersion is authoritative; the id match covers outputs that omit the flag.
    if (
      isDefault === true ||
      (isDefault === undefined && versionId !== undefined && versionId === defaultVersionId)
    ) {
      policy.defaultVersion = decodePolicyDocument(version.Document);
      if (policy.defaultVersionId === undefined && versionId !== undefined)
        policy.defaultVersionId = versionId;
      found = true;
      break;
    }
  }
  if (!found)
    ctx.issue(
      'FIELD_INVALID',
      `${path}.PolicyVersionList`,
      'no default version listed; the policy document is unknown',
    );
  return policy;
}
