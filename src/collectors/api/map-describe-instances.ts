// Maps an EC2 DescribeInstances response (Reservations[].Instances[]) into Ec2Instance models.

import type { Ec2Instance, InstanceState, MetadataOptions, NetworkInterface } from '../../inventory/model.js';
import { tagsFromList } from '../../inventory/tags.js';
import {
  jsonTypeOf,
  MappingContext,
  pushUnique,
  regionFromAvailabilityZone,
  type JsonObject,
  type MapResult,
  type PartialScope,
} from './mapping-context.js';

const STATE_NAMES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
]);

// State.Code's low byte encodes the state; the high byte is internal to EC2 and must be masked off.
const STATE_BY_CODE: Readonly<Record<number, InstanceState>> = {
  0: 'pending',
  16: 'running',
  32: 'shutting-down',
  48: 'terminated',
  64: 'stopping',
  80: 'stopped',
};

/**
 * Maps DescribeInstances. The account comes from each reservation's OwnerId and the region from the
 * instance's availability zone, unless the scope says otherwise. An instance without an id or a readable
 * state is dropped with an issue; the rest of the response still maps.
 */
export function mapDescribeInstances(
  body: unknown,
  scope: PartialScope,
  origin: string,
): MapResult<Ec2Instance> {
  const ctx = new MappingContext(origin, scope);
  const reservations = ctx.responseList(body, 'Reservations');
  if (reservations === undefined) return ctx.result([], false);
  const items: Ec2Instance[] = [];
  for (let r = 0; r < reservations.length; r++) {
    const reservation = reservations[r];
    const rPath = `Reservations[${r}]`;
    if (!ctx.entry(reservation, rPath)) continue;
    const ownerId = ctx.string(reservation.OwnerId, 'OwnerId', rPath);
    // The caller's account (a folder name, a manifest, the live collector) and the reservation disagree: a
    // hand-merged file of several accounts. Judging these instances with the wrong account's IAM and network
    // data could pass them, so they are dropped and the file counts as incomplete (its instances ERROR).
    const expected = ctx.hint.accountId;
    if (ownerId !== undefined && expected !== undefined && ownerId !== expected) {
      ctx.issue(
        'ENTRY_INVALID',
        `${rPath}.OwnerId`,
        `reservation of account ${ownerId} in input for account ${expected} (several accounts mixed in one file?)`,
      );
      continue;
    }
    const instances = reservation.Instances;
    if (!Array.isArray(instances)) {
      ctx.issue('ENTRY_INVALID', `${rPath}.Instances`, `expected an array, got ${jsonTypeOf(instances)}`);
      continue;
    }
    for (let i = 0; i < instances.length; i++) {
      const path = `${rPath}.Instances[${i}]`;
      const raw = instances[i];
      if (!ctx.entry(raw, path)) continue;
      const instance = mapInstance(ctx, raw, path, ownerId);
      if (instance !== undefined) items.push(instance);
    }
  }
  return ctx.result(items);
}

