// The Lambda's scoped collector: reads exactly a rule's neighbourhood around some instances, with filtered calls.

import {
  type EC2Client,
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
  type Filter,
} from '@aws-sdk/client-ec2';
import { paginateDescribeInstanceInformation, type SSMClient } from '@aws-sdk/client-ssm';
import type { ApiFailure, ApiJson, ApiResponseKind } from '../collectors/api/api-data.js';
import { collectVpcAttributes } from '../collectors/live/collect-ec2.js';
import { PatchStateReader } from '../collectors/live/collect-patch-states.js';
import { collectSsmWith } from '../collectors/live/collect-ssm.js';
import { type MappedAccount, type MappedPages, mappingFold } from '../collectors/live/mapping-fold.js';
import { mergeLists } from '../collectors/live/page-fold.js';
import { readKind } from '../collectors/live/read-kind.js';
import type { DhmcSetting, Ec2Instance } from '../inventory/model.js';
import type { Neighbour } from '../inventory/neighbourhood.js';
import { readIamNeighbourhood } from './scoped-iam-reader.js';

/** The clients a scoped read uses (bound to the event's account and region). */
export interface ScopedClients {
  ec2: EC2Client;
  ssm: SSMClient;
  iam: import('@aws-sdk/client-iam').IAMClient;
}

// At most this many values per filter: SSM documents 100 (InstanceInformationStringFilter); EC2's own per-filter
// limit is not stated on the Describe* pages, so the same, smaller batch is used there.
const FILTER_BATCH = 100;

type Region = MappedAccount['regions'][number];

/**
 * Reads the neighbourhood of `instances` (model objects, from the configuration item or a filtered
 * DescribeInstances) for the given neighbours, in as few rounds as the dependencies allow: the VPCs' endpoints
 * and the DHMC setting first, then the subnets, route tables, NACLs and security groups of the instances and
 * the endpoints together, and IAM once the DHMC role is known. Every read is a filtered call; a failed one is
 * recorded as the failure of its kind, so the families it fills become unreadable and the rule says ERROR.
 */
