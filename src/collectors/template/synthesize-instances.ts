// Writes DescribeInstances for a DeployModel: every declared instance as it runs once launched.

import type { ApiJson } from '../api/api-data.js';
import type { DeployInstance } from './deploy-model.js';
import { iamUniqueId, implicitId } from './implicit-ids.js';
import type { Site, SynthesisContext } from './synthesis-context.js';
import type { SubnetFacts, VpcFacts } from './synthesize-vpcs.js';

/** What an instance needs of the rest of the network. */
export interface InstanceNetworkFacts {
  vpcs: Map<string, VpcFacts>;
  subnets: Map<string, SubnetFacts>;
  groupNames: ReadonlyMap<string, string>;
}

// The instance metadata options AWS decides when a launch does not set them, and from what: the AMI's ImdsSupport
// (v2.0 makes IMDSv2 required with hop limit 2) and the account's defaults for the region
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html#instance-metadata-options-order-of-precedence).
const METADATA_DEFAULTS: readonly {
  key: 'HttpTokens' | 'HttpEndpoint' | 'HttpPutResponseHopLimit';
  from: string;
}[] = [
  { key: 'HttpTokens', from: "the AMI's ImdsSupport and the account's IMDS defaults" },
  { key: 'HttpEndpoint', from: "the account's IMDS defaults" },
  { key: 'HttpPutResponseHopLimit', from: "the AMI's ImdsSupport and the account's IMDS defaults" },
];

/** DescribeInstances, one reservation per instance, each instance running. */
export function describeInstances(ctx: SynthesisContext, network: InstanceNetworkFacts): ApiJson {
  return {
    Reservations: ctx.model.instances.map((instance) => ({
      ReservationId: implicitId('r', instance.instanceId),
      OwnerId: ctx.accountId,
      Groups: [],
      Instances: [runningInstance(ctx, instance, network)],
    })),
  };
}

function runningInstance(
  ctx: SynthesisContext,
  instance: DeployInstance,
  network: InstanceNetworkFacts,
): ApiJson {
  const site = ctx.declare(instance, instance.instanceId, 'instances');
  const subnetId = ctx.reference(instance.subnetId, 'subnets', site, 'subnetId');
  const subnet = subnetId === undefined ? undefined : network.subnets.get(subnetId);
  const json: ApiJson = {
    InstanceId: instance.instanceId,
    State: { Code: 16, Name: 'running' },
    LaunchTime: ctx.collectedAt,
    Placement:
      subnet?.availabilityZone === undefined
        ? { Tenancy: 'default' }
        : { AvailabilityZone: subnet.availabilityZone, Tenancy: 'default' },
    SecurityGroups: securityGroups(ctx, instance, site, subnet?.vpcId, network),
    Tags: ctx.tags(instance.tags, site),
  };
  if (subnetId !== undefined) json.SubnetId = subnetId;
  if (subnet?.vpcId !== undefined) json.VpcId = subnet.vpcId;
  const imageId = ctx.known(instance.imageId, site, 'imageId');
  if (imageId !== undefined) json.ImageId = imageId;
  // EC2 sets Platform only for Windows instances.
  if (instance.platform === 'windows') json.Platform = 'windows';
  const profileArn = ctx.reference(
    instance.iamInstanceProfileArn,
    'instanceProfiles',
    site,
    'iamInstanceProfileArn',
  );
  if (profileArn !== undefined)
    json.IamInstanceProfile = { Arn: profileArn, Id: iamUniqueId('AIPA', profileArn) };
  json.MetadataOptions = metadataOptions(ctx, instance, site);
  const sourceDestCheck =
    instance.sourceDestCheck === undefined
      ? true
      : ctx.known(instance.sourceDestCheck, site, 'sourceDestCheck');
  if (sourceDestCheck !== undefined) json.SourceDestCheck = sourceDestCheck;
  if (hasPublicIp(ctx, instance, site, subnet)) json.PublicIpAddress = ctx.placeholderPublicIp();
  return json;
}

/**
 * The instance's groups with their names. An instance launched without any gets its VPC's default group
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html, SecurityGroupIds).
 */
function securityGroups(
  ctx: SynthesisContext,
  instance: DeployInstance,
  site: Site,
  vpcId: string | undefined,
  network: InstanceNetworkFacts,
): ApiJson[] {
  let groupIds = ctx.referenceList(instance.securityGroupIds, 'securityGroups', site, 'securityGroupIds');
  const declaredNone = Array.isArray(instance.securityGroupIds) && instance.securityGroupIds.length === 0;
  const vpc = vpcId === undefined ? undefined : network.vpcs.get(vpcId);
  if (declaredNone && vpc !== undefined) groupIds = [vpc.defaultSecurityGroupId];
  else if (declaredNone)
    ctx.unknown(
      site,
      'securityGroupIds',
      "none declared: AWS uses its VPC's default group, and the VPC is not known",
    );
  return groupIds.map((GroupId) => {
    const GroupName = network.groupNames.get(GroupId);
    return GroupName === undefined ? { GroupId } : { GroupId, GroupName };
  });
}

/** The metadata options as declared; an option not declared is left out and recorded, since AWS's default varies. */
function metadataOptions(ctx: SynthesisContext, instance: DeployInstance, site: Site): ApiJson {
  const declared = instance.metadataOptions ?? {};
  const json: ApiJson = { State: 'applied' };
  for (const { key, from } of METADATA_DEFAULTS) {
    const property = `metadataOptions.${key}`;
    if (declared[key] === undefined) {
      ctx.unknown(site, property, `${key} not set: AWS's default depends on ${from}`);
      continue;
    }
    const value = ctx.known<string | number>(declared[key], site, property);
    if (value !== undefined) json[key] = value;
  }
  const tags = ctx.known(declared.InstanceMetadataTags, site, 'metadataOptions.InstanceMetadataTags');
  if (tags !== undefined) json.InstanceMetadataTags = tags;
  return json;
}

/**
 * Whether AWS gives the instance a public IPv4 address: as the launch says, else as its subnet's
 * MapPublicIpOnLaunch says (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html). Unknown → no
 * address, so no internet path is assumed.
 */
function hasPublicIp(
  ctx: SynthesisContext,
  instance: DeployInstance,
  site: Site,
  subnet: SubnetFacts | undefined,
): boolean {
  if (instance.associatePublicIpAddress !== undefined)
    return ctx.known(instance.associatePublicIpAddress, site, 'associatePublicIpAddress') === true;
  if (subnet !== undefined && subnet.mapPublicIpOnLaunch === undefined)
    ctx.unknown(
      site,
      'associatePublicIpAddress',
      `not set: AWS follows MapPublicIpOnLaunch of ${subnet.subnetId}, which is unknown until deployed`,
    );
  return subnet?.mapPublicIpOnLaunch === true;
}
