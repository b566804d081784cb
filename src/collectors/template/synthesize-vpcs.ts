// Writes DescribeVpcs, DescribeVpcAttribute and DescribeSubnets for a DeployModel, and the facts of each VPC and
// subnet (CIDRs, implicit ids) the other network parts need.

import type { ApiJson } from '../api/api-data.js';
import { isUnresolved } from './deploy-model.js';
import {
  defaultNetworkAclIdOf,
  defaultSecurityGroupIdOf,
  implicitId,
  mainRouteTableIdOf,
} from './implicit-ids.js';
import type { Site, SynthesisContext } from './synthesis-context.js';

/** One declared VPC, with the ids of what AWS creates with it. */
export interface VpcFacts {
  vpcId: string;
  site: Site;
  /** The IPv4 and IPv6 CIDR blocks that are known (an unknown one is recorded on the VPC). */
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
  /** True when the VPC has an IPv6 block, known or not: AWS then adds IPv6 rules to its default ACL and groups. */
  hasIpv6: boolean;
  /** Why the VPC's IPv4 block is unknown, if it is: every route table's local route then is too. */
  unknownCidrReason?: string;
  /** Why an IPv6 block is unknown (an Amazon-provided one is known after apply): only the IPv6 local route is. */
  unknownIpv6CidrReason?: string;
  mainRouteTableId: string;
  defaultNetworkAclId: string;
  defaultSecurityGroupId: string;
}

/** One declared subnet as the other parts see it. */
export interface SubnetFacts {
  subnetId: string;
  site: Site;
  /** Absent when unknown (Unresolved); an undeclared VPC id is kept (and recorded). */
  vpcId?: string;
  availabilityZone?: string;
  /** Absent when unknown; the EC2 default (false for a non-default VPC's subnet) when not declared. */
  mapPublicIpOnLaunch?: boolean;
}

export function vpcFacts(ctx: SynthesisContext): Map<string, VpcFacts> {
  const facts = new Map<string, VpcFacts>();
  for (const vpc of ctx.model.vpcs) {
    const site = ctx.declare(vpc, vpc.vpcId, 'vpcs');
    const cidr = ctx.known(vpc.cidrBlock, site, 'cidrBlock');
    const ipv6 = vpc.ipv6CidrBlocks
      .map((block, i) => ctx.known(block, site, `ipv6CidrBlocks[${i}]`))
      .filter((block): block is string => block !== undefined);
    const fact: VpcFacts = {
      vpcId: vpc.vpcId,
      site,
      cidrBlocks: cidr === undefined ? [] : [cidr],
      ipv6CidrBlocks: ipv6,
      hasIpv6: vpc.ipv6CidrBlocks.length > 0,
      mainRouteTableId: mainRouteTableIdOf(vpc.vpcId),
      defaultNetworkAclId: defaultNetworkAclIdOf(vpc.vpcId),
      defaultSecurityGroupId: defaultSecurityGroupIdOf(vpc.vpcId),
    };
    if (isUnresolved(vpc.cidrBlock)) fact.unknownCidrReason = vpc.cidrBlock.reason;
    const unknownIpv6 = vpc.ipv6CidrBlocks.find(isUnresolved);
    if (unknownIpv6 !== undefined) fact.unknownIpv6CidrReason = unknownIpv6.reason;
    for (const id of [fact.mainRouteTableId, fact.defaultNetworkAclId, fact.defaultSecurityGroupId])
      ctx.implicit(id, site);
    facts.set(vpc.vpcId, fact);
  }
  return facts;
}

/** DescribeVpcs for the declared VPCs (none is a default VPC: a template cannot create one). */
export function describeVpcs(ctx: SynthesisContext, vpcs: Map<string, VpcFacts>): ApiJson {
  return {
    Vpcs: ctx.model.vpcs.map((vpc) => {
      const fact = vpcs.get(vpc.vpcId)!;
      const out: ApiJson = {
        VpcId: vpc.vpcId,
        OwnerId: ctx.accountId,
        State: 'available',
        InstanceTenancy: 'default',
        IsDefault: false,
        CidrBlockAssociationSet: fact.cidrBlocks.map((block) => ({
          AssociationId: implicitId('vpc-cidr-assoc', `${vpc.vpcId}|${block}`),
          CidrBlock: block,
          CidrBlockState: { State: 'associated' },
        })),
        Ipv6CidrBlockAssociationSet: fact.ipv6CidrBlocks.map((block) => ({
          AssociationId: implicitId('vpc-cidr-assoc', `${vpc.vpcId}|${block}`),
          Ipv6CidrBlock: block,
          Ipv6CidrBlockState: { State: 'associated' },
        })),
        Tags: ctx.tags(vpc.tags, fact.site),
      };
      if (fact.cidrBlocks[0] !== undefined) out.CidrBlock = fact.cidrBlocks[0];
      return out;
    }),
  };
}