export async function readNeighbourhood(
  clients: ScopedClients,
  instances: readonly Ec2Instance[],
  neighbours: ReadonlySet<Neighbour>,
  accountId: string,
  region: string,
  /** The evaluation time: the maintenance-window run history is read back from it. */
  nowMs?: number,
): Promise<MappedAccount> {
  const fold = mappingFold(accountId, region);
  const regionData: Region = { accountId, region, failures: [] };
  const account: MappedAccount = { accountId, failures: [], regions: [regionData] };
  const options = { accountId };
  const read = (kind: ApiResponseKind, fn: () => Promise<MappedPages>): Promise<MappedPages | undefined> =>
    readKind(kind, region, regionData.failures, options, fn);
  const has = (n: Neighbour): boolean => neighbours.has(n);
  const vpcIds = unique(instances.map((i) => i.vpcId));

  // Round 1: what the other reads depend on (endpoints → their groups and subnets; DHMC → its role), and the
  // reads nothing depends on.
  const [endpoints, ssm] = await Promise.all([
    has('vpc.endpoints') || has('vpc.endpoint-policies')
      ? read('ec2:DescribeVpcEndpoints', () =>
          filtered('ec2:DescribeVpcEndpoints', 'VpcEndpoints', 'vpc-id', vpcIds, (Filters) =>
            paginateDescribeVpcEndpoints({ client: clients.ec2, pageSize: 1000 }, { Filters }),
          ),
        )
      : undefined,
    readSsm(clients.ssm, instances, neighbours, accountId, region, nowMs),
    has('instance.vpc')
      ? read('ec2:DescribeVpcs', () =>
          filtered('ec2:DescribeVpcs', 'Vpcs', 'vpc-id', vpcIds, (Filters) =>
            paginateDescribeVpcs({ client: clients.ec2, pageSize: 1000 }, { Filters }),
          ),
        ).then((v) => v && (regionData.DescribeVpcs = v))
      : undefined,
    has('instance.vpc-attributes')
      ? collectVpcAttributes(fold, clients.ec2, region, vpcIds, regionData.failures, options).then(
          (v) => v && (regionData.DescribeVpcAttribute = v),
        )
      : undefined,
  ]);
  if (endpoints !== undefined) regionData.DescribeVpcEndpoints = endpoints;
  Object.assign(regionData, ssm.data);
  regionData.failures.push(...ssm.failures);

  // Round 2: the network of the instances and of the endpoints they may use, and IAM.
  // Only 'vpc.endpoints' reaches the endpoints' own groups and subnets; 'vpc.endpoint-policies' stops at their policies.
  const endpointJson = has('vpc.endpoints')
    ? (endpoints?.flatMap((m) => m.resources.vpcEndpoints ?? []) ?? [])
    : [];
  const endpointSubnets = endpointJson.flatMap((e) => e.subnetIds);
  const endpointGroups = endpointJson.flatMap((e) => e.securityGroupIds);
  const subnetIds = unique([
    ...(has('instance.subnet') || has('instance.route-table') || has('instance.network-acl')
      ? instances.map((i) => i.subnetId)
      : []),
    ...endpointSubnets,
  ]);
  const groupIds = unique([
    ...(has('instance.security-groups') ? instances.flatMap(groupsOf) : []),
    ...endpointGroups,
  ]);
  const wantsSubnets = has('instance.subnet') || has('vpc.endpoints');
  const wantsTables = has('instance.route-table') || has('vpc.endpoints');
  const wantsAcls = has('instance.network-acl') || has('vpc.endpoints');
  const [subnets, tables, acls, groups, iam] = await Promise.all([
    wantsSubnets
      ? read('ec2:DescribeSubnets', () =>
          filtered('ec2:DescribeSubnets', 'Subnets', 'subnet-id', subnetIds, (Filters) =>
            paginateDescribeSubnets({ client: clients.ec2, pageSize: 1000 }, { Filters }),
          ),
        )
      : undefined,
    wantsTables
      ? read('ec2:DescribeRouteTables', () => routeTables(clients.ec2, subnetIds, vpcIds, fold))
      : undefined,
    wantsAcls
      ? read('ec2:DescribeNetworkAcls', () =>
          filtered('ec2:DescribeNetworkAcls', 'NetworkAcls', 'association.subnet-id', subnetIds, (Filters) =>
            paginateDescribeNetworkAcls({ client: clients.ec2, pageSize: 1000 }, { Filters }),
          ),
        )
      : undefined,
    has('instance.security-groups') || has('vpc.endpoints')
      ? read('ec2:DescribeSecurityGroups', () =>
          filtered('ec2:DescribeSecurityGroups', 'SecurityGroups', 'group-id', groupIds, (Filters) =>
            paginateDescribeSecurityGroups({ client: clients.ec2, pageSize: 1000 }, { Filters }),
          ),
        )
      : undefined,
    has('instance.iam')
      ? readIamNeighbourhood(
          clients.iam,
          instances,
          dhmcRoleOf(ssm.data),
          accountId,
          has('instance.iam-policies'),
        )
      : undefined,
  ]);
  if (subnets !== undefined) regionData.DescribeSubnets = subnets;
  if (tables !== undefined) regionData.DescribeRouteTables = tables;
  if (acls !== undefined) regionData.DescribeNetworkAcls = acls;
  if (groups !== undefined) regionData.DescribeSecurityGroups = groups;
  // Without the route tables the devices cannot be known; their families stay unread and the path check ERRORs.
  if (has('instance.route-devices') && tables !== undefined)
    await readRouteDevices(read, clients.ec2, fold, regionData, vpcIds, subnetIds);
  if (iam !== undefined) {
    if (iam.mapped !== undefined) account.GetAccountAuthorizationDetails = iam.mapped;
    account.failures.push(...iam.failures);
  }
  return account;

  /** One kind read with `name` filtered by `values`, in batches; the pages of every batch mapped as one list. */
  async function filtered<P extends object>(
    kind: ApiResponseKind,
    listKey: string,
    name: string,
    values: readonly string[],
    pages: (filters: Filter[]) => AsyncIterable<P>,
  ): Promise<MappedPages> {
    const out: MappedPages = [];
    // No values: nothing to read, and the kind still counts as read (an empty answer), like AWS's.
    if (values.length === 0) return fold.pages(kind, [listKey], emptyPages(listKey));
    for (const batch of batches(values))
      out.push(...(await fold.pages(kind, [listKey], pages([{ Name: name, Values: batch }]))));
    return out;
  }
}

/**
 * Round 3 on: the devices the route tables name, followed hop by hop as the path check follows them. NAT, internet
 * and egress-only gateways are read by id; a NAT gateway's subnet (its route table and network ACL) is read next,
 * since its traffic leaves by that subnet's routes; a NAT instance (an instance or network-interface target) is
 * read with DescribeInstances, with its subnet likewise. A device a route names but the answer lacks stays absent,
 * and the path check says it is not in the data (ERROR). The walk stops when a round finds nothing new (the path
 * check's own depth bound is smaller than MAX_DEVICE_ROUNDS).
 */
const MAX_DEVICE_ROUNDS = 4;

