// Which resource families were read for which account and region, and the typed "couldn't read" signal.

import { CheckerError } from '../errors.js';
import type { FamilyCoverage, ResourceFamily, Scope } from './model.js';
import { GLOBAL_REGION } from './model.js';

export type CoverageState =
  | { status: 'read' }
  | { status: 'error'; error: { code: string; message: string; permission?: string } }
  | { status: 'missing' };

/** IAM families are account-wide; everything else is per region. */
export function isGlobalFamily(family: ResourceFamily): boolean {
  return family === 'iam:authorization-details' || family === 'org:service-control-policies';
}

/** The IAM permission and the AWS CLI command that fill each family, for error messages and help. */
export const FAMILY_SOURCES: Record<ResourceFamily, { permission: string; cli: string }> = {
  'ec2:instances': { permission: 'ec2:DescribeInstances', cli: 'aws ec2 describe-instances' },
  'ec2:security-groups': {
    permission: 'ec2:DescribeSecurityGroups',
    cli: 'aws ec2 describe-security-groups',
  },
  'ec2:vpcs': { permission: 'ec2:DescribeVpcs', cli: 'aws ec2 describe-vpcs' },
  'ec2:vpc-attributes': { permission: 'ec2:DescribeVpcAttribute', cli: 'aws ec2 describe-vpc-attribute' },
  'ec2:subnets': { permission: 'ec2:DescribeSubnets', cli: 'aws ec2 describe-subnets' },
  'ec2:route-tables': { permission: 'ec2:DescribeRouteTables', cli: 'aws ec2 describe-route-tables' },
  'ec2:network-acls': { permission: 'ec2:DescribeNetworkAcls', cli: 'aws ec2 describe-network-acls' },
  'ec2:vpc-endpoints': { permission: 'ec2:DescribeVpcEndpoints', cli: 'aws ec2 describe-vpc-endpoints' },
  'ec2:nat-gateways': { permission: 'ec2:DescribeNatGateways', cli: 'aws ec2 describe-nat-gateways' },
  'ec2:internet-gateways': {
    permission: 'ec2:DescribeInternetGateways',
    cli: 'aws ec2 describe-internet-gateways',
  },
  'ec2:egress-only-internet-gateways': {
    permission: 'ec2:DescribeEgressOnlyInternetGateways',
    cli: 'aws ec2 describe-egress-only-internet-gateways',
  },
  'iam:authorization-details': {
    permission: 'iam:GetAccountAuthorizationDetails',
    cli: 'aws iam get-account-authorization-details',
  },
  'ssm:instance-information': {
    permission: 'ssm:DescribeInstanceInformation',
    cli: 'aws ssm describe-instance-information',
  },
  'ssm:activations': { permission: 'ssm:DescribeActivations', cli: 'aws ssm describe-activations' },
  'ssm:maintenance-windows': {
    permission: 'ssm:DescribeMaintenanceWindows',
    cli: 'aws ssm describe-maintenance-windows',
  },
  'ssm:maintenance-window-targets': {
    permission: 'ssm:DescribeMaintenanceWindowTargets',
    cli: 'aws ssm describe-maintenance-window-targets',
  },
  'ssm:maintenance-window-tasks': {
    permission: 'ssm:DescribeMaintenanceWindowTasks',
    cli: 'aws ssm describe-maintenance-window-tasks',
  },
  'ssm:maintenance-window-task-details': {
    permission: 'ssm:GetMaintenanceWindowTask',
    cli: 'aws ssm get-maintenance-window-task --window-id <mw-…> --window-task-id <task id>',
  },
  'ssm:maintenance-window-executions': {
    permission: 'ssm:DescribeMaintenanceWindowExecutions',
    cli: 'aws ssm describe-maintenance-window-executions --filters Key=ExecutedAfter,Values=<35 days ago>',
  },
  'ssm:maintenance-window-execution-tasks': {
    permission: 'ssm:DescribeMaintenanceWindowExecutionTasks',
    cli: 'aws ssm describe-maintenance-window-execution-tasks',
  },
  'ssm:maintenance-window-execution-task-invocations': {
    permission: 'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
    cli: 'aws ssm describe-maintenance-window-execution-task-invocations',
  },
  'ssm:patch-groups': { permission: 'ssm:DescribePatchGroups', cli: 'aws ssm describe-patch-groups' },
  'ssm:patch-baselines': {
    permission: 'ssm:DescribePatchBaselines',
    cli: 'aws ssm describe-patch-baselines',
  },
  'ssm:patch-baseline-details': {
    permission: 'ssm:GetPatchBaseline',
    cli: 'aws ssm get-patch-baseline',
  },
  'ssm:instance-patch-states': {
    permission: 'ssm:DescribeInstancePatchStates',
    cli: 'aws ssm describe-instance-patch-states --instance-ids <every managed EC2 instance, 50 a call>',
  },
  'ssm:dhmc-setting': {
    permission: 'ssm:GetServiceSetting',
    cli: 'aws ssm get-service-setting --setting-id /ssm/managed-instance/default-ec2-instance-management-role',
  },
  'org:service-control-policies': {
    permission: 'organizations:DescribePolicy',
    cli: 'ssmguard scan --scp FILE',
  },
};

