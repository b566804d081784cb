// The inventory model: every source (AWS CLI JSON, live SDK, Config items, bundles) maps into these types.
// Field names are lowerCamelCase and AWS-neutral; rules address them by path (checked against
// schemas/inventory.schema.json at load time). Nothing here holds raw AWS response shapes.

/** Where a resource lives. IAM is global, so IAM resources carry region "global". */
export interface Scope {
  accountId: string;
  region: string;
}

export const UNKNOWN_ACCOUNT = 'unknown';
export const UNKNOWN_REGION = 'unknown';
export const GLOBAL_REGION = 'global';

/** Tags as a null-prototype record, so hostile keys such as "__proto__" stay plain data. */
export type Tags = Record<string, string>;

export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface MetadataOptions {
  httpEndpoint?: 'enabled' | 'disabled';
  httpTokens?: 'optional' | 'required';
  httpPutResponseHopLimit?: number;
  instanceMetadataTags?: 'enabled' | 'disabled';
}

export interface NetworkInterface {
  networkInterfaceId: string;
  subnetId?: string;
  vpcId?: string;
  deviceIndex?: number;
  securityGroupIds: string[];
  privateIpAddresses: string[];
  ipv6Addresses: string[];
  publicIp?: string;
}

export interface Ec2Instance extends Scope {
  instanceId: string;
  state: InstanceState;
  tags: Tags;
  iamInstanceProfileArn?: string;
  securityGroupIds: string[];
  subnetId?: string;
  vpcId?: string;
  availabilityZone?: string;
  privateIpAddress?: string;
  privateDnsName?: string;
  publicIpAddress?: string;
  ipv6Addresses: string[];
  networkInterfaces: NetworkInterface[];
  metadataOptions?: MetadataOptions;
  /**
   * Whether EC2 drops traffic not addressed to the instance (SourceDestCheck); a NAT instance needs it off.
   * Absent when the source did not say.
   */
  sourceDestCheck?: boolean;
  /** "windows" | "linux" (the EC2 Platform field is only set for Windows). */
  platform: 'windows' | 'linux';
  platformDetails?: string;
  imageId?: string;
  launchTime?: string;
}

/** A policy document after URL-decoding and JSON parsing; statements are checked by the IAM evaluator. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[] | PolicyStatement;
  Id?: string;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A policy document that could not be decoded stays in the model with its parse error. */
export type MaybePolicyDocument = { document: PolicyDocument } | { parseError: string; raw: string };

export interface InlinePolicy {
  policyName: string;
  policy: MaybePolicyDocument;
}

export interface AttachedPolicyRef {
  policyName: string;
  policyArn: string;
}

export interface IamRole extends Scope {
  roleName: string;
  roleId?: string;
  arn: string;
  path: string;
  trustPolicy?: MaybePolicyDocument;
  attachedPolicies: AttachedPolicyRef[];
  inlinePolicies: InlinePolicy[];
  permissionsBoundaryArn?: string;
  instanceProfileArns: string[];
  tags: Tags;
  /**
   * Only the role and its trust policy were read (the Config Lambda's read for a rule that needs no permissions):
   * its permission policies, boundary and tags are unknown, and evaluating its permissions is an ERROR.
   */
  permissionsUnread?: true;
}

export interface InstanceProfile extends Scope {
  instanceProfileName: string;
  arn: string;
  path: string;
  /** At most one role per profile (an IAM hard limit). */
  roleArns: string[];
}

export interface ManagedPolicy extends Scope {
  policyName: string;
  arn: string;
  defaultVersionId?: string;
  /** The default version's document only; other versions never count. */
  defaultVersion?: MaybePolicyDocument;
  isAwsManaged: boolean;
}

export type IpProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all' | string;

/** One normalised security-group rule: one peer per entry, ports as an inclusive range. */
export interface SecurityGroupRule {
  protocol: IpProtocol;
  /** Inclusive; 0..65535 for "all ports". For ICMP these carry type/code as AWS does. */
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  description?: string;
}

