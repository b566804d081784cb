// CloudFormation IAM resources → the DeployModel's roles, instance profiles and managed policies, with the policies
// that attach themselves to roles (ManagedPolicy.Roles, AWS::IAM::Policy, AWS::IAM::RolePolicy) folded into the role.

import type { CfnObject, CfnResource } from './cfn-template.js';
import {
  declaredOf,
  generatedName,
  iamArn,
  iamPath,
  ifCreated,
  noteFor,
  physicalName,
  referencedOf,
  type IamKind,
  type StackIdentity,
} from './cfn-identity.js';
import { cfnDocument, cfnObjectList, cfnString, cfnStringList, resourceTags } from './cfn-values.js';
import {
  isUnresolved,
  unresolved,
  type DeployInstanceProfile,
  type DeployManagedPolicy,
  type DeployModel,
  type DeployRole,
  type Maybe,
  type Ref,
} from './deploy-model.js';

export type IamModel = Pick<DeployModel, 'roles' | 'instanceProfiles' | 'managedPolicies'>;

type Notes = DeployModel['notes'];

export const IAM_TYPES: readonly string[] = [
  'AWS::IAM::Role',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
];

const NAME_LIMITS: Readonly<Record<IamKind, number>> = { role: 64, 'instance-profile': 128, policy: 128 };

interface IamIdentity {
  name: string;
  path: string;
  arn: string;
}

/**
 * A declared IAM resource's name, path and ARN. DeployModel needs them as strings, so an unknown name or path is
 * replaced by the generated one and noted: Ref and GetAtt of it stay unknown, so nothing links to the stand-in.
 */
function identityOf(resource: CfnResource, kind: IamKind, stack: StackIdentity, notes: Notes): IamIdentity {
  const name = physicalName(referencedOf(resource), stack);
  const path = iamPath(referencedOf(resource));
  for (const [what, value] of [
    ['name', name],
    ['Path', path],
  ] as const) {
    if (isUnresolved(value)) {
      notes.push(
        noteFor(resource, `the ${what} of ${resource.logicalId} is unknown until deploy (${value.reason})`),
      );
    }
  }
  const knownName = isUnresolved(name) ? generatedName(stack, resource.logicalId, NAME_LIMITS[kind]) : name;
  const knownPath = isUnresolved(path) ? '/' : path;
  return { name: knownName, path: knownPath, arn: iamArn(stack, kind, knownPath, knownName) };
}

function ofType(resources: readonly CfnResource[], type: string): CfnResource[] {
  return resources.filter((r) => r.type === type);
}

/** The role names a policy attaches to (`Roles`, or RolePolicy's single `RoleName`), unknown ones noted. */
function attachedRoleNames(policy: CfnResource, notes: Notes): string[] {
  const what = `${policy.logicalId}.${policy.type === 'AWS::IAM::RolePolicy' ? 'RoleName' : 'Roles'}`;
  const names =
    policy.type === 'AWS::IAM::RolePolicy'
      ? [
          cfnString(policy.properties.RoleName, what) ??
            unresolved(`${policy.logicalId} declares no RoleName`),
        ]
      : (cfnStringList(policy.properties.Roles, what) ?? []);
  const list = isUnresolved(names) ? [names] : names;
  return list.flatMap((name) => {
    if (typeof name === 'string') return [name];
    // It may attach to any role: the rules reading a role's permissions cannot be trusted without it.
    const affects = [{ collection: 'roles', resourceId: '*' }];
    notes.push(
      noteFor(policy, `${what} names a role unknown until deploy (${name.reason}); not attached`, affects),
    );
    return [];
  });
}