type ReadFn = (kind: ApiResponseKind, fn: () => Promise<MappedPages>) => Promise<MappedPages | undefined>;

async function readRouteDevices(
  read: ReadFn,
  client: EC2Client,
  fold: ReturnType<typeof mappingFold>,
  regionData: Region,
  vpcIds: readonly string[],
  subnetsRead: readonly string[],
): Promise<void> {
  const seen = new Set<string>(subnetsRead);
  const devicesRead = new Set<string>();
  const append = (key: DeviceKey, pages: MappedPages | undefined): void => {
    if (pages !== undefined) regionData[key] = [...(regionData[key] ?? []), ...pages];
  };
  for (let round = 0; round < MAX_DEVICE_ROUNDS; round += 1) {
    const targets = routeTargets(regionData).filter((t) => !devicesRead.has(t.id));
    if (round > 0 && targets.length === 0) break;
    for (const t of targets) devicesRead.add(t.id);
    const idsOf = (...kinds: string[]): string[] =>
      unique(targets.filter((t) => kinds.includes(t.kind)).map((t) => t.id));
    const [nat, igw, eoigw, natInstances] = await Promise.all([
      round === 0 || idsOf('nat-gateway').length > 0
        ? read('ec2:DescribeNatGateways', () =>
            byIds('NatGateways', idsOf('nat-gateway'), (NatGatewayIds) =>
              paginateDescribeNatGateways({ client, pageSize: 1000 }, { NatGatewayIds }),
            ),
          )
        : undefined,
      round === 0 || idsOf('internet-gateway').length > 0
        ? read('ec2:DescribeInternetGateways', () =>
            byIds('InternetGateways', idsOf('internet-gateway'), (InternetGatewayIds) =>
              paginateDescribeInternetGateways({ client, pageSize: 1000 }, { InternetGatewayIds }),
            ),
          )
        : undefined,
      round === 0 || idsOf('egress-only-internet-gateway').length > 0
        ? read('ec2:DescribeEgressOnlyInternetGateways', () =>
            byIds('EgressOnlyInternetGateways', idsOf('egress-only-internet-gateway'), (ids) =>
              paginateDescribeEgressOnlyInternetGateways(
                { client, pageSize: 255 },
                { EgressOnlyInternetGatewayIds: ids },
              ),
            ),
          )
        : undefined,
      idsOf('instance', 'network-interface').length > 0
        ? read('ec2:DescribeInstances', () => natInstancePages(idsOf('instance'), idsOf('network-interface')))
        : undefined,
    ]);
    append('DescribeNatGateways', nat);
    append('DescribeInternetGateways', igw);
    append('DescribeEgressOnlyInternetGateways', eoigw);
    append('DescribeInstances', natInstances);
    const next = unique([
      ...(nat ?? []).flatMap((m) => m.resources.natGateways ?? []).map((g) => g.subnetId),
      ...(natInstances ?? []).flatMap((m) => m.resources.instances ?? []).map((i) => i.subnetId),
    ]).filter((id) => !seen.has(id));
    if (next.length === 0) continue;
    for (const id of next) seen.add(id);
    const [subnets, tables, acls] = await Promise.all([
      read('ec2:DescribeSubnets', () =>
        byFilter('Subnets', 'subnet-id', next, (Filters) =>
          paginateDescribeSubnets({ client, pageSize: 1000 }, { Filters }),
        ),
      ),
      read('ec2:DescribeRouteTables', () => routeTables(client, next, vpcIds, fold)),
      read('ec2:DescribeNetworkAcls', () =>
        byFilter('NetworkAcls', 'association.subnet-id', next, (Filters) =>
          paginateDescribeNetworkAcls({ client, pageSize: 1000 }, { Filters }),
        ),
      ),
    ]);
    append('DescribeSubnets', subnets);
    append('DescribeRouteTables', tables);
    append('DescribeNetworkAcls', acls);
  }

  async function byIds<P extends object>(
    listKey: string,
    ids: readonly string[],
    pages: (batch: string[]) => AsyncIterable<P>,
  ): Promise<MappedPages> {
    const kind = KIND_OF_LIST[listKey]!;
    if (ids.length === 0) return fold.pages(kind, [listKey], emptyPages(listKey));
    const out: MappedPages = [];
    for (const batch of batches(ids)) out.push(...(await fold.pages(kind, [listKey], pages(batch))));
    return out;
  }

  function byFilter<P extends object>(
    listKey: string,
    name: string,
    values: readonly string[],
    pages: (filters: Filter[]) => AsyncIterable<P>,
  ): Promise<MappedPages> {
    return byIds(listKey, values, (batch) => pages([{ Name: name, Values: batch }]));
  }

  /** NAT instances, named by a route's instance id or network interface id (one call per filter, merged). */
  async function natInstancePages(instanceIds: string[], eniIds: string[]): Promise<MappedPages> {
    return instancePagesByFilter(client, fold, [
      ...batches(instanceIds).map((Values) => ({ Name: 'instance-id', Values })),
      ...batches(eniIds).map((Values) => ({ Name: 'network-interface.network-interface-id', Values })),
    ]);
  }
}

