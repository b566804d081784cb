// The resource types rules can target: where each lives in the inventory, its id, and the relations a rule
// path may follow (e.g. `instanceProfile.roleArns`, `managedNode.pingStatus`, `dhmc.enabled`).

import type { InventoryIndex } from './inventory-index.js';
import type { Neighbour } from './neighbourhood.js';
import type {
  Activation,
  Ec2Instance,
  InventoryCollectionName,
  MaintenanceWindow,
  MaintenanceWindowTarget,
  ResourceFamily,
  Scope,
} from './model.js';

/** A join a rule path can follow; `target` names a `$defs` entry of schemas/inventory.schema.json. */
export interface Relation<R> {
  target: string;
  many: boolean;
  description: string;
  /** What following the relation reads (a rule's neighbourhood is derived from its paths and checks). */
  needs: readonly Neighbour[];
  resolve(resource: R, index: InventoryIndex): unknown;
}

export interface ResourceTypeSpec<R extends Scope = Scope> {
  type: string;
  /** `$defs` entry in the inventory schema. */
  definition: string;
  collection: InventoryCollectionName;
  family: ResourceFamily;
  idOf(resource: R): string;
  /** For resources of a per-parent family (window targets): the parent whose call read them. */
  parentIdOf?(resource: R): string;
  relations: Record<string, Relation<R>>;
  /**
   * The family listing these resources may be unread where the fleet's instances are (Config does not record
   * maintenance windows): a rule on this type then says ERROR for that account and region, never nothing.
   */
  judgesUnlistedScopes?: boolean;
}

const instanceType: ResourceTypeSpec<Ec2Instance> = {
  type: 'AWS::EC2::Instance',
  definition: 'Ec2Instance',
  collection: 'instances',
  family: 'ec2:instances',
  idOf: (i) => i.instanceId,
  relations: {
    instanceProfile: {
      target: 'InstanceProfile',
      many: false,
      description: 'The attached instance profile (from IAM data).',
      needs: ['instance.iam'],
      resolve: (i, index) => index.instanceProfileOf(i),
    },
    role: {
      target: 'IamRole',
      many: false,
      description: "The role in the instance's profile.",
      needs: ['instance.iam', 'instance.iam-policies'],
      resolve: (i, index) => index.roleOf(i),
    },
    securityGroups: {
      target: 'SecurityGroup',
      many: true,
      description: 'Security groups of the instance and its network interfaces.',
      needs: ['instance.security-groups'],
      resolve: (i, index) => index.securityGroupsOf(i).flatMap((g) => (g.group ? [g.group] : [])),
    },
    subnet: {
      target: 'Subnet',
      many: false,
      description: "The instance's subnet.",
      needs: ['instance.subnet'],
      resolve: (i, index) => {
        if (i.subnetId === undefined) return undefined;
        index.need('ec2:subnets', i);
        return index.subnet(i.subnetId);
      },
    },
    vpc: {
      target: 'Vpc',
      many: false,
      description: "The instance's VPC.",
      needs: ['instance.vpc'],
      resolve: (i, index) => {
        if (i.vpcId === undefined) return undefined;
        index.need('ec2:vpcs', i);
        return index.vpc(i.vpcId);
      },
    },
    managedNode: {
      target: 'ManagedNode',
      many: false,
      description: 'The SSM managed-node entry for this instance id (DescribeInstanceInformation).',
      needs: ['instance.managed-node'],
      resolve: (i, index) => index.managedNodeOf(i),
    },
    patchState: {
      target: 'InstancePatchState',
      many: false,
      description: 'The latest patch operation of the instance (DescribeInstancePatchStates).',
      needs: ['instance.patch-state'],
      resolve: (i, index) => index.patchStateOf(i),
    },
    dhmc: {
      target: 'DhmcSetting',
      many: false,
      description: "The Default Host Management Configuration of the instance's account and region.",
      needs: ['region.dhmc'],
      resolve: (i, index) => index.dhmcSetting(i),
    },
  },
};

const activationType: ResourceTypeSpec<Activation> = {
  type: 'AWS::SSM::Activation',
  definition: 'Activation',
  collection: 'activations',
  family: 'ssm:activations',
  idOf: (a) => a.activationId,
  relations: {},
};

const windowType: ResourceTypeSpec<MaintenanceWindow> = {
  type: 'AWS::SSM::MaintenanceWindow',
  definition: 'MaintenanceWindow',
  collection: 'maintenanceWindows',
  family: 'ssm:maintenance-windows',
  idOf: (w) => w.windowId,
  relations: {},
  judgesUnlistedScopes: true,
};

const windowTargetType: ResourceTypeSpec<MaintenanceWindowTarget> = {
  type: 'AWS::SSM::MaintenanceWindowTarget',
  definition: 'MaintenanceWindowTarget',
  collection: 'maintenanceWindowTargets',
  family: 'ssm:maintenance-window-targets',
  idOf: (t) => t.windowTargetId,
  parentIdOf: (t) => t.windowId,
  relations: {
    window: {
      target: 'MaintenanceWindow',
      many: false,
      description: 'The maintenance window the target belongs to.',
      needs: ['target.window'],
      resolve: (t, index) => index.maintenanceWindow(t.windowId),
    },
  },
};

/** Every resource type a rule may name in `resourceType`. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeSpec>> = {
  [instanceType.type]: instanceType as unknown as ResourceTypeSpec,
  [activationType.type]: activationType as unknown as ResourceTypeSpec,
  [windowTargetType.type]: windowTargetType as unknown as ResourceTypeSpec,
  [windowType.type]: windowType as unknown as ResourceTypeSpec,
};

export function resourceTypeSpec(type: string): ResourceTypeSpec | undefined {
  return Object.hasOwn(RESOURCE_TYPES, type) ? RESOURCE_TYPES[type] : undefined;
}
