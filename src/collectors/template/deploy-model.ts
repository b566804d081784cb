// What a CloudFormation template or Terraform plan declares, in one shape both sources map into (#18).
//
// A deploy-time source reads its own format and fills a DeployModel: the resources it would create, each with
// where it is declared, and with `Unresolved` wherever a value cannot be known before deploy. synthesize.ts then
// writes the AWS API responses those resources would answer with (a TemplateFleet), so the same mappers and the
// same engine decide as for a live or exported fleet. Names follow the EC2/IAM/SSM API request fields, which the
// CloudFormation properties and Terraform attributes mirror.

import type { SourceLocation } from './template-fleet.js';

/** A value nobody can know before deploy, and why ("known after apply", "Fn::ImportValue of 'net-Subnet'"). */
export interface Unresolved {
  readonly unresolved: true;
  readonly reason: string;
}

export function unresolved(reason: string): Unresolved {
  return { unresolved: true, reason };
}

export function isUnresolved(value: unknown): value is Unresolved {
  return (
    typeof value === 'object' && value !== null && (value as { unresolved?: unknown }).unresolved === true
  );
}

/** A property that may be unknown until deploy. */
export type Maybe<T> = T | Unresolved;

/** Every declared resource: its source address (logical id or Terraform address) and location. */
export interface Declared {
  /** CloudFormation logical id, or Terraform address; with `[n]` for the nth instance an ASG would launch. */
  address: string;
  location: SourceLocation;
  /** Set when whether the resource is created at all is unknown (a Condition that could not be evaluated). */
  exists?: Unresolved;
}

/**
 * References between resources use the *declared id*: the id the referenced resource will have in the
 * synthesised responses. A source chooses ids for what it declares (stable, derived from the address, in the AWS
 * id syntax: "i-…", "sg-…", "subnet-…"; ARNs for IAM), and uses literal ids for what exists outside the template
 * (resolved against `--context`, or unknown).
 */
export type Ref = Maybe<string>;

export interface DeployTag {
  Key: string;
  Value: Maybe<string>;
}

export interface DeployInstance extends Declared {
  /** i-… (an ASG's nth instance: one per subnet of the group). */
  instanceId: string;
  /** The launching resource, when the instance is an ASG's: the group's address. */
  launchedBy?: string;
  /** Instance profile ARN (a name is resolved by the source to the ARN); absent: none. */
  iamInstanceProfileArn?: Ref;
  subnetId: Ref;
  securityGroupIds: Maybe<Ref[]>;
  imageId?: Ref;
  /** "windows" only when the source can tell (a Windows AMI alias, Platform); else linux. */
  platform?: 'windows' | 'linux';
  metadataOptions?: {
    HttpEndpoint?: Maybe<string>;
    HttpTokens?: Maybe<string>;
    HttpPutResponseHopLimit?: Maybe<number>;
    InstanceMetadataTags?: Maybe<string>;
  };
  associatePublicIpAddress?: Maybe<boolean>;
  sourceDestCheck?: Maybe<boolean>;
  tags: DeployTag[];
}

export interface DeployPolicyDocument {
  /** The document as JSON (statements may hold Unresolved values, e.g. a Resource of an imported ARN). */
  document: Maybe<unknown>;
}

export interface DeployRole extends Declared {
  roleName: string;
  arn: string;
  path: string;
  assumeRolePolicyDocument: Maybe<unknown>;
  managedPolicyArns: Maybe<Ref[]>;
  inlinePolicies: { policyName: string; document: Maybe<unknown> }[];
  permissionsBoundaryArn?: Ref;
  tags: DeployTag[];
}

export interface DeployInstanceProfile extends Declared {
  instanceProfileName: string;
  arn: string;
  path: string;
  /** Role ARNs (the source resolves role names to ARNs). At most one (an IAM limit). */
  roleArns: Maybe<Ref[]>;
}

export interface DeployManagedPolicy extends Declared {
  policyName: string;
  arn: string;
  document: Maybe<unknown>;
}

