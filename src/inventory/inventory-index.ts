// The inventory's relationships, resolved once: lookups by id and the joins rules walk (instance → profile →
// role → policies, instance → SGs / subnet → route table / NACL, VPC → endpoints, instance ↔ SSM node).

import type { AwsIpRanges } from './aws-ip-ranges.js';
import { CoverageIndex, DataUnavailableError, type CoverageState } from './coverage.js';
import type {
  Activation,
  DhmcSetting,
  Ec2Instance,
  IamRole,
  InstancePatchState,
  InstanceProfile,
  Inventory,
  MaintenanceWindow,
  MaintenanceWindowTarget,
  MaintenanceWindowTask,
  MaintenanceWindowTaskDetail,
  ManagedNode,
  ManagedPolicy,
  NetworkAcl,
  ResourceFamily,
  RouteTable,
  Scope,
  SecurityGroup,
  ServiceControlPolicy,
  Subnet,
  Vpc,
  VpcEndpoint,
} from './model.js';
import { compareText } from '../compare-text.js';

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Host name part of a private DNS name or Windows computer name, lower-cased ("ip-10-0-1-5"). */
export function hostPart(name: string): string {
  const dot = name.indexOf('.');
  return (dot === -1 ? name : name.slice(0, dot)).toLowerCase();
}

/**
 * Read-only view over an inventory with every join precomputed. Guarded accessors (`need`) throw
 * DataUnavailableError when the family behind a lookup was not read for the resource's scope, so that a rule
 * which needs it evaluates to ERROR instead of mistaking "no data" for "no resource".
 */
export class InventoryIndex {
  readonly coverage: CoverageIndex;
  private readonly instances: Map<string, Ec2Instance>;
  private readonly profiles: Map<string, InstanceProfile>;
  private readonly rolesByArn: Map<string, IamRole>;
  private readonly rolesByName: Map<string, IamRole>;
  private readonly policies: Map<string, ManagedPolicy>;
  private readonly securityGroups: Map<string, SecurityGroup>;
  private readonly vpcs: Map<string, Vpc>;
  private readonly subnets: Map<string, Subnet>;
  private readonly routeTableBySubnet = new Map<string, RouteTable>();
  private readonly mainRouteTableByVpc = new Map<string, RouteTable>();
  private readonly naclBySubnet = new Map<string, NetworkAcl>();
  private readonly endpointsByVpc: Map<string, VpcEndpoint[]>;
  private readonly nodesByInstanceId: Map<string, ManagedNode>;
  private readonly hybridNodesByAccountIp: Map<string, ManagedNode[]>;
  private readonly hybridNodesByAccountHost: Map<string, ManagedNode[]>;
  private readonly dhmcByScope: Map<string, DhmcSetting>;
  private readonly windows: Map<string, MaintenanceWindow>;
  private readonly windowsByScope: Map<string, MaintenanceWindow[]>;
  private readonly targetsByScope: Map<string, MaintenanceWindowTarget[]>;
  private readonly tasksByWindow: Map<string, MaintenanceWindowTask[]>;
  private readonly targetsByWindow: Map<string, MaintenanceWindowTarget[]>;
  private readonly taskDetails: Map<string, MaintenanceWindowTaskDetail>;
  private readonly activations: Map<string, Activation>;
  private readonly patchStatesByInstanceId: Map<string, InstancePatchState>;
  private readonly hybridAccounts: Set<string>;
  // Several rules ask for the same instance's groups; computed once per instance.
  // (A Map by id, not a WeakMap: 100k weak keys make every garbage collection walk an ephemeron table.)
  private readonly groupIdsByInstance = new Map<string, readonly string[]>();

  /** AWS's published ranges, when the scan narrows the public SSM endpoints to them (not part of the inventory). */
  readonly ipRanges: AwsIpRanges | undefined;