export interface SecurityGroup extends Scope {
  groupId: string;
  groupName?: string;
  vpcId?: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  tags: Tags;
}

export interface Vpc extends Scope {
  vpcId: string;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
  isDefault: boolean;
  /** Absent when describe-vpc-attribute was not read for this VPC. */
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
  tags: Tags;
}

export interface Subnet extends Scope {
  subnetId: string;
  vpcId: string;
  availabilityZone?: string;
  cidrBlock?: string;
  ipv6CidrBlocks: string[];
  ipv6Native: boolean;
  mapPublicIpOnLaunch: boolean;
  /** DNS64 (EnableDns64): the resolver synthesises 64:ff9b::/96 answers for IPv4-only names. Absent when not read. */
  enableDns64?: boolean;
  tags: Tags;
}

export type RouteTarget =
  | { kind: 'local' }
  | { kind: 'internet-gateway'; id: string }
  | { kind: 'egress-only-internet-gateway'; id: string }
  | { kind: 'nat-gateway'; id: string }
  | { kind: 'instance'; id: string }
  | { kind: 'network-interface'; id: string }
  | { kind: 'transit-gateway'; id: string }
  | { kind: 'vpc-peering'; id: string }
  | { kind: 'virtual-private-gateway'; id: string }
  | { kind: 'vpc-endpoint'; id: string }
  | { kind: 'other'; id: string };

export interface Route {
  destinationCidr?: string;
  destinationIpv6Cidr?: string;
  destinationPrefixListId?: string;
  target: RouteTarget;
  state: 'active' | 'blackhole' | 'filtered' | string;
}

export interface RouteTable extends Scope {
  routeTableId: string;
  vpcId: string;
  isMain: boolean;
  subnetIds: string[];
  routes: Route[];
}

export interface NetworkAclEntry {
  ruleNumber: number;
  /** "-1" for all, otherwise an IANA protocol number as a string ("6" = TCP). */
  protocol: string;
  action: 'allow' | 'deny';
  egress: boolean;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portFrom?: number;
  portTo?: number;
}

export interface NetworkAcl extends Scope {
  networkAclId: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NetworkAclEntry[];
}

export interface VpcEndpoint extends Scope {
  vpcEndpointId: string;
  vpcId: string;
  serviceName: string;
  endpointType: 'Interface' | 'Gateway' | string;
  /** Lower-cased: real output says "available" although the model enum says "Available". */
  state: string;
  privateDnsEnabled: boolean;
  subnetIds: string[];
  securityGroupIds: string[];
  routeTableIds: string[];
  policy?: MaybePolicyDocument;
  /** IpAddressType: "ipv4" | "dualstack" | "ipv6" — the addresses its interfaces have. Absent when not read. */
  ipAddressType?: string;
  /** DnsOptions.DnsRecordIpType: "ipv4" (A) | "dualstack" (A and AAAA) | "ipv6" (AAAA) | "service-defined". */
  dnsRecordIpType?: string;
}

/** A NAT gateway (DescribeNatGateways). */
export interface NatGateway extends Scope {
  natGatewayId: string;
  vpcId: string;
  subnetId: string;
  /** pending | failed | available | deleting | deleted (lower case, as AWS reports it). */
  state: string;
  /** "public" (the default) or "private" (no internet: traffic it sends to an internet gateway is dropped). */
  connectivityType: string;
  /** The Elastic IPs it translates to (public NAT gateways). */
  publicIps: string[];
  privateIps: string[];
  tags: Tags;
}

/** A VPC attachment of an internet gateway or egress-only internet gateway. */
export interface GatewayAttachment {
  vpcId: string;
  /** "available" for an attached internet gateway, "attached" for an egress-only one; "detached" etc. otherwise. */
  state: string;
}

