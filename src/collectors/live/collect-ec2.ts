// Collects one region's EC2 network and instance data with SDK v3 paginators, in as few calls as allowed.

import {
  type EC2Client,
  DescribeVpcAttributeCommand,
  paginateDescribeEgressOnlyInternetGateways,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type VpcAttributeName,
} from '@aws-sdk/client-ec2';
import type { ApiFailure, ApiJson, ApiResponseKind } from '../api/api-data.js';
import { CLI_JSON_FOLD, type FoldedRegion, type PageFold, tapPages } from './page-fold.js';
import { type CollectOptions, dependentFailure, readKind } from './read-kind.js';

/** The EC2 part of a region's collected data (by default AWS-CLI JSON; with a fold, what it made of the pages). */
export type Ec2Collection<R = ApiJson> = Pick<
  FoldedRegion<R>,
  | 'DescribeInstances'
  | 'DescribeSecurityGroups'
  | 'DescribeVpcs'
  | 'DescribeVpcAttribute'
  | 'DescribeSubnets'
  | 'DescribeRouteTables'
  | 'DescribeNetworkAcls'
  | 'DescribeVpcEndpoints'
  | 'DescribeNatGateways'
  | 'DescribeInternetGateways'
  | 'DescribeEgressOnlyInternetGateways'
  | 'failures'
>;

// Largest page each API accepts (EC2 model: DescribeRouteTablesMaxResults 5..100,
// DescribeEgressOnlyInternetGatewaysMaxResults 5..255, the others ..1000).
export const EC2_PAGE_SIZES = {
  DescribeInstances: 1000,
  DescribeSecurityGroups: 1000,
  DescribeVpcs: 1000,
  DescribeSubnets: 1000,
  DescribeRouteTables: 100,
  DescribeNetworkAcls: 1000,
  DescribeVpcEndpoints: 1000,
  DescribeNatGateways: 1000,
  DescribeInternetGateways: 1000,
  DescribeEgressOnlyInternetGateways: 255,
} as const;

// ssmguard needs DNS support and DNS hostnames: interface endpoints' private DNS depends on both.
const VPC_ATTRIBUTES: VpcAttributeName[] = ['enableDnsSupport', 'enableDnsHostnames'];

/**
 * Reads every EC2 kind of one region (the client is bound to it). Each kind is merged over its pages
 * into one AWS-CLI-shaped output; a kind whose call fails is left out and recorded in `failures`.
 */
export function collectEc2(
  client: EC2Client,
  region: string,
  options: CollectOptions = {},
): Promise<Ec2Collection> {
  return collectEc2With(CLI_JSON_FOLD, client, region, options);
}

/**
 * `collectEc2` with the pages of each kind handed to `fold` as they arrive, instead of merged into CLI JSON.
 * A kind whose call fails is left out and recorded in `failures`, whatever the fold saw of it.
 */