function mapInstance(
  ctx: MappingContext,
  o: JsonObject,
  path: string,
  ownerId: string | undefined,
): Ec2Instance | undefined {
  const instanceId = ctx.requiredString(o.InstanceId, 'InstanceId', path);
  const state = readState(ctx, o, path);
  if (instanceId === undefined || state === undefined) return undefined;

  const placement = ctx.object(o.Placement, 'Placement', path);
  const availabilityZone =
    placement === undefined
      ? undefined
      : ctx.string(placement.AvailabilityZone, 'Placement.AvailabilityZone', path);
  const { accountId, region } = ctx.scope(ownerId, regionFromAvailabilityZone(availabilityZone));

  // Security groups are per ENI; the instance-level list mirrors the primary ENI only, so take the union.
  const securityGroupIds = ctx.fieldList(o.SecurityGroups, 'SecurityGroups', 'GroupId', path);
  const networkInterfaces: NetworkInterface[] = [];
  const ipv6Addresses: string[] = [];
  const enis = ctx.array(o.NetworkInterfaces, 'NetworkInterfaces', path);
  for (let n = 0; n < enis.length; n++) {
    const eniPath = `${path}.NetworkInterfaces[${n}]`;
    const raw = enis[n];
    if (!ctx.entry(raw, eniPath)) continue;
    const eni = mapNetworkInterface(ctx, raw, eniPath);
    if (eni === undefined) continue;
    networkInterfaces.push(eni);
    for (const groupId of eni.securityGroupIds) pushUnique(securityGroupIds, groupId);
    for (const address of eni.ipv6Addresses) pushUnique(ipv6Addresses, address);
  }
  // Older outputs and some SDK shapes carry the primary IPv6 address on the instance itself.
  const primaryIpv6 = ctx.string(o.Ipv6Address, 'Ipv6Address', path);
  if (primaryIpv6 !== undefined) pushUnique(ipv6Addresses, primaryIpv6);

  const profile = ctx.object(o.IamInstanceProfile, 'IamInstanceProfile', path);
  // EC2's Platform is set only for Windows; the model enum says "Windows", real output says "windows".
  const platformRaw = ctx.string(o.Platform, 'Platform', path);
  const instance: Ec2Instance = {
    accountId,
    region,
    instanceId,
    state,
    tags: tagsFromList(o.Tags),
    securityGroupIds,
    ipv6Addresses,
    networkInterfaces,
    platform: platformRaw !== undefined && platformRaw.toLowerCase() === 'windows' ? 'windows' : 'linux',
  };
  const profileArn =
    profile === undefined ? undefined : ctx.string(profile.Arn, 'IamInstanceProfile.Arn', path);
  if (profileArn !== undefined) instance.iamInstanceProfileArn = profileArn;
  setIfString(ctx, instance, 'subnetId', o.SubnetId, 'SubnetId', path);
  setIfString(ctx, instance, 'vpcId', o.VpcId, 'VpcId', path);
  if (availabilityZone !== undefined) instance.availabilityZone = availabilityZone;
  setIfString(ctx, instance, 'privateIpAddress', o.PrivateIpAddress, 'PrivateIpAddress', path);
  setIfString(ctx, instance, 'privateDnsName', o.PrivateDnsName, 'PrivateDnsName', path);
  setIfString(ctx, instance, 'publicIpAddress', o.PublicIpAddress, 'PublicIpAddress', path);
  setIfString(ctx, instance, 'platformDetails', o.PlatformDetails, 'PlatformDetails', path);
  setIfString(ctx, instance, 'imageId', o.ImageId, 'ImageId', path);
  const launchTime = ctx.timestamp(o.LaunchTime, 'LaunchTime', path);
  if (launchTime !== undefined) instance.launchTime = launchTime;
  const metadata = ctx.object(o.MetadataOptions, 'MetadataOptions', path);
  if (metadata !== undefined) instance.metadataOptions = mapMetadataOptions(ctx, metadata, path);
  const sourceDestCheck = ctx.boolean(o.SourceDestCheck, 'SourceDestCheck', path);
  if (sourceDestCheck !== undefined) instance.sourceDestCheck = sourceDestCheck;
  return instance;
}

type InstanceStringField =
  | 'subnetId'
  | 'vpcId'
  | 'privateIpAddress'
  | 'privateDnsName'
  | 'publicIpAddress'
  | 'platformDetails'
  | 'imageId';

/** Sets an optional string field only when present, so absent fields stay absent in the model (and snapshots). */
function setIfString(
  ctx: MappingContext,
  target: Ec2Instance,
  field: InstanceStringField,
  raw: unknown,
  key: string,
  path: string,
): void {
  // EC2 prints "" for PrivateDnsName/PublicDnsName of stopped instances; "" means "none".
  const value = ctx.string(raw, key, path);
  if (value !== undefined && value !== '') target[field] = value;
}

function readState(ctx: MappingContext, o: JsonObject, path: string): InstanceState | undefined {
  const state = ctx.object(o.State, 'State', path);
  if (state !== undefined) {
    const name = state.Name;
    if (typeof name === 'string' && STATE_NAMES.has(name)) return name as InstanceState;
    const code = state.Code;
    if (typeof code === 'number') {
      const byCode = STATE_BY_CODE[code & 0xff];
      if (byCode !== undefined) return byCode;
    }
  }
  ctx.issue('ENTRY_INVALID', `${path}.State`, 'expected State with a known Name or Code');
  return undefined;
}