export interface DeploySecurityGroupRule {
  IpProtocol: Maybe<string>;
  FromPort?: Maybe<number>;
  ToPort?: Maybe<number>;
  CidrIp?: Maybe<string>;
  CidrIpv6?: Maybe<string>;
  SourcePrefixListId?: Maybe<string>;
  DestinationPrefixListId?: Maybe<string>;
  /** The peer group (ingress SourceSecurityGroupId, egress DestinationSecurityGroupId). */
  GroupIdPeer?: Ref;
  Description?: Maybe<string>;
  /** Where this rule is declared, when it is a resource of its own (SecurityGroupIngress/Egress). */
  location?: SourceLocation;
}

export interface DeploySecurityGroup extends Declared {
  groupId: string;
  groupName: string;
  vpcId: Ref;
  ingress: DeploySecurityGroupRule[];
  /** Undefined: no egress declared, so AWS adds its default allow-all egress rule. */
  egress?: DeploySecurityGroupRule[];
  tags: DeployTag[];
}

export interface DeployVpc extends Declared {
  vpcId: string;
  cidrBlock: Maybe<string>;
  ipv6CidrBlocks: Maybe<string>[];
  /** Defaults as EC2's: DNS support on, DNS hostnames off for a non-default VPC. */
  enableDnsSupport?: Maybe<boolean>;
  enableDnsHostnames?: Maybe<boolean>;
  tags: DeployTag[];
}

export interface DeploySubnet extends Declared {
  subnetId: string;
  vpcId: Ref;
  cidrBlock?: Maybe<string>;
  ipv6CidrBlock?: Maybe<string>;
  availabilityZone?: Maybe<string>;
  mapPublicIpOnLaunch?: Maybe<boolean>;
  ipv6Native?: Maybe<boolean>;
  enableDns64?: Maybe<boolean>;
  tags: DeployTag[];
}

export interface DeployRoute {
  DestinationCidrBlock?: Maybe<string>;
  DestinationIpv6CidrBlock?: Maybe<string>;
  DestinationPrefixListId?: Maybe<string>;
  GatewayId?: Ref;
  NatGatewayId?: Ref;
  EgressOnlyInternetGatewayId?: Ref;
  InstanceId?: Ref;
  NetworkInterfaceId?: Ref;
  TransitGatewayId?: Ref;
  VpcPeeringConnectionId?: Ref;
  VpcEndpointId?: Ref;
  location?: SourceLocation;
}

export interface DeployRouteTable extends Declared {
  routeTableId: string;
  vpcId: Ref;
  routes: DeployRoute[];
  /** Subnets associated explicitly (SubnetRouteTableAssociation, aws_route_table_association). */
  subnetIds: Ref[];
}

export interface DeployNetworkAclEntry {
  RuleNumber: Maybe<number>;
  /** "-1" or the protocol number as a string. */
  Protocol: Maybe<string>;
  RuleAction: Maybe<'allow' | 'deny'>;
  Egress: boolean;
  CidrBlock?: Maybe<string>;
  Ipv6CidrBlock?: Maybe<string>;
  PortRange?: { From: Maybe<number>; To: Maybe<number> };
  location?: SourceLocation;
}

export interface DeployNetworkAcl extends Declared {
  networkAclId: string;
  vpcId: Ref;
  entries: DeployNetworkAclEntry[];
  subnetIds: Ref[];
}

export interface DeployVpcEndpoint extends Declared {
  vpcEndpointId: string;
  vpcId: Ref;
  serviceName: Maybe<string>;
  /** Interface | Gateway (CloudFormation's default: Gateway). */
  vpcEndpointType: Maybe<string>;
  privateDnsEnabled?: Maybe<boolean>;
  subnetIds: Maybe<Ref[]>;
  securityGroupIds: Maybe<Ref[]>;
  routeTableIds: Maybe<Ref[]>;
  policyDocument?: Maybe<unknown>;
}

export interface DeployNatGateway extends Declared {
  natGatewayId: string;
  subnetId: Ref;
  /** public (default) | private. */
  connectivityType?: Maybe<string>;
}

export interface DeployInternetGateway extends Declared {
  internetGatewayId: string;
  /** The VPCs it is attached to (VPCGatewayAttachment, aws_internet_gateway.vpc_id). */
  attachedVpcIds: Ref[];
  /** An egress-only internet gateway (IPv6). */
  egressOnly?: boolean;
}

