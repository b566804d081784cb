// Builds one account+region's EC2 and SSM API outputs (network, security groups, instances, SSM state) in AWS CLI shape.

import type { ApiJson, RegionApiData } from '../collectors/api/api-data.js';
import { cliTimestamp, intToIp, ipToInt, privateDnsName, publicDnsName } from './aws-formats.js';
import type { Random } from './random.js';
import { deriveWindowRunHistory, type RunOutcome } from './window-run-history.js';
import {
  type ApprovalRuleSpec,
  type CustomBaseline,
  defaultCustomRules,
  patchBaselineOutputs,
  PREDEFINED_BASELINES,
} from './patch-baseline-data.js';

/** A VPC created by the builder. */
export interface VpcRef {
  vpcId: string;
  cidr: string;
  defaultSecurityGroup: SecurityGroupRef;
  mainRouteTableId: string;
}

/** A subnet created by the builder; it hands out private addresses in order. */
export interface SubnetRef {
  subnetId: string;
  vpc: VpcRef;
  availabilityZone: string;
  cidr: string;
  /** Next host offset to hand out (AWS reserves the first four addresses). */
  nextHost: number;
  size: number;
}

export interface SecurityGroupRef {
  groupId: string;
  groupName: string;
  vpcId: string;
}

/** One IpPermissions entry, written compactly. `protocol` "-1" means all traffic (no ports). */
export interface PermissionSpec {
  protocol: 'tcp' | 'udp' | 'icmp' | '-1';
  fromPort?: number;
  toPort?: number;
  cidrs?: string[];
  ipv6Cidrs?: string[];
  prefixListIds?: string[];
  groupIds?: string[];
  description?: string;
}

export type RouteSpec =
  | { kind: 'internet-gateway'; gatewayId: string }
  | { kind: 'nat-gateway'; natGatewayId: string; state?: 'active' | 'blackhole' }
  | { kind: 'transit-gateway'; transitGatewayId: string };

export interface NaclEntrySpec {
  ruleNumber: number;
  protocol: string;
  action: 'allow' | 'deny';
  egress: boolean;
  cidr: string;
  ports?: [number, number];
}

export interface InstanceSpec {
  instanceId?: string;
  subnet: SubnetRef;
  securityGroups: SecurityGroupRef[];
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  instanceType: string;
  imageId: string;
  platform: 'linux' | 'windows';
  launchTimeMs: number;
  tags: [string, string][];
  instanceProfile?: { Arn: string; Id: string };
  publicIp?: boolean;
  httpTokens?: 'optional' | 'required';
  httpEndpoint?: 'enabled' | 'disabled';
  hopLimit?: number;
  instanceMetadataTags?: 'enabled' | 'disabled';
  keyName?: string;
  /** Instances launched together share a reservation. */
  reservationId?: string;
  /** When stopped/terminated: when it happened. */
  stateChangeMs?: number;
  volumeSizeGiB?: number;
}

/** What other resources need to know about an instance once built. */
export interface InstanceRef {
  instanceId: string;
  privateIp: string;
  privateDnsName: string;
  publicIp?: string;
  platform: 'linux' | 'windows';
}

export interface InstanceInformationSpec {
  instanceId: string;
  pingStatus: 'Online' | 'ConnectionLost';
  lastPingMs: number;
  agentVersion: string;
  isLatestVersion: boolean;
  platformType: 'Linux' | 'Windows';
  platformName: string;
  platformVersion: string;
  ipAddress: string;
  computerName: string;
  /** Hybrid (activation-registered) nodes only. */
  hybrid?: { activationId: string; iamRole: string; registrationMs: number; name: string };
  associationStatus?: 'Success' | 'Failed' | 'Pending';
  lastAssociationMs?: number;
}

/** The latest patch operation of a managed node; counts left out are 0. */
export interface PatchStateSpec {
  instanceId: string;
  patchGroup: string;
  baselineId: string;
  operation: 'Scan' | 'Install';
  endMs: number;
  rebootOption?: 'RebootIfNeeded' | 'NoReboot';
  installed?: number;
  installedPendingReboot?: number;
  missing?: number;
  failed?: number;
  notApplicable?: number;
  criticalNonCompliant?: number;
  securityNonCompliant?: number;
}

export interface ActivationSpec {
  activationId?: string;
  description: string;
  defaultInstanceName: string;
  iamRole: string;
  registrationLimit: number;
  registrationsCount: number;
  createdMs: number;
  expirationMs: number;
}

export interface WindowTargetSpec {
  name: string;
  key: string;
  values: string[];
}

export interface WindowTaskSpec {
  name: string;
  taskArn: string;
  /** Indices into the window's targets; or explicit instance ids (targets the task directly). */
  targetIndices?: number[];
  instanceIds?: string[];
  priority: number;
  operation?: 'Install' | 'Scan';
  /**
   * How the task was registered: with the legacy TaskParameters (DescribeMaintenanceWindowTasks shows the
   * Operation) or with TaskInvocationParameters (only GetMaintenanceWindowTask shows it), as the console does.
   */
  registeredWith?: 'TaskParameters' | 'TaskInvocationParameters';
  /** The role the task runs as; absent: the Systems Manager service-linked role. */
  serviceRoleArn?: string;
}

export interface MaintenanceWindowSpec {
  windowId?: string;
  name: string;
  description?: string;
  schedule: string;
  enabled?: boolean;
  durationHours: number;
  cutoffHours: number;
  nextExecution?: string;
  targets: WindowTargetSpec[];
  tasks: WindowTaskSpec[];
}

const STATE_CODES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

function cidrSize(cidr: string): number {
  const bits = Number(cidr.split('/')[1] ?? '32');
  return 2 ** (32 - bits);
}

