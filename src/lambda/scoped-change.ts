// A change event judged on the rule's neighbourhood only: the item (or the instances a related item affects), plus
// exactly what the rule declares it reads around them.

import type { AwsIpRanges } from '../inventory/aws-ip-ranges.js';
import type { Filter } from '@aws-sdk/client-ec2';
import {
  type IAMClient,
  paginateListEntitiesForPolicy,
  paginateListInstanceProfilesForRole,
} from '@aws-sdk/client-iam';
import { InventoryBuilder } from '../collectors/api/inventory-builder.js';
import type { ConfigurationItem } from '../collectors/config/configuration-item.js';
import { addConfigItems } from '../collectors/config/map-config-items.js';
import { addMappedAccount, type MappedAccount, type MappedPages } from '../collectors/live/mapping-fold.js';
import type { CompiledRule } from '../engine/compile-rule.js';
import { evaluate } from '../engine/evaluate.js';
import { deferredNeighbourhood, ruleNeighbourhood } from '../engine/rule-neighbourhood.js';
import { InventoryIndex } from '../inventory/inventory-index.js';
import type { Neighbour } from '../inventory/neighbourhood.js';
import type { Evaluation } from '../engine/types.js';
import { CheckerError } from '../errors.js';
import type { Inventory } from '../inventory/model.js';
import { findInstances, readNeighbourhood, type ScopedClients } from './scoped-reader.js';

/** The instances a related resource's change affects could not be listed, so nothing can be judged. */
export class RelatedInstancesUnreadableError extends CheckerError {
  readonly code = 'RELATED_INSTANCES_UNREADABLE';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RelatedInstancesUnreadableError';
  }
}

/** Where the judged resource comes from: its configuration item, or (oversized, not recorded) its service API. */
export interface PrimaryData {
  item: ConfigurationItem;
  /** DescribeInstances pages of the item's instance when the item itself could not be had. */
  instancePages?: MappedPages;
}

export interface ScopedChange {
  inventory: Inventory;
  /** Evaluations of the rule's resources the change concerns. */
  evaluations: Evaluation[];
  /** Whether the item is a related resource (judged through the instances that use it). */
  related: boolean;
}

/**
 * Evaluates an instance rule on a change: for the instance itself, its item is the resource and only its
 * neighbourhood is read; for a related EC2 resource, the instances using it are found with a filtered
 * DescribeInstances and their neighbourhoods read together. Undefined when the change is not one this module
 * scopes (a rule on another resource type, or an IAM resource, whose users are not one filter away): the
 * caller then reads the region.
 */
export async function evaluateScopedChange(
  primary: PrimaryData,
  rule: CompiledRule,
  clients: ScopedClients,
  accountId: string,
  region: string,
  nowMs: number,
  ipRanges?: AwsIpRanges,
): Promise<ScopedChange | undefined> {
  if (rule.spec.type !== 'AWS::EC2::Instance') return undefined;
  const { item } = primary;
  const deferred = deferredNeighbourhood(rule);
  const neighbours = new Set(ruleNeighbourhood(rule).filter((n) => !deferred?.needs.includes(n)));
  const related = item.resourceType !== rule.spec.type;
  let instancePages = primary.instancePages;
  if (related) {
    const filters =
      item.resourceType === 'AWS::IAM::Policy'
        ? await policyProfileFilters(clients.iam, item)
        : instanceFilters(item);
    if (filters === undefined) return undefined;
    const found = await findInstances(clients.ec2, filters, accountId, region);
    if (found.mapped === undefined)
      throw new RelatedInstancesUnreadableError(
        `the instances using ${item.resourceType} ${item.resourceId} could not be listed: ${found.failures
          .map((f) => `${f.code} ${f.message}`)
          .join('; ')}`,
      );
    instancePages = found.mapped;
  }
  const base = build(primary.item, instancePages, related);
  const instances = related ? base.instances : base.instances.filter((i) => i.instanceId === item.resourceId);
  const account = await readNeighbourhood(clients, instances, neighbours, accountId, region, nowMs);
  const assemble = (): Inventory => inventoryOf(primary, account, instancePages);
  let inventory = assemble();
  // Round two, only when an instance's evaluation consults what the rule defers (the grants check's network path).
  if (deferred !== undefined) {
    const index = new InventoryIndex(inventory);
    const ids = new Set(instances.map((i) => i.instanceId));
    if (inventory.instances.some((i) => ids.has(i.instanceId) && deferred.wanted(i, index))) {
      const more = await readNeighbourhood(
        clients,
        instances,
        new Set<Neighbour>(deferred.needs),
        accountId,
        region,
        nowMs,
      );
      mergeAccounts(account, more);
      inventory = assemble();
    }
  }
  const judged = new Set(instances.map((i) => i.instanceId));
  const evaluations = evaluate(inventory, [rule], { nowMs, ...(ipRanges && { ipRanges }) }).filter((e) =>
    judged.has(e.resourceId),
  );
  return { inventory, evaluations, related };
}