/**
 * Families read by one call per parent resource, and the family listing the parents: DescribeMaintenanceWindowTargets
 * and DescribeMaintenanceWindowTasks take one WindowId per call. Their coverage is tracked per parent (the grain
 * of the call), so one window whose targets were not read does not hide, or blame, the instances of the others.
 */
export const PER_PARENT_FAMILIES: Partial<Record<ResourceFamily, ResourceFamily>> = {
  'ssm:maintenance-window-targets': 'ssm:maintenance-windows',
  'ssm:maintenance-window-tasks': 'ssm:maintenance-windows',
  'ssm:maintenance-window-task-details': 'ssm:maintenance-windows',
  // Executions are listed per window, their tasks per execution, a task's invocations per task run.
  'ssm:maintenance-window-executions': 'ssm:maintenance-windows',
  'ssm:maintenance-window-execution-tasks': 'ssm:maintenance-window-executions',
  'ssm:maintenance-window-execution-task-invocations': 'ssm:maintenance-window-execution-tasks',
  // GetPatchBaseline is called per baseline in use (and per default): each response covers its own baseline.
  'ssm:patch-baseline-details': 'ssm:patch-baselines',
};

/** How messages name the parent of a per-parent family, and the CLI option that selects it. */
const PARENT_NAMES: Partial<Record<ResourceFamily, { noun: string; option: string }>> = {
  'ssm:maintenance-window-execution-tasks': { noun: 'window execution', option: '--window-execution-id' },
  'ssm:maintenance-window-execution-task-invocations': {
    noun: 'task execution',
    option: '--window-execution-id <its window execution> --task-id',
  },
  'ssm:patch-baseline-details': { noun: 'patch baseline', option: '--baseline-id' },
};

export function isPerParentFamily(family: ResourceFamily): boolean {
  return PER_PARENT_FAMILIES[family] !== undefined;
}

export function familyPermission(family: ResourceFamily): string {
  return FAMILY_SOURCES[family].permission;
}

/**
 * Answers "was this family read for this scope?" with a per-key cache: rules ask this once per resource,
 * so it must be a map lookup, not a scan of the coverage list.
 */
export class CoverageIndex {
  // family → account → region → state: nested maps avoid building a string key on every lookup.
  private readonly cache = new Map<ResourceFamily, Map<string, Map<string, CoverageState>>>();

  constructor(private readonly entries: readonly FamilyCoverage[]) {}

