// Deploy-time judgement: a result that rests on a value a template or plan cannot know becomes ERROR "unknown
// until deployed", and every result of a template's resource points at where it is declared.
//
// The engine evaluates the synthesised responses as it would a deployed fleet; the placeholders written for unknown
// values must never decide. So after evaluation, each result whose rule reads an unknown value of the resource, or of
// a resource in its readiness chain (profile → role → policies, subnet → route table → NAT/endpoints …), is replaced.
// What a rule reads is its neighbourhood (the same vocabulary the Config Lambda's scoped reads use) plus the fields
// of its own resource its paths name.

import type { DeployTimeFacts, UnknownValue } from '../inventory/deploy-time.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { Ec2Instance, ResourceFamily } from '../inventory/model.js';
import { NEIGHBOURS, type Neighbour } from '../inventory/neighbourhood.js';
import type { CompiledRule } from './compile-rule.js';
import {
  deferredNeighbourhood,
  ruleNeighbourhood,
  type DeferredNeighbourhood,
} from './rule-neighbourhood.js';
import type { Evaluation } from './types.js';

export const UNKNOWN_UNTIL_DEPLOYED = 'DEPLOY.UNKNOWN_UNTIL_DEPLOYED';

/** Families only a running fleet has: no template declares them, so their absence is "unknown until deployed". */
const RUNTIME_FAMILIES: ReadonlySet<string> = new Set<ResourceFamily>([
  'ssm:instance-information',
  'ssm:activations',
  'ssm:instance-patch-states',
  'ssm:dhmc-setting',
  'ssm:maintenance-window-executions',
  'ssm:maintenance-window-execution-tasks',
  'ssm:maintenance-window-execution-task-invocations',
]);

const NETWORK: Neighbour[] = [
  'instance.subnet',
  'instance.route-table',
  'instance.network-acl',
  'instance.route-devices',
  'instance.vpc',
  'instance.vpc-attributes',
  'vpc.endpoints',
  'vpc.endpoint-policies',
];

/**
 * Which rules read an instance property: by the neighbours that follow it, and by the paths that name it (a rule
 * path matches when one is a prefix of the other: "metadataOptions" reads "metadataOptions.httpTokens").
 * Named checks read some fields of the instance itself: the DHMC credentials check reads whether IMDS answers
 * (dhmc-covers-instance), the IAM request context reads HttpTokens for ec2:RoleDelivery (iam-request-context).
 */
const INSTANCE_PROPERTY_READERS: { property: string; neighbours: Neighbour[]; paths: string[] }[] = [
  {
    property: 'iamInstanceProfileArn',
    neighbours: ['instance.iam', 'instance.iam-policies', 'region.dhmc'],
    paths: ['iamInstanceProfileArn', 'instanceProfile', 'role'],
  },
  { property: 'subnetId', neighbours: NETWORK, paths: ['subnetId', 'vpcId', 'subnet', 'vpc'] },
  { property: 'associatePublicIpAddress', neighbours: NETWORK, paths: ['publicIpAddress'] },
  {
    property: 'securityGroupIds',
    neighbours: ['instance.security-groups', 'vpc.endpoints'],
    paths: ['securityGroupIds', 'securityGroups'],
  },
  {
    property: 'metadataOptions.HttpEndpoint',
    neighbours: ['region.dhmc'],
    paths: ['metadataOptions.httpEndpoint'],
  },
  {
    property: 'metadataOptions.HttpTokens',
    neighbours: ['region.dhmc', 'instance.iam-policies'],
    paths: ['metadataOptions.httpTokens'],
  },
  {
    property: 'metadataOptions.HttpPutResponseHopLimit',
    neighbours: [],
    paths: ['metadataOptions.httpPutResponseHopLimit'],
  },
  {
    property: 'metadataOptions.InstanceMetadataTags',
    neighbours: [],
    paths: ['metadataOptions.instanceMetadataTags'],
  },
  {
    property: 'tags',
    neighbours: ['region.maintenance-windows', 'region.patch-groups', 'window.targets-and-tasks'],
    paths: ['tags'],
  },
  {
    property: 'platform',
    neighbours: ['region.patch-baselines', 'region.patch-groups'],
    paths: ['platform', 'platformDetails'],
  },
  {
    property: 'imageId',
    neighbours: ['region.patch-baselines', 'region.patch-groups'],
    paths: ['imageId', 'platform'],
  },
  { property: 'sourceDestCheck', neighbours: ['instance.route-devices'], paths: ['sourceDestCheck'] },
];

