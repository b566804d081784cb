// The EC2 write operations `ssmguard fix --apply` (and its undo) call, changing the region's data so later
// Describe calls see them, with EC2's error codes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
// The loopback skips transitional states: an association is associated and an endpoint available at once.

import { createHash } from 'node:crypto';
import type { AccountApiData, ApiJson, RegionApiData } from '../../../src/collectors/api/api-data.js';
import { encodeEc2Output } from './ec2-xml-encoder.js';
import { instanceProfileNamed } from './iam-write-service.js';
import { AwsWireError, missingParameter } from './wire-error.js';

export interface Ec2WriteContext {
  operation: string;
  params: URLSearchParams;
  accountId: string;
  region: string;
  data: RegionApiData | undefined;
  account: AccountApiData | undefined;
}

const list = (value: unknown): ApiJson[] => (Array.isArray(value) ? (value as ApiJson[]) : []);
const hash = (seed: string, length = 17): string =>
  createHash('sha1').update(seed).digest('hex').slice(0, length);

/** Association ids per instance, and how many associations each instance has had (a new id each time). */
const associations = new WeakMap<RegionApiData, Map<string, { id: string; count: number }>>();

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw missingParameter('ec2', name);
  return value;
}

function regionData(context: Ec2WriteContext): RegionApiData {
  if (!context.data)
    throw new AwsWireError(
      'UnauthorizedOperation',
      `region ${context.region} is not served by this endpoint`,
      403,
    );
  return context.data;
}

function instances(data: RegionApiData): ApiJson[] {
  return list(data.DescribeInstances.Reservations).flatMap((r) => list(r.Instances));
}

function findInstance(data: RegionApiData, instanceId: string): ApiJson {
  const instance = instances(data).find((i) => i.InstanceId === instanceId);
  if (!instance)
    throw new AwsWireError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  return instance;
}

function associationOf(data: RegionApiData, instance: ApiJson): ApiJson | undefined {
  const profile = instance.IamInstanceProfile as ApiJson | undefined;
  if (!profile) return undefined;
  let byInstance = associations.get(data);
  if (!byInstance) {
    byInstance = new Map();
    associations.set(data, byInstance);
  }
  const instanceId = String(instance.InstanceId);
  let entry = byInstance.get(instanceId);
  if (!entry) {
    entry = { id: `iip-assoc-${hash(`${instanceId}:0`)}`, count: 0 };
    byInstance.set(instanceId, entry);
  }
  return {
    AssociationId: entry.id,
    InstanceId: instanceId,
    IamInstanceProfile: { Arn: profile.Arn, Id: profile.Id },
    State: 'associated',
  };
}

function newAssociation(data: RegionApiData, instanceId: string): void {
  const byInstance = associations.get(data) ?? new Map<string, { id: string; count: number }>();
  associations.set(data, byInstance);
  const count = (byInstance.get(instanceId)?.count ?? 0) + 1;
  byInstance.set(instanceId, { id: `iip-assoc-${hash(`${instanceId}:${count}`)}`, count });
}