function permission(spec: PermissionSpec): ApiJson {
  const out: ApiJson = { IpProtocol: spec.protocol };
  if (spec.protocol !== '-1') {
    out.FromPort = spec.fromPort ?? 0;
    out.ToPort = spec.toPort ?? spec.fromPort ?? 65535;
  }
  out.IpRanges = (spec.cidrs ?? []).map((CidrIp) =>
    spec.description === undefined ? { CidrIp } : { CidrIp, Description: spec.description },
  );
  out.Ipv6Ranges = (spec.ipv6Cidrs ?? []).map((CidrIpv6) =>
    spec.description === undefined ? { CidrIpv6 } : { CidrIpv6, Description: spec.description },
  );
  out.PrefixListIds = (spec.prefixListIds ?? []).map((PrefixListId) => ({ PrefixListId }));
  out.UserIdGroupPairs = [];
  return out;
}

function tagList(tags: readonly (readonly [string, string])[]): ApiJson[] {
  return tags.map(([Key, Value]) => ({ Key, Value }));
}

/** The AWS default baselines the synthetic fleets fall back to, per operating system (ids as SSM prints them). */
export const DEFAULT_BASELINES: Record<'WINDOWS' | 'AMAZON_LINUX_2023', string> = {
  WINDOWS: predefinedBaselineId('WINDOWS'),
  AMAZON_LINUX_2023: predefinedBaselineId('AMAZON_LINUX_2023'),
};

function predefinedBaselineId(operatingSystem: string): string {
  const baseline = PREDEFINED_BASELINES.find((b) => b.operatingSystem === operatingSystem);
  if (baseline === undefined) throw new Error(`no predefined baseline for ${operatingSystem}`);
  return baseline.id;
}