/** The family a DeployModel collection's responses fill (what a rule must read for its unknowns to matter). */
const COLLECTION_FAMILIES: Record<string, ResourceFamily[]> = {
  roles: ['iam:authorization-details'],
  instanceProfiles: ['iam:authorization-details'],
  managedPolicies: ['iam:authorization-details'],
  securityGroups: ['ec2:security-groups'],
  vpcs: ['ec2:vpcs', 'ec2:vpc-attributes'],
  subnets: ['ec2:subnets'],
  routeTables: ['ec2:route-tables'],
  networkAcls: ['ec2:network-acls'],
  vpcEndpoints: ['ec2:vpc-endpoints'],
  natGateways: ['ec2:nat-gateways'],
  internetGateways: ['ec2:internet-gateways', 'ec2:egress-only-internet-gateways'],
  maintenanceWindows: ['ssm:maintenance-windows'],
  maintenanceWindowTargets: ['ssm:maintenance-window-targets'],
  maintenanceWindowTasks: ['ssm:maintenance-window-tasks', 'ssm:maintenance-window-task-details'],
  patchBaselines: ['ssm:patch-baselines', 'ssm:patch-baseline-details', 'ssm:patch-groups'],
  serviceSettings: ['ssm:dhmc-setting'],
};

/** Collections judged region-wide: every instance of the scope can be targeted by any window or baseline. */
const REGION_WIDE = new Set([
  'maintenanceWindows',
  'maintenanceWindowTargets',
  'maintenanceWindowTasks',
  'patchBaselines',
  'serviceSettings',
]);

/**
 * Properties of the resources around an instance that no rule reads: the engine never looks at a subnet's zone
 * (an interface endpoint answers across zones of its VPC).
 */
const NEVER_READ: { collection: string; property: RegExp }[] = [
  { collection: 'subnets', property: /^availabilityZone$/ },
];

/** Properties that say where a resource sits: unknown, it may be in any instance's chain. */
const PLACEMENT = /^(vpcId|subnetId|subnetIds|routeTableIds)(\[\d+\])?$/;

/** IPv6 blocks and destinations, which decide only the IPv6 path (the engine reads them for IPv6 instances only). */
const IPV6_ONLY =
  /^(ipv6CidrBlocks|ipv6CidrBlock|.*\.(DestinationIpv6CidrBlock|Ipv6CidrBlock|CidrIpv6))(\[\d+\])?$/;

/** Whether an unknown of a resource around the instance can matter to it at all. */
function mattersTo(u: UnknownValue, instance: Ec2Instance | undefined, index: InventoryIndex): boolean {
  if (NEVER_READ.some((n) => n.collection === u.collection && n.property.test(u.property))) return false;
  if (instance === undefined || !IPV6_ONLY.test(u.property)) return true;
  const subnet = instance.subnetId === undefined ? undefined : index.subnet(instance.subnetId);
  return instance.ipv6Addresses.length > 0 || subnet === undefined || subnet.ipv6Native;
}

/** What one rule reads: its neighbourhood's families and names, and the first segments of its own paths. */
interface RuleReads {
  neighbours: ReadonlySet<Neighbour>;
  families: ReadonlySet<string>;
  /** Model paths of its own resource, as written ("metadataOptions.httpTokens"), without selectors. */
  paths: readonly string[];
}

