// Writes GetAccountAuthorizationDetails for a DeployModel: its roles with their instance profiles and policies,
// its customer managed policies, and the AWS managed policies its roles use whose documents ssmguard ships.

import type { ApiJson } from '../api/api-data.js';
import { findEmbeddedAwsManagedPolicy } from '../../iam/aws-managed-policies.js';
import type { DeployInstanceProfile, DeployRole } from './deploy-model.js';
import { iamUniqueId } from './implicit-ids.js';
import { UNKNOWN_DOCUMENT, type Site, type SynthesisContext } from './synthesis-context.js';

// AWS managed policies use the literal account "aws" in every partition: arn:aws:iam::aws:policy/…
const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;

/** IAM's encoding of policy documents in GAAD: URL-encoded JSON (RFC 3986), which the mapper decodes. */
function encodeDocument(document: unknown): string {
  return document === undefined ? UNKNOWN_DOCUMENT : encodeURIComponent(JSON.stringify(document));
}

/** The path of a managed policy from its ARN: arn:aws:iam::123456789012:policy/team/Name → "/team/". */
function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1) || '/';
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** How often each managed policy is attached and used as a boundary, for the Policies list. */
interface PolicyUse {
  attachments: Map<string, number>;
  boundaries: Map<string, number>;
}

function count(map: Map<string, number>, arn: string): void {
  map.set(arn, (map.get(arn) ?? 0) + 1);
}

/**
 * GAAD as IAM would answer once the template is deployed (one untruncated response). A role attaching an AWS
 * managed policy ssmguard has no document for is recorded as unknown; no document is made up for it.
 */
export function getAccountAuthorizationDetails(ctx: SynthesisContext): ApiJson {
  const profilesByRole = instanceProfilesByRole(ctx);
  const use: PolicyUse = { attachments: new Map(), boundaries: new Map() };
  const roles = ctx.model.roles.map((role) => roleDetail(ctx, role, profilesByRole.get(role.arn) ?? [], use));
  return {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: roles,
    Policies: [...customerPolicies(ctx, use), ...awsManagedPolicies(use)],
    IsTruncated: false,
  };
}

/** The profiles each declared role is in (GAAD lists profiles only under their roles). */
function instanceProfilesByRole(ctx: SynthesisContext): Map<string, DeployInstanceProfile[]> {
  const byRole = new Map<string, DeployInstanceProfile[]>();
  for (const profile of ctx.model.instanceProfiles) {
    const site = ctx.declare(profile, profile.arn, 'instanceProfiles');
    for (const roleArn of ctx.referenceList(profile.roleArns, 'roles', site, 'roleArns')) {
      byRole.set(roleArn, [...(byRole.get(roleArn) ?? []), profile]);
    }
  }
  return byRole;
}

function roleCore(ctx: SynthesisContext, role: DeployRole, trust: string): ApiJson {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: iamUniqueId('AROA', role.arn),
    Arn: role.arn,
    CreateDate: ctx.collectedAt,
    AssumeRolePolicyDocument: trust,
  };
}

function roleDetail(
  ctx: SynthesisContext,
  role: DeployRole,
  profiles: readonly DeployInstanceProfile[],
  use: PolicyUse,
): ApiJson {
  const site = ctx.declare(role, role.arn, 'roles');
  const trust = encodeDocument(ctx.document(role.assumeRolePolicyDocument, site, 'assumeRolePolicyDocument'));
  const core = roleCore(ctx, role, trust);
  const attached = ctx
    .knownList(role.managedPolicyArns, site, 'managedPolicyArns', (arn, path) =>
      checkPolicy(ctx, arn, site, path),
    )
    .map((arn) => {
      count(use.attachments, arn);
      return { PolicyName: policyName(arn), PolicyArn: arn };
    });
  const detail: ApiJson = {
    ...core,
    InstanceProfileList: profiles.map((profile) => ({
      Path: profile.path,
      InstanceProfileName: profile.instanceProfileName,
      InstanceProfileId: iamUniqueId('AIPA', profile.arn),
      Arn: profile.arn,
      CreateDate: ctx.collectedAt,
      Roles: [core],
      Tags: [],
    })),
    RolePolicyList: role.inlinePolicies.map((policy, i) => ({
      PolicyName: policy.policyName,
      PolicyDocument: encodeDocument(ctx.document(policy.document, site, `inlinePolicies[${i}].document`)),
    })),
    AttachedManagedPolicies: attached,
    Tags: ctx.tags(role.tags, site),
    RoleLastUsed: {},
  };
  const boundary = ctx.known(role.permissionsBoundaryArn, site, 'permissionsBoundaryArn');
  if (boundary !== undefined) {
    checkPolicy(ctx, boundary, site, 'permissionsBoundaryArn');
    count(use.boundaries, boundary);
    detail.PermissionsBoundary = {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: boundary,
    };
  }
  return detail;
}

/** Records a managed policy whose document will not be in the response: undeclared, or AWS's and not shipped. */
function checkPolicy(ctx: SynthesisContext, arn: string, site: Site, property: string): void {
  if (AWS_MANAGED.test(arn)) {
    if (findEmbeddedAwsManagedPolicy(arn) === undefined)
      ctx.unknown(
        site,
        property,
        `'${arn}' is an AWS managed policy whose document ssmguard does not know; scan the deployed account to read it`,
      );
  } else if (!ctx.isDeclared('managedPolicies', arn)) ctx.outside(arn, site, property);
}

function managedPolicy(
  arn: string,
  name: string,
  versionId: string,
  document: string,
  use: PolicyUse,
  createDate: string,
): ApiJson {
  return {
    PolicyName: name,
    PolicyId: iamUniqueId('ANPA', arn),
    Arn: arn,
    Path: policyPath(arn),
    DefaultVersionId: versionId,
    AttachmentCount: use.attachments.get(arn) ?? 0,
    PermissionsBoundaryUsageCount: use.boundaries.get(arn) ?? 0,
    IsAttachable: true,
    CreateDate: createDate,
    UpdateDate: createDate,
    PolicyVersionList: [
      { Document: document, VersionId: versionId, IsDefaultVersion: true, CreateDate: createDate },
    ],
  };
}

function customerPolicies(ctx: SynthesisContext, use: PolicyUse): ApiJson[] {
  return ctx.model.managedPolicies.map((policy) => {
    const site = ctx.declare(policy, policy.arn, 'managedPolicies');
    const document = encodeDocument(ctx.document(policy.document, site, 'document'));
    return managedPolicy(policy.arn, policy.policyName, 'v1', document, use, ctx.collectedAt);
  });
}

/** GAAD lists an AWS managed policy when something in the account attaches it or uses it as a boundary. */
function awsManagedPolicies(use: PolicyUse): ApiJson[] {
  const arns = new Set([...use.attachments.keys(), ...use.boundaries.keys()]);
  const out: ApiJson[] = [];
  for (const arn of arns) {
    const embedded = AWS_MANAGED.test(arn) ? findEmbeddedAwsManagedPolicy(arn) : undefined;
    if (embedded === undefined) continue;
    // IAM keeps AWS managed documents as authored (pretty-printed); the mapper decodes either form.
    const document = encodeURIComponent(JSON.stringify(embedded.document, null, 4));
    out.push(
      managedPolicy(
        arn,
        embedded.policyName,
        embedded.defaultVersionId,
        document,
        use,
        '2019-03-14T00:00:00Z',
      ),
    );
  }
  return out;
}