interface Attachments {
  managedPolicyArns: Map<string, Ref[]>;
  inlinePolicies: Map<string, DeployRole['inlinePolicies']>;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

/** Managed and inline policies that name their roles, by role name; roles outside the template are noted. */
function attachmentsOf(
  resources: readonly CfnResource[],
  managed: ReadonlyMap<string, DeployManagedPolicy>,
  roleNames: ReadonlySet<string>,
  notes: Notes,
): Attachments {
  const attachments: Attachments = { managedPolicyArns: new Map(), inlinePolicies: new Map() };
  const noteOutside = (policy: CfnResource, role: string): void => {
    notes.push(
      noteFor(
        policy,
        `${policy.logicalId} attaches to role ${role}, which is not in this template; not read`,
        // A role outside the template is known by name only (its path is not): any role may be the one.
        [{ collection: 'roles', resourceId: '*' }],
      ),
    );
  };
  for (const policy of ofType(resources, 'AWS::IAM::ManagedPolicy')) {
    const arn = managed.get(policy.logicalId)?.arn ?? '';
    for (const role of attachedRoleNames(policy, notes)) {
      if (roleNames.has(role)) pushTo(attachments.managedPolicyArns, role, ifCreated(policy, arn));
      else noteOutside(policy, role);
    }
  }
  for (const policy of [
    ...ofType(resources, 'AWS::IAM::Policy'),
    ...ofType(resources, 'AWS::IAM::RolePolicy'),
  ]) {
    const inline = inlinePolicyOf(policy.properties, policy.logicalId);
    for (const role of attachedRoleNames(policy, notes)) {
      if (roleNames.has(role)) {
        pushTo(attachments.inlinePolicies, role, { ...inline, document: ifCreated(policy, inline.document) });
      } else noteOutside(policy, role);
    }
  }
  return attachments;
}

function inlinePolicyOf(policy: CfnObject, what: string): DeployRole['inlinePolicies'][number] {
  const name = cfnString(policy.PolicyName, `${what}.PolicyName`);
  return {
    policyName: typeof name === 'string' ? name : what,
    document:
      cfnDocument(policy.PolicyDocument, `${what}.PolicyDocument`) ??
      unresolved(`${what} has no PolicyDocument`),
  };
}

function ownInlinePolicies(role: CfnResource): DeployRole['inlinePolicies'] {
  const what = `${role.logicalId}.Policies`;
  const policies = cfnObjectList(role.properties.Policies, what);
  if (policies === undefined) return [];
  if (isUnresolved(policies)) return [{ policyName: what, document: policies }];
  return policies.map((policy, i) => inlinePolicyOf(policy, `${what}[${i}]`));
}

function withAttached(own: Maybe<Ref[]>, attached: readonly Ref[]): Maybe<Ref[]> {
  if (isUnresolved(own)) return own;
  const merged = [...own];
  for (const arn of attached) if (!merged.includes(arn)) merged.push(arn);
  return merged;
}

function mapRole(
  role: CfnResource,
  identity: IamIdentity,
  attachments: Attachments,
  notes: Notes,
): DeployRole {
  const p = role.properties;
  const what = role.logicalId;
  const mapped: DeployRole = {
    ...declaredOf(role),
    roleName: identity.name,
    arn: identity.arn,
    path: identity.path,
    assumeRolePolicyDocument:
      cfnDocument(p.AssumeRolePolicyDocument, `${what}.AssumeRolePolicyDocument`) ??
      unresolved(`${what} declares no AssumeRolePolicyDocument`),
    managedPolicyArns: withAttached(
      cfnStringList(p.ManagedPolicyArns, `${what}.ManagedPolicyArns`) ?? [],
      attachments.managedPolicyArns.get(identity.name) ?? [],
    ),
    inlinePolicies: [...ownInlinePolicies(role), ...(attachments.inlinePolicies.get(identity.name) ?? [])],
    tags: resourceTags(role, notes),
  };
  const boundary = cfnString(p.PermissionsBoundary, `${what}.PermissionsBoundary`);
  if (boundary !== undefined) mapped.permissionsBoundaryArn = boundary;
  return mapped;
}

function mapManagedPolicy(policy: CfnResource, identity: IamIdentity): DeployManagedPolicy {
  const what = policy.logicalId;
  return {
    ...declaredOf(policy),
    policyName: identity.name,
    arn: identity.arn,
    document:
      cfnDocument(policy.properties.PolicyDocument, `${what}.PolicyDocument`) ??
      unresolved(`${what} declares no PolicyDocument`),
  };
}

/** Roles holds role names: a declared role's resolves to its ARN, an outside one's to the ARN its name implies. */
function profileRoleArns(
  profile: CfnResource,
  roleArnByName: ReadonlyMap<string, string>,
  stack: StackIdentity,
): Maybe<Ref[]> {
  const names = cfnStringList(profile.properties.Roles, `${profile.logicalId}.Roles`) ?? [];
  if (isUnresolved(names)) return names;
  return names.map((name) => {
    if (isUnresolved(name)) return name;
    // IAM takes a role *name* here ([\w+=,.@-]+); an ARN makes the stack fail at deploy, so nothing is known of it.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-instanceprofile.html
    if (name.startsWith('arn:'))
      return unresolved(
        `${profile.logicalId}.Roles gives the ARN ${name}: IAM takes a role name, and refuses the stack`,
      );
    return roleArnByName.get(name) ?? iamArn(stack, 'role', '/', name);
  });
}

/** Every IAM resource of the template: roles first, so profiles and policies can resolve role names. */
export function mapIam(resources: readonly CfnResource[], stack: StackIdentity, notes: Notes): IamModel {
  const roles = ofType(resources, 'AWS::IAM::Role').map((r) => ({
    r,
    id: identityOf(r, 'role', stack, notes),
  }));
  const roleArnByName = new Map(roles.map(({ id }) => [id.name, id.arn]));
  const managedPolicies = ofType(resources, 'AWS::IAM::ManagedPolicy').map((p) =>
    mapManagedPolicy(p, identityOf(p, 'policy', stack, notes)),
  );
  const managedById = new Map(managedPolicies.map((p) => [p.address, p]));
  const attachments = attachmentsOf(resources, managedById, new Set(roleArnByName.keys()), notes);
  const instanceProfiles = ofType(resources, 'AWS::IAM::InstanceProfile').map(
    (profile): DeployInstanceProfile => {
      const id = identityOf(profile, 'instance-profile', stack, notes);
      return {
        ...declaredOf(profile),
        instanceProfileName: id.name,
        arn: id.arn,
        path: id.path,
        roleArns: profileRoleArns(profile, roleArnByName, stack),
      };
    },
  );
  return {
    roles: roles.map(({ r, id }) => mapRole(r, id, attachments, notes)),
    instanceProfiles,
    managedPolicies,
  };
}