/** An internet gateway (DescribeInternetGateways). */
export interface InternetGateway extends Scope {
  internetGatewayId: string;
  attachments: GatewayAttachment[];
  tags: Tags;
}

/** An egress-only internet gateway for IPv6 (DescribeEgressOnlyInternetGateways). */
export interface EgressOnlyInternetGateway extends Scope {
  egressOnlyInternetGatewayId: string;
  attachments: GatewayAttachment[];
  tags: Tags;
}

export type PingStatus = 'Online' | 'ConnectionLost' | 'Inactive' | string;

/** One entry of DescribeInstanceInformation: a managed node (i- for EC2, mi- for hybrid). */
export interface ManagedNode extends Scope {
  instanceId: string;
  pingStatus: PingStatus;
  lastPingDateTime?: string;
  agentVersion?: string;
  isLatestVersion?: boolean;
  platformType?: string;
  platformName?: string;
  /** e.g. "2023" for Amazon Linux 2023, "2" for Amazon Linux 2 (PlatformVersion). */
  platformVersion?: string;
  resourceType?: 'EC2Instance' | 'ManagedInstance' | string;
  ipAddress?: string;
  computerName?: string;
  activationId?: string;
  iamRole?: string;
  registrationDate?: string;
  sourceId?: string;
  sourceType?: string;
}

export interface Activation extends Scope {
  activationId: string;
  description?: string;
  defaultInstanceName?: string;
  iamRole?: string;
  registrationLimit: number;
  registrationsCount: number;
  expirationDate?: string;
  expired: boolean;
  createdDate?: string;
}

export interface MaintenanceWindow extends Scope {
  windowId: string;
  name?: string;
  enabled: boolean;
  schedule?: string;
  /** IANA time zone the cron schedule is read in (UTC when absent). */
  scheduleTimezone?: string;
  /** Days after the cron date the window runs (1..6). */
  scheduleOffset?: number;
  /** Hours the window stays open (1..24). */
  durationHours?: number;
  /** Hours before the end when no new task starts (0..23). */
  cutoffHours?: number;
  /** The window is inactive before this date and after `endDate` (ISO 8601). */
  startDate?: string;
  endDate?: string;
  /** When SSM plans to run it next (as SSM reports it; absent when it never will). */
  nextExecutionTime?: string;
}

export interface Target {
  key: string;
  values: string[];
}

export interface MaintenanceWindowTarget extends Scope {
  windowId: string;
  windowTargetId: string;
  resourceType: 'INSTANCE' | 'RESOURCE_GROUP' | string;
  targets: Target[];
  name?: string;
}

export interface MaintenanceWindowTask extends Scope {
  windowId: string;
  windowTaskId: string;
  taskArn: string;
  type: string;
  targets: Target[];
  serviceRoleArn?: string;
  maxConcurrency?: string;
  maxErrors?: string;
  /** Run Command parameters as DescribeMaintenanceWindowTasks prints them (`TaskParameters`), e.g. Operation. */
  parameters?: Record<string, string[]>;
}

/**
 * One task as GetMaintenanceWindowTask returns it: the parameters it runs with. DescribeMaintenanceWindowTasks
 * prints only the deprecated `TaskParameters`; a task registered with `TaskInvocationParameters` (the console and
 * current CLI do so) shows its Run Command parameters, and so its patch `Operation`, only here.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetMaintenanceWindowTask.html
 */
export interface MaintenanceWindowTaskDetail extends Scope {
  windowId: string;
  windowTaskId: string;
  taskArn: string;
  /** Run Command parameters (TaskInvocationParameters.RunCommand.Parameters, else the legacy TaskParameters). */
  parameters?: Record<string, string[]>;
}

/**
 * One run of a maintenance window (DescribeMaintenanceWindowExecutions). Only recent runs are read: the live
 * scan asks for the runs of the last `WINDOW_EXECUTION_LOOKBACK_DAYS` days (filter ExecutedAfter).
 */