  constructor(
    readonly inventory: Inventory,
    options: { ipRanges?: AwsIpRanges } = {},
  ) {
    this.ipRanges = options.ipRanges;
    this.coverage = new CoverageIndex(inventory.coverage);
    this.instances = byKey(inventory.instances, (i) => i.instanceId);
    this.profiles = byKey(inventory.instanceProfiles, (p) => p.arn);
    this.rolesByArn = byKey(inventory.roles, (r) => r.arn);
    this.rolesByName = byKey(inventory.roles, (r) => `${r.accountId}|${r.roleName}`);
    this.policies = byKey(inventory.managedPolicies, (p) => p.arn);
    this.securityGroups = byKey(inventory.securityGroups, (g) => g.groupId);
    this.vpcs = byKey(inventory.vpcs, (v) => v.vpcId);
    this.subnets = byKey(inventory.subnets, (s) => s.subnetId);
    for (const table of inventory.routeTables) {
      if (table.isMain) this.mainRouteTableByVpc.set(table.vpcId, table);
      for (const subnetId of table.subnetIds) this.routeTableBySubnet.set(subnetId, table);
    }
    for (const acl of inventory.networkAcls)
      for (const subnetId of acl.subnetIds) this.naclBySubnet.set(subnetId, acl);
    this.endpointsByVpc = groupBy(inventory.vpcEndpoints, (e) => e.vpcId);
    this.nodesByInstanceId = byKey(
      inventory.managedNodes.filter((n) => n.instanceId.startsWith('i-')),
      (n) => n.instanceId,
    );
    const hybrid = inventory.managedNodes.filter((n) => n.instanceId.startsWith('mi-'));
    this.hybridAccounts = new Set(hybrid.map((n) => n.accountId));
    this.hybridNodesByAccountIp = groupBy(hybrid, (n) =>
      n.ipAddress ? `${n.accountId}|${n.ipAddress}` : undefined,
    );
    this.hybridNodesByAccountHost = groupBy(hybrid, (n) =>
      n.computerName ? `${n.accountId}|${hostPart(n.computerName)}` : undefined,
    );
    this.dhmcByScope = byKey(inventory.dhmcSettings, (d) => `${d.accountId}|${d.region}`);
    this.windows = byKey(inventory.maintenanceWindows, (w) => w.windowId);
    this.windowsByScope = groupBy(inventory.maintenanceWindows, (w) => `${w.accountId}|${w.region}`);
    this.targetsByScope = groupBy(inventory.maintenanceWindowTargets, (t) => `${t.accountId}|${t.region}`);
    this.tasksByWindow = groupBy(inventory.maintenanceWindowTasks, (t) => t.windowId);
    this.targetsByWindow = groupBy(inventory.maintenanceWindowTargets, (t) => t.windowId);
    this.taskDetails = byKey(
      inventory.maintenanceWindowTaskDetails,
      (t) => `${t.windowId}|${t.windowTaskId}`,
    );
    this.activations = byKey(inventory.activations, (a) => a.activationId);
    this.patchStatesByInstanceId = byKey(inventory.instancePatchStates, (p) => p.instanceId);
  }

  private readonly derivedData = new Map<symbol, unknown>();

  /**
   * Data a check derives from the whole inventory once (e.g. maintenance-window targets indexed by tag key),
   * built on first use and kept for this index only, so nothing leaks between inventories.
   */
  derived<T>(key: symbol, build: (index: InventoryIndex) => T): T {
    if (!this.derivedData.has(key)) this.derivedData.set(key, build(this));
    return this.derivedData.get(key) as T;
  }

  /** Throws DataUnavailableError unless `family` was read for `scope`. */
  need(family: ResourceFamily, scope: Scope): void {
    const state = this.coverage.state(family, scope);
    if (state.status !== 'read') throw new DataUnavailableError(family, scope, state);
  }

  instance(instanceId: string): Ec2Instance | undefined {
    return this.instances.get(instanceId);
  }

  /** The instance profile attached to an instance (undefined when none is attached or it is not in IAM data). */
  instanceProfileOf(instance: Ec2Instance): InstanceProfile | undefined {
    if (instance.iamInstanceProfileArn === undefined) return undefined;
    this.need('iam:authorization-details', instance);
    return this.profiles.get(instance.iamInstanceProfileArn);
  }

  /** The role in an instance's profile (a profile holds at most one role). */
  roleOf(instance: Ec2Instance): IamRole | undefined {
    const profile = this.instanceProfileOf(instance);
    const roleArn = profile?.roleArns[0];
    return roleArn === undefined ? undefined : this.rolesByArn.get(roleArn);
  }

  roleByArn(arn: string): IamRole | undefined {
    return this.rolesByArn.get(arn);
  }