/** A rule's reads: what it always reads, and what it reads for some resources only (e.g. the network path). */
interface RuleReadsByResource {
  eager: RuleReads;
  withDeferred?: RuleReads;
  deferred?: DeferredNeighbourhood;
}

function readsOf(neighbours: Set<Neighbour>, paths: readonly string[]): RuleReads {
  const families = new Set<string>();
  for (const n of neighbours) for (const f of NEIGHBOURS[n].families) families.add(f);
  return { neighbours, families, paths };
}

function ruleReads(rule: CompiledRule): RuleReadsByResource {
  const all = ruleNeighbourhood(rule);
  const deferred = deferredNeighbourhood(rule);
  const pathSet = new Set<string>();
  collectPaths(rule.loaded.definition.when, pathSet);
  collectPaths(rule.loaded.definition.check, pathSet);
  const paths = [...pathSet];
  const eager = new Set(all.filter((n) => !deferred?.needs.includes(n)));
  if (deferred === undefined) return { eager: readsOf(eager, paths) };
  return { eager: readsOf(eager, paths), withDeferred: readsOf(new Set(all), paths), deferred };
}

/** What a rule reads for one resource: its deferred needs only when it consults them for this resource. */
function readsFor(reads: RuleReadsByResource, resource: unknown, index: InventoryIndex): RuleReads {
  if (reads.deferred === undefined || reads.withDeferred === undefined) return reads.eager;
  return resource !== undefined && reads.deferred.wanted(resource, index) ? reads.withDeferred : reads.eager;
}

/** Every `path:` string in a condition tree, up to its first selector ("tags['Patch Group']" → "tags"). */
function collectPaths(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collectPaths(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'path' && typeof value === 'string') out.add(/^[A-Za-z0-9_.]+/.exec(value)?.[0] ?? value);
      else collectPaths(value, out);
    }
  }
}

/** "metadataOptions.HttpTokens" (a DeployModel path) → "metadataOptions.httpTokens" (the inventory model's). */
function modelPath(property: string): string {
  return property
    .replace(/\[\d+\]/g, '')
    .split('.')
    .map((part) => part.charAt(0).toLowerCase() + part.slice(1))
    .join('.');
}

const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** Whether a rule reads an instance's own unknown property. */
function readsInstanceProperty(reads: RuleReads, property: string): boolean {
  if (property === 'exists') return true;
  // Every reader entry it falls under: "securityGroupIds[0]" under "securityGroupIds", "metadataOptions" over
  // each of its fields.
  const bare = property.replace(/\[\d+\]/g, '');
  const readers = INSTANCE_PROPERTY_READERS.filter((r) => overlaps(r.property, bare));
  // A property we have no reader entry for: assume any rule may read it (fail closed).
  if (readers.length === 0) return true;
  const own = modelPath(property);
  return readers.some(
    (r) =>
      r.neighbours.some((n) => reads.neighbours.has(n)) ||
      r.paths.some((p) => reads.paths.some((q) => overlaps(p, q))) ||
      reads.paths.some((q) => overlaps(own, q)),
  );
}

/**
 * The ids of what an instance's verdicts can rest on: its profile, role, policies and boundary; its groups;
 * its subnet, VPC, route table and the devices it routes to (and their subnets' tables); its network ACL; the
 * endpoints of its VPC with their groups and subnets.
 */
