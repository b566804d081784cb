// Collects one region's EC2 network and instance data with SDK v3 paginators, in as few calls as allowed.

import {
  type EC2Client,
  DescribeVpcAttributeCommand,
  paginateDescribeInstances,
  paginateDescribeNetworkAcls,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type VpcAttributeName,
} from '@aws-sdk/client-ec2';
import type { ApiFailure, ApiJson, CollectedRegionData } from '../api/api-data.js';
import { type CollectOptions, dependentFailure, readKind } from './read-kind.js';
import { toCliJson } from './to-cli-json.js';

/** The EC2 part of a region's collected data. */
export type Ec2Collection = Pick<
  CollectedRegionData,
  | 'DescribeInstances'
  | 'DescribeSecurityGroups'
  | 'DescribeVpcs'
  | 'DescribeVpcAttribute'
  | 'DescribeSubnets'
  | 'DescribeRouteTables'
  | 'DescribeNetworkAcls'
  | 'DescribeVpcEndpoints'
> & { failures: ApiFailure[] };

// Largest page each API accepts (EC2 model: DescribeRouteTablesMaxResults 5..100, the others ..1000).
export const EC2_PAGE_SIZES = {
  DescribeInstances: 1000,
  DescribeSecurityGroups: 1000,
  DescribeVpcs: 1000,
  DescribeSubnets: 1000,
  DescribeRouteTables: 100,
  DescribeNetworkAcls: 1000,
  DescribeVpcEndpoints: 1000,
} as const;

// ssmguard needs DNS support and DNS hostnames: interface endpoints' private DNS depends on both.
const VPC_ATTRIBUTES: VpcAttributeName[] = ['enableDnsSupport', 'enableDnsHostnames'];

/**
 * Reads every EC2 kind of one region (the client is bound to it). Each kind is merged over its pages
 * into one AWS-CLI-shaped output; a kind whose call fails is left out and recorded in `failures`.
 */
export async function collectEc2(
  client: EC2Client,
  region: string,
  options: CollectOptions = {},
): Promise<Ec2Collection> {
  const failures: ApiFailure[] = [];
  const list = <P extends object>(
    kind: Parameters<typeof readKind>[0],
    listKey: string,
    pages: () => AsyncIterable<P>,
  ): Promise<ApiJson | undefined> =>
    readKind(kind, region, failures, options, () => mergePages(pages(), listKey));

  const vpcs = list('ec2:DescribeVpcs', 'Vpcs', () =>
    paginateDescribeVpcs({ client, pageSize: EC2_PAGE_SIZES.DescribeVpcs }, {}),
  );
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
        output ? collectVpcAttributes(client, region, output, failures, options) : undefined,
      ),
    ]);
  const vpcFailure = failures.find((failure) => failure.kind === 'ec2:DescribeVpcs');
  if (vpcFailure) failures.push(dependentFailure('ec2:DescribeVpcAttribute', vpcFailure));

  return {
    ...(instances && { DescribeInstances: instances }),
    ...(securityGroups && { DescribeSecurityGroups: securityGroups }),
    ...(vpcOutput && { DescribeVpcs: vpcOutput }),
    ...(attributes && { DescribeVpcAttribute: attributes }),
    ...(subnets && { DescribeSubnets: subnets }),
    ...(routeTables && { DescribeRouteTables: routeTables }),
    ...(networkAcls && { DescribeNetworkAcls: networkAcls }),
    ...(vpcEndpoints && { DescribeVpcEndpoints: vpcEndpoints }),
    failures,
  };
}

/**
 * DescribeVpcAttribute takes one VPC and one attribute per call, so it costs 2 calls per VPC; they run
 * in parallel under the limiter. One failed call makes the whole kind unreadable (fail closed).
 */
async function collectVpcAttributes(
  client: EC2Client,
  region: string,
  vpcs: ApiJson,
  failures: ApiFailure[],
  options: CollectOptions,
): Promise<ApiJson[] | undefined> {
  const vpcIds = (Array.isArray(vpcs.Vpcs) ? (vpcs.Vpcs as ApiJson[]) : []).map((vpc) => String(vpc.VpcId));
  const own: ApiFailure[] = [];
  const quiet = { ...options, onKindDone: undefined };
  const responses = await Promise.all(
    vpcIds.flatMap((VpcId) =>
      VPC_ATTRIBUTES.map((Attribute) =>
        readKind('ec2:DescribeVpcAttribute', region, own, quiet, async () =>
          toCliJson(await client.send(new DescribeVpcAttributeCommand({ VpcId, Attribute }))),
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
  return responses as ApiJson[];
}

/** Concatenates `listKey` over all pages into one output without pagination tokens. */
export async function mergePages<P extends object>(
  pages: AsyncIterable<P>,
  listKey: string,
): Promise<ApiJson> {
  const items: unknown[] = [];
  for await (const page of pages) {
    const list = (page as Record<string, unknown>)[listKey];
    if (Array.isArray(list)) items.push(...(list as unknown[]));
  }
  return toCliJson({ [listKey]: items });
}
