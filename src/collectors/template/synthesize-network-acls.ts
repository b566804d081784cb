// Writes DescribeNetworkAcls for a DeployModel: each VPC's default network ACL, and the declared ACLs with the
// rules AWS adds to every ACL.

import type { ApiJson } from '../api/api-data.js';
import type { DeployNetworkAcl, DeployNetworkAclEntry } from './deploy-model.js';
import { implicitId } from './implicit-ids.js';
import type { Site, SynthesisContext } from './synthesis-context.js';
import { markAmbiguousSubnets } from './synthesize-route-tables.js';
import type { SubnetFacts, VpcFacts } from './synthesize-vpcs.js';

const ANY_IPV4 = '0.0.0.0/0';
const ANY_IPV6 = '::/0';

/**
 * DescribeNetworkAcls. A VPC's default ACL allows all traffic both ways (rule 100, and 101 for IPv6 when the VPC
 * has IPv6) and is used by every subnet not associated with another ACL
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html); every ACL ends with the `*` rules
 * that deny what no numbered rule matched, which DescribeNetworkAcls prints as rule 32767 (IPv4) and 32768 (IPv6)
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).
 */
export function describeNetworkAcls(
  ctx: SynthesisContext,
  vpcs: Map<string, VpcFacts>,
  subnets: Map<string, SubnetFacts>,
): ApiJson {
  const associated = new Set<string>();
  const ambiguous = new Map<string | undefined, string>();
  // A declared ACL with a VPC's default ACL id (aws_default_network_acl) is that default ACL, as declared.
  const adopted = new Set(ctx.model.networkAcls.map((acl) => acl.networkAclId));
  const declared = ctx.model.networkAcls
    .map((acl) => declaredNetworkAcl(ctx, acl, vpcs, associated, ambiguous))
    .filter((json): json is ApiJson => json !== undefined);
  markAmbiguousSubnets(ctx, subnets, associated, ambiguous, 'networkAcl', 'network ACL');
  const defaults: ApiJson[] = [];
  for (const vpc of vpcs.values()) {
    const members = defaultMembers(vpc, subnets, associated, ambiguous);
    const own = declared.find((json) => json.NetworkAclId === vpc.defaultNetworkAclId);
    if (own !== undefined) {
      own.IsDefault = true;
      own.Associations = [
        ...(own.Associations as ApiJson[]),
        ...associations(vpc.defaultNetworkAclId, members),
      ];
    } else if (!adopted.has(vpc.defaultNetworkAclId))
      defaults.push(
        networkAcl(ctx, vpc.defaultNetworkAclId, vpc.vpcId, true, defaultEntries(vpc.hasIpv6), members),
      );
  }
  return { NetworkAcls: [...defaults, ...declared] };
}

/**
 * The subnets of a VPC on its default ACL: those no declared ACL is associated with. A subnet whose ACL cannot be
 * told is on no ACL at all, so no check can take the default's allow-all for it.
 */
function defaultMembers(
  vpc: VpcFacts,
  subnets: Map<string, SubnetFacts>,
  associated: ReadonlySet<string>,
  ambiguous: ReadonlyMap<string | undefined, string>,
): SubnetFacts[] {
  if (ambiguous.has(vpc.vpcId) || ambiguous.has(undefined)) return [];
  return [...subnets.values()].filter((s) => s.vpcId === vpc.vpcId && !associated.has(s.subnetId));
}

function associations(networkAclId: string, members: readonly { subnetId: string }[]): ApiJson[] {
  return members.map(({ subnetId }) => ({
    NetworkAclAssociationId: implicitId('aclassoc', `${networkAclId}|${subnetId}`),
    NetworkAclId: networkAclId,
    SubnetId: subnetId,
  }));
}

function networkAcl(
  ctx: SynthesisContext,
  networkAclId: string,
  vpcId: string,
  isDefault: boolean,
  entries: ApiJson[],
  members: readonly { subnetId: string }[],
): ApiJson {
  return {
    NetworkAclId: networkAclId,
    VpcId: vpcId,
    OwnerId: ctx.accountId,
    IsDefault: isDefault,
    Entries: entries,
    Associations: associations(networkAclId, members),
    Tags: [],
  };
}

