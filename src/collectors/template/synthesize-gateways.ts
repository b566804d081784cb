// Writes DescribeInternetGateways, DescribeEgressOnlyInternetGateways and DescribeNatGateways for a DeployModel.

import type { ApiJson } from '../api/api-data.js';
import type { SynthesisContext } from './synthesis-context.js';
import type { SubnetFacts } from './synthesize-vpcs.js';

/** Internet and egress-only internet gateways, attached to the VPCs the template attaches them to. */
export function describeInternetGateways(ctx: SynthesisContext): {
  DescribeInternetGateways: ApiJson;
  DescribeEgressOnlyInternetGateways: ApiJson;
} {
  const internet: ApiJson[] = [];
  const egressOnly: ApiJson[] = [];
  for (const gateway of ctx.model.internetGateways) {
    const collection = 'internetGateways';
    const site = ctx.declare(gateway, gateway.internetGatewayId, collection);
    const vpcIds = gateway.attachedVpcIds
      .map((ref, i) => ctx.reference(ref, 'vpcs', site, `attachedVpcIds[${i}]`))
      .filter((id): id is string => id !== undefined);
    if (gateway.egressOnly === true) {
      // Egress-only gateways report their attachment as "attached", internet gateways as "available".
      egressOnly.push({
        EgressOnlyInternetGatewayId: gateway.internetGatewayId,
        Attachments: vpcIds.map((VpcId) => ({ VpcId, State: 'attached' })),
        Tags: [],
      });
    } else {
      internet.push({
        InternetGatewayId: gateway.internetGatewayId,
        OwnerId: ctx.accountId,
        Attachments: vpcIds.map((VpcId) => ({ VpcId, State: 'available' })),
        Tags: [],
      });
    }
  }
  return {
    DescribeInternetGateways: { InternetGateways: internet },
    DescribeEgressOnlyInternetGateways: { EgressOnlyInternetGateways: egressOnly },
  };
}

/**
 * NAT gateways, available once created. A public NAT gateway has an Elastic IP, whose address stands in as a
 * placeholder; a private one has none. ConnectivityType defaults to public
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html); when it is unknown the
 * gateway is written private, which never reaches the internet, so the guess cannot open a path.
 */
export function describeNatGateways(ctx: SynthesisContext, subnets: Map<string, SubnetFacts>): ApiJson {
  const out: ApiJson[] = [];
  for (const nat of ctx.model.natGateways) {
    const site = ctx.declare(nat, nat.natGatewayId, 'natGateways');
    const subnetId = ctx.reference(nat.subnetId, 'subnets', site, 'subnetId');
    const connectivity =
      nat.connectivityType === undefined
        ? 'public'
        : (ctx.known(nat.connectivityType, site, 'connectivityType') ?? 'private');
    const vpcId = subnetId === undefined ? undefined : subnets.get(subnetId)?.vpcId;
    // The API never answers without SubnetId and VpcId: a gateway in an unknown place is left out.
    if (subnetId === undefined || vpcId === undefined) continue;
    out.push({
      NatGatewayId: nat.natGatewayId,
      SubnetId: subnetId,
      VpcId: vpcId,
      State: 'available',
      ConnectivityType: connectivity,
      NatGatewayAddresses:
        connectivity === 'public'
          ? [{ PublicIp: ctx.placeholderPublicIp(), IsPrimary: true, Status: 'succeeded' }]
          : [],
      CreateTime: ctx.collectedAt,
      Tags: [],
    });
  }
  return { NatGateways: out };
}