  state(family: ResourceFamily, scope: Scope): CoverageState {
    const region = isGlobalFamily(family) ? GLOBAL_REGION : scope.region;
    let byAccount = this.cache.get(family);
    if (!byAccount) this.cache.set(family, (byAccount = new Map()));
    let byRegion = byAccount.get(scope.accountId);
    if (!byRegion) byAccount.set(scope.accountId, (byRegion = new Map()));
    let state = byRegion.get(region);
    if (state === undefined) {
      state = this.compute(family, scope.accountId, region);
      byRegion.set(region, state);
    }
    return state;
  }

  /**
   * Was a per-parent family read for one parent (one window's targets, say)? An entry for the whole scope counts
   * for every parent; an error for this parent or for the whole scope outweighs any read. Memoised per key:
   * instances of one scope ask about the same few windows.
   */
  parentState(family: ResourceFamily, scope: Scope, parentId: string): CoverageState {
    const key = `${family}\u0000${scope.accountId}\u0000${scope.region}\u0000${parentId}`;
    let state = this.parentCache.get(key);
    if (state === undefined) {
      state = this.compute(family, scope.accountId, scope.region, parentId);
      this.parentCache.set(key, state);
    }
    return state;
  }

  private readonly parentCache = new Map<string, CoverageState>();

  /**
   * Without `parentId`, the scope as a whole: only entries for the whole scope count as read (a per-parent family
   * is read for a scope when every parent was, which the builder records as such an entry), while an error for
   * any one parent makes the whole scope an error (fail closed).
   */
  private compute(
    family: ResourceFamily,
    accountId: string,
    region: string,
    parentId?: string,
  ): CoverageState {
    let read = false;
    for (const entry of this.entries) {
      if (entry.family !== family) continue;
      if (entry.accountId !== undefined && entry.accountId !== accountId) continue;
      if (entry.region !== undefined && entry.region !== region && !isGlobalFamily(family)) continue;
      if (parentId !== undefined && entry.parentId !== undefined && entry.parentId !== parentId) continue;
      // Fail closed: one failed read of a family in this scope outweighs any successful one.
      if (entry.status === 'error' && entry.error) return { status: 'error', error: entry.error };
      if (entry.status === 'read' && (parentId !== undefined || entry.parentId === undefined)) read = true;
    }
    return read ? { status: 'read' } : { status: 'missing' };
  }
}

/**
 * Thrown while evaluating when a rule needs a family that was not read (missing input, AccessDenied...).
 * The engine turns it into an ERROR evaluation; it never becomes COMPLIANT or NON_COMPLIANT.
 */
export class DataUnavailableError extends CheckerError {
  readonly code: 'DATA_MISSING' | 'DATA_UNREADABLE';
  readonly permission: string | undefined;
  constructor(
    readonly family: ResourceFamily,
    readonly scope: Scope,
    readonly state: Exclude<CoverageState, { status: 'read' }>,
    /** For per-parent families: the parent (maintenance window) whose call was not read. */
    readonly parentId?: string,
  ) {
    const permission =
      state.status === 'error'
        ? (state.error.permission ?? familyPermission(family))
        : familyPermission(family);
    const parent = PARENT_NAMES[family] ?? { noun: 'window', option: '--window-id' };
    const where = `${parentId !== undefined ? `${parent.noun} ${parentId} in ` : ''}${
      isGlobalFamily(family) ? `account ${scope.accountId}` : `${scope.accountId}/${scope.region}`
    }`;
    const cli = `${FAMILY_SOURCES[family].cli}${parentId !== undefined ? ` ${parent.option} ${parentId}` : ''}`;
    super(
      state.status === 'error'
        ? `could not read ${family} in ${where}: ${state.error.code}: ${state.error.message}`
        : `no ${family} data for ${where} (give the output of '${cli}')`,
    );
    this.name = 'DataUnavailableError';
    this.code = state.status === 'error' ? 'DATA_UNREADABLE' : 'DATA_MISSING';
    this.permission = permission;
  }
}