function entry(ruleNumber: number, egress: boolean, action: 'allow' | 'deny', ipv6: boolean): ApiJson {
  return {
    RuleNumber: ruleNumber,
    Protocol: '-1',
    RuleAction: action,
    Egress: egress,
    ...(ipv6 ? { Ipv6CidrBlock: ANY_IPV6 } : { CidrBlock: ANY_IPV4 }),
  };
}

function catchAllDenies(egress: boolean, ipv6: boolean): ApiJson[] {
  return ipv6
    ? [entry(32767, egress, 'deny', false), entry(32768, egress, 'deny', true)]
    : [entry(32767, egress, 'deny', false)];
}

function defaultEntries(ipv6: boolean): ApiJson[] {
  return [true, false].flatMap((egress) => [
    entry(100, egress, 'allow', false),
    ...(ipv6 ? [entry(101, egress, 'allow', true)] : []),
    ...catchAllDenies(egress, ipv6),
  ]);
}

function declaredNetworkAcl(
  ctx: SynthesisContext,
  acl: DeployNetworkAcl,
  vpcs: Map<string, VpcFacts>,
  associated: Set<string>,
  ambiguous: Map<string | undefined, string>,
): ApiJson | undefined {
  const site = ctx.declare(acl, acl.networkAclId, 'networkAcls');
  const vpcId = ctx.reference(acl.vpcId, 'vpcs', site, 'vpcId');
  const members: { subnetId: string }[] = [];
  acl.subnetIds.forEach((ref, i) => {
    const subnetId = ctx.reference(ref, 'subnets', site, `subnetIds[${i}]`);
    if (subnetId === undefined) ambiguous.set(vpcId, acl.address);
    else {
      associated.add(subnetId);
      members.push({ subnetId });
    }
  });
  const entries = acl.entries.map((e, i) => declaredEntry(ctx, e, site, `entries[${i}]`));
  // Whether the VPC has IPv6 is unknown for a VPC outside the template: the IPv6 deny is added, denying more.
  const ipv6 = vpcId === undefined ? true : (vpcs.get(vpcId)?.hasIpv6 ?? true);
  for (const egress of [true, false]) entries.push(...catchAllDenies(egress, ipv6));
  // The API never answers without a VpcId: an ACL whose VPC is unknown is left out (its subnets then have none).
  return vpcId === undefined ? undefined : networkAcl(ctx, acl.networkAclId, vpcId, false, entries, members);
}

/**
 * A declared entry. One with an unknown field is written as a deny of all traffic at its rule number (rule 1 when
 * the number is unknown): whatever the real entry is, it allows no more than that, so the stand-in never opens a path.
 */
function declaredEntry(ctx: SynthesisContext, e: DeployNetworkAclEntry, site: Site, path: string): ApiJson {
  const at = e.location;
  const ruleNumber = ctx.known(e.RuleNumber, site, `${path}.RuleNumber`, at);
  const protocol = ctx.known(e.Protocol, site, `${path}.Protocol`, at);
  const action = ctx.known(e.RuleAction, site, `${path}.RuleAction`, at);
  const cidr = ctx.known(e.CidrBlock, site, `${path}.CidrBlock`, at);
  const ipv6Cidr = ctx.known(e.Ipv6CidrBlock, site, `${path}.Ipv6CidrBlock`, at);
  const from = e.PortRange && ctx.known(e.PortRange.From, site, `${path}.PortRange.From`, at);
  const to = e.PortRange && ctx.known(e.PortRange.To, site, `${path}.PortRange.To`, at);
  const complete =
    ruleNumber !== undefined &&
    protocol !== undefined &&
    action !== undefined &&
    (cidr !== undefined || ipv6Cidr !== undefined) &&
    (e.PortRange === undefined || (from !== undefined && to !== undefined));
  if (!complete) return entry(ruleNumber ?? 1, e.Egress, 'deny', e.Ipv6CidrBlock !== undefined);
  const json: ApiJson = { RuleNumber: ruleNumber, Protocol: protocol, RuleAction: action, Egress: e.Egress };
  if (cidr !== undefined) json.CidrBlock = cidr;
  if (ipv6Cidr !== undefined) json.Ipv6CidrBlock = ipv6Cidr;
  if (e.PortRange !== undefined) json.PortRange = { From: from, To: to };
  return json;
}
