// The EC2 query-protocol operations the live collectors call, served from the fleet's region data.

import type { ApiJson, RegionApiData } from '../../../src/collectors/api/api-data.js';
import type { AwsRequest } from './aws-request.js';
import { encodeEc2Output } from './ec2-xml-encoder.js';
import { cutPage, type PageLimits, type PageTokens, pageSize } from './pagination.js';
import { AwsWireError, missingParameter } from './wire-error.js';

/** What an EC2 handler sees: the parsed request and the data of the signed account and region. */
export interface Ec2Context {
  request: Extract<AwsRequest, { protocol: 'query' }>;
  accountId: string;
  data: RegionApiData | undefined;
  /** Every region the account has data for (DescribeRegions). */
  regions: string[];
  tokens: PageTokens;
}

type FilterValues = (item: ApiJson) => unknown[];

/** A paginated Describe* operation: where its items live, its page rules and the filters it supports. */
interface ListOperation {
  key: keyof RegionApiData;
  listKey: string;
  limits: PageLimits;
  filters: Record<string, FilterValues>;
  /** The action's own id list (`NatGatewayId.N`…): ids ORed, ANDed with the filters. */
  ids?: { parameter: string; member: string };
}

const ec2Limits = (max: number): PageLimits => ({
  parameter: 'MaxResults',
  min: 5,
  max,
  defaultSize: undefined,
});

const field =
  (...path: string[]): FilterValues =>
  (item) => {
    let values: unknown[] = [item];
    for (const step of path) {
      values = values.flatMap((value) => {
        const next = typeof value === 'object' && value !== null ? (value as ApiJson)[step] : undefined;
        return Array.isArray(next) ? next : next === undefined ? [] : [next];
      });
    }
    return values;
  };

// Filter names per the EC2 API reference for each operation; only those the tests or collectors use.
const LIST_OPERATIONS: Record<string, ListOperation> = {
  DescribeSecurityGroups: {
    key: 'DescribeSecurityGroups',
    listKey: 'SecurityGroups',
    limits: ec2Limits(1000),
    filters: { 'group-id': field('GroupId'), 'group-name': field('GroupName'), 'vpc-id': field('VpcId') },
  },
  DescribeVpcs: {
    key: 'DescribeVpcs',
    listKey: 'Vpcs',
    limits: ec2Limits(1000),
    filters: { 'vpc-id': field('VpcId') },
  },
  DescribeSubnets: {
    key: 'DescribeSubnets',
    listKey: 'Subnets',
    limits: ec2Limits(1000),
    filters: { 'subnet-id': field('SubnetId'), 'vpc-id': field('VpcId') },
  },
  DescribeRouteTables: {
    key: 'DescribeRouteTables',
    listKey: 'RouteTables',
    limits: ec2Limits(100),
    filters: {
      'route-table-id': field('RouteTableId'),
      'vpc-id': field('VpcId'),
      'association.subnet-id': field('Associations', 'SubnetId'),
      'association.main': field('Associations', 'Main'),
    },
  },
  DescribeNetworkAcls: {
    key: 'DescribeNetworkAcls',
    listKey: 'NetworkAcls',
    limits: ec2Limits(1000),
    filters: {
      'network-acl-id': field('NetworkAclId'),
      'vpc-id': field('VpcId'),
      'association.subnet-id': field('Associations', 'SubnetId'),
      default: field('IsDefault'),
    },
  },
  DescribeVpcEndpoints: {
    key: 'DescribeVpcEndpoints',
    listKey: 'VpcEndpoints',
    // No lower bound in the model; "If the value is greater than 1,000, we return only 1,000 items."
    limits: { parameter: 'MaxResults', min: 1, max: 1000, defaultSize: undefined, clampAboveMax: true },
    filters: {
      'vpc-endpoint-id': field('VpcEndpointId'),
      'vpc-id': field('VpcId'),
      'service-name': field('ServiceName'),
      'vpc-endpoint-type': field('VpcEndpointType'),
    },
  },
  DescribeNatGateways: {
    key: 'DescribeNatGateways',
    listKey: 'NatGateways',
    limits: ec2Limits(1000),
    ids: { parameter: 'NatGatewayId', member: 'NatGatewayId' },
    filters: {
      'nat-gateway-id': field('NatGatewayId'),
      'vpc-id': field('VpcId'),
      'subnet-id': field('SubnetId'),
      state: field('State'),
    },
  },
  DescribeInternetGateways: {
    key: 'DescribeInternetGateways',
    listKey: 'InternetGateways',
    limits: ec2Limits(1000),
    ids: { parameter: 'InternetGatewayId', member: 'InternetGatewayId' },
    filters: {
      'internet-gateway-id': field('InternetGatewayId'),
      'attachment.vpc-id': field('Attachments', 'VpcId'),
    },
  },
  DescribeEgressOnlyInternetGateways: {
    key: 'DescribeEgressOnlyInternetGateways',
    listKey: 'EgressOnlyInternetGateways',
    limits: ec2Limits(255),
    ids: { parameter: 'EgressOnlyInternetGatewayId', member: 'EgressOnlyInternetGatewayId' },
    filters: {},
  },
};