function instanceChain(instance: Ec2Instance, index: InventoryIndex): Set<string> {
  const ids = new Set<string>([instance.instanceId]);
  const add = (id: string | undefined): void => {
    if (id !== undefined) ids.add(id);
  };
  add(instance.iamInstanceProfileArn);
  const profile = index.instanceProfileOf(instance);
  for (const arn of profile?.roleArns ?? []) add(arn);
  const role = index.roleOf(instance);
  if (role !== undefined) {
    add(role.arn);
    add(role.permissionsBoundaryArn);
    for (const policy of role.attachedPolicies) add(policy.policyArn);
  }
  for (const id of index.securityGroupIdsOf(instance)) add(id);
  if (instance.subnetId !== undefined && instance.vpcId !== undefined) {
    addSubnetChain(instance.subnetId, instance.vpcId, index, ids);
    add(instance.vpcId);
    for (const endpoint of index.endpointsInVpc(instance.vpcId)) {
      add(endpoint.vpcEndpointId);
      for (const id of endpoint.securityGroupIds) add(id);
      for (const id of endpoint.subnetIds) addSubnetChain(id, instance.vpcId, index, ids);
      for (const id of endpoint.routeTableIds) add(id);
    }
  } else add(instance.subnetId);
  return ids;
}

/** A subnet, its network ACL, its route table and each device it routes to (a NAT gateway's own subnet too). */
function addSubnetChain(subnetId: string, vpcId: string, index: InventoryIndex, ids: Set<string>): void {
  if (ids.has(subnetId) && ids.has(`${subnetId}#chain`)) return;
  ids.add(subnetId);
  ids.add(`${subnetId}#chain`);
  const acl = index.networkAclForSubnet(subnetId);
  if (acl !== undefined) ids.add(acl.networkAclId);
  const { table } = index.routeTableForSubnet(subnetId, vpcId);
  if (table === undefined) return;
  ids.add(table.routeTableId);
  for (const { target } of table.routes) {
    if (target.kind === 'local') continue;
    ids.add(target.id);
    if (target.kind !== 'nat-gateway') continue;
    const nat = index.inventory.natGateways.find((n) => n.natGatewayId === target.id);
    if (nat !== undefined) addSubnetChain(nat.subnetId, nat.vpcId, index, ids);
  }
}

/** The ids a non-instance result rests on: the resource, and for a window its targets and tasks. */
function resourceChain(resourceId: string, index: InventoryIndex): Set<string> {
  const ids = new Set([resourceId]);
  const window = index.maintenanceWindow(resourceId);
  if (window !== undefined) {
    for (const target of index.windowTargets(window)) ids.add(target.windowTargetId);
    for (const task of index.windowTasks(window)) ids.add(task.windowTaskId);
  }
  return ids;
}

/** The unknowns one result rests on, in the facts' order. */
function unknownsFor(
  evaluation: Evaluation,
  rule: RuleReadsByResource,
  facts: DeployTimeFacts,
  index: InventoryIndex,
  chains: Map<string, Set<string>>,
): UnknownValue[] {
  const instance = index.instance(evaluation.resourceId);
  const reads = readsFor(rule, instance, index);
  let chain = chains.get(evaluation.resourceId);
  if (chain === undefined) {
    chain =
      instance !== undefined ? instanceChain(instance, index) : resourceChain(evaluation.resourceId, index);
    chains.set(evaluation.resourceId, chain);
  }
  return facts.unknowns.filter((u) => {
    // "*": any resource of the collection (something attaches to a target that is itself unknown); and a resource
    // whose own placement is unknown (an endpoint's VPC, a table's subnets) may sit in any instance's chain.
    const any = u.resourceId === '*' || PLACEMENT.test(u.property);
    if (u.collection === 'instances' && instance !== undefined) {
      return (any || u.resourceId === instance.instanceId) && readsInstanceProperty(reads, u.property);
    }
    if (u.resourceId === evaluation.resourceId) return true;
    if (!mattersTo(u, instance, index)) return false;
    const families = COLLECTION_FAMILIES[u.collection] ?? [];
    if (!families.some((f) => reads.families.has(f))) return false;
    return REGION_WIDE.has(u.collection) || any || chain.has(u.resourceId);
  });
}