  /** Looks a role up by name, accepting "path/name" as the DHMC setting stores it. */
  roleByName(accountId: string, nameWithOptionalPath: string): IamRole | undefined {
    const slash = nameWithOptionalPath.lastIndexOf('/');
    const name = slash === -1 ? nameWithOptionalPath : nameWithOptionalPath.slice(slash + 1);
    return this.rolesByName.get(`${accountId}|${name}`);
  }

  managedPolicy(arn: string): ManagedPolicy | undefined {
    return this.policies.get(arn);
  }

  /** Security groups of an instance: instance-level and per-ENI groups, without duplicates, in id order. */
  securityGroupIdsOf(instance: Ec2Instance): readonly string[] {
    let ids = this.groupIdsByInstance.get(instance.instanceId);
    if (!ids) {
      const set = new Set(instance.securityGroupIds);
      for (const eni of instance.networkInterfaces) for (const id of eni.securityGroupIds) set.add(id);
      ids = [...set].sort();
      this.groupIdsByInstance.set(instance.instanceId, ids);
    }
    return ids;
  }

  securityGroup(groupId: string): SecurityGroup | undefined {
    return this.securityGroups.get(groupId);
  }

  /** Resolves SGs, guarded; a referenced SG missing from a read family is returned as undefined. */
  securityGroupsOf(instance: Ec2Instance): { groupId: string; group: SecurityGroup | undefined }[] {
    this.need('ec2:security-groups', instance);
    return this.securityGroupIdsOf(instance).map((groupId) => ({
      groupId,
      group: this.securityGroups.get(groupId),
    }));
  }

  subnet(subnetId: string): Subnet | undefined {
    return this.subnets.get(subnetId);
  }

  vpc(vpcId: string): Vpc | undefined {
    return this.vpcs.get(vpcId);
  }

  /** The route table governing a subnet: its explicit association, else the VPC's main table. */
  routeTableForSubnet(subnetId: string, vpcId: string): { table: RouteTable | undefined; explicit: boolean } {
    const explicit = this.routeTableBySubnet.get(subnetId);
    if (explicit) return { table: explicit, explicit: true };
    return { table: this.mainRouteTableByVpc.get(vpcId), explicit: false };
  }

  networkAclForSubnet(subnetId: string): NetworkAcl | undefined {
    return this.naclBySubnet.get(subnetId);
  }

  endpointsInVpc(vpcId: string): readonly VpcEndpoint[] {
    return this.endpointsByVpc.get(vpcId) ?? [];
  }

  /** The SSM managed-node entry of an EC2 instance (its i- id). */
  managedNodeOf(instance: Ec2Instance): ManagedNode | undefined {
    this.need('ssm:instance-information', instance);
    return this.nodesByInstanceId.get(instance.instanceId);
  }

  /**
   * Hybrid (mi-) registrations that are really this EC2 instance: same account and a matching private IP or
   * host name. SSM gives no EC2 id for them, because the agent's OnPrem identity outranks EC2 (aws-facts §0 #3).
   */
  hybridRegistrationsOf(instance: Ec2Instance): ManagedNode[] {
    this.need('ssm:instance-information', instance);
    if (!this.hybridAccounts.has(instance.accountId)) return [];
    // Allocation-free until something matches: almost no instance has a hybrid twin.
    let found: Set<ManagedNode> | undefined;
    const add = (nodes: ManagedNode[] | undefined): void => {
      if (nodes === undefined) return;
      found ??= new Set();
      for (const n of nodes) found.add(n);
    };
    if (instance.privateIpAddress)
      add(this.hybridNodesByAccountIp.get(`${instance.accountId}|${instance.privateIpAddress}`));
    for (const eni of instance.networkInterfaces) {
      for (const ip of eni.privateIpAddresses)
        if (ip !== instance.privateIpAddress)
          add(this.hybridNodesByAccountIp.get(`${instance.accountId}|${ip}`));
    }
    if (instance.privateDnsName)
      add(this.hybridNodesByAccountHost.get(`${instance.accountId}|${hostPart(instance.privateDnsName)}`));
    if (found === undefined) return [];
    return [...found].sort((a, b) => compareText(a.instanceId, b.instanceId));
  }

  /** The DHMC setting for a scope, guarded. */
  dhmcSetting(scope: Scope): DhmcSetting | undefined {
    this.need('ssm:dhmc-setting', scope);
    return this.dhmcByScope.get(`${scope.accountId}|${scope.region}`);
  }

  maintenanceWindow(windowId: string): MaintenanceWindow | undefined {
    return this.windows.get(windowId);
  }

