// The IAM part of the Lambda's scoped reads: an instance's profile, role and policies with per-resource calls.

import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type AttachedPolicy,
  type InstanceProfile,
  type PolicyVersion,
} from '@aws-sdk/client-iam';
import type { ApiFailure, ApiJson } from '../collectors/api/api-data.js';
import { classifySdkError } from '../collectors/live/live-scan-error.js';
import { type MappedPages, mappingFold } from '../collectors/live/mapping-fold.js';
import { GLOBAL_REGION, type Ec2Instance } from '../inventory/model.js';

const GAAD = 'iam:GetAccountAuthorizationDetails' as const;

/**
 * Reads the IAM neighbourhood of the instances: each attached instance profile (GetInstanceProfile), the role in
 * it and the DHMC role (GetRole, ListAttachedRolePolicies, ListRolePolicies + GetRolePolicy), and every managed
 * policy those roles attach or are bounded by (GetPolicy + GetPolicyVersion of the default version). The
 * answers are put together in the shape of GetAccountAuthorizationDetails (the same members AWS returns there)
 * and mapped by its mapper, so the model, and every verdict, is what a full read would give for these roles.
 * Like GAAD, a profile appears only through its role; an entity that does not exist (NoSuchEntity) is simply
 * absent. Any other failure makes the IAM family unreadable for the account.
 *
 * Without `withPermissions` (a rule that reads trust policies only), a profile's role is taken from
 * GetInstanceProfile, which returns it with its trust policy, and the DHMC role from GetRole: no policy is read,
 * and each role is marked `permissionsUnread`, so evaluating its permissions is ERROR rather than "no policies".
 */
export async function readIamNeighbourhood(
  client: IAMClient,
  instances: readonly Ec2Instance[],
  dhmcRoleName: string | undefined,
  accountId: string,
  withPermissions = true,
): Promise<{ mapped?: MappedPages; failures: ApiFailure[] }> {
  try {
    const profileNames = [
      ...new Set(
        instances.flatMap((i) => (i.iamInstanceProfileArn ? [nameOf(i.iamInstanceProfileArn)] : [])),
      ),
    ].sort();
    const profiles = (await Promise.all(profileNames.map((name) => getProfile(client, name)))).filter(
      (p): p is InstanceProfile => p !== undefined,
    );
    const roleNames = new Set(profiles.flatMap((p) => (p.Roles ?? []).map((r) => String(r.RoleName))));
    if (dhmcRoleName !== undefined) roleNames.add(nameOf(dhmcRoleName));
    const roles = (
      await Promise.all(
        [...roleNames]
          .sort()
          .map((name) =>
            withPermissions ? readRole(client, name, profiles) : trustOnlyRole(client, name, profiles),
          ),
      )
    ).filter((r): r is ApiJson => r !== undefined);
    const policyArns = new Set<string>();
    for (const role of withPermissions ? roles : []) {
      for (const attached of role.AttachedManagedPolicies as AttachedPolicy[])
        policyArns.add(String(attached.PolicyArn));
      const boundary = role.PermissionsBoundary as { PermissionsBoundaryArn?: string } | undefined;
      if (boundary?.PermissionsBoundaryArn) policyArns.add(boundary.PermissionsBoundaryArn);
    }
    const policies = (await Promise.all([...policyArns].sort().map((arn) => readPolicy(client, arn)))).filter(
      (p): p is ApiJson => p !== undefined,
    );
    const details = { RoleDetailList: roles, Policies: policies, UserDetailList: [], GroupDetailList: [] };
    const mapped = mappingFold(accountId, GLOBAL_REGION).single(GAAD, details);
    if (!withPermissions)
      for (const page of mapped) for (const role of page.resources.roles ?? []) role.permissionsUnread = true;
    return { mapped, failures: [] };
  } catch (error) {
    const failure = classifySdkError(error, `IAM neighbourhood in ${accountId}`);
    return { failures: [{ kind: GAAD, ...failure }] };
  }
}

/** "arn:aws:iam::1:instance-profile/path/Name" or "service-role/Name" → "Name". */
function nameOf(arnOrPath: string): string {
  return arnOrPath.slice(arnOrPath.lastIndexOf('/') + 1);
}