/** The profile named by `IamInstanceProfile.Name` or `.Arn`, as IAM holds it. */
function profileParameter(context: Ec2WriteContext): ApiJson {
  const name =
    context.params.get('IamInstanceProfile.Name') ??
    context.params.get('IamInstanceProfile.Arn')?.split('/').pop();
  if (!name) throw missingParameter('ec2', 'IamInstanceProfile');
  const profile = instanceProfileNamed(context.account, name);
  if (!profile) {
    throw new AwsWireError(
      'InvalidParameterValue',
      `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
  }
  return { Arn: profile.Arn, Id: profile.InstanceProfileId };
}

function findAssociation(data: RegionApiData, associationId: string): ApiJson {
  for (const instance of instances(data)) {
    const association = associationOf(data, instance);
    if (association?.AssociationId === associationId) return instance;
  }
  throw new AwsWireError(
    'InvalidAssociationID.NotFound',
    `An association ID ${associationId} does not exist.`,
  );
}

function groups(data: RegionApiData): ApiJson[] {
  if (!Array.isArray(data.DescribeSecurityGroups.SecurityGroups))
    data.DescribeSecurityGroups.SecurityGroups = [];
  return data.DescribeSecurityGroups.SecurityGroups as ApiJson[];
}

function findGroup(data: RegionApiData, groupId: string): ApiJson {
  const group = groups(data).find((g) => g.GroupId === groupId);
  if (!group)
    throw new AwsWireError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
  return group;
}

/** `IpPermissions.N.*` as one-peer permissions (each peer its own entry, as the model normalises them). */
function permissionsParameter(params: URLSearchParams, ownerId: string): ApiJson[] {
  const out: ApiJson[] = [];
  for (let n = 1; params.has(`IpPermissions.${n}.IpProtocol`); n += 1) {
    const at = (name: string) => params.get(`IpPermissions.${n}.${name}`);
    const protocol = at('IpProtocol')!;
    const base: ApiJson = {
      IpProtocol: protocol,
      ...(protocol !== '-1' && at('FromPort') !== null && { FromPort: Number(at('FromPort')) }),
      ...(protocol !== '-1' && at('ToPort') !== null && { ToPort: Number(at('ToPort')) }),
    };
    const peer = (key: string, value: ApiJson): void =>
      void out.push({
        ...base,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
        [key]: [value],
      });
    for (let m = 1; at(`IpRanges.${m}.CidrIp`) !== null; m += 1)
      peer('IpRanges', { CidrIp: at(`IpRanges.${m}.CidrIp`)! });
    for (let m = 1; at(`Ipv6Ranges.${m}.CidrIpv6`) !== null; m += 1)
      peer('Ipv6Ranges', { CidrIpv6: at(`Ipv6Ranges.${m}.CidrIpv6`)! });
    for (let m = 1; at(`Groups.${m}.GroupId`) !== null; m += 1)
      peer('UserIdGroupPairs', { UserId: ownerId, GroupId: at(`Groups.${m}.GroupId`)! });
    for (let m = 1; at(`PrefixListIds.${m}.PrefixListId`) !== null; m += 1)
      peer('PrefixListIds', { PrefixListId: at(`PrefixListIds.${m}.PrefixListId`)! });
  }
  if (out.length === 0) throw missingParameter('ec2', 'IpPermissions');
  return out;
}

const PEERS = [
  ['IpRanges', 'CidrIp'],
  ['Ipv6Ranges', 'CidrIpv6'],
  ['UserIdGroupPairs', 'GroupId'],
  ['PrefixListIds', 'PrefixListId'],
] as const;

/** Where in a group's permissions a one-peer permission is, if anywhere. */
function locate(
  entries: ApiJson[],
  wanted: ApiJson,
): { entry: ApiJson; key: string; index: number } | undefined {
  for (const entry of entries) {
    if (entry.IpProtocol !== wanted.IpProtocol) continue;
    if (wanted.IpProtocol !== '-1' && (entry.FromPort !== wanted.FromPort || entry.ToPort !== wanted.ToPort))
      continue;
    for (const [key, field] of PEERS) {
      const peer = list(wanted[key])[0];
      if (!peer) continue;
      const index = list(entry[key]).findIndex((p) => p[field] === peer[field]);
      if (index >= 0) return { entry, key, index };
    }
  }
  return undefined;
}

function revoke(context: Ec2WriteContext): string {
  const data = regionData(context);
  const group = findGroup(data, required(context.params, 'GroupId'));
  const entries = list(group.IpPermissions);
  const wanted = permissionsParameter(context.params, context.accountId);
  const found = wanted.map((w) => locate(entries, w));
  if (found.some((f) => f === undefined)) {
    throw new AwsWireError(
      'InvalidPermission.NotFound',
      'The specified rule does not exist in this security group.',
    );
  }
  for (const f of found) list(f!.entry[f!.key]).splice(f!.index, 1);
  group.IpPermissions = entries.filter((e) => PEERS.some(([key]) => list(e[key]).length > 0));
  return encodeEc2Output('RevokeSecurityGroupIngressResult', { Return: true });
}

function authorize(context: Ec2WriteContext): string {
  const data = regionData(context);
  const group = findGroup(data, required(context.params, 'GroupId'));
  const entries = list(group.IpPermissions);
  const wanted = permissionsParameter(context.params, context.accountId);
  if (wanted.some((w) => locate(entries, w) !== undefined)) {
    throw new AwsWireError('InvalidPermission.Duplicate', 'the specified rule already exists');
  }
  group.IpPermissions = [...entries, ...wanted];
  return encodeEc2Output('AuthorizeSecurityGroupIngressResult', { Return: true });
}

function createSecurityGroup(context: Ec2WriteContext): string {
  const data = regionData(context);
  const name = required(context.params, 'GroupName');
  const vpcId = required(context.params, 'VpcId');
  if (!list(data.DescribeVpcs.Vpcs).some((v) => v.VpcId === vpcId))
    throw new AwsWireError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  if (groups(data).some((g) => g.VpcId === vpcId && g.GroupName === name)) {
    throw new AwsWireError(
      'InvalidGroup.Duplicate',
      `The security group '${name}' already exists for VPC '${vpcId}'`,
    );
  }
  const groupId = `sg-${hash(`${context.accountId}:${vpcId}:${name}`)}`;
  const arn = `arn:aws:ec2:${context.region}:${context.accountId}:security-group/${groupId}`;
  // A new VPC security group allows all outbound traffic and no inbound traffic.
  groups(data).push({
    GroupId: groupId,
    GroupName: name,
    Description: required(context.params, 'GroupDescription'),
    VpcId: vpcId,
    OwnerId: context.accountId,
    SecurityGroupArn: arn,
    IpPermissions: [],
    IpPermissionsEgress: [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ],
  });
  return encodeEc2Output('CreateSecurityGroupResult', { GroupId: groupId, SecurityGroupArn: arn });
}

function deleteSecurityGroup(context: Ec2WriteContext): string {
  const data = regionData(context);
  const groupId = required(context.params, 'GroupId');
  findGroup(data, groupId);
  const inUse =
    instances(data).some((i) => list(i.SecurityGroups).some((g) => g.GroupId === groupId)) ||
    list(data.DescribeVpcEndpoints.VpcEndpoints).some((e) =>
      list(e.Groups).some((g) => g.GroupId === groupId),
    );
  if (inUse) throw new AwsWireError('DependencyViolation', `resource ${groupId} has a dependent object`);
  data.DescribeSecurityGroups.SecurityGroups = groups(data).filter((g) => g.GroupId !== groupId);
  return encodeEc2Output('DeleteSecurityGroupResult', { Return: true, GroupId: groupId });
}

const indexed = (params: URLSearchParams, prefix: string): string[] =>
  [...params.entries()].filter(([key]) => key.startsWith(`${prefix}.`)).map(([, value]) => value);

function createVpcEndpoint(context: Ec2WriteContext): string {
  const data = regionData(context);
  const { params } = context;
  const vpcId = required(params, 'VpcId');
  const serviceName = required(params, 'ServiceName');
  const privateDns = params.get('PrivateDnsEnabled') === 'true';
  const endpoints = list(data.DescribeVpcEndpoints.VpcEndpoints);
  // Private DNS of one service can be on for only one endpoint per VPC (the private hosted zone).
  if (
    privateDns &&
    endpoints.some((e) => e.VpcId === vpcId && e.ServiceName === serviceName && e.PrivateDnsEnabled === true)
  ) {
    throw new AwsWireError(
      'InvalidParameter',
      `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${serviceName.split('.').slice(3).join('.')}.${context.region}.amazonaws.com in the VPC ${vpcId}`,
    );
  }
  const groupIds = indexed(params, 'SecurityGroupId');
  const endpoint: ApiJson = {
    VpcEndpointId: `vpce-${hash(`${context.accountId}:${vpcId}:${serviceName}:${endpoints.length}`)}`,
    VpcEndpointType: params.get('VpcEndpointType') ?? 'Gateway',
    VpcId: vpcId,
    ServiceName: serviceName,
    State: 'available',
    RouteTableIds: [],
    SubnetIds: indexed(params, 'SubnetId'),
    Groups: groupIds.map((groupId) => ({
      GroupId: groupId,
      GroupName: String(findGroup(data, groupId).GroupName ?? ''),
    })),
    PrivateDnsEnabled: privateDns,
    RequesterManaged: false,
    NetworkInterfaceIds: [],
    DnsEntries: [],
    CreationTimestamp: new Date().toISOString(),
    Tags: [],
    OwnerId: context.accountId,
  };
  data.DescribeVpcEndpoints.VpcEndpoints = [...endpoints, endpoint];
  return encodeEc2Output('CreateVpcEndpointResult', { VpcEndpoint: endpoint });
}

function deleteVpcEndpoints(context: Ec2WriteContext): string {
  const data = regionData(context);
  const ids = new Set(indexed(context.params, 'VpcEndpointId'));
  data.DescribeVpcEndpoints.VpcEndpoints = list(data.DescribeVpcEndpoints.VpcEndpoints).filter(
    (e) => !ids.has(String(e.VpcEndpointId)),
  );
  return encodeEc2Output('DeleteVpcEndpointsResult', {});
}

const HANDLERS: Record<string, (context: Ec2WriteContext) => string> = {
  AssociateIamInstanceProfile(context) {
    const data = regionData(context);
    const instance = findInstance(data, required(context.params, 'InstanceId'));
    const profile = profileParameter(context);
    if (instance.IamInstanceProfile) {
      throw new AwsWireError(
        'IncorrectState',
        `There is an existing association for instance ${String(instance.InstanceId)}`,
      );
    }
    instance.IamInstanceProfile = profile;
    newAssociation(data, String(instance.InstanceId));
    return encodeEc2Output('AssociateIamInstanceProfileResult', {
      IamInstanceProfileAssociation: { ...associationOf(data, instance)!, State: 'associating' },
    });
  },
  ReplaceIamInstanceProfileAssociation(context) {
    const data = regionData(context);
    const instance = findAssociation(data, required(context.params, 'AssociationId'));
    instance.IamInstanceProfile = profileParameter(context);
    newAssociation(data, String(instance.InstanceId));
    return encodeEc2Output('ReplaceIamInstanceProfileAssociationResult', {
      IamInstanceProfileAssociation: { ...associationOf(data, instance)!, State: 'associating' },
    });
  },
  DisassociateIamInstanceProfile(context) {
    const data = regionData(context);
    const instance = findAssociation(data, required(context.params, 'AssociationId'));
    const association = associationOf(data, instance)!;
    delete instance.IamInstanceProfile;
    return encodeEc2Output('DisassociateIamInstanceProfileResult', {
      IamInstanceProfileAssociation: { ...association, State: 'disassociating' },
    });
  },
  DescribeIamInstanceProfileAssociations(context) {
    const data = regionData(context);
    const filters = new Map<string, Set<string>>();
    for (let n = 1; context.params.has(`Filter.${n}.Name`); n += 1) {
      filters.set(
        context.params.get(`Filter.${n}.Name`)!,
        new Set(indexed(context.params, `Filter.${n}.Value`)),
      );
    }
    const ids = new Set(indexed(context.params, 'AssociationId'));
    const all = instances(data)
      .map((i) => associationOf(data, i))
      .filter((a): a is ApiJson => a !== undefined);
    const matching = all.filter(
      (a) =>
        (ids.size === 0 || ids.has(String(a.AssociationId))) &&
        (filters.get('instance-id')?.has(String(a.InstanceId)) ?? true) &&
        (filters.get('state')?.has(String(a.State)) ?? true),
    );
    return encodeEc2Output('DescribeIamInstanceProfileAssociationsResult', {
      IamInstanceProfileAssociations: matching,
    });
  },
  ModifyInstanceMetadataOptions(context) {
    const data = regionData(context);
    const instance = findInstance(data, required(context.params, 'InstanceId'));
    const options = { ...((instance.MetadataOptions as ApiJson | undefined) ?? {}) };
    for (const name of ['HttpEndpoint', 'HttpTokens', 'InstanceMetadataTags', 'HttpProtocolIpv6']) {
      const value = context.params.get(name);
      if (value !== null) options[name] = value;
    }
    instance.MetadataOptions = { ...options, State: 'applied' };
    return encodeEc2Output('ModifyInstanceMetadataOptionsResult', {
      InstanceId: instance.InstanceId,
      InstanceMetadataOptions: { ...options, State: 'pending' },
    });
  },
  RevokeSecurityGroupIngress: revoke,
  AuthorizeSecurityGroupIngress: authorize,
  CreateSecurityGroup: createSecurityGroup,
  DeleteSecurityGroup: deleteSecurityGroup,
  CreateVpcEndpoint: createVpcEndpoint,
  DeleteVpcEndpoints: deleteVpcEndpoints,
};

export function isEc2Write(operation: string): boolean {
  return Object.hasOwn(HANDLERS, operation);
}

/** Runs an EC2 write (or the association read) and returns the XML body inside the response envelope. */
export function handleEc2Write(context: Ec2WriteContext): string {
  return HANDLERS[context.operation]!(context);
}