export interface DeployTarget {
  Key: Maybe<string>;
  Values: Maybe<Maybe<string>[]>;
}

export interface DeployMaintenanceWindow extends Declared {
  windowId: string;
  name: string;
  schedule: Maybe<string>;
  duration?: Maybe<number>;
  cutoff?: Maybe<number>;
  scheduleTimezone?: Maybe<string>;
  /** ISO 8601: before StartDate and after EndDate the window does not run; ScheduleOffset delays a cron schedule. */
  startDate?: Maybe<string>;
  endDate?: Maybe<string>;
  scheduleOffset?: Maybe<number>;
  enabled?: Maybe<boolean>;
}

export interface DeployMaintenanceWindowTarget extends Declared {
  windowTargetId: string;
  windowId: Ref;
  resourceType: Maybe<string>;
  targets: DeployTarget[];
}

export interface DeployMaintenanceWindowTask extends Declared {
  windowTaskId: string;
  windowId: Ref;
  taskType: Maybe<string>;
  taskArn: Maybe<string>;
  /** WindowTargetIds or tag/instance targets, as the API's Targets list. */
  targets: DeployTarget[];
  /** Run Command parameters (e.g. Operation: [Install]), from TaskInvocationParameters or TaskParameters. */
  parameters: Record<string, Maybe<Maybe<string>[]>>;
  priority?: Maybe<number>;
}

export interface DeployPatchBaseline extends Declared {
  baselineId: string;
  name: string;
  operatingSystem: Maybe<string>;
  /** Patch groups registered with the baseline (PatchGroups, aws_ssm_patch_group). */
  patchGroups: Maybe<string>[];
  /** Approval rules and approved patches as the API's GetPatchBaseline output spells them (passed through). */
  approvalRules?: Maybe<unknown>;
  approvedPatches?: Maybe<string>[];
  defaultBaseline?: boolean;
}

/** A DHMC setting declared for the account and region (Terraform aws_ssm_service_setting). */
export interface DeployServiceSetting extends Declared {
  settingId: string;
  settingValue: Maybe<string>;
}

export interface DeployModel {
  kind: 'cloudformation' | 'terraform';
  inputs: string[];
  /** Placeholders ("123456789012", "us-east-1") unless given or taken from context. */
  accountId: string;
  region: string;
  instances: DeployInstance[];
  roles: DeployRole[];
  instanceProfiles: DeployInstanceProfile[];
  managedPolicies: DeployManagedPolicy[];
  securityGroups: DeploySecurityGroup[];
  vpcs: DeployVpc[];
  subnets: DeploySubnet[];
  routeTables: DeployRouteTable[];
  networkAcls: DeployNetworkAcl[];
  vpcEndpoints: DeployVpcEndpoint[];
  natGateways: DeployNatGateway[];
  internetGateways: DeployInternetGateway[];
  maintenanceWindows: DeployMaintenanceWindow[];
  maintenanceWindowTargets: DeployMaintenanceWindowTarget[];
  maintenanceWindowTasks: DeployMaintenanceWindowTask[];
  patchBaselines: DeployPatchBaseline[];
  serviceSettings: DeployServiceSetting[];
  /**
   * What the source could not place on a property: a whole resource whose type is not read (noted, not judged),
   * a condition it could not evaluate, an intrinsic it does not evaluate. Each becomes a warning of the TemplateFleet.
   */
  notes: DeployNote[];
}

/**
 * What a note changes that the model could not place: a resource that attaches to a target it cannot resolve (an
 * IAM policy whose Roles are unknown, a NACL entry on an ACL of another stack, an Elastic IP on an instance). Rules
 * that read the target then give ERROR "unknown until deployed", not a verdict without it. `resourceId` "*": any
 * resource of the collection (the target is unknown).
 */
export interface NoteAffects {
  collection: string;
  resourceId: string;
  /** The property it changes, for an instance ("associatePublicIpAddress"); absent: the resource as a whole. */
  property?: string;
}

export interface DeployNote {
  address: string;
  message: string;
  location: SourceLocation;
  affects?: NoteAffects[];
}
