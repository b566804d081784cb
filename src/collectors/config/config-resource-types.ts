// The Config resource types ssmguard maps: which API response each becomes, and each type's shape quirks.

import type { ResourceFamily } from '../../inventory/model.js';
import { API_RESPONSE_KINDS, type ApiResponseKind } from '../api/api-data.js';
import { isJsonObject, type JsonObject } from '../api/mapping-context.js';
import type { ConfigurationItem } from './configuration-item.js';
import { toApiShape } from './to-api-shape.js';

/** How one Config resource type maps: the API response kind its items become, and the entry adapter. */
export interface ConfigTypeMapping {
  kind: ApiResponseKind;
  family: ResourceFamily;
  /** The item's configuration as one API list entry (PascalCase), or undefined when it has none. */
  toApiEntry(item: ConfigurationItem): JsonObject | undefined;
}

/**
 * Config resource types whose items map into the model. IAM types all become parts of one
 * GetAccountAuthorizationDetails-shaped response per account (see mapConfigItems).
 */
export const CONFIG_RESOURCE_TYPES: Readonly<Record<string, ConfigTypeMapping>> = {
  'AWS::EC2::Instance': mapping('ec2:DescribeInstances', apiEntry),
  'AWS::EC2::SecurityGroup': mapping('ec2:DescribeSecurityGroups', securityGroupEntry),
  'AWS::EC2::VPC': mapping('ec2:DescribeVpcs', apiEntry),
  'AWS::EC2::Subnet': mapping('ec2:DescribeSubnets', apiEntry),
  'AWS::EC2::RouteTable': mapping('ec2:DescribeRouteTables', apiEntry),
  'AWS::EC2::NetworkAcl': mapping('ec2:DescribeNetworkAcls', apiEntry),
  'AWS::EC2::VPCEndpoint': mapping('ec2:DescribeVpcEndpoints', apiEntry),
  'AWS::EC2::NatGateway': mapping('ec2:DescribeNatGateways', apiEntry),
  'AWS::EC2::InternetGateway': mapping('ec2:DescribeInternetGateways', apiEntry),
  'AWS::EC2::EgressOnlyInternetGateway': mapping('ec2:DescribeEgressOnlyInternetGateways', apiEntry),
  'AWS::IAM::Role': mapping('iam:GetAccountAuthorizationDetails', apiEntry),
  'AWS::IAM::Policy': mapping('iam:GetAccountAuthorizationDetails', apiEntry),
  'AWS::IAM::InstanceProfile': mapping('iam:GetAccountAuthorizationDetails', apiEntry),
};

/**
 * Config types that are recognised but deliberately not mapped. (AWS::SSM::PatchCompliance is mapped apart from
 * this table, by map-patch-compliance.ts: it becomes patch states, not an API response.) AWS::SSM::ManagedInstanceInventory carries
 * the agent's inventory (agent version, platform) but not PingStatus or LastPingDateTime, so treating it as
 * DescribeInstanceInformation would let the "SSM Online" rule pass on stale data; the family stays unread and
 * rules that need it give ERROR offline (the Lambda reads SSM live).
 */
export const CONFIG_TYPES_NOT_MAPPED: Readonly<Record<string, string>> = {
  'AWS::SSM::ManagedInstanceInventory':
    'has no ping status; SSM managed-node state is read live, not from Config',
  'AWS::SSM::AssociationCompliance':
    'association compliance (per association: status, document, execution time) is read by no rule; the patch rules read patch states, which AWS::SSM::PatchCompliance items map to',
};

/** The mapping of a Config resource type, or undefined for a type ssmguard does not map. */
export function configTypeMapping(resourceType: string): ConfigTypeMapping | undefined {
  return Object.hasOwn(CONFIG_RESOURCE_TYPES, resourceType) ? CONFIG_RESOURCE_TYPES[resourceType] : undefined;
}

function mapping(
  kind: ApiResponseKind,
  toApiEntry: (item: ConfigurationItem) => JsonObject | undefined,
): ConfigTypeMapping {
  return { kind, family: API_RESPONSE_KINDS[kind].family, toApiEntry };
}

/** The API shape of the configuration, with tags from the item's tag map (authoritative over configuration.tags). */
function apiEntry(item: ConfigurationItem): JsonObject | undefined {
  const shaped = toApiShape(item.configuration);
  if (!isJsonObject(shaped)) return undefined;
  const tags = tagListOf(item.tags);
  if (tags !== undefined) shaped.Tags = tags;
  // Some recorded instance items omit `placement`; the item itself knows the zone.
  if (
    item.resourceType === 'AWS::EC2::Instance' &&
    shaped.Placement === undefined &&
    item.availabilityZone !== undefined
  ) {
    shaped.Placement = { AvailabilityZone: item.availabilityZone };
  }
  return shaped;
}

/**
 * Security groups differ from DescribeSecurityGroups beyond case: Config records IPv4 peers twice, as
 * `ipv4Ranges: [{cidrIp, description}]` and as `ipRanges: ["0.0.0.0/0"]` (a list of strings), while the API
 * has `IpRanges: [{CidrIp}]` (aws-facts §0 #10). `ipv4Ranges` wins; bare strings are the fallback.
 */
function securityGroupEntry(item: ConfigurationItem): JsonObject | undefined {
  const shaped = apiEntry(item);
  if (shaped === undefined) return undefined;
  for (const key of ['IpPermissions', 'IpPermissionsEgress']) {
    const permissions = shaped[key];
    if (!Array.isArray(permissions)) continue;
    for (const permission of permissions) {
      if (!isJsonObject(permission)) continue;
      const ipv4 = permission.Ipv4Ranges;
      const bare = permission.IpRanges;
      if (Array.isArray(ipv4)) permission.IpRanges = ipv4;
      else if (Array.isArray(bare))
        permission.IpRanges = bare.map((cidr) => (typeof cidr === 'string' ? { CidrIp: cidr } : cidr));
      delete permission.Ipv4Ranges;
    }
  }
  return shaped;
}

/** Config tags: a `{key: value}` map (events, snapshots) or a `[{key, value}]` list (advanced queries). */
function tagListOf(tags: unknown): { Key: string; Value: string }[] | undefined {
  if (Array.isArray(tags)) {
    const list: { Key: string; Value: string }[] = [];
    for (const entry of tags) {
      if (!isJsonObject(entry)) continue;
      const key = entry.key ?? entry.Key;
      const value = entry.value ?? entry.Value ?? '';
      if (typeof key === 'string' && typeof value === 'string') list.push({ Key: key, Value: value });
    }
    return list;
  }
  if (!isJsonObject(tags)) return undefined;
  return Object.entries(tags).flatMap(([Key, Value]) => (typeof Value === 'string' ? [{ Key, Value }] : []));
}