function describeUnknown(u: UnknownValue): string {
  const where = u.location ? `${u.location.address} (${u.location.file}:${u.location.line})` : u.resourceId;
  // A note's unknown ("(changed by X)") is said by its reason alone.
  return u.property.startsWith('(') ? `${where}: ${u.reason}` : `${u.property} of ${where}: ${u.reason}`;
}

/** The result replaced: ERROR naming the unknown values, with each as evidence. */
function unknownResult(evaluation: Evaluation, unknowns: UnknownValue[]): Evaluation {
  const first = unknowns[0]!;
  const more =
    unknowns.length > 1
      ? ` (and ${unknowns.length - 1} more unknown value${unknowns.length > 2 ? 's' : ''})`
      : '';
  const message = `Unknown until deployed: ${describeUnknown(first)}${more}`;
  return {
    ruleId: evaluation.ruleId,
    resourceType: evaluation.resourceType,
    resourceId: evaluation.resourceId,
    accountId: evaluation.accountId,
    region: evaluation.region,
    status: 'ERROR',
    severity: evaluation.severity,
    reason: UNKNOWN_UNTIL_DEPLOYED,
    message,
    evidence: unknowns.map((u) => ({ resourceId: u.resourceId, path: u.property, note: u.reason })),
    error: { code: 'UNKNOWN_UNTIL_DEPLOYED', message },
    cause: { resourceId: first.resourceId, key: `deploy|${first.resourceId}|${first.property}` },
  };
}

/** A DATA.MISSING error of a family only a running fleet has, said as what it is. */
function runtimeOnly(evaluation: Evaluation): Evaluation {
  if (evaluation.status !== 'ERROR' || evaluation.error?.code !== 'DATA_MISSING') return evaluation;
  const family = evaluation.cause?.key?.split('|')[0];
  if (family === undefined || !RUNTIME_FAMILIES.has(family)) return evaluation;
  const message =
    `Unknown until deployed: ${family} exists only once the resources run (${evaluation.message ?? ''}); ` +
    'give --context PATH with an exported inventory of the target account, or --live';
  return {
    ...evaluation,
    reason: UNKNOWN_UNTIL_DEPLOYED,
    message,
    error: { code: 'UNKNOWN_UNTIL_DEPLOYED', message },
    cause: { key: `deploy|${family}` },
  };
}

/**
 * Whether a result belongs in a template's report: its resource is declared there, or it is about the whole
 * account and region (a family that could not be read). What `--context` brought (the account's other windows,
 * activations) is read around the template, not judged.
 */
function isJudged(evaluation: Evaluation, facts: DeployTimeFacts): boolean {
  if (Object.hasOwn(facts.locations, evaluation.resourceId)) return true;
  return evaluation.resourceId === `${evaluation.accountId}/${evaluation.region}`;
}

/**
 * Applies deploy-time facts to the engine's results: ERROR "unknown until deployed" where a result rests on an
 * unknown value or on data only a running fleet has, and each result's declaration location.
 */
export function judgeDeployTime(
  evaluations: readonly Evaluation[],
  rules: readonly CompiledRule[],
  facts: DeployTimeFacts,
  index: InventoryIndex,
): Evaluation[] {
  const readsByRule = new Map(rules.map((r) => [r.id, ruleReads(r)]));
  const chains = new Map<string, Set<string>>();
  return evaluations
    .filter((e) => isJudged(e, facts))
    .map((evaluation) => {
      const reads = readsByRule.get(evaluation.ruleId);
      const unknowns = reads === undefined ? [] : unknownsFor(evaluation, reads, facts, index, chains);
      const judged = unknowns.length > 0 ? unknownResult(evaluation, unknowns) : runtimeOnly(evaluation);
      const location = facts.locations[evaluation.resourceId];
      const located = location === undefined ? judged : { ...judged, location };
      // A fix command names the synthesised ids, which no deployed resource has: the fix goes into the template.
      if (located.remediation?.command === undefined) return located;
      return { ...located, remediation: { text: located.remediation.text } };
    });
}
