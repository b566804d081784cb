// Writes DescribeSecurityGroups for a DeployModel: each VPC's default group and the declared groups, with the
// egress rule AWS adds to a group declared without egress.

import type { ApiJson } from '../api/api-data.js';
import type { DeploySecurityGroup, DeploySecurityGroupRule, Maybe } from './deploy-model.js';
import type { Site, SynthesisContext } from './synthesis-context.js';
import type { VpcFacts } from './synthesize-vpcs.js';

/** DescribeSecurityGroups, and each group's name (instances and endpoints print it beside the id). */
export function describeSecurityGroups(
  ctx: SynthesisContext,
  vpcs: Map<string, VpcFacts>,
): { response: ApiJson; groupNames: Map<string, string> } {
  const groupNames = new Map<string, string>();
  // A declared group with a VPC's default group id (aws_default_security_group) is that group, as declared.
  const declaredIds = new Set(ctx.model.securityGroups.map((g) => g.groupId));
  const groups = [...vpcs.values()]
    .filter((vpc) => !declaredIds.has(vpc.defaultSecurityGroupId))
    .map((vpc) => {
      groupNames.set(vpc.defaultSecurityGroupId, 'default');
      return defaultGroup(ctx, vpc);
    });
  for (const group of ctx.model.securityGroups) {
    groupNames.set(group.groupId, group.groupName);
    groups.push(declaredGroup(ctx, group, vpcs));
  }
  return { response: { SecurityGroups: groups }, groupNames };
}

function allTraffic(peers: {
  IpRanges?: ApiJson[];
  Ipv6Ranges?: ApiJson[];
  UserIdGroupPairs?: ApiJson[];
}): ApiJson {
  return {
    IpProtocol: '-1',
    IpRanges: peers.IpRanges ?? [],
    Ipv6Ranges: peers.Ipv6Ranges ?? [],
    PrefixListIds: [],
    UserIdGroupPairs: peers.UserIdGroupPairs ?? [],
  };
}

/** All outbound traffic, IPv6 too when the VPC has IPv6: the egress AWS gives a group created without any. */
function allOutbound(ipv6: boolean): ApiJson[] {
  return [
    allTraffic({
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      Ipv6Ranges: ipv6 ? [{ CidrIpv6: '::/0' }] : [],
    }),
  ];
}

/**
 * The default group EC2 creates with every VPC: inbound from members of the group itself, all outbound
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
 */
function defaultGroup(ctx: SynthesisContext, vpc: VpcFacts): ApiJson {
  const groupId = vpc.defaultSecurityGroupId;
  return {
    GroupId: groupId,
    GroupName: 'default',
    Description: 'default VPC security group',
    VpcId: vpc.vpcId,
    OwnerId: ctx.accountId,
    SecurityGroupArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${groupId}`,
    IpPermissions: [allTraffic({ UserIdGroupPairs: [{ UserId: ctx.accountId, GroupId: groupId }] })],
    IpPermissionsEgress: allOutbound(vpc.hasIpv6),
    Tags: [],
  };
}

/**
 * A declared group. Without declared egress, AWS adds rules allowing all outbound IPv4 and IPv6 traffic
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html);
 * the IPv6 one only exists in a VPC with IPv6.
 */
function declaredGroup(
  ctx: SynthesisContext,
  group: DeploySecurityGroup,
  vpcs: Map<string, VpcFacts>,
): ApiJson {
  const site = ctx.declare(group, group.groupId, 'securityGroups');
  const vpcId = ctx.reference(group.vpcId, 'vpcs', site, 'vpcId');
  const json: ApiJson = {
    GroupId: group.groupId,
    GroupName: group.groupName,
    Description: group.groupName,
    OwnerId: ctx.accountId,
    SecurityGroupArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${group.groupId}`,
    IpPermissions: permissions(ctx, group.ingress, site, 'ingress'),
    IpPermissionsEgress:
      group.egress === undefined
        ? allOutbound(vpcId !== undefined && vpcs.get(vpcId)?.hasIpv6 === true)
        : permissions(ctx, group.egress, site, 'egress'),
    Tags: ctx.tags(group.tags, site),
  };
  if (vpcId !== undefined) json.VpcId = vpcId;
  return json;
}

function permissions(
  ctx: SynthesisContext,
  rules: readonly DeploySecurityGroupRule[],
  site: Site,
  direction: 'ingress' | 'egress',
): ApiJson[] {
  return rules
    .map((rule, i) => permission(ctx, rule, site, `${direction}[${i}]`))
    .filter((json): json is ApiJson => json !== undefined);
}

/**
 * One rule as an IpPermissions entry. A rule with an unknown field is left out (and recorded): security group
 * rules only allow, so leaving one out never lets through what the real rule would not.
 */
function permission(
  ctx: SynthesisContext,
  rule: DeploySecurityGroupRule,
  site: Site,
  path: string,
): ApiJson | undefined {
  const at = rule.location;
  const field = <T>(value: Maybe<T> | undefined, key: string): T | undefined =>
    ctx.known(value, site, `${path}.${key}`, at);
  const prefixListKey =
    rule.SourcePrefixListId !== undefined ? 'SourcePrefixListId' : 'DestinationPrefixListId';
  const protocol = field(rule.IpProtocol, 'IpProtocol');
  const fromPort = field(rule.FromPort, 'FromPort');
  const toPort = field(rule.ToPort, 'ToPort');
  const cidr = field(rule.CidrIp, 'CidrIp');
  const cidrIpv6 = field(rule.CidrIpv6, 'CidrIpv6');
  const prefixList = field(rule[prefixListKey], prefixListKey);
  const peerGroup = ctx.reference(rule.GroupIdPeer, 'securityGroups', site, `${path}.GroupIdPeer`, at);
  const description = field(rule.Description, 'Description');
  const unknown =
    protocol === undefined ||
    (rule.FromPort !== undefined && fromPort === undefined) ||
    (rule.ToPort !== undefined && toPort === undefined) ||
    (rule.CidrIp !== undefined && cidr === undefined) ||
    (rule.CidrIpv6 !== undefined && cidrIpv6 === undefined) ||
    (rule[prefixListKey] !== undefined && prefixList === undefined) ||
    (rule.GroupIdPeer !== undefined && peerGroup === undefined);
  if (unknown) return undefined;
  const described = <T extends ApiJson>(peer: T): T =>
    description === undefined ? peer : { ...peer, Description: description };
  const json: ApiJson = {
    IpProtocol: protocol,
    IpRanges: cidr === undefined ? [] : [described({ CidrIp: cidr })],
    Ipv6Ranges: cidrIpv6 === undefined ? [] : [described({ CidrIpv6: cidrIpv6 })],
    PrefixListIds: prefixList === undefined ? [] : [described({ PrefixListId: prefixList })],
    UserIdGroupPairs:
      peerGroup === undefined ? [] : [described({ UserId: ctx.accountId, GroupId: peerGroup })],
  };
  if (fromPort !== undefined) json.FromPort = fromPort;
  if (toPort !== undefined) json.ToPort = toPort;
  return json;
}
