// Terraform plan → IAM roles (with inline_policy blocks, managed_policy_arns, boundary, and the aws_iam_role_policy
// and aws_iam_role_policy_attachment resources that attach to them), managed policies and instance profiles.

import type { DeployInstanceProfile, DeployManagedPolicy, DeployRole, Maybe, Ref } from './deploy-model.js';
import {
  declaredArn,
  declaredName,
  declaredPath,
  note,
  type PlanContext,
  type PlanResource,
} from './terraform-map-context.js';
import { iamArn } from './terraform-map-ids.js';
import { readRef, readRefList } from './terraform-map-references.js';
import {
  afterApply,
  child,
  isDeclared,
  items,
  readPolicyDocument,
  readText,
  readTextMap,
  whenDeclaredOrKnown,
} from './terraform-map-values.js';

function ofType(ctx: PlanContext, type: string): PlanResource[] {
  return ctx.resources.filter((resource) => resource.type === type);
}

/** A role or profile named in the plan → its declared ARN; a name from outside the plan → the ARN at path "/". */
function arnByName(ctx: PlanContext, type: 'aws_iam_role' | 'aws_iam_instance_profile', name: Ref): Ref {
  if (typeof name !== 'string' || name.startsWith('arn:')) return name;
  const declared = ofType(ctx, type).find((resource) => declaredName(resource) === name);
  if (declared !== undefined) return declaredArn(ctx, declared) ?? name;
  return iamArn(ctx.accountId, type === 'aws_iam_role' ? 'role' : 'instance-profile', '/', name);
}

export function instanceProfileArnOf(ctx: PlanContext, nameOrArn: Ref): Ref {
  return arnByName(ctx, 'aws_iam_instance_profile', nameOrArn);
}

/** The role name an attachment or inline policy resource names (`role` takes the role's name or id, both the name). */
function attachedRoleName(ctx: PlanContext, resource: PlanResource): Ref | undefined {
  const role = readRef(ctx, resource, child(resource.node, 'role'));
  if (typeof role === 'string' && role.startsWith('arn:')) return role.slice(role.lastIndexOf('/') + 1);
  return role;
}

/** Attachments and inline policy resources for roles outside the plan are noted: nothing here can carry them. */
function noteUnattached(ctx: PlanContext, roles: readonly DeployRole[]): void {
  for (const type of ['aws_iam_role_policy', 'aws_iam_role_policy_attachment']) {
    for (const resource of ofType(ctx, type)) {
      const role = attachedRoleName(ctx, resource);
      if (typeof role === 'string' && roles.some((declared) => declared.roleName === role)) continue;
      const named =
        typeof role === 'string' ? `role ${role}, which is not in the plan` : 'a role known after apply';
      // A role outside the plan is known by name only: any role may be the one it changes.
      note(ctx, resource, `${type} for ${named}: not read`, [{ collection: 'roles', resourceId: '*' }]);
    }
  }
}

function managedPolicyArnsOf(ctx: PlanContext, role: PlanResource, roleName: string): Maybe<Ref[]> {
  const node = child(role.node, 'managed_policy_arns');
  // Not set: the provider leaves the role's attachments alone (they come from aws_iam_role_policy_attachment).
  const declared = isDeclared(node) ? (readRefList(ctx, role, node) ?? []) : [];
  const attached = ofType(ctx, 'aws_iam_role_policy_attachment')
    .filter((attachment) => attachedRoleName(ctx, attachment) === roleName)
    .map((attachment) => readRef(ctx, attachment, child(attachment.node, 'policy_arn')) ?? afterApply());
  return Array.isArray(declared) ? [...declared, ...attached] : declared;
}

function inlinePoliciesOf(
  ctx: PlanContext,
  role: PlanResource,
  roleName: string,
): DeployRole['inlinePolicies'] {
  const blocks = items(child(role.node, 'inline_policy')).flatMap((block) => {
    const name = readText(child(block, 'name'));
    if (name === undefined) return [];
    return [
      {
        policyName: typeof name === 'string' ? name : derivedPolicyName(role, name.reason),
        document: readPolicyDocument(child(block, 'policy')) ?? afterApply(),
      },
    ];
  });
  const resources = ofType(ctx, 'aws_iam_role_policy')
    .filter((policy) => attachedRoleName(ctx, policy) === roleName)
    .map((policy) => ({
      policyName: declaredName(policy),
      document: readPolicyDocument(child(policy.node, 'policy')) ?? afterApply(),
    }));
  return [...blocks, ...resources];
}

function derivedPolicyName(role: PlanResource, reason: string): string {
  return `${role.name}-inline (${reason})`;
}

function mapRole(ctx: PlanContext, role: PlanResource): DeployRole {
  const roleName = declaredName(role);
  const boundary = whenDeclaredOrKnown(child(role.node, 'permissions_boundary'), (node) =>
    readRef(ctx, role, node),
  );
  return {
    address: role.address,
    location: role.location,
    roleName,
    arn: declaredArn(ctx, role) ?? roleName,
    path: declaredPath(role),
    assumeRolePolicyDocument: readPolicyDocument(child(role.node, 'assume_role_policy')) ?? afterApply(),
    managedPolicyArns: managedPolicyArnsOf(ctx, role, roleName),
    inlinePolicies: inlinePoliciesOf(ctx, role, roleName),
    ...(boundary !== undefined && { permissionsBoundaryArn: boundary }),
    tags: readTextMap(child(role.node, 'tags')).map(({ key, value }) => ({ Key: key, Value: value })),
  };
}

export function mapRoles(ctx: PlanContext): DeployRole[] {
  const roles = ofType(ctx, 'aws_iam_role').map((role) => mapRole(ctx, role));
  noteUnattached(ctx, roles);
  return roles;
}

export function mapManagedPolicies(ctx: PlanContext): DeployManagedPolicy[] {
  return ofType(ctx, 'aws_iam_policy').map((policy) => ({
    address: policy.address,
    location: policy.location,
    policyName: declaredName(policy),
    arn: declaredArn(ctx, policy) ?? declaredName(policy),
    document: readPolicyDocument(child(policy.node, 'policy')) ?? afterApply(),
  }));
}

export function mapInstanceProfiles(ctx: PlanContext): DeployInstanceProfile[] {
  return ofType(ctx, 'aws_iam_instance_profile').map((profile) => {
    const role = readRef(ctx, profile, child(profile.node, 'role'));
    return {
      address: profile.address,
      location: profile.location,
      instanceProfileName: declaredName(profile),
      arn: declaredArn(ctx, profile) ?? declaredName(profile),
      path: declaredPath(profile),
      roleArns: role === undefined ? [] : [arnByName(ctx, 'aws_iam_role', role)],
    };
  });
}
