// Builds one account's GetAccountAuthorizationDetails output: roles, instance profiles, managed policies and their counts.

import type { ApiJson } from '../collectors/api/api-data.js';
import { encodeIamDocument } from './aws-formats.js';
import { AWS_MANAGED_POLICIES, type ManagedPolicyDef, type PolicyDocumentJson } from './iam-policies.js';
import type { Random } from './random.js';

/** What a role looks like before IAM serialises it. */
export interface RoleSpec {
  name: string;
  /** Defaults to "/". */
  path?: string;
  trust: PolicyDocumentJson;
  managedPolicyArns?: string[];
  inlinePolicies?: { name: string; document: PolicyDocumentJson }[];
  boundaryArn?: string;
  /** Creates an instance profile (same path as the role) holding this role. */
  instanceProfileName?: string;
  /**
   * For people reading the fleet's definition only: GAAD's RoleDetail has no Description member (IAM model
   * 2010-05-08), so it is not written to the output.
   */
  description?: string;
  createDate: string;
  tags?: [string, string][];
  lastUsed?: { date: string; region: string };
}

/** How the rest of the fleet refers to a role and its instance profile. */
export interface RoleRef {
  roleName: string;
  arn: string;
  instanceProfile?: { Arn: string; Id: string };
}

/** Accumulates IAM entities of one account and prints them as GAAD (one merged, untruncated response). */
export class GaadBuilder {
  private readonly roles: ApiJson[] = [];
  private readonly customerPolicies: ManagedPolicyDef[] = [];
  private readonly attachmentCounts = new Map<string, number>();
  private readonly boundaryCounts = new Map<string, number>();

  constructor(
    readonly accountId: string,
    private readonly random: Random,
  ) {}

  /** Adds a customer-managed policy (all versions stored; `defaultVersionId` names the live one) and returns its ARN. */
  addCustomerManagedPolicy(policy: Omit<ManagedPolicyDef, 'arn'>): string {
    const arn = `arn:aws:iam::${this.accountId}:policy${policy.path}${policy.name}`;
    this.customerPolicies.push({ ...policy, arn });
    return arn;
  }

  /** Adds a role (and its instance profile, if asked). */
  addRole(spec: RoleSpec): RoleRef {
    const path = spec.path ?? '/';
    const arn = `arn:aws:iam::${this.accountId}:role${path}${spec.name}`;
    const roleId = `AROA${this.random.upperAlnum(17)}`;
    const trust = encodeIamDocument(spec.trust);
    const roleCore: ApiJson = {
      Path: path,
      RoleName: spec.name,
      RoleId: roleId,
      Arn: arn,
      CreateDate: spec.createDate,
      AssumeRolePolicyDocument: trust,
    };
    let instanceProfile: RoleRef['instanceProfile'];
    const profiles: ApiJson[] = [];
    if (spec.instanceProfileName !== undefined) {
      instanceProfile = {
        Arn: `arn:aws:iam::${this.accountId}:instance-profile${path}${spec.instanceProfileName}`,
        Id: `AIPA${this.random.upperAlnum(17)}`,
      };
      profiles.push({
        Path: path,
        InstanceProfileName: spec.instanceProfileName,
        InstanceProfileId: instanceProfile.Id,
        Arn: instanceProfile.Arn,
        CreateDate: spec.createDate,
        Roles: [{ ...roleCore }],
        Tags: [],
      });
    }
    for (const policyArn of spec.managedPolicyArns ?? []) {
      this.attachmentCounts.set(policyArn, (this.attachmentCounts.get(policyArn) ?? 0) + 1);
    }
    if (spec.boundaryArn !== undefined) {
      this.boundaryCounts.set(spec.boundaryArn, (this.boundaryCounts.get(spec.boundaryArn) ?? 0) + 1);
    }
    const role: ApiJson = {
      ...roleCore,
      InstanceProfileList: profiles,
      RolePolicyList: (spec.inlinePolicies ?? []).map((p) => ({
        PolicyName: p.name,
        PolicyDocument: encodeIamDocument(p.document),
      })),
      AttachedManagedPolicies: (spec.managedPolicyArns ?? []).map((policyArn) => ({
        PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1),
        PolicyArn: policyArn,
      })),
    };
    if (spec.boundaryArn !== undefined) {
      role.PermissionsBoundary = {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: spec.boundaryArn,
      };
    }
    role.Tags = (spec.tags ?? []).map(([Key, Value]) => ({ Key, Value }));
    role.RoleLastUsed =
      spec.lastUsed === undefined ? {} : { LastUsedDate: spec.lastUsed.date, Region: spec.lastUsed.region };
    this.roles.push(role);
    return instanceProfile === undefined
      ? { roleName: spec.name, arn }
      : { roleName: spec.name, arn, instanceProfile };
  }

  /**
   * The GAAD output. `Policies` holds every customer-managed policy and the AWS-managed policies that are
   * attached (or used as a boundary) somewhere in the account, each with all stored versions.
   */
  build(): ApiJson {
    const policies: ApiJson[] = [];
    const awsManaged = Object.values(AWS_MANAGED_POLICIES).filter(
      (p) => this.attachmentCounts.has(p.arn) || this.boundaryCounts.has(p.arn),
    );
    for (const policy of [...this.customerPolicies, ...awsManaged]) {
      const isAws = policy.arn.startsWith('arn:aws:iam::aws:');
      const defaultVersion = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
      policies.push({
        PolicyName: policy.name,
        PolicyId: `ANPA${this.random.upperAlnum(17)}`,
        Arn: policy.arn,
        Path: policy.path,
        DefaultVersionId: policy.defaultVersionId,
        AttachmentCount: this.attachmentCounts.get(policy.arn) ?? 0,
        PermissionsBoundaryUsageCount: this.boundaryCounts.get(policy.arn) ?? 0,
        IsAttachable: true,
        Description: policy.description,
        CreateDate: policy.createDate,
        UpdateDate: defaultVersion?.createDate ?? policy.createDate,
        PolicyVersionList: policy.versions.map((v) => ({
          // AWS-managed documents are authored pretty-printed; IAM keeps the whitespace, URL-encoded.
          Document: encodeIamDocument(v.document, isAws),
          VersionId: v.versionId,
          IsDefaultVersion: v.versionId === policy.defaultVersionId,
          CreateDate: v.createDate,
        })),
      });
    }
    return {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: this.roles,
      Policies: policies,
      IsTruncated: false,
    };
  }
}
