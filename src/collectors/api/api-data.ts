// The AWS API responses ssmguard consumes, as plain JSON (AWS CLI output shape = SDK v3 output shape with
// timestamps as ISO strings). The synthetic generator writes these, the loopback test endpoint serves them,
// the live collectors gather them page by page, and the per-API mappers turn them into the inventory model.

import type { ResourceFamily } from '../../inventory/model.js';

/** A JSON object as AWS returns it; mappers validate what they read. */
export type ApiJson = Record<string, unknown>;

/** Every API response kind ssmguard reads, the resource family it fills, and how to recognise its file. */
export const API_RESPONSE_KINDS = {
  'ec2:DescribeInstances': {
    family: 'ec2:instances',
    listKey: 'Reservations',
    permission: 'ec2:DescribeInstances',
  },
  'ec2:DescribeSecurityGroups': {
    family: 'ec2:security-groups',
    listKey: 'SecurityGroups',
    permission: 'ec2:DescribeSecurityGroups',
  },
  'ec2:DescribeVpcs': { family: 'ec2:vpcs', listKey: 'Vpcs', permission: 'ec2:DescribeVpcs' },
  'ec2:DescribeVpcAttribute': {
    family: 'ec2:vpc-attributes',
    listKey: undefined,
    permission: 'ec2:DescribeVpcAttribute',
  },
  'ec2:DescribeSubnets': { family: 'ec2:subnets', listKey: 'Subnets', permission: 'ec2:DescribeSubnets' },
  'ec2:DescribeRouteTables': {
    family: 'ec2:route-tables',
    listKey: 'RouteTables',
    permission: 'ec2:DescribeRouteTables',
  },
  'ec2:DescribeNetworkAcls': {
    family: 'ec2:network-acls',
    listKey: 'NetworkAcls',
    permission: 'ec2:DescribeNetworkAcls',
  },
  'ec2:DescribeVpcEndpoints': {
    family: 'ec2:vpc-endpoints',
    listKey: 'VpcEndpoints',
    permission: 'ec2:DescribeVpcEndpoints',
  },
  'ec2:DescribeNatGateways': {
    family: 'ec2:nat-gateways',
    listKey: 'NatGateways',
    permission: 'ec2:DescribeNatGateways',
  },
  'ec2:DescribeInternetGateways': {
    family: 'ec2:internet-gateways',
    listKey: 'InternetGateways',
    permission: 'ec2:DescribeInternetGateways',
  },
  'ec2:DescribeEgressOnlyInternetGateways': {
    family: 'ec2:egress-only-internet-gateways',
    listKey: 'EgressOnlyInternetGateways',
    permission: 'ec2:DescribeEgressOnlyInternetGateways',
  },
  'iam:GetAccountAuthorizationDetails': {
    family: 'iam:authorization-details',
    listKey: 'RoleDetailList',
    permission: 'iam:GetAccountAuthorizationDetails',
  },
  'ssm:DescribeInstanceInformation': {
    family: 'ssm:instance-information',
    listKey: 'InstanceInformationList',
    permission: 'ssm:DescribeInstanceInformation',
  },
  'ssm:DescribeActivations': {
    family: 'ssm:activations',
    listKey: 'ActivationList',
    permission: 'ssm:DescribeActivations',
  },
  'ssm:DescribeMaintenanceWindows': {
    family: 'ssm:maintenance-windows',
    listKey: 'WindowIdentities',
    permission: 'ssm:DescribeMaintenanceWindows',
  },
  'ssm:DescribeMaintenanceWindowTargets': {
    family: 'ssm:maintenance-window-targets',
    listKey: 'Targets',
    permission: 'ssm:DescribeMaintenanceWindowTargets',
  },
  'ssm:DescribeMaintenanceWindowTasks': {
    family: 'ssm:maintenance-window-tasks',
    listKey: 'Tasks',
    permission: 'ssm:DescribeMaintenanceWindowTasks',
  },
  'ssm:GetMaintenanceWindowTask': {
    family: 'ssm:maintenance-window-task-details',
    listKey: undefined,
    permission: 'ssm:GetMaintenanceWindowTask',
  },
  'ssm:DescribeMaintenanceWindowExecutions': {
    family: 'ssm:maintenance-window-executions',
    listKey: 'WindowExecutions',
    permission: 'ssm:DescribeMaintenanceWindowExecutions',
  },
  'ssm:DescribeMaintenanceWindowExecutionTasks': {
    family: 'ssm:maintenance-window-execution-tasks',
    listKey: 'WindowExecutionTaskIdentities',
    permission: 'ssm:DescribeMaintenanceWindowExecutionTasks',
  },
  'ssm:DescribeMaintenanceWindowExecutionTaskInvocations': {
    family: 'ssm:maintenance-window-execution-task-invocations',
    listKey: 'WindowExecutionTaskInvocationIdentities',
    permission: 'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
  },
  'ssm:DescribePatchGroups': {
    family: 'ssm:patch-groups',
    listKey: 'Mappings',
    permission: 'ssm:DescribePatchGroups',
  },
  'ssm:DescribePatchBaselines': {
    family: 'ssm:patch-baselines',
    listKey: 'BaselineIdentities',
    permission: 'ssm:DescribePatchBaselines',
  },
  'ssm:GetPatchBaseline': {
    family: 'ssm:patch-baseline-details',
    listKey: undefined,
    permission: 'ssm:GetPatchBaseline',
  },
  'ssm:DescribeInstancePatchStates': {
    family: 'ssm:instance-patch-states',
    listKey: 'InstancePatchStates',
    permission: 'ssm:DescribeInstancePatchStates',
  },
  'ssm:GetServiceSetting': {
    family: 'ssm:dhmc-setting',
    listKey: 'ServiceSetting',
    permission: 'ssm:GetServiceSetting',
  },
} as const satisfies Record<
  string,
  { family: ResourceFamily; listKey: string | undefined; permission: string }