const INSTANCE_FILTERS: Record<string, FilterValues> = {
  'instance-id': field('InstanceId'),
  'instance-state-name': field('State', 'Name'),
  'vpc-id': field('VpcId'),
  'subnet-id': field('SubnetId'),
  'iam-instance-profile.arn': field('IamInstanceProfile', 'Arn'),
  'instance.group-id': field('SecurityGroups', 'GroupId'),
  'network-interface.group-id': field('NetworkInterfaces', 'Groups', 'GroupId'),
  'network-interface.network-interface-id': field('NetworkInterfaces', 'NetworkInterfaceId'),
};

const VPC_ATTRIBUTES: Record<string, string> = {
  enableDnsSupport: 'EnableDnsSupport',
  enableDnsHostnames: 'EnableDnsHostnames',
  enableNetworkAddressUsageMetrics: 'EnableNetworkAddressUsageMetrics',
};

/** Answers one EC2 action with the XML body that goes inside the `<XResponse>` envelope. */
export function handleEc2(context: Ec2Context): string {
  const { request } = context;
  const operation = request.operation;
  if (operation === 'DescribeInstances') return describeInstances(context);
  if (operation === 'DescribeVpcAttribute') return describeVpcAttribute(context);
  if (operation === 'DescribeRegions') return describeRegions(context);
  const list = LIST_OPERATIONS[operation];
  if (!list) {
    throw new AwsWireError('InvalidAction', `The action ${operation} is not valid for this web service.`);
  }
  const idParameter = list.ids ? [`${list.ids.parameter}.`] : [];
  checkParameters(request.params, ['MaxResults', 'NextToken', 'DryRun', ...idParameter], true);
  const size = pageSize('ec2', list.limits, request.params.get('MaxResults') ?? undefined);
  const items = applyFilters(
    selectIds(listOf(context.data?.[list.key], list.listKey), request.params, list.ids),
    readFilters(request.params, list.filters),
  );
  const page = cutPage(
    'ec2',
    context.tokens,
    scope(context),
    items,
    size,
    request.params.get('NextToken') ?? undefined,
  );
  return encodeEc2Output(`${operation}Result`, { [list.listKey]: page.items, NextToken: page.nextToken });
}