/** The judged item (unless it came from its service API), the instances, and the neighbourhood read so far. */
function inventoryOf(
  primary: PrimaryData,
  account: MappedAccount,
  instancePages: MappedPages | undefined,
): Inventory {
  const builder = new InventoryBuilder();
  if (primary.instancePages === undefined) addConfigItems(builder, [primary.item], { coverage: false });
  // The related resource's instances, with any NAT instances the neighbourhood read found on the routes.
  const regionData = account.regions[0]!;
  const withInstances: MappedAccount =
    instancePages === undefined
      ? account
      : {
          ...account,
          regions: [
            {
              ...regionData,
              DescribeInstances: [...instancePages, ...(regionData.DescribeInstances ?? [])],
            },
          ],
        };
  addMappedAccount(builder, withInstances);
  return builder.build({ kind: 'config', inputs: ['lambda'], accounts: [], regions: [] }).inventory;
}

/**
 * Adds a second round's reads to the first: its kinds replace the first round's (DescribeVpcEndpoints is read
 * again with the endpoints' groups and subnets), lists of NAT instances are joined, and failures are kept.
 */
function mergeAccounts(into: MappedAccount, more: MappedAccount): void {
  const target = into.regions[0]!;
  const source = more.regions[0]!;
  for (const [key, value] of Object.entries(source)) {
    if (key === 'accountId' || key === 'region' || key === 'failures' || value === undefined) continue;
    const kind = key as keyof typeof target;
    if (kind === 'DescribeInstances') {
      target.DescribeInstances = [...(target.DescribeInstances ?? []), ...(value as MappedPages)];
    } else {
      (target as Record<string, unknown>)[kind] = value;
    }
  }
  // A kind that failed in round one and was read in round two is no longer a failure.
  const reread = new Set(Object.keys(source));
  target.failures = [
    ...target.failures.filter((f) => !reread.has(f.kind.slice(f.kind.indexOf(':') + 1))),
    ...source.failures,
  ];
  into.failures.push(...more.failures);
  if (more.GetAccountAuthorizationDetails !== undefined)
    into.GetAccountAuthorizationDetails = more.GetAccountAuthorizationDetails;
}

function build(item: ConfigurationItem, instancePages: MappedPages | undefined, related: boolean): Inventory {
  const builder = new InventoryBuilder();
  if (!related && instancePages === undefined) addConfigItems(builder, [item], { coverage: false });
  for (const mapped of instancePages ?? []) builder.addMapped(mapped);
  return builder.build({ kind: 'config', inputs: ['lambda'], accounts: [], regions: [] }).inventory;
}