export interface MaintenanceWindowExecution extends Scope {
  windowId: string;
  windowExecutionId: string;
  /** PENDING | IN_PROGRESS | SUCCESS | FAILED | TIMED_OUT | CANCELLING | CANCELLED | SKIPPED_OVERLAPPING. */
  status: string;
  statusDetails?: string;
  startTime?: string;
  endTime?: string;
}

/** One task run of a window execution (DescribeMaintenanceWindowExecutionTasks). */
export interface MaintenanceWindowExecutionTask extends Scope {
  windowExecutionId: string;
  taskExecutionId: string;
  /** The document (RUN_COMMAND, AUTOMATION), state machine or function the task ran, e.g. "AWS-RunPatchBaseline". */
  taskArn?: string;
  taskType?: string;
  status: string;
  statusDetails?: string;
  startTime?: string;
  endTime?: string;
}

/**
 * One invocation of a task run: the task run on one target (DescribeMaintenanceWindowExecutionTaskInvocations).
 * For RUN_COMMAND tasks `executionId` is the command id and the invocation's Parameters name the instances the
 * command was sent to.
 */
export interface MaintenanceWindowExecutionTaskInvocation extends Scope {
  windowExecutionId: string;
  taskExecutionId: string;
  invocationId: string;
  executionId?: string;
  taskType?: string;
  /** The window target the invocation ran for. */
  windowTargetId?: string;
  status: string;
  statusDetails?: string;
  startTime?: string;
  endTime?: string;
  /** The instances named by the invocation's Parameters (RUN_COMMAND); absent when Parameters names none. */
  instanceIds?: string[];
  /** The document named by the invocation's Parameters (RUN_COMMAND). */
  documentName?: string;
  /**
   * The patch document's `Operation` (Scan or Install) the invocation ran with, from its Parameters' `parameters`;
   * absent when the Parameters carry none (then whether the run installed anything is unknown).
   */
  operation?: string;
}

export interface PatchGroupMapping extends Scope {
  patchGroup: string;
  baselineId: string;
  baselineName?: string;
  operatingSystem?: string;
  defaultBaseline: boolean;
}

/** One patch baseline of the region, AWS-managed or the account's own (DescribePatchBaselines, unfiltered). */
export interface PatchBaselineIdentity extends Scope {
  baselineId: string;
  baselineName?: string;
  operatingSystem?: string;
  /** Whether the baseline is the default for its operating system: patch groups registered with no baseline of
   * the node's OS fall back to it. */
  defaultBaseline: boolean;
}

/** One approval rule of a patch baseline (GetPatchBaseline ApprovalRules.PatchRules[]). */
export interface PatchApprovalRule {
  /** PatchFilterGroup: filter key (CLASSIFICATION, SEVERITY, MSRC_SEVERITY, PRODUCT, …) to its values. */
  filters: Record<string, string[]>;
  approveAfterDays?: number;
  approveUntilDate?: string;
  complianceLevel?: string;
  enableNonSecurity?: boolean;
}

/** What one patch baseline approves (GetPatchBaseline). */
export interface PatchBaselineDetail extends Scope {
  baselineId: string;
  baselineName?: string;
  operatingSystem?: string;
  approvalRules: PatchApprovalRule[];
  /** GlobalFilters: filter key to its values. */
  globalFilters: Record<string, string[]>;
  approvedPatches: string[];
  approvedPatchesComplianceLevel?: string;
  rejectedPatches: string[];
  rejectedPatchesAction?: string;
  /** Names of the alternative patch repositories (Sources[].Name), Linux only. */
  sources: string[];
}