function describeInstances(context: Ec2Context): string {
  const { params } = context.request;
  checkParameters(params, ['MaxResults', 'NextToken', 'DryRun', 'InstanceId.'], true);
  const hasIds = [...params.keys()].some((key) => key.startsWith('InstanceId.'));
  if (hasIds && params.has('MaxResults')) {
    throw new AwsWireError(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  const size = pageSize('ec2', ec2Limits(1000), params.get('MaxResults') ?? undefined);
  const filters = readFilters(params, INSTANCE_FILTERS);
  const ids = new Set(
    [...params.entries()].filter(([key]) => key.startsWith('InstanceId.')).map(([, value]) => value),
  );
  if (ids.size > 0) filters.push({ values: field('InstanceId'), accepted: ids });
  // Filters select instances; a reservation is returned with only its matching instances.
  const reservations = listOf(context.data?.DescribeInstances, 'Reservations')
    .map((reservation) => ({
      ...reservation,
      Instances: applyFilters(listOf(reservation, 'Instances'), filters),
    }))
    .filter((reservation) => reservation.Instances.length > 0 || filters.length === 0);
  // MaxResults counts instances, but a page never splits a reservation.
  const page = cutPage(
    'ec2',
    context.tokens,
    scope(context),
    reservations,
    size,
    params.get('NextToken') ?? undefined,
    (r) => Math.max(1, r.Instances.length),
  );
  return encodeEc2Output('DescribeInstancesResult', { Reservations: page.items, NextToken: page.nextToken });
}

function describeVpcAttribute(context: Ec2Context): string {
  const { params } = context.request;
  checkParameters(params, ['VpcId', 'Attribute', 'DryRun'], false);
  const vpcId = params.get('VpcId');
  const attribute = params.get('Attribute');
  if (!vpcId) throw missingParameter('ec2', 'VpcId');
  if (!attribute) throw missingParameter('ec2', 'Attribute');
  const member = VPC_ATTRIBUTES[attribute];
  if (!member) {
    throw new AwsWireError(
      'InvalidParameterValue',
      `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  }
  const vpcs = listOf(context.data?.DescribeVpcs, 'Vpcs');
  if (!vpcs.some((vpc) => vpc.VpcId === vpcId)) {
    throw new AwsWireError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  }
  const recorded = (context.data?.DescribeVpcAttribute ?? []).find(
    (response) => response.VpcId === vpcId && response[member] !== undefined,
  );
  // A VPC always has these attributes; AWS defaults are DNS support on, hostnames and NAU metrics off.
  const value = recorded?.[member] ?? { Value: attribute === 'enableDnsSupport' };
  return encodeEc2Output('DescribeVpcAttributeResult', { VpcId: vpcId, [member]: value });
}

function describeRegions(context: Ec2Context): string {
  checkParameters(context.request.params, ['AllRegions', 'RegionName.', 'Filter.', 'DryRun'], false);
  const regions = context.regions.map((name) => ({
    RegionName: name,
    Endpoint: `ec2.${name}.amazonaws.com`,
    OptInStatus: 'opt-in-not-required',
  }));
  return encodeEc2Output('DescribeRegionsResult', { Regions: regions });
}

interface Filter {
  values: FilterValues;
  accepted: Set<string>;
}

/** `Filter.N.Name` / `Filter.N.Value.M`: names ANDed, values ORed, case-sensitive. */
function readFilters(params: URLSearchParams, supported: Record<string, FilterValues>): Filter[] {
  const byIndex = new Map<string, { name?: string; values: string[] }>();
  for (const [key, value] of params.entries()) {
    const match = /^Filter\.(\d+)\.(Name|Value\.\d+)$/.exec(key);
    if (!match) continue;
    const entry = byIndex.get(match[1] as string) ?? { values: [] };
    if (match[2] === 'Name') entry.name = value;
    else entry.values.push(value);
    byIndex.set(match[1] as string, entry);
  }
  return [...byIndex.values()].map((entry) => {
    const name = entry.name;
    if (!name) throw new AwsWireError('InvalidParameterValue', 'The filter name must be specified');
    const tagKey = name.startsWith('tag:') ? name.slice(4) : undefined;
    const values: FilterValues | undefined =
      tagKey !== undefined
        ? (item) =>
            listOf(item, 'Tags')
              .filter((tag) => tag.Key === tagKey)
              .map((tag) => tag.Value)
        : name === 'tag-key'
          ? (item) => listOf(item, 'Tags').map((tag) => tag.Key)
          : supported[name];
    if (!values) throw new AwsWireError('InvalidParameterValue', `The filter '${name}' is invalid`);
    return { values, accepted: new Set(entry.values) };
  });
}

function applyFilters(items: ApiJson[], filters: readonly Filter[]): ApiJson[] {
  if (filters.length === 0) return items;
  return items.filter((item) =>
    filters.every((filter) => filter.values(item).some((value) => filter.accepted.has(String(value)))),
  );
}

/** Keeps the items the action's id list names (all of them without one). */
function selectIds(items: ApiJson[], params: URLSearchParams, ids: ListOperation['ids']): ApiJson[] {
  if (ids === undefined) return items;
  const wanted = [...params.entries()]
    .filter(([key]) => key.startsWith(`${ids.parameter}.`))
    .map(([, value]) => value);
  if (wanted.length === 0) return items;
  const set = new Set(wanted);
  return items.filter((item) => set.has(String(item[ids.member])));
}

/** Rejects parameters the action does not take, as EC2 does (`UnknownParameter`). */
function checkParameters(params: URLSearchParams, allowed: readonly string[], filters: boolean): void {
  for (const key of params.keys()) {
    if (key === 'Action' || key === 'Version') continue;
    if (filters && key.startsWith('Filter.')) continue;
    if (allowed.some((name) => (name.endsWith('.') ? key.startsWith(name) : key === name))) continue;
    throw new AwsWireError('UnknownParameter', `The parameter ${key} is not recognized`);
  }
}

function scope(context: Ec2Context): string {
  const filters = [...context.request.params.entries()]
    .filter(([key]) =>
      /^(Filter|InstanceId|NatGatewayId|InternetGatewayId|EgressOnlyInternetGatewayId)\./.test(key),
    )
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return `ec2:${context.request.operation}:${context.accountId}:${context.request.region}:${filters}`;
}

function listOf(value: unknown, key: string): ApiJson[] {
  if (typeof value !== 'object' || value === null) return [];
  const list = (value as ApiJson)[key];
  return Array.isArray(list) ? (list as ApiJson[]) : [];
}