  /** The maintenance windows of a scope, unguarded (callers guard with `need('ssm:maintenance-windows', …)`). */
  windowsIn(scope: Scope): readonly MaintenanceWindow[] {
    return this.windowsByScope.get(`${scope.accountId}|${scope.region}`) ?? [];
  }

  /** Every maintenance-window target, unguarded (for indexes built once; callers guard per scope). */
  allWindowTargets(): readonly MaintenanceWindowTarget[] {
    return this.inventory.maintenanceWindowTargets;
  }

  /** Maintenance-window targets registered in a scope, guarded. */
  windowTargetsIn(scope: Scope): readonly MaintenanceWindowTarget[] {
    this.need('ssm:maintenance-windows', scope);
    this.need('ssm:maintenance-window-targets', scope);
    return this.targetsByScope.get(`${scope.accountId}|${scope.region}`) ?? [];
  }

  /**
   * Why a per-window family (targets, tasks) cannot be relied on in a scope: the first enabled window of the scope
   * whose call was not read, or, when the scope lists no window, the scope itself if the family was not read
   * there. Undefined when every window that counts was read. Disabled windows run nothing, so they never count.
   */
  unreadWindowData(family: ResourceFamily, scope: Scope): DataUnavailableError | undefined {
    this.need('ssm:maintenance-windows', scope);
    const windows = this.windowsByScope.get(`${scope.accountId}|${scope.region}`) ?? [];
    if (windows.length === 0) {
      const state = this.coverage.state(family, scope);
      return state.status === 'read' ? undefined : new DataUnavailableError(family, scope, state);
    }
    for (const window of windows) {
      if (!window.enabled) continue;
      const state = this.windowDataState(family, window);
      if (state.status !== 'read') return new DataUnavailableError(family, window, state, window.windowId);
    }
    return undefined;
  }

  /** Whether one window's targets or tasks (one call per window) were read. */
  windowDataState(family: ResourceFamily, window: Scope & { windowId: string }): CoverageState {
    return this.coverage.parentState(family, window, window.windowId);
  }

  tasksOfWindow(windowId: string): readonly MaintenanceWindowTask[] {
    return this.tasksByWindow.get(windowId) ?? [];
  }

  /** One window's tasks, guarded by that window's own DescribeMaintenanceWindowTasks call. */
  windowTasks(window: MaintenanceWindow): readonly MaintenanceWindowTask[] {
    this.needWindowData('ssm:maintenance-window-tasks', window);
    return this.tasksByWindow.get(window.windowId) ?? [];
  }

  /** One window's targets, guarded by that window's own DescribeMaintenanceWindowTargets call. */
  windowTargets(window: MaintenanceWindow): readonly MaintenanceWindowTarget[] {
    this.needWindowData('ssm:maintenance-window-targets', window);
    return this.targetsByWindow.get(window.windowId) ?? [];
  }

  /**
   * A task's GetMaintenanceWindowTask output, or undefined when the input does not hold it; throws when the read
   * failed for the task's window (denied, throttled out).
   */
  windowTaskDetail(task: MaintenanceWindowTask): MaintenanceWindowTaskDetail | undefined {
    const state = this.windowDataState('ssm:maintenance-window-task-details', task);
    if (state.status === 'error')
      throw new DataUnavailableError('ssm:maintenance-window-task-details', task, state, task.windowId);
    return this.taskDetails.get(`${task.windowId}|${task.windowTaskId}`);
  }

  private needWindowData(family: ResourceFamily, window: MaintenanceWindow): void {
    const state = this.windowDataState(family, window);
    if (state.status !== 'read') throw new DataUnavailableError(family, window, state, window.windowId);
  }

  /** The latest patch operation of an instance (DescribeInstancePatchStates), guarded. */
  patchStateOf(instance: Ec2Instance): InstancePatchState | undefined {
    this.need('ssm:instance-patch-states', instance);
    return this.patchStatesByInstanceId.get(instance.instanceId);
  }

  activation(activationId: string): Activation | undefined {
    return this.activations.get(activationId);
  }

  /** SCPs that apply to an account (those with no target list apply to every account). */
  serviceControlPoliciesFor(accountId: string): ServiceControlPolicy[] {
    return this.inventory.serviceControlPolicies.filter(
      (p) => p.targetAccountIds.length === 0 || p.targetAccountIds.includes(accountId),
    );
  }
}