/** The latest patch operation of one managed node (DescribeInstancePatchStates). */
export interface InstancePatchState extends Scope {
  instanceId: string;
  patchGroup: string;
  baselineId: string;
  /** The latest operation: "Scan" reports what is missing, "Install" also installs it. */
  operation: 'Scan' | 'Install' | string;
  operationStartTime: string;
  operationEndTime: string;
  rebootOption?: string;
  lastNoRebootInstallOperationTime?: string;
  installedCount: number;
  installedOtherCount: number;
  installedPendingRebootCount: number;
  installedRejectedCount: number;
  missingCount: number;
  failedCount: number;
  notApplicableCount: number;
  criticalNonCompliantCount: number;
  securityNonCompliantCount: number;
  otherNonCompliantCount: number;
  /**
   * Fields the source does not carry, so their values above are placeholders that no rule may judge: AWS Config's
   * AWS::SSM::PatchCompliance items hold the compliance summary and one entry per patch, but no operation (Scan or
   * Install) and no operation times. Absent when every field was read (DescribeInstancePatchStates).
   */
  unknownFields?: PatchStateField[];
}

/** The InstancePatchState fields a source may leave unknown. */
export const PATCH_STATE_FIELDS = [
  'operation',
  'operationStartTime',
  'operationEndTime',
  'installedCount',
  'installedOtherCount',
  'installedPendingRebootCount',
  'installedRejectedCount',
  'missingCount',
  'failedCount',
  'notApplicableCount',
  'criticalNonCompliantCount',
  'securityNonCompliantCount',
  'otherNonCompliantCount',
] as const;

export type PatchStateField = (typeof PATCH_STATE_FIELDS)[number];

/** The Default Host Management Configuration setting of one account and region. */
export interface DhmcSetting extends Scope {
  /** Role name with optional path, or undefined when the value is "$None" (disabled). */
  roleName?: string;
  enabled: boolean;
  status?: string;
}

/** An SCP supplied for offline evaluation, applying to the accounts listed (all when empty). */
export interface ServiceControlPolicy {
  policyId: string;
  name: string;
  targetAccountIds: string[];
  policy: MaybePolicyDocument;
}

/**
 * An AWS Organizations tree: where each account and OU sits, and which SCPs are attached to each root, OU and
 * account. An action must be allowed by the SCPs at every level from the root down to the account, and the
 * management account is subject to none of them.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export interface Organization {
  organizationId: string;
  managementAccountId: string;
  /** The parent (a root r-… or an OU ou-…) of every OU and account of the tree. */
  parentOf: Record<string, string>;
  /** The ids of the SCPs attached to each root, OU and account (ListPoliciesForTarget). */
  attachedScps: Record<string, string[]>;
  /** Where the tree came from (files, or "live"). */
  origin: string;
}

/**
 * A family of resources, read (or not) per scope. Rules that need a family that was not read in the
 * resource's scope evaluate to ERROR: "couldn't tell" is never "compliant".
 */
export const RESOURCE_FAMILIES = [
  'ec2:instances',
  'ec2:security-groups',
  'ec2:vpcs',
  'ec2:vpc-attributes',
  'ec2:subnets',
  'ec2:route-tables',
  'ec2:network-acls',
  'ec2:vpc-endpoints',
  'ec2:nat-gateways',
  'ec2:internet-gateways',
  'ec2:egress-only-internet-gateways',
  'iam:authorization-details',
  'ssm:instance-information',
  'ssm:activations',
  'ssm:maintenance-windows',
  'ssm:maintenance-window-targets',
  'ssm:maintenance-window-tasks',
  'ssm:maintenance-window-task-details',
  'ssm:maintenance-window-executions',
  'ssm:maintenance-window-execution-tasks',
  'ssm:maintenance-window-execution-task-invocations',
  'ssm:patch-groups',
  'ssm:patch-baselines',
  'ssm:patch-baseline-details',
  'ssm:instance-patch-states',
  'ssm:dhmc-setting',
  'org:service-control-policies',
] as const;

export type ResourceFamily = (typeof RESOURCE_FAMILIES)[number];