function mapNetworkInterface(ctx: MappingContext, o: JsonObject, path: string): NetworkInterface | undefined {
  const networkInterfaceId = ctx.string(o.NetworkInterfaceId, 'NetworkInterfaceId', path);
  if (networkInterfaceId === undefined) {
    ctx.issue('FIELD_INVALID', `${path}.NetworkInterfaceId`, 'missing NetworkInterfaceId; interface ignored');
    return undefined;
  }
  const privateIpAddresses = ctx.fieldList(
    o.PrivateIpAddresses,
    'PrivateIpAddresses',
    'PrivateIpAddress',
    path,
  );
  const primary = ctx.string(o.PrivateIpAddress, 'PrivateIpAddress', path);
  if (primary !== undefined) pushUnique(privateIpAddresses, primary);
  const eni: NetworkInterface = {
    networkInterfaceId,
    securityGroupIds: ctx.fieldList(o.Groups, 'Groups', 'GroupId', path),
    privateIpAddresses,
    ipv6Addresses: ctx.fieldList(o.Ipv6Addresses, 'Ipv6Addresses', 'Ipv6Address', path),
  };
  const subnetId = ctx.string(o.SubnetId, 'SubnetId', path);
  if (subnetId !== undefined) eni.subnetId = subnetId;
  const vpcId = ctx.string(o.VpcId, 'VpcId', path);
  if (vpcId !== undefined) eni.vpcId = vpcId;
  const attachment = ctx.object(o.Attachment, 'Attachment', path);
  const deviceIndex =
    attachment === undefined ? undefined : ctx.number(attachment.DeviceIndex, 'Attachment.DeviceIndex', path);
  if (deviceIndex !== undefined) eni.deviceIndex = deviceIndex;
  const association = ctx.object(o.Association, 'Association', path);
  const publicIp =
    association === undefined ? undefined : ctx.string(association.PublicIp, 'Association.PublicIp', path);
  if (publicIp !== undefined) eni.publicIp = publicIp;
  return eni;
}

const HTTP_ENDPOINT: ReadonlySet<string> = new Set(['enabled', 'disabled']);
const HTTP_TOKENS: ReadonlySet<string> = new Set(['optional', 'required']);

// `path` is the instance's; keys carry the "MetadataOptions." prefix so no per-instance path string is built.
function mapMetadataOptions(ctx: MappingContext, o: JsonObject, path: string): MetadataOptions {
  const options: MetadataOptions = {};
  const endpoint = ctx.string(o.HttpEndpoint, 'MetadataOptions.HttpEndpoint', path);
  if (endpoint !== undefined) {
    if (HTTP_ENDPOINT.has(endpoint)) options.httpEndpoint = endpoint as 'enabled' | 'disabled';
    else
      ctx.issue('FIELD_INVALID', `${path}.MetadataOptions.HttpEndpoint`, 'expected "enabled" or "disabled"');
  }
  const tokens = ctx.string(o.HttpTokens, 'MetadataOptions.HttpTokens', path);
  if (tokens !== undefined) {
    if (HTTP_TOKENS.has(tokens)) options.httpTokens = tokens as 'optional' | 'required';
    else
      ctx.issue('FIELD_INVALID', `${path}.MetadataOptions.HttpTokens`, 'expected "optional" or "required"');
  }
  const hopLimit = ctx.number(o.HttpPutResponseHopLimit, 'MetadataOptions.HttpPutResponseHopLimit', path);
  if (hopLimit !== undefined) options.httpPutResponseHopLimit = hopLimit;
  const tags = ctx.string(o.InstanceMetadataTags, 'MetadataOptions.InstanceMetadataTags', path);
  if (tags !== undefined) {
    if (HTTP_ENDPOINT.has(tags)) options.instanceMetadataTags = tags as 'enabled' | 'disabled';
    else
      ctx.issue(
        'FIELD_INVALID',
        `${path}.MetadataOptions.InstanceMetadataTags`,
        'expected "enabled" or "disabled"',
      );
  }
  return options;
}