export async function collectEc2With<R>(
  fold: PageFold<R>,
  client: EC2Client,
  region: string,
  options: CollectOptions = {},
): Promise<Ec2Collection<R>> {
  const failures: ApiFailure[] = [];
  const list = <P extends object>(
    kind: ApiResponseKind,
    listKey: string,
    pages: () => AsyncIterable<P>,
  ): Promise<R | undefined> =>
    readKind(kind, region, failures, options, () => fold.pages(kind, [listKey], pages()));

  // The per-VPC attribute calls need the VPC ids: taken from the pages as they pass, in listing order.
  const vpcIds: string[] = [];
  const vpcs = list('ec2:DescribeVpcs', 'Vpcs', () =>
    tapPages(paginateDescribeVpcs({ client, pageSize: EC2_PAGE_SIZES.DescribeVpcs }, {}), (page) => {
      for (const vpc of page.Vpcs ?? []) vpcIds.push(String(vpc.VpcId));
    }),
  );
  // The gateways a route may point at; read alongside the rest, since any route table may need them.
  const gateways = Promise.all([
    list('ec2:DescribeNatGateways', 'NatGateways', () =>
      paginateDescribeNatGateways({ client, pageSize: EC2_PAGE_SIZES.DescribeNatGateways }, {}),
    ),
    list('ec2:DescribeInternetGateways', 'InternetGateways', () =>
      paginateDescribeInternetGateways({ client, pageSize: EC2_PAGE_SIZES.DescribeInternetGateways }, {}),
    ),
    list('ec2:DescribeEgressOnlyInternetGateways', 'EgressOnlyInternetGateways', () =>
      paginateDescribeEgressOnlyInternetGateways(
        { client, pageSize: EC2_PAGE_SIZES.DescribeEgressOnlyInternetGateways },
        {},
      ),
    ),
  ]);
  const [instances, securityGroups, vpcOutput, subnets, routeTables, networkAcls, vpcEndpoints, attributes] =
    await Promise.all([
      list('ec2:DescribeInstances', 'Reservations', () =>
        paginateDescribeInstances({ client, pageSize: EC2_PAGE_SIZES.DescribeInstances }, {}),
      ),
      list('ec2:DescribeSecurityGroups', 'SecurityGroups', () =>
        paginateDescribeSecurityGroups({ client, pageSize: EC2_PAGE_SIZES.DescribeSecurityGroups }, {}),
      ),
      vpcs,
      list('ec2:DescribeSubnets', 'Subnets', () =>
        paginateDescribeSubnets({ client, pageSize: EC2_PAGE_SIZES.DescribeSubnets }, {}),
      ),
      list('ec2:DescribeRouteTables', 'RouteTables', () =>
        paginateDescribeRouteTables({ client, pageSize: EC2_PAGE_SIZES.DescribeRouteTables }, {}),
      ),
      list('ec2:DescribeNetworkAcls', 'NetworkAcls', () =>
        paginateDescribeNetworkAcls({ client, pageSize: EC2_PAGE_SIZES.DescribeNetworkAcls }, {}),
      ),
      list('ec2:DescribeVpcEndpoints', 'VpcEndpoints', () =>
        paginateDescribeVpcEndpoints({ client, pageSize: EC2_PAGE_SIZES.DescribeVpcEndpoints }, {}),
      ),
      // Attributes need the VPC ids, so they start when DescribeVpcs is done, alongside the other lists.
      vpcs.then((output) =>
        output !== undefined
          ? collectVpcAttributes(fold, client, region, vpcIds, failures, options)
          : undefined,
      ),
    ]);
  const [natGateways, internetGateways, egressOnlyGateways] = await gateways;
  const vpcFailure = failures.find((failure) => failure.kind === 'ec2:DescribeVpcs');
  if (vpcFailure) failures.push(dependentFailure('ec2:DescribeVpcAttribute', vpcFailure));

  return {
    ...(instances !== undefined && { DescribeInstances: instances }),
    ...(securityGroups !== undefined && { DescribeSecurityGroups: securityGroups }),
    ...(vpcOutput !== undefined && { DescribeVpcs: vpcOutput }),
    ...(attributes !== undefined && { DescribeVpcAttribute: attributes }),
    ...(subnets !== undefined && { DescribeSubnets: subnets }),
    ...(routeTables !== undefined && { DescribeRouteTables: routeTables }),
    ...(networkAcls !== undefined && { DescribeNetworkAcls: networkAcls }),
    ...(vpcEndpoints !== undefined && { DescribeVpcEndpoints: vpcEndpoints }),
    ...(natGateways !== undefined && { DescribeNatGateways: natGateways }),
    ...(internetGateways !== undefined && { DescribeInternetGateways: internetGateways }),
    ...(egressOnlyGateways !== undefined && { DescribeEgressOnlyInternetGateways: egressOnlyGateways }),
    failures,
  };
}

/**
 * DescribeVpcAttribute takes one VPC and one attribute per call, so it costs 2 calls per VPC; they run
 * in parallel under the limiter. One failed call makes the whole kind unreadable (fail closed).
 */
export async function collectVpcAttributes<R>(
  fold: PageFold<R>,
  client: EC2Client,
  region: string,
  vpcIds: readonly string[],
  failures: ApiFailure[],
  options: CollectOptions,
): Promise<R[] | undefined> {
  const own: ApiFailure[] = [];
  const quiet = { ...options, onKindDone: undefined };
  const responses = await Promise.all(
    vpcIds.flatMap((VpcId) =>
      VPC_ATTRIBUTES.map((Attribute) =>
        readKind('ec2:DescribeVpcAttribute', region, own, quiet, async () =>
          fold.single(
            'ec2:DescribeVpcAttribute',
            await client.send(new DescribeVpcAttributeCommand({ VpcId, Attribute })),
          ),
        ),
      ),
    ),
  );
  const scope = {
    accountId: options.accountId ?? 'unknown',
    region,
    kind: 'ec2:DescribeVpcAttribute' as const,
  };
  if (own.length > 0) {
    failures.push(own[0] as ApiFailure);
    options.onKindDone?.({ ...scope, status: 'failed' });
    return undefined;
  }
  options.onKindDone?.({ ...scope, status: 'done' });
  return responses as R[];
}