/**
 * DescribeInstances filters selecting the instances a related resource affects (EC2 filter names from the
 * DescribeInstances reference): a security group by the instance's or an interface's groups, a subnet by
 * subnet-id, and a VPC or anything VPC-wide (route tables, NACLs, endpoints: a main table or an endpoint serves
 * every subnet of the VPC) by vpc-id. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
function instanceFilters(item: ConfigurationItem): Filter[] | undefined {
  const id = item.resourceId;
  switch (item.resourceType) {
    case 'AWS::EC2::SecurityGroup':
      return [
        { Name: 'instance.group-id', Values: [id] },
        { Name: 'network-interface.group-id', Values: [id] },
      ];
    case 'AWS::EC2::Subnet':
      return [{ Name: 'subnet-id', Values: [id] }];
    case 'AWS::EC2::VPC':
      return [{ Name: 'vpc-id', Values: [id] }];
    case 'AWS::EC2::RouteTable':
    case 'AWS::EC2::NetworkAcl':
    case 'AWS::EC2::VPCEndpoint':
    case 'AWS::EC2::NatGateway': {
      // A NAT gateway serves whichever subnets of its VPC route to it: the VPC's instances are the candidates.
      const vpcId = (item.configuration as { vpcId?: unknown } | undefined)?.vpcId;
      return typeof vpcId === 'string' ? [{ Name: 'vpc-id', Values: [vpcId] }] : undefined;
    }
    case 'AWS::EC2::InternetGateway':
    case 'AWS::EC2::EgressOnlyInternetGateway': {
      const vpcIds = attachedVpcs(item);
      return vpcIds.length > 0 ? [{ Name: 'vpc-id', Values: vpcIds }] : undefined;
    }
    case 'AWS::IAM::InstanceProfile':
      return item.ARN === undefined ? undefined : [{ Name: 'iam-instance-profile.arn', Values: [item.ARN] }];
    case 'AWS::IAM::Role': {
      // The role item lists its instance profiles (configuration.instanceProfileList, as in GAAD). A role in no
      // profile may be the DHMC role, whose instances no filter selects: that change reads the region.
      const profiles = profileArnsOf(item);
      return profiles.length > 0 ? [{ Name: 'iam-instance-profile.arn', Values: profiles }] : undefined;
    }
    default:
      return undefined;
  }
}

// At most this many values per DescribeInstances filter (the Lambda's batch for every filtered read).
const PROFILE_BATCH = 100;

/**
 * The instances a managed policy's change affects, by their profiles: the roles attaching it or bounded by it
 * (ListEntitiesForPolicy, roles only, both usages), then each role's instance profiles
 * (ListInstanceProfilesForRole), as DescribeInstances filters on iam-instance-profile.arn. Undefined when no such
 * role is in a profile (a DHMC role, or none): the region is read then. A failed IAM read cannot list the
 * instances, which is an error of the event, never "no instance affected".
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
 */
async function policyProfileFilters(
  client: IAMClient,
  item: ConfigurationItem,
): Promise<Filter[] | undefined> {
  const policyArn = item.ARN;
  if (policyArn === undefined) return undefined;
  try {
    const roleNames: string[] = [];
    for await (const page of paginateListEntitiesForPolicy(
      { client, pageSize: 1000 },
      { PolicyArn: policyArn, EntityFilter: 'Role' },
    ))
      roleNames.push(...(page.PolicyRoles ?? []).flatMap((r) => (r.RoleName ? [r.RoleName] : [])));
    const profiles = new Set<string>();
    for (const roleName of roleNames) {
      for await (const page of paginateListInstanceProfilesForRole(
        { client, pageSize: 1000 },
        { RoleName: roleName },
      ))
        for (const profile of page.InstanceProfiles ?? []) if (profile.Arn) profiles.add(profile.Arn);
    }
    if (profiles.size === 0) return undefined;
    const values = [...profiles].sort();
    const filters: Filter[] = [];
    for (let i = 0; i < values.length; i += PROFILE_BATCH)
      filters.push({ Name: 'iam-instance-profile.arn', Values: values.slice(i, i + PROFILE_BATCH) });
    return filters;
  } catch (error) {
    throw new RelatedInstancesUnreadableError(
      `the roles using ${policyArn} could not be listed: ${(error as Error).name}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The VPCs an internet or egress-only gateway item is attached to (configuration.attachments[].vpcId). */
function attachedVpcs(item: ConfigurationItem): string[] {
  const attachments = (item.configuration as { attachments?: unknown } | undefined)?.attachments;
  return (Array.isArray(attachments) ? attachments : []).flatMap((a: unknown) => {
    const vpcId = (a as { vpcId?: unknown } | null)?.vpcId;
    return typeof vpcId === 'string' ? [vpcId] : [];
  });
}

/** The instance profile ARNs a role item names. */
function profileArnsOf(item: ConfigurationItem): string[] {
  const list = (item.configuration as { instanceProfileList?: unknown } | undefined)?.instanceProfileList;
  return (Array.isArray(list) ? list : []).flatMap((p: unknown) => {
    const arn = (p as { arn?: unknown } | null)?.arn;
    return typeof arn === 'string' ? [arn] : [];
  });
}