type DeviceKey =
  | 'DescribeNatGateways'
  | 'DescribeInternetGateways'
  | 'DescribeEgressOnlyInternetGateways'
  | 'DescribeInstances'
  | 'DescribeSubnets'
  | 'DescribeRouteTables'
  | 'DescribeNetworkAcls';

const KIND_OF_LIST: Record<string, ApiResponseKind> = {
  NatGateways: 'ec2:DescribeNatGateways',
  InternetGateways: 'ec2:DescribeInternetGateways',
  EgressOnlyInternetGateways: 'ec2:DescribeEgressOnlyInternetGateways',
  Subnets: 'ec2:DescribeSubnets',
  NetworkAcls: 'ec2:DescribeNetworkAcls',
};

/** Every device target of the route tables read so far. */
function routeTargets(regionData: Region): { kind: string; id: string }[] {
  return (regionData.DescribeRouteTables ?? [])
    .flatMap((m) => m.resources.routeTables ?? [])
    .flatMap((t) => t.routes)
    .flatMap((r) => ('id' in r.target ? [{ kind: r.target.kind, id: r.target.id }] : []));
}

/**
 * Route tables of the subnets: their explicit associations (filter association.subnet-id), and, only when some
 * subnet has none, the main table of its VPC (association.main=true), which governs such subnets.
 * https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#RouteTableDetails
 */
async function routeTables(
  client: EC2Client,
  subnetIds: readonly string[],
  vpcIds: readonly string[],
  fold: ReturnType<typeof mappingFold>,
): Promise<MappedPages> {
  const explicit: ApiJson[] = [];
  for (const batch of batches(subnetIds)) {
    const merged = await mergeLists(
      paginateDescribeRouteTables(
        { client, pageSize: 100 },
        { Filters: [{ Name: 'association.subnet-id', Values: batch }] },
      ),
      ['RouteTables'],
    );
    explicit.push(...((merged.RouteTables as ApiJson[] | undefined) ?? []));
  }
  const associated = new Set(
    explicit.flatMap((t) => ((t.Associations as ApiJson[] | undefined) ?? []).map((a) => String(a.SubnetId))),
  );
  const tables = [...explicit];
  if (subnetIds.some((id) => !associated.has(id))) {
    // Endpoint subnets are in the instances' VPCs (an endpoint belongs to one VPC, found by vpc-id).
    const main = await mergeLists(
      paginateDescribeRouteTables(
        { client, pageSize: 100 },
        {
          Filters: [
            { Name: 'association.main', Values: ['true'] },
            { Name: 'vpc-id', Values: [...vpcIds] },
          ],
        },
      ),
      ['RouteTables'],
    );
    const seen = new Set(tables.map((t) => String(t.RouteTableId)));
    for (const table of (main.RouteTables as ApiJson[] | undefined) ?? [])
      if (!seen.has(String(table.RouteTableId))) tables.push(table);
  }
  return fold.single('ec2:DescribeRouteTables', { RouteTables: tables });
}