function isNoSuchEntity(error: unknown): boolean {
  return (
    (error as { name?: unknown } | null)?.name === 'NoSuchEntityException' ||
    (error as { name?: unknown } | null)?.name === 'NoSuchEntity'
  );
}

/** Undefined when the entity does not exist; any other error propagates. */
async function unlessMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

async function getProfile(client: IAMClient, name: string): Promise<InstanceProfile | undefined> {
  const output = await unlessMissing(() =>
    client.send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
  );
  return output?.InstanceProfile;
}

/** A RoleDetailList entry: GetRole's role, its profiles, inline policies and attached managed policies. */
async function readRole(
  client: IAMClient,
  roleName: string,
  profiles: readonly InstanceProfile[],
): Promise<ApiJson | undefined> {
  const role = (await unlessMissing(() => client.send(new GetRoleCommand({ RoleName: roleName }))))?.Role;
  if (role === undefined) return undefined;
  const attached: AttachedPolicy[] = [];
  for await (const page of paginateListAttachedRolePolicies(
    { client, pageSize: 1000 },
    { RoleName: roleName },
  ))
    attached.push(...(page.AttachedPolicies ?? []));
  const inlineNames: string[] = [];
  for await (const page of paginateListRolePolicies({ client, pageSize: 1000 }, { RoleName: roleName }))
    inlineNames.push(...(page.PolicyNames ?? []));
  const inline = await Promise.all(
    inlineNames.map(async (PolicyName) => {
      const output = await client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }));
      return { PolicyName, PolicyDocument: output.PolicyDocument };
    }),
  );
  return {
    ...role,
    InstanceProfileList: profiles.filter((p) => (p.Roles ?? []).some((r) => r.RoleName === roleName)),
    RolePolicyList: inline,
    AttachedManagedPolicies: attached,
  };
}

/**
 * A RoleDetailList entry with the trust policy only: the profile's copy of the role (GetInstanceProfile returns
 * Path, RoleName, RoleId, Arn and AssumeRolePolicyDocument), or GetRole for a role in no profile (DHMC's).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html
 */
async function trustOnlyRole(
  client: IAMClient,
  roleName: string,
  profiles: readonly InstanceProfile[],
): Promise<ApiJson | undefined> {
  const inProfiles = profiles.filter((p) => (p.Roles ?? []).some((r) => r.RoleName === roleName));
  const role =
    inProfiles[0]?.Roles?.find((r) => r.RoleName === roleName) ??
    (await unlessMissing(() => client.send(new GetRoleCommand({ RoleName: roleName }))))?.Role;
  if (role === undefined) return undefined;
  return {
    ...role,
    InstanceProfileList: inProfiles,
    RolePolicyList: [],
    AttachedManagedPolicies: [],
  };
}

/**
 * Policy versions already read, per client (one account's credentials), for as long as the Lambda's execution
 * environment lives. A version never changes: editing a managed policy creates a new version, and GetPolicy names
 * the default one on every read, so a cached version is never stale.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
 */
const versionsRead = new WeakMap<IAMClient, Map<string, PolicyVersion>>();
const VERSION_CACHE_LIMIT = 1000;

/** A Policies entry: GetPolicy, with its default version's document as the only PolicyVersionList entry. */
async function readPolicy(client: IAMClient, policyArn: string): Promise<ApiJson | undefined> {
  const policy = (await unlessMissing(() => client.send(new GetPolicyCommand({ PolicyArn: policyArn }))))
    ?.Policy;
  if (policy?.DefaultVersionId === undefined) return undefined;
  let cache = versionsRead.get(client);
  if (cache === undefined) versionsRead.set(client, (cache = new Map()));
  const key = `${policyArn}|${policy.DefaultVersionId}`;
  let version = cache.get(key);
  if (version === undefined) {
    version = (
      await unlessMissing(() =>
        client.send(
          new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.DefaultVersionId }),
        ),
      )
    )?.PolicyVersion;
    if (version !== undefined && cache.size < VERSION_CACHE_LIMIT) cache.set(key, version);
  }
  return { ...policy, PolicyVersionList: version === undefined ? [] : [version] };
}
