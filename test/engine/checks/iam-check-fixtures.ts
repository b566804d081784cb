// Builders for the IAM named-check tests: an instance, its profile and role, managed policies and coverage.

import { InventoryIndex } from '../../../src/inventory/inventory-index.js';
import {
  emptyInventory,
  RESOURCE_FAMILIES,
  type DhmcSetting,
  type Ec2Instance,
  type IamRole,
  type Inventory,
  type ManagedPolicy,
  type PolicyStatement,
  type ResourceFamily,
  type ServiceControlPolicy,
} from '../../../src/inventory/model.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
export const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';

export const doc = (
  ...statements: PolicyStatement[]
): { document: { Version: string; Statement: PolicyStatement[] } } => ({
  document: { Version: '2012-10-17', Statement: statements },
});
export const trust = (service: string): IamRole['trustPolicy'] =>
  doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });

/** A role with sensible defaults (trusted by ec2, nothing attached), in the test account. */
export function role(name: string, extra: Partial<IamRole> = {}): IamRole {
  return {
    accountId: ACCOUNT,
    region: 'global',
    roleName: name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${extra.path && extra.path !== '/' ? extra.path.slice(1) : ''}${name}`,
    path: '/',
    trustPolicy: trust('ec2.amazonaws.com'),
    attachedPolicies: [],
    inlinePolicies: [],
    instanceProfileArns: [],
    tags: {},
    ...extra,
  };
}

export function managedPolicy(
  arn: string,
  statements: PolicyStatement[],
  extra: Partial<ManagedPolicy> = {},
): ManagedPolicy {
  return {
    accountId: ACCOUNT,
    region: 'global',
    policyName: arn.slice(arn.lastIndexOf('/') + 1),
    arn,
    defaultVersionId: 'v1',
    defaultVersion: doc(...statements),
    isAwsManaged: arn.includes(':iam::aws:'),
    ...extra,
  };
}

export interface FleetSpec {
  /** Role of the instance profile; the profile is left out when undefined. */
  profileRole?: IamRole;
  /** Roles that exist without being in the profile (e.g. the DHMC role). */
  otherRoles?: IamRole[];
  managedPolicies?: ManagedPolicy[];
  dhmc?: Partial<DhmcSetting>;
  scps?: ServiceControlPolicy[];
  /** Families not read; SCPs are "not supplied" unless `scps` is given. */
  missing?: ResourceFamily[];
  unreadable?: ResourceFamily[];
  instance?: Partial<Ec2Instance>;
  /** Number of instances sharing the profile. */
  count?: number;
}

/** An inventory of `count` instances sharing one profile, and its index. */
export function fleet(spec: FleetSpec): {
  inventory: Inventory;
  index: InventoryIndex;
  instances: Ec2Instance[];
} {
  const inventory = emptyInventory({ kind: 'fixture', inputs: [], accounts: [ACCOUNT], regions: [REGION] });
  const profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/AppProfile`;
  if (spec.profileRole !== undefined) {
    inventory.instanceProfiles.push({
      accountId: ACCOUNT,
      region: 'global',
      instanceProfileName: 'AppProfile',
      arn: profileArn,
      path: '/',
      roleArns: [spec.profileRole.arn],
    });
    inventory.roles.push(spec.profileRole);
  }
  inventory.roles.push(...(spec.otherRoles ?? []));
  inventory.managedPolicies.push(...(spec.managedPolicies ?? []));
  inventory.dhmcSettings.push({ accountId: ACCOUNT, region: REGION, enabled: false, ...spec.dhmc });
  inventory.serviceControlPolicies.push(...(spec.scps ?? []));
  for (let i = 0; i < (spec.count ?? 1); i++) {
    inventory.instances.push({
      accountId: ACCOUNT,
      region: REGION,
      instanceId: `i-0${String(i).padStart(16, '0')}`,
      state: 'running',
      tags: {},
      securityGroupIds: [],
      ipv6Addresses: [],
      networkInterfaces: [],
      platform: 'linux',
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required' },
      ...(spec.profileRole !== undefined ? { iamInstanceProfileArn: profileArn } : {}),
      ...spec.instance,
    });
  }
  const missing = new Set<ResourceFamily>(spec.missing ?? []);
  if (spec.scps === undefined) missing.add('org:service-control-policies');
  for (const family of RESOURCE_FAMILIES) {
    if (missing.has(family)) continue;
    inventory.coverage.push(
      spec.unreadable?.includes(family)
        ? { family, status: 'error', error: { code: 'AccessDenied', message: 'not authorized' } }
        : { family, status: 'read' },
    );
  }
  return { inventory, index: new InventoryIndex(inventory), instances: inventory.instances };
}