/** The SSM part: the instances' own entries, the account's hybrid nodes, DHMC, windows, patch groups. */
async function readSsm(
  client: SSMClient,
  instances: readonly Ec2Instance[],
  neighbours: ReadonlySet<Neighbour>,
  accountId: string,
  region: string,
  nowMs: number | undefined,
): Promise<{ data: Partial<Region>; failures: ApiFailure[] }> {
  const fold = mappingFold(accountId, region);
  const failures: ApiFailure[] = [];
  const only = new Set<ApiResponseKind>();
  // The IAM checks read DHMC too: the DHMC role is the fallback credential of an instance.
  if (neighbours.has('region.dhmc')) only.add('ssm:GetServiceSetting');
  if (neighbours.has('region.maintenance-windows'))
    for (const kind of [
      'ssm:DescribeMaintenanceWindows',
      'ssm:DescribeMaintenanceWindowTargets',
      'ssm:DescribeMaintenanceWindowTasks',
    ] as const)
      only.add(kind);
  if (neighbours.has('region.patch-groups')) only.add('ssm:DescribePatchGroups');
  // The baselines in use are those the patch groups name and the defaults: the groups are read to know them.
  if (neighbours.has('region.patch-baselines'))
    for (const kind of [
      'ssm:DescribePatchGroups',
      'ssm:DescribePatchBaselines',
      'ssm:GetPatchBaseline',
    ] as const)
      only.add(kind);
  if (neighbours.has('region.window-runs'))
    for (const kind of [
      'ssm:DescribeMaintenanceWindows',
      'ssm:DescribeMaintenanceWindowExecutions',
      'ssm:DescribeMaintenanceWindowExecutionTasks',
      'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
    ] as const)
      only.add(kind);
  const regionWide =
    only.size > 0
      ? await collectSsmWith(fold, client, region, {
          accountId,
          only,
          ...(nowMs !== undefined && { nowMs }),
        })
      : { failures: [] };
  const { failures: regionFailures, ...data } = regionWide;
  failures.push(...regionFailures);

  // Entries of the instances themselves (filter InstanceIds) and every hybrid node (ResourceType=ManagedInstance):
  // together one kind, so one failed call makes it unreadable.
  const filters: { Key: string; Values: string[] }[][] = [];
  if (neighbours.has('instance.managed-node'))
    for (const batch of batches(instances.map((i) => i.instanceId)))
      filters.push([{ Key: 'InstanceIds', Values: batch }]);
  if (neighbours.has('account.hybrid-nodes'))
    filters.push([{ Key: 'ResourceType', Values: ['ManagedInstance'] }]);
  if (filters.length > 0) {
    const information = await readKind(
      'ssm:DescribeInstanceInformation',
      region,
      failures,
      { accountId },
      async () => {
        const out: MappedPages = [];
        for (const Filters of filters)
          out.push(
            ...(await fold.pages(
              'ssm:DescribeInstanceInformation',
              ['InstanceInformationList'],
              // 50: the largest page the API accepts (InstanceInformationMaxResults 5..50).
              paginateDescribeInstanceInformation({ client, pageSize: 50 }, { Filters }),
            )),
          );
        return out;
      },
    );
    if (information !== undefined) Object.assign(data, { DescribeInstanceInformation: information });
  }
  if (neighbours.has('instance.patch-state')) {
    // The instances' own patch states, 50 ids a call, as the full read does for the managed nodes.
    const reader = new PatchStateReader(client, region, { accountId });
    reader.seeNodes(instances.map((i) => ({ InstanceId: i.instanceId })));
    const states = await reader.finish(fold, failures, undefined);
    if (states !== undefined) Object.assign(data, { DescribeInstancePatchStates: states });
  }
  return { data: data as Partial<Region>, failures };
}

/** The DHMC role name, when the setting was read and names one. */
function dhmcRoleOf(data: Partial<Region>): string | undefined {
  const setting = (data.GetServiceSetting ?? []).flatMap((m) => m.resources.dhmcSettings ?? [])[0] as
    DhmcSetting | undefined;
  return setting?.enabled ? setting.roleName : undefined;
}

/** Finds the instances a related resource's change affects, with one filtered DescribeInstances per filter. */
export async function findInstances(
  client: EC2Client,
  filters: readonly Filter[],
  accountId: string,
  region: string,
): Promise<{ mapped: MappedPages | undefined; failures: ApiFailure[] }> {
  const fold = mappingFold(accountId, region);
  const failures: ApiFailure[] = [];
  const mapped = await readKind('ec2:DescribeInstances', region, failures, { accountId }, async () => {
    // A resource reachable two ways (an instance's groups or its interfaces' groups): one call per filter.
    return instancePagesByFilter(client, fold, filters);
  });
  return { mapped, failures };
}

/** DescribeInstances once per filter (EC2 ANDs the filters of one call), the pages of every call merged. */
async function instancePagesByFilter(
  client: EC2Client,
  fold: ReturnType<typeof mappingFold>,
  filters: readonly Filter[],
): Promise<MappedPages> {
  const out: MappedPages = [];
  for (const filter of filters)
    out.push(
      ...(await fold.pages(
        'ec2:DescribeInstances',
        ['Reservations'],
        paginateDescribeInstances({ client, pageSize: 1000 }, { Filters: [filter] }),
      )),
    );
  return out;
}

function groupsOf(instance: Ec2Instance): string[] {
  return [...instance.securityGroupIds, ...instance.networkInterfaces.flatMap((n) => n.securityGroupIds)];
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
}

function batches(values: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += FILTER_BATCH) out.push(values.slice(i, i + FILTER_BATCH));
  return out;
}

async function* emptyPages(listKey: string): AsyncIterable<object> {
  yield { [listKey]: [] };
}