>;

export type ApiResponseKind = keyof typeof API_RESPONSE_KINDS;

/**
 * Everything one account+region returns, each operation's output merged over all pages (as
 * `aws … --no-paginate`-free CLI output prints it). DescribeVpcAttribute is one response per VPC and
 * attribute, so it is a list of responses.
 */
export interface RegionApiData {
  accountId: string;
  region: string;
  DescribeInstances: ApiJson;
  DescribeSecurityGroups: ApiJson;
  DescribeVpcs: ApiJson;
  DescribeVpcAttribute: ApiJson[];
  DescribeSubnets: ApiJson;
  DescribeRouteTables: ApiJson;
  DescribeNetworkAcls: ApiJson;
  DescribeVpcEndpoints: ApiJson;
  DescribeNatGateways: ApiJson;
  DescribeInternetGateways: ApiJson;
  DescribeEgressOnlyInternetGateways: ApiJson;
  DescribeInstanceInformation: ApiJson;
  DescribeActivations: ApiJson;
  DescribeMaintenanceWindows: ApiJson;
  /** One response per window (the API takes a WindowId). */
  DescribeMaintenanceWindowTargets: ApiJson[];
  DescribeMaintenanceWindowTasks: ApiJson[];
  /**
   * One response per Run Command task whose Describe output has no TaskParameters (registered with
   * TaskInvocationParameters): its parameters, the patch Operation among them, are only here.
   */
  GetMaintenanceWindowTask?: ApiJson[];
  /**
   * The recent run history, one response per call: the executions of each window (last 35 days), the task runs
   * of each window's latest finished execution, and the invocations of its patch task runs. Absent: not read.
   */
  DescribeMaintenanceWindowExecutions?: ApiJson[];
  DescribeMaintenanceWindowExecutionTasks?: ApiJson[];
  DescribeMaintenanceWindowExecutionTaskInvocations?: ApiJson[];
  DescribePatchGroups: ApiJson;
  /** Every patch baseline of the region, AWS's predefined ones included (unfiltered). Absent: not read. */
  DescribePatchBaselines?: ApiJson;
  /**
   * One GetPatchBaseline output per baseline in use: each baseline a patch group is registered with, and each
   * operating system's default. Absent: not read.
   */
  GetPatchBaseline?: ApiJson[];
  /** The patch states of every managed EC2 node, merged over the calls (50 instance ids a call). */
  DescribeInstancePatchStates: ApiJson;
  GetServiceSetting: ApiJson;
}

export interface AccountApiData {
  accountId: string;
  /** IAM is global: one GetAccountAuthorizationDetails output per account. */
  GetAccountAuthorizationDetails: ApiJson;
  regions: RegionApiData[];
}

/** An API call that failed, recorded so the families it fills are marked unreadable (fail closed). */
export interface ApiFailure {
  kind: ApiResponseKind;
  /** The SDK error name, e.g. "AccessDenied", "UnauthorizedOperation", "ThrottlingException". */
  code: string;
  message: string;
  /**
   * For per-window kinds: the window whose call failed (absent: the kind failed for the whole region); for the run
   * history, the window, window execution or task execution the call was made for.
   */
  parentId?: string;
}

/** What a live collection of one region returns: whatever was read, plus what failed. */
export type CollectedRegionData = Pick<RegionApiData, 'accountId' | 'region'> &
  Partial<Omit<RegionApiData, 'accountId' | 'region'>> & { failures: ApiFailure[] };

export interface CollectedAccountData {
  accountId: string;
  GetAccountAuthorizationDetails?: ApiJson;
  failures: ApiFailure[];
  regions: CollectedRegionData[];
}

/** A whole synthetic or recorded fleet, as AWS APIs would return it. */
export interface FleetApiData {
  accounts: AccountApiData[];
  /** When the data was "collected"; evaluation time for reproducible runs. */
  collectedAt: string;
}