/**
 * One DescribeVpcAttribute response per VPC and DNS attribute. EC2's defaults for a VPC that is not the default
 * VPC: DNS resolution on, DNS hostnames off
 * (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support). An attribute whose
 * value is unknown gets no response, so rules that need it see it as not read.
 */
export function describeVpcAttributes(ctx: SynthesisContext, vpcs: Map<string, VpcFacts>): ApiJson[] {
  const out: ApiJson[] = [];
  for (const vpc of ctx.model.vpcs) {
    const site = vpcs.get(vpc.vpcId)!.site;
    const support =
      vpc.enableDnsSupport === undefined ? true : ctx.known(vpc.enableDnsSupport, site, 'enableDnsSupport');
    const hostnames =
      vpc.enableDnsHostnames === undefined
        ? false
        : ctx.known(vpc.enableDnsHostnames, site, 'enableDnsHostnames');
    if (support !== undefined) out.push({ VpcId: vpc.vpcId, EnableDnsSupport: { Value: support } });
    if (hostnames !== undefined) out.push({ VpcId: vpc.vpcId, EnableDnsHostnames: { Value: hostnames } });
  }
  return out;
}

export function subnetFacts(ctx: SynthesisContext): Map<string, SubnetFacts> {
  const facts = new Map<string, SubnetFacts>();
  for (const subnet of ctx.model.subnets) {
    const site = ctx.declare(subnet, subnet.subnetId, 'subnets');
    const fact: SubnetFacts = { subnetId: subnet.subnetId, site };
    const vpcId = ctx.reference(subnet.vpcId, 'vpcs', site, 'vpcId');
    if (vpcId !== undefined) fact.vpcId = vpcId;
    const zone = ctx.known(subnet.availabilityZone, site, 'availabilityZone');
    if (zone !== undefined) fact.availabilityZone = zone;
    // MapPublicIpOnLaunch is false unless set, for every subnet outside a default VPC
    // (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html).
    const mapPublic =
      subnet.mapPublicIpOnLaunch === undefined
        ? false
        : ctx.known(subnet.mapPublicIpOnLaunch, site, 'mapPublicIpOnLaunch');
    if (mapPublic !== undefined) fact.mapPublicIpOnLaunch = mapPublic;
    facts.set(subnet.subnetId, fact);
  }
  return facts;
}

/** DescribeSubnets. A subnet whose VPC is unknown is left out: the API never answers without a VpcId. */
export function describeSubnets(ctx: SynthesisContext, subnets: Map<string, SubnetFacts>): ApiJson {
  const out: ApiJson[] = [];
  for (const subnet of ctx.model.subnets) {
    const fact = subnets.get(subnet.subnetId)!;
    const { site } = fact;
    const ipv6 = ctx.known(subnet.ipv6CidrBlock, site, 'ipv6CidrBlock');
    const json: ApiJson = {
      SubnetId: subnet.subnetId,
      VpcId: fact.vpcId ?? '',
      OwnerId: ctx.accountId,
      SubnetArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${subnet.subnetId}`,
      State: 'available',
      DefaultForAz: false,
      MapPublicIpOnLaunch: fact.mapPublicIpOnLaunch ?? false,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet:
        ipv6 === undefined
          ? []
          : [
              {
                AssociationId: implicitId('subnet-cidr-assoc', `${subnet.subnetId}|${ipv6}`),
                Ipv6CidrBlock: ipv6,
                Ipv6CidrBlockState: { State: 'associated' },
              },
            ],
      Tags: ctx.tags(subnet.tags, site),
    };
    const cidr = ctx.known(subnet.cidrBlock, site, 'cidrBlock');
    if (cidr !== undefined) json.CidrBlock = cidr;
    if (fact.availabilityZone !== undefined) json.AvailabilityZone = fact.availabilityZone;
    const ipv6Native =
      subnet.ipv6Native === undefined ? false : ctx.known(subnet.ipv6Native, site, 'ipv6Native');
    if (ipv6Native !== undefined) json.Ipv6Native = ipv6Native;
    const dns64 =
      subnet.enableDns64 === undefined ? false : ctx.known(subnet.enableDns64, site, 'enableDns64');
    if (dns64 !== undefined) json.EnableDns64 = dns64;
    if (fact.vpcId !== undefined) out.push(json);
  }
  return { Subnets: out };
}