export interface FamilyCoverage {
  family: ResourceFamily;
  /** Absent means "every account" (e.g. an unscoped AWS CLI file). */
  accountId?: string;
  /** Absent means "every region"; IAM is recorded with region "global". */
  region?: string;
  /**
   * For families read by one call per parent resource (maintenance-window targets and tasks: one call per
   * window), the parent the call was made for. Absent means the entry covers every parent in its scope.
   */
  parentId?: string;
  status: 'read' | 'error';
  /** For errors: stable code (e.g. "AccessDenied") and the message; the permission it needed, if known. */
  error?: { code: string; message: string; permission?: string };
  /** What was read: file path or API operation. */
  origin?: string;
}

export interface SourceMetadata {
  kind: 'aws-cli' | 'live' | 'config' | 'bundle' | 'fixture' | 'cloudformation' | 'terraform';
  inputs: string[];
  accounts: string[];
  regions: string[];
  collectedAt?: string;
  apiCalls?: Record<string, number>;
  /** "sha256:<hex>" of the input as read (files' bytes for AWS CLI input), for provenance. */
  inputHash?: string;
  skipped?: { input: string; reason: string }[];
}

export interface Inventory {
  schemaVersion: 1;
  source: SourceMetadata;
  coverage: FamilyCoverage[];
  instances: Ec2Instance[];
  instanceProfiles: InstanceProfile[];
  roles: IamRole[];
  managedPolicies: ManagedPolicy[];
  securityGroups: SecurityGroup[];
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  networkAcls: NetworkAcl[];
  vpcEndpoints: VpcEndpoint[];
  natGateways: NatGateway[];
  internetGateways: InternetGateway[];
  egressOnlyInternetGateways: EgressOnlyInternetGateway[];
  managedNodes: ManagedNode[];
  activations: Activation[];
  maintenanceWindows: MaintenanceWindow[];
  maintenanceWindowTargets: MaintenanceWindowTarget[];
  maintenanceWindowTasks: MaintenanceWindowTask[];
  maintenanceWindowTaskDetails: MaintenanceWindowTaskDetail[];
  maintenanceWindowExecutions: MaintenanceWindowExecution[];
  maintenanceWindowExecutionTasks: MaintenanceWindowExecutionTask[];
  maintenanceWindowExecutionTaskInvocations: MaintenanceWindowExecutionTaskInvocation[];
  patchGroups: PatchGroupMapping[];
  patchBaselines: PatchBaselineIdentity[];
  patchBaselineDetails: PatchBaselineDetail[];
  instancePatchStates: InstancePatchState[];
  dhmcSettings: DhmcSetting[];
  serviceControlPolicies: ServiceControlPolicy[];
  /** The organization's tree, when it was read; without it the SCPs are one flat layer per account. */
  organizations?: Organization[];
}

export type InventoryCollectionName = Exclude<
  keyof Inventory,
  'schemaVersion' | 'source' | 'coverage' | 'organizations'
>;

/** Creates an empty inventory for a source. */
export function emptyInventory(source: SourceMetadata): Inventory {
  return {
    schemaVersion: 1,
    source,
    coverage: [],
    instances: [],
    instanceProfiles: [],
    roles: [],
    managedPolicies: [],
    securityGroups: [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    networkAcls: [],
    vpcEndpoints: [],
    natGateways: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    managedNodes: [],
    activations: [],
    maintenanceWindows: [],
    maintenanceWindowTargets: [],
    maintenanceWindowTasks: [],
    maintenanceWindowTaskDetails: [],
    maintenanceWindowExecutions: [],
    maintenanceWindowExecutionTasks: [],
    maintenanceWindowExecutionTaskInvocations: [],
    patchGroups: [],
    patchBaselines: [],
    patchBaselineDetails: [],
    instancePatchStates: [],
    dhmcSettings: [],
    serviceControlPolicies: [],
  };
}