/** Accumulates one account+region and prints each API's merged output. */
export class RegionBuilder {
  private readonly reservations = new Map<string, ApiJson>();
  private readonly securityGroups: ApiJson[] = [];
  private readonly securityGroupsById = new Map<string, ApiJson>();
  private readonly vpcs: ApiJson[] = [];
  private readonly vpcAttributes: ApiJson[] = [];
  private readonly subnets: { json: ApiJson; ref: SubnetRef }[] = [];
  private readonly routeTables = new Map<string, ApiJson>();
  private readonly networkAcls: { json: ApiJson; vpcId: string; subnetIds: string[]; isDefault: boolean }[] =
    [];
  private readonly customNaclSubnets = new Set<string>();
  private readonly vpcEndpoints: ApiJson[] = [];
  private readonly instanceInformation: ApiJson[] = [];
  private readonly activations: ApiJson[] = [];
  private readonly windows: ApiJson[] = [];
  private readonly windowTargets: ApiJson[] = [];
  private readonly windowTasks: ApiJson[] = [];
  private readonly windowTaskDetails: ApiJson[] = [];
  private readonly patchGroups: ApiJson[] = [];
  private readonly baselineRegistrations: { patchGroup: string; baseline: CustomBaseline }[] = [];
  private readonly patchStates: ApiJson[] = [];
  private readonly patchStateOverrides = new Map<string, Partial<PatchStateSpec> | null>();
  private readonly runOutcomes = new Map<string, RunOutcome>();
  private readonly instanceFacts = new Map<string, { patchGroup: string; windows: boolean }>();
  private serviceSetting: ApiJson | undefined;
  private publicIpCounter = 0;
  private readonly azIds: Map<string, string>;

  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly random: Random,
    /** A creation time for infrastructure (VPCs, SGs, endpoints). */
    private readonly infrastructureCreatedMs: number,
  ) {
    const zoneIdPrefix = region === 'us-east-1' ? 'use1' : region.replace(/^(\w)\w*-(\w)\w*-(\d)$/, '$1$2$3');
    this.azIds = new Map(
      ['a', 'b', 'c', 'd'].map((letter, i) => [`${region}${letter}`, `${zoneIdPrefix}-az${i + 1}`]),
    );
  }

  /** A fresh EC2 id: `<prefix>-` and 17 hex digits. */
  id(prefix: string): string {
    return `${prefix}-0${this.random.hex(16)}`;
  }

  /** The region's availability zones the builder uses (a, b, c). */
  zones(): string[] {
    return [`${this.region}a`, `${this.region}b`, `${this.region}c`];
  }

  addVpc(spec: {
    name: string;
    cidr: string;
    dnsSupport?: boolean;
    dnsHostnames?: boolean;
    vpcId?: string;
  }): VpcRef {
    const vpcId = spec.vpcId ?? this.id('vpc');
    this.vpcs.push({
      OwnerId: this.accountId,
      InstanceTenancy: 'default',
      CidrBlockAssociationSet: [
        {
          AssociationId: this.id('vpc-cidr-assoc'),
          CidrBlock: spec.cidr,
          CidrBlockState: { State: 'associated' },
        },
      ],
      IsDefault: false,
      Tags: tagList([['Name', spec.name]]),
      BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
      VpcId: vpcId,
      State: 'available',
      CidrBlock: spec.cidr,
      DhcpOptionsId: 'dopt-0a1b2c3d4e5f60718',
    });
    this.vpcAttributes.push({ VpcId: vpcId, EnableDnsSupport: { Value: spec.dnsSupport ?? true } });
    this.vpcAttributes.push({ VpcId: vpcId, EnableDnsHostnames: { Value: spec.dnsHostnames ?? true } });

    const defaultGroupId = this.id('sg');
    const defaultGroup: ApiJson = {
      GroupId: defaultGroupId,
      IpPermissionsEgress: [permission({ protocol: '-1', cidrs: ['0.0.0.0/0'] })],
      VpcId: vpcId,
      SecurityGroupArn: `arn:aws:ec2:${this.region}:${this.accountId}:security-group/${defaultGroupId}`,
      OwnerId: this.accountId,
      GroupName: 'default',
      Description: 'default VPC security group',
      IpPermissions: [
        {
          IpProtocol: '-1',
          IpRanges: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [{ UserId: this.accountId, GroupId: defaultGroupId }],
        },
      ],
    };
    this.securityGroups.push(defaultGroup);
    this.securityGroupsById.set(defaultGroupId, defaultGroup);

    const mainRouteTableId = this.id('rtb');
    this.routeTables.set(mainRouteTableId, {
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: this.id('rtbassoc'),
          RouteTableId: mainRouteTableId,
          AssociationState: { State: 'associated' },
        },
      ],
      PropagatingVgws: [],
      RouteTableId: mainRouteTableId,
      Routes: [
        { DestinationCidrBlock: spec.cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ],
      Tags: [],
      VpcId: vpcId,
      OwnerId: this.accountId,
    });

    // Default NACL: allow everything both ways, then the catch-all deny (rule 32767).
    const naclId = this.id('acl');
    this.networkAcls.push({
      vpcId,
      isDefault: true,
      subnetIds: [],
      json: {
        Associations: [],
        Entries: [
          { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
          { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
          { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
          { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
        ],
        IsDefault: true,
        NetworkAclId: naclId,
        Tags: [],
        VpcId: vpcId,
        OwnerId: this.accountId,
      },
    });

    return {
      vpcId,
      cidr: spec.cidr,
      defaultSecurityGroup: { groupId: defaultGroupId, groupName: 'default', vpcId },
      mainRouteTableId,
    };
  }

  addSubnet(
    vpc: VpcRef,
    spec: {
      name: string;
      cidr: string;
      availabilityZone: string;
      mapPublicIpOnLaunch?: boolean;
      subnetId?: string;
      tags?: [string, string][];
    },
  ): SubnetRef {
    const subnetId = spec.subnetId ?? this.id('subnet');
    const ref: SubnetRef = {
      subnetId,
      vpc,
      availabilityZone: spec.availabilityZone,
      cidr: spec.cidr,
      nextHost: 4,
      size: cidrSize(spec.cidr),
    };
    const json: ApiJson = {
      AvailabilityZoneId: this.azIds.get(spec.availabilityZone) ?? `${this.region}-az1`,
      MapCustomerOwnedIpOnLaunch: false,
      OwnerId: this.accountId,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      Tags: tagList([['Name', spec.name], ...(spec.tags ?? [])]),
      SubnetArn: `arn:aws:ec2:${this.region}:${this.accountId}:subnet/${subnetId}`,
      EnableDns64: false,
      Ipv6Native: false,
      PrivateDnsNameOptionsOnLaunch: {
        HostnameType: 'ip-name',
        EnableResourceNameDnsARecord: false,
        EnableResourceNameDnsAAAARecord: false,
      },
      BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
      SubnetId: subnetId,
      State: 'available',
      VpcId: vpc.vpcId,
      CidrBlock: spec.cidr,
      AvailableIpAddressCount: 0,
      AvailabilityZone: spec.availabilityZone,
      DefaultForAz: false,
      MapPublicIpOnLaunch: spec.mapPublicIpOnLaunch ?? false,
    };
    this.subnets.push({ json, ref });
    return ref;
  }

  /** Hands out the next private address of a subnet. */
  allocateIp(subnet: SubnetRef): string {
    if (subnet.nextHost >= subnet.size - 1) throw new RangeError(`subnet ${subnet.cidr} is full`);
    const base = ipToInt(subnet.cidr.split('/')[0] ?? '0.0.0.0');
    return intToIp(base + subnet.nextHost++);
  }

  private allocatePublicIp(): string {
    // An odd multiplier modulo 2^21 is a bijection, so addresses never repeat within a region.
    const offset = (Math.imul(++this.publicIpCounter, 0x9e3779b1) >>> 0) % 2 ** 21;
    return intToIp(ipToInt('54.160.0.0') + offset);
  }

  /** A route table with the local route plus `routes`, explicitly associated with `subnets`. */
  addRouteTable(vpc: VpcRef, spec: { name: string; routes: RouteSpec[]; subnets: SubnetRef[] }): string {
    const routeTableId = this.id('rtb');
    const routes: ApiJson[] = [
      { DestinationCidrBlock: vpc.cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
    ];
    for (const route of spec.routes) {
      if (route.kind === 'internet-gateway') {
        routes.push({
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: route.gatewayId,
          Origin: 'CreateRoute',
          State: 'active',
        });
      } else if (route.kind === 'nat-gateway') {
        routes.push({
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: route.natGatewayId,
          Origin: 'CreateRoute',
          State: route.state ?? 'active',
        });
      } else {
        routes.push({
          DestinationCidrBlock: '0.0.0.0/0',
          TransitGatewayId: route.transitGatewayId,
          Origin: 'CreateRoute',
          State: 'active',
        });
      }
    }
    this.routeTables.set(routeTableId, {
      Associations: spec.subnets.map((subnet) => ({
        Main: false,
        RouteTableAssociationId: this.id('rtbassoc'),
        RouteTableId: routeTableId,
        SubnetId: subnet.subnetId,
        AssociationState: { State: 'associated' },
      })),
      PropagatingVgws: [],
      RouteTableId: routeTableId,
      Routes: routes,
      Tags: tagList([['Name', spec.name]]),
      VpcId: vpc.vpcId,
      OwnerId: this.accountId,
    });
    return routeTableId;
  }

  /** A custom NACL associated with `subnets` (they leave the VPC's default NACL). */
  addNetworkAcl(vpc: VpcRef, spec: { name: string; entries: NaclEntrySpec[]; subnets: SubnetRef[] }): string {
    const naclId = this.id('acl');
    const entries = [...spec.entries]
      .sort((a, b) => Number(b.egress) - Number(a.egress) || a.ruleNumber - b.ruleNumber)
      .map((e) => {
        const entry: ApiJson = { CidrBlock: e.cidr, Egress: e.egress, Protocol: e.protocol };
        if (e.ports !== undefined) entry.PortRange = { From: e.ports[0], To: e.ports[1] };
        entry.RuleAction = e.action;
        entry.RuleNumber = e.ruleNumber;
        return entry;
      });
    entries.splice(entries.filter((e) => e.Egress === true).length, 0, {
      CidrBlock: '0.0.0.0/0',
      Egress: true,
      Protocol: '-1',
      RuleAction: 'deny',
      RuleNumber: 32767,
    });
    entries.push({
      CidrBlock: '0.0.0.0/0',
      Egress: false,
      Protocol: '-1',
      RuleAction: 'deny',
      RuleNumber: 32767,
    });
    for (const subnet of spec.subnets) this.customNaclSubnets.add(subnet.subnetId);
    this.networkAcls.push({
      vpcId: vpc.vpcId,
      isDefault: false,
      subnetIds: spec.subnets.map((s) => s.subnetId),
      json: {
        Associations: [],
        Entries: entries,
        IsDefault: false,
        NetworkAclId: naclId,
        Tags: tagList([['Name', spec.name]]),
        VpcId: vpc.vpcId,
        OwnerId: this.accountId,
      },
    });
    return naclId;
  }

  addSecurityGroup(
    vpc: VpcRef,
    spec: {
      name: string;
      description: string;
      ingress: PermissionSpec[];
      egress?: PermissionSpec[];
      groupId?: string;
    },
  ): SecurityGroupRef {
    const groupId = spec.groupId ?? this.id('sg');
    const egress = spec.egress ?? [{ protocol: '-1', cidrs: ['0.0.0.0/0'] }];
    const json: ApiJson = {
      GroupId: groupId,
      IpPermissionsEgress: egress.map(permission),
      Tags: tagList([['Name', spec.name]]),
      VpcId: vpc.vpcId,
      SecurityGroupArn: `arn:aws:ec2:${this.region}:${this.accountId}:security-group/${groupId}`,
      OwnerId: this.accountId,
      GroupName: spec.name,
      Description: spec.description,
      IpPermissions: spec.ingress.map(permission),
    };
    // Group references need the owner account, so fill them in here.
    for (const [list, specs] of [
      [json.IpPermissions, spec.ingress],
      [json.IpPermissionsEgress, egress],
    ] as const) {
      (list as ApiJson[]).forEach((perm, i) => {
        perm.UserIdGroupPairs = (specs[i]?.groupIds ?? []).map((id) => ({
          UserId: this.accountId,
          GroupId: id,
        }));
      });
    }
    this.securityGroups.push(json);
    this.securityGroupsById.set(groupId, json);
    return { groupId, groupName: spec.name, vpcId: vpc.vpcId };
  }

  /** An interface endpoint (ENI per subnet, optional private DNS) or a gateway endpoint (routes added to its tables). */
  addVpcEndpoint(
    vpc: VpcRef,
    spec:
      | {
          type: 'Interface';
          service: string;
          subnets: SubnetRef[];
          groups: SecurityGroupRef[];
          privateDns: boolean;
        }
      | { type: 'Gateway'; service: string; routeTableIds: string[]; prefixListId: string; policy?: string },
  ): string {
    const endpointId = this.id('vpce');
    const serviceName = `com.amazonaws.${this.region}.${spec.service}`;
    const created = cliTimestamp(this.infrastructureCreatedMs + 86_400_000);
    const policy =
      '{\n  "Version" : "2008-10-17",\n  "Statement" : [ {\n    "Effect" : "Allow",\n    "Principal" : "*",\n    "Action" : "*",\n    "Resource" : "*"\n  } ]\n}';
    if (spec.type === 'Gateway') {
      const gatewayPolicy = spec.policy ?? policy;
      for (const routeTableId of spec.routeTableIds) {
        const table = this.routeTables.get(routeTableId);
        (table?.Routes as ApiJson[] | undefined)?.push({
          DestinationPrefixListId: spec.prefixListId,
          GatewayId: endpointId,
          Origin: 'CreateRoute',
          State: 'active',
        });
      }
      this.vpcEndpoints.push({
        VpcEndpointId: endpointId,
        VpcEndpointType: 'Gateway',
        VpcId: vpc.vpcId,
        ServiceName: serviceName,
        State: 'available',
        PolicyDocument: gatewayPolicy,
        RouteTableIds: [...spec.routeTableIds],
        SubnetIds: [],
        Groups: [],
        PrivateDnsEnabled: false,
        RequesterManaged: false,
        NetworkInterfaceIds: [],
        DnsEntries: [],
        CreationTimestamp: created,
        Tags: [],
        OwnerId: this.accountId,
      });
      return endpointId;
    }
    const dnsSuffix = `${spec.service}.${this.region}.vpce.amazonaws.com`;
    const zoneTag = this.random.hex(8);
    const dnsEntries: ApiJson[] = [
      { DnsName: `${endpointId}-${zoneTag}.${dnsSuffix}`, HostedZoneId: 'Z7HUB22UULQXV' },
      ...spec.subnets.map((s) => ({
        DnsName: `${endpointId}-${zoneTag}-${s.availabilityZone}.${dnsSuffix}`,
        HostedZoneId: 'Z7HUB22UULQXV',
      })),
    ];
    if (spec.privateDns) {
      dnsEntries.push({
        DnsName: `${spec.service}.${this.region}.amazonaws.com`,
        HostedZoneId: `Z${this.random.upperAlnum(20)}`,
      });
    }
    const eniIds = spec.subnets.map((subnet) => {
      this.allocateIp(subnet);
      return this.id('eni');
    });
    this.vpcEndpoints.push({
      VpcEndpointId: endpointId,
      VpcEndpointType: 'Interface',
      VpcId: vpc.vpcId,
      ServiceName: serviceName,
      State: 'available',
      PolicyDocument: policy,
      RouteTableIds: [],
      SubnetIds: spec.subnets.map((s) => s.subnetId),
      Groups: spec.groups.map((g) => ({ GroupId: g.groupId, GroupName: g.groupName })),
      IpAddressType: 'ipv4',
      DnsOptions: { DnsRecordIpType: 'ipv4' },
      PrivateDnsEnabled: spec.privateDns,
      RequesterManaged: false,
      NetworkInterfaceIds: eniIds,
      DnsEntries: dnsEntries,
      CreationTimestamp: created,
      Tags: [],
      OwnerId: this.accountId,
    });
    return endpointId;
  }

  /** Adds an instance to DescribeInstances (grouped into its reservation). */
  addInstance(spec: InstanceSpec): InstanceRef {
    const instanceId = spec.instanceId ?? this.id('i');
    const terminated = spec.state === 'terminated';
    const privateIp = this.allocateIp(spec.subnet);
    const privateDns = privateDnsName(privateIp, this.region);
    const hasPublicIp =
      spec.publicIp === true &&
      (spec.state === 'running' || spec.state === 'stopping' || spec.state === 'pending');
    const publicIp = hasPublicIp ? this.allocatePublicIp() : undefined;
    const launchTime = cliTimestamp(spec.launchTimeMs);
    const windows = spec.platform === 'windows';
    const groups = spec.securityGroups.map((g) => ({ GroupId: g.groupId, GroupName: g.groupName }));
    const eniId = this.id('eni');
    const mac = `0e:${this.random.hex(10).replace(/(..)(?!$)/g, '$1:')}`;
    const association =
      publicIp === undefined
        ? undefined
        : { IpOwnerId: 'amazon', PublicDnsName: publicDnsName(publicIp, this.region), PublicIp: publicIp };
    const stateChange = spec.stateChangeMs ?? spec.launchTimeMs;
    const stateChangeText = new Date(stateChange).toISOString().replace('T', ' ').slice(0, 19);

    const instance: ApiJson = {
      Architecture:
        spec.instanceType.startsWith('m7g') || spec.instanceType.startsWith('t4g') ? 'arm64' : 'x86_64',
      BlockDeviceMappings: terminated
        ? []
        : [
            {
              DeviceName: windows ? '/dev/sda1' : '/dev/xvda',
              Ebs: {
                AttachTime: launchTime,
                DeleteOnTermination: true,
                Status: 'attached',
                VolumeId: this.id('vol'),
              },
            },
          ],
      ClientToken: this.random.uuid(),
      EbsOptimized: true,
      EnaSupport: true,
      Hypervisor: 'xen',
    };
    if (spec.instanceProfile !== undefined && !terminated)
      instance.IamInstanceProfile = { ...spec.instanceProfile };
    instance.NetworkInterfaces = terminated
      ? []
      : [
          {
            ...(association === undefined ? {} : { Association: association }),
            Attachment: {
              AttachTime: launchTime,
              AttachmentId: this.id('eni-attach'),
              DeleteOnTermination: true,
              DeviceIndex: 0,
              Status: spec.state === 'pending' ? 'attaching' : 'attached',
              NetworkCardIndex: 0,
            },
            Description: '',
            Groups: groups,
            Ipv6Addresses: [],
            MacAddress: mac,
            NetworkInterfaceId: eniId,
            OwnerId: this.accountId,
            PrivateDnsName: privateDns,
            PrivateIpAddress: privateIp,
            PrivateIpAddresses: [
              {
                ...(association === undefined ? {} : { Association: association }),
                Primary: true,
                PrivateDnsName: privateDns,
                PrivateIpAddress: privateIp,
              },
            ],
            SourceDestCheck: true,
            Status: 'in-use',
            SubnetId: spec.subnet.subnetId,
            VpcId: spec.subnet.vpc.vpcId,
            InterfaceType: 'interface',
            Operator: { Managed: false },
          },
        ];
    instance.RootDeviceName = windows ? '/dev/sda1' : '/dev/xvda';
    instance.RootDeviceType = 'ebs';
    instance.SecurityGroups = terminated ? [] : groups;
    instance.SourceDestCheck = true;
    if (
      spec.state === 'stopped' ||
      spec.state === 'stopping' ||
      terminated ||
      spec.state === 'shutting-down'
    ) {
      instance.StateReason = {
        Code: 'Client.UserInitiatedShutdown',
        Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
      };
    } else if (spec.state === 'pending') {
      instance.StateReason = { Code: 'pending', Message: 'pending' };
    }
    instance.Tags = tagList(spec.tags);
    instance.VirtualizationType = 'hvm';
    instance.CpuOptions = { CoreCount: 1, ThreadsPerCore: 2 };
    instance.CapacityReservationSpecification = { CapacityReservationPreference: 'open' };
    instance.HibernationOptions = { Configured: false };
    instance.MetadataOptions = {
      State: 'applied',
      HttpTokens: spec.httpTokens ?? 'required',
      HttpPutResponseHopLimit: spec.hopLimit ?? 2,
      HttpEndpoint: spec.httpEndpoint ?? 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: spec.instanceMetadataTags ?? 'disabled',
    };
    instance.EnclaveOptions = { Enabled: false };
    if (!windows) instance.BootMode = 'uefi-preferred';
    instance.PlatformDetails = windows ? 'Windows' : 'Linux/UNIX';
    instance.UsageOperation = windows ? 'RunInstances:0002' : 'RunInstances';
    instance.UsageOperationUpdateTime = launchTime;
    instance.PrivateDnsNameOptions = {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    };
    instance.MaintenanceOptions = { AutoRecovery: 'default', RebootMigration: 'default' };
    instance.CurrentInstanceBootMode = windows ? 'legacy-bios' : 'uefi';
    instance.NetworkPerformanceOptions = { BandwidthWeighting: 'default' };
    instance.Operator = { Managed: false };
    instance.InstanceId = instanceId;
    instance.ImageId = spec.imageId;
    instance.State = { Code: STATE_CODES[spec.state], Name: spec.state };
    instance.PrivateDnsName = terminated ? '' : privateDns;
    instance.PublicDnsName = association?.PublicDnsName ?? '';
    instance.StateTransitionReason =
      spec.state === 'running' || spec.state === 'pending' ? '' : `User initiated (${stateChangeText} GMT)`;
    if (spec.keyName !== undefined) instance.KeyName = spec.keyName;
    instance.AmiLaunchIndex = 0;
    instance.ProductCodes = [];
    instance.InstanceType = spec.instanceType;
    instance.LaunchTime = launchTime;
    instance.Placement = {
      GroupName: '',
      Tenancy: 'default',
      AvailabilityZone: spec.subnet.availabilityZone,
    };
    if (windows) instance.Platform = 'windows';
    instance.Monitoring = { State: 'disabled' };
    if (!terminated) {
      instance.SubnetId = spec.subnet.subnetId;
      instance.VpcId = spec.subnet.vpc.vpcId;
      instance.PrivateIpAddress = privateIp;
    }
    if (publicIp !== undefined) instance.PublicIpAddress = publicIp;

    const reservationId = spec.reservationId ?? this.id('r');
    let reservation = this.reservations.get(reservationId);
    if (reservation === undefined) {
      reservation = { ReservationId: reservationId, OwnerId: this.accountId, Groups: [], Instances: [] };
      this.reservations.set(reservationId, reservation);
    }
    (reservation.Instances as ApiJson[]).push(instance);
    const group = spec.tags.find(([key]) => key === 'PatchGroup' || key === 'Patch Group');
    this.instanceFacts.set(instanceId, { patchGroup: group?.[1] ?? '', windows });
    return publicIp === undefined
      ? { instanceId, privateIp, privateDnsName: privateDns, platform: spec.platform }
      : { instanceId, privateIp, privateDnsName: privateDns, publicIp, platform: spec.platform };
  }

  /** Adds a DescribeInstanceInformation entry (EC2 node, or a hybrid `mi-` node when `hybrid` is set). */
  addInstanceInformation(spec: InstanceInformationSpec): void {
    const entry: ApiJson = {
      InstanceId: spec.instanceId,
      PingStatus: spec.pingStatus,
      LastPingDateTime: cliTimestamp(spec.lastPingMs),
      AgentVersion: spec.agentVersion,
      IsLatestVersion: spec.isLatestVersion,
      PlatformType: spec.platformType,
      PlatformName: spec.platformName,
      PlatformVersion: spec.platformVersion,
    };
    if (spec.hybrid !== undefined) {
      entry.ActivationId = spec.hybrid.activationId;
      entry.IamRole = spec.hybrid.iamRole;
      entry.RegistrationDate = cliTimestamp(spec.hybrid.registrationMs);
    }
    entry.ResourceType = spec.hybrid === undefined ? 'EC2Instance' : 'ManagedInstance';
    if (spec.hybrid !== undefined) entry.Name = spec.hybrid.name;
    entry.IPAddress = spec.ipAddress;
    entry.ComputerName = spec.computerName;
    const association = spec.associationStatus ?? 'Success';
    const lastAssociation = cliTimestamp(spec.lastAssociationMs ?? spec.lastPingMs - 3_600_000);
    entry.AssociationStatus = association;
    entry.LastAssociationExecutionDate = lastAssociation;
    // A failed last run means the last success was earlier (a day before, for the synthetic data).
    entry.LastSuccessfulAssociationExecutionDate =
      association === 'Failed'
        ? cliTimestamp((spec.lastAssociationMs ?? spec.lastPingMs) - 86_400_000)
        : lastAssociation;
    entry.AssociationOverview = {
      DetailedStatus: association,
      InstanceAssociationStatusAggregatedCount: { [association]: 1 },
    };
    entry.SourceId = spec.instanceId;
    entry.SourceType = spec.hybrid === undefined ? 'AWS::EC2::Instance' : 'AWS::SSM::ManagedInstance';
    this.instanceInformation.push(entry);
  }

  addActivation(spec: ActivationSpec, collectedMs: number): string {
    const activationId = spec.activationId ?? this.random.uuid();
    this.activations.push({
      ActivationId: activationId,
      Description: spec.description,
      DefaultInstanceName: spec.defaultInstanceName,
      IamRole: spec.iamRole,
      RegistrationLimit: spec.registrationLimit,
      RegistrationsCount: spec.registrationsCount,
      ExpirationDate: cliTimestamp(spec.expirationMs),
      Expired: spec.expirationMs <= collectedMs,
      CreatedDate: cliTimestamp(spec.createdMs),
      Tags: [],
    });
    return activationId;
  }

  /** A maintenance window with its targets and tasks (DescribeMaintenanceWindows + one Targets/Tasks response each). */
  addMaintenanceWindow(spec: MaintenanceWindowSpec): { windowId: string; windowTargetIds: string[] } {
    const windowId = spec.windowId ?? `mw-0${this.random.hex(16)}`;
    const window: ApiJson = {
      WindowId: windowId,
      Name: spec.name,
      Enabled: spec.enabled ?? true,
      Duration: spec.durationHours,
      Cutoff: spec.cutoffHours,
      Schedule: spec.schedule,
      ScheduleTimezone: 'UTC',
    };
    if (spec.description !== undefined) window.Description = spec.description;
    if (spec.nextExecution !== undefined && (spec.enabled ?? true))
      window.NextExecutionTime = spec.nextExecution;
    this.windows.push(window);
    const windowTargetIds = spec.targets.map(() => this.random.uuid());
    this.windowTargets.push({
      Targets: spec.targets.map((t, i) => ({
        WindowId: windowId,
        WindowTargetId: windowTargetIds[i],
        ResourceType: 'INSTANCE',
        Targets: [{ Key: t.key, Values: [...t.values] }],
        Name: t.name,
      })),
    });
    this.windowTasks.push({
      Tasks: spec.tasks.map((task) => {
        const targets =
          task.instanceIds !== undefined
            ? [{ Key: 'InstanceIds', Values: [...task.instanceIds] }]
            : [
                {
                  Key: 'WindowTargetIds',
                  Values: (task.targetIndices ?? []).map((i) => windowTargetIds[i] ?? ''),
                },
              ];
        const out: ApiJson = {
          WindowId: windowId,
          WindowTaskId: this.random.uuid(),
          TaskArn: task.taskArn,
          Type: 'RUN_COMMAND',
          Targets: targets,
          TaskParameters: {},
          Priority: task.priority,
          MaxConcurrency: '10%',
          MaxErrors: '5%',
          Name: task.name,
          CutoffBehavior: 'CONTINUE_TASK',
        };
        if (task.serviceRoleArn !== undefined) out.ServiceRoleArn = task.serviceRoleArn;
        const invocation = task.registeredWith === 'TaskInvocationParameters';
        if (task.operation !== undefined && !invocation) {
          out.TaskParameters = { Operation: { Values: [task.operation] } };
        }
        // A task DescribeMaintenanceWindowTasks shows without parameters is read once more, with
        // GetMaintenanceWindowTask (what a collector does): its output, with the invocation parameters.
        if (Object.keys(out.TaskParameters as ApiJson).length === 0)
          this.windowTaskDetails.push(windowTaskDetail(out, invocation ? task.operation : undefined));
        return out;
      }),
    });
    return { windowId, windowTargetIds };
  }

  /** Registers a patch group with a custom baseline (approving what `rules` say, else `defaultCustomRules`). */
  addPatchGroup(
    patchGroup: string,
    baseline: {
      id: string;
      name: string;
      operatingSystem: string;
      description: string;
      isDefault: boolean;
      rules?: ApprovalRuleSpec[];
    },
  ): void {
    this.baselineRegistrations.push({
      patchGroup,
      baseline: { ...baseline, rules: baseline.rules ?? defaultCustomRules(baseline.operatingSystem) },
    });
    this.patchGroups.push({
      PatchGroup: patchGroup,
      BaselineIdentity: {
        BaselineId: baseline.id,
        BaselineName: baseline.name,
        OperatingSystem: baseline.operatingSystem,
        BaselineDescription: baseline.description,
        DefaultBaseline: baseline.isDefault,
      },
    });
  }

  /**
   * Changes the patch state `build()` derives for a managed EC2 node (`null`: the node has none). Without an
   * override, every EC2 node reports an Install by its patch group's baseline for its OS (else the OS default)
   * that ended five days before its last ping, with 42 patches installed: derived, so no randomness is drawn.
   */
  overridePatchState(instanceId: string, override: Partial<PatchStateSpec> | null): void {
    this.patchStateOverrides.set(instanceId, override);
  }

  /**
   * Makes the instance's invocation of the patch task in the derived window run history end otherwise than in
   * SUCCESS (see deriveWindowRunHistory: one run per window, a week before its next execution).
   */
  overrideRunOutcome(instanceId: string, outcome: RunOutcome): void {
    this.runOutcomes.set(instanceId, outcome);
  }

  private derivePatchStates(): void {
    for (const node of this.instanceInformation) {
      const instanceId = String(node.InstanceId);
      const facts = this.instanceFacts.get(instanceId);
      const override = this.patchStateOverrides.get(instanceId);
      if (!instanceId.startsWith('i-') || facts === undefined || override === null) continue;
      const os = facts.windows ? 'WINDOWS' : 'AMAZON_LINUX_2023';
      const mapping = this.patchGroups.find(
        (m) => m.PatchGroup === facts.patchGroup && (m.BaselineIdentity as ApiJson).OperatingSystem === os,
      );
      const baselineId = mapping
        ? String((mapping.BaselineIdentity as ApiJson).BaselineId)
        : DEFAULT_BASELINES[os];
      this.addInstancePatchState({
        instanceId,
        patchGroup: facts.patchGroup,
        baselineId,
        operation: 'Install',
        endMs: Date.parse(String(node.LastPingDateTime)) - 5 * 86_400_000,
        installed: 42,
        notApplicable: 310,
        ...override,
      });
    }
  }

  /** One DescribeInstancePatchStates entry (the operation took 20 minutes and ended at `endMs`). */
  addInstancePatchState(spec: PatchStateSpec): void {
    const missing = spec.missing ?? 0;
    const failed = spec.failed ?? 0;
    const critical = spec.criticalNonCompliant ?? 0;
    const security = spec.securityNonCompliant ?? 0;
    this.patchStates.push({
      InstanceId: spec.instanceId,
      PatchGroup: spec.patchGroup,
      BaselineId: spec.baselineId,
      SnapshotId: `${spec.instanceId.slice(2, 10)}-0000-4000-8000-${spec.instanceId.slice(-12)}`,
      InstalledCount: spec.installed ?? 0,
      InstalledOtherCount: 0,
      InstalledPendingRebootCount: spec.installedPendingReboot ?? 0,
      InstalledRejectedCount: 0,
      MissingCount: missing,
      FailedCount: failed,
      UnreportedNotApplicableCount: 0,
      NotApplicableCount: spec.notApplicable ?? 0,
      OperationStartTime: cliTimestamp(spec.endMs - 20 * 60_000),
      OperationEndTime: cliTimestamp(spec.endMs),
      Operation: spec.operation,
      RebootOption: spec.rebootOption ?? 'RebootIfNeeded',
      CriticalNonCompliantCount: critical,
      SecurityNonCompliantCount: security,
      OtherNonCompliantCount: Math.max(0, missing + failed - critical - security),
    });
  }

  /** The DHMC service setting: a role name (with optional path), or "$None" when disabled. */
  setDhmc(settingValue: string, lastModifiedMs: number, lastModifiedUser: string): void {
    this.serviceSetting = {
      ServiceSetting: {
        SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
        SettingValue: settingValue,
        LastModifiedDate: cliTimestamp(lastModifiedMs),
        LastModifiedUser: lastModifiedUser,
        ARN: `arn:aws:ssm:${this.region}:${this.accountId}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`,
        Status: settingValue === '$None' ? 'Default' : 'Customized',
      },
    };
  }

  /**
   * The internet and NAT gateways the route tables point at, as DescribeInternetGateways and DescribeNatGateways
   * print them: every internet gateway attached to its table's VPC, every NAT gateway of an active route available
   * and public in the VPC's first subnet that routes to an internet gateway (a blackholed NAT was deleted, so it
   * is not listed). Ids and addresses derive from the NAT's id, so the random stream is not disturbed.
   */
  private gateways(): { internet: ApiJson[]; nat: ApiJson[] } {
    const igwVpc = new Map<string, string>();
    const natVpc = new Map<string, string>();
    const publicSubnetOf = new Map<string, SubnetRef>();
    for (const table of this.routeTables.values()) {
      const vpcId = table.VpcId as string;
      for (const route of table.Routes as ApiJson[]) {
        const gatewayId = route.GatewayId;
        if (typeof gatewayId === 'string' && gatewayId.startsWith('igw-')) {
          igwVpc.set(gatewayId, vpcId);
          for (const association of table.Associations as ApiJson[]) {
            const subnet = this.subnets.find((s) => s.ref.subnetId === association.SubnetId);
            if (subnet && !publicSubnetOf.has(vpcId)) publicSubnetOf.set(vpcId, subnet.ref);
          }
        }
        if (typeof route.NatGatewayId === 'string' && route.State === 'active')
          natVpc.set(route.NatGatewayId, vpcId);
      }
    }
    const internet = [...igwVpc].map(([id, vpcId]) => ({
      Attachments: [{ State: 'available', VpcId: vpcId }],
      InternetGatewayId: id,
      OwnerId: this.accountId,
      Tags: [],
    }));
    const nat: ApiJson[] = [];
    let k = 0;
    for (const [id, vpcId] of natVpc) {
      const subnet = publicSubnetOf.get(vpcId);
      if (!subnet) continue;
      const hex = id.slice(id.indexOf('-') + 1);
      const privateIp = intToIp(ipToInt(subnet.cidr.split('/')[0] ?? '0.0.0.0') + subnet.size - 2 - k++);
      nat.push({
        CreateTime: cliTimestamp(this.infrastructureCreatedMs + 86_400_000),
        NatGatewayAddresses: [
          {
            AllocationId: `eipalloc-${hex}`,
            NetworkInterfaceId: `eni-${hex}`,
            PrivateIp: privateIp,
            PublicIp: this.allocatePublicIp(),
            AssociationId: `eipassoc-${hex}`,
            IsPrimary: true,
            Status: 'succeeded',
          },
        ],
        NatGatewayId: id,
        State: 'available',
        SubnetId: subnet.subnetId,
        VpcId: vpcId,
        Tags: [],
        ConnectivityType: 'public',
      });
    }
    return { internet, nat };
  }

  /** Every API output of this account+region. */
  build(): RegionApiData {
    if (this.patchStates.length === 0) this.derivePatchStates();
    const runs = deriveWindowRunHistory({
      windows: this.windows,
      windowTargets: this.windowTargets,
      windowTasks: this.windowTasks,
      windowTaskDetails: this.windowTaskDetails,
      instances: [...this.reservations.values()].flatMap((r) => r.Instances as ApiJson[]),
      nodes: this.instanceInformation,
      outcomes: this.runOutcomes,
    });
    const gateways = this.gateways();
    for (const { json, ref } of this.subnets) json.AvailableIpAddressCount = ref.size - 1 - ref.nextHost;
    const naclAssociations = this.networkAcls.map((acl) => {
      const subnetIds = acl.isDefault
        ? this.subnets
            .filter((s) => s.ref.vpc.vpcId === acl.vpcId && !this.customNaclSubnets.has(s.ref.subnetId))
            .map((s) => s.ref.subnetId)
        : acl.subnetIds;
      return {
        ...acl.json,
        Associations: subnetIds.map((subnetId) => ({
          NetworkAclAssociationId: `aclassoc-0${this.random.hex(16)}`,
          NetworkAclId: acl.json.NetworkAclId,
          SubnetId: subnetId,
        })),
      };
    });
    return {
      accountId: this.accountId,
      region: this.region,
      DescribeInstances: { Reservations: [...this.reservations.values()] },
      DescribeSecurityGroups: { SecurityGroups: this.securityGroups },
      DescribeVpcs: { Vpcs: this.vpcs },
      DescribeVpcAttribute: this.vpcAttributes,
      DescribeSubnets: { Subnets: this.subnets.map((s) => s.json) },
      DescribeRouteTables: { RouteTables: [...this.routeTables.values()] },
      DescribeNetworkAcls: { NetworkAcls: naclAssociations },
      DescribeVpcEndpoints: { VpcEndpoints: this.vpcEndpoints },
      DescribeNatGateways: { NatGateways: gateways.nat },
      DescribeInternetGateways: { InternetGateways: gateways.internet },
      DescribeEgressOnlyInternetGateways: { EgressOnlyInternetGateways: [] },
      DescribeInstanceInformation: { InstanceInformationList: this.instanceInformation },
      DescribeActivations: { ActivationList: this.activations },
      DescribeMaintenanceWindows: { WindowIdentities: this.windows },
      DescribeMaintenanceWindowTargets: this.windowTargets,
      DescribeMaintenanceWindowTasks: this.windowTasks,
      GetMaintenanceWindowTask: this.windowTaskDetails,
      DescribeMaintenanceWindowExecutions: runs.executions,
      DescribeMaintenanceWindowExecutionTasks: runs.tasks,
      DescribeMaintenanceWindowExecutionTaskInvocations: runs.invocations,
      DescribePatchGroups: { Mappings: this.patchGroups },
      ...patchBaselineOutputs(this.baselineRegistrations, this.infrastructureCreatedMs),
      DescribeInstancePatchStates: { InstancePatchStates: this.patchStates },
      GetServiceSetting: this.serviceSetting ?? {
        ServiceSetting: {
          SettingId: '/ssm/managed-instance/default-ec2-instance-management-role',
          SettingValue: '$None',
          LastModifiedDate: cliTimestamp(this.infrastructureCreatedMs),
          LastModifiedUser: 'System',
          ARN: `arn:aws:ssm:${this.region}:${this.accountId}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`,
          Status: 'Default',
        },
      },
    };
  }
}

/** GetMaintenanceWindowTask output for a task (its Describe entry), with the Operation it was registered with. */
function windowTaskDetail(task: ApiJson, operation: string | undefined): ApiJson {
  return {
    WindowId: task.WindowId,
    WindowTaskId: task.WindowTaskId,
    Targets: task.Targets,
    TaskArn: task.TaskArn,
    ...(task.ServiceRoleArn !== undefined && { ServiceRoleArn: task.ServiceRoleArn }),
    TaskType: task.Type,
    TaskParameters: {},
    TaskInvocationParameters: {
      RunCommand: {
        Parameters:
          operation === undefined ? {} : { Operation: [operation], RebootOption: ['RebootIfNeeded'] },
        TimeoutSeconds: 600,
      },
    },
    Priority: task.Priority,
    MaxConcurrency: task.MaxConcurrency,
    MaxErrors: task.MaxErrors,
    Name: task.Name,
    CutoffBehavior: task.CutoffBehavior,
  };
}
