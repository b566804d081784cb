// `--context`: what exists around a template before it is deployed (an existing role, subnet, window, the DHMC
// setting), taken from an exported or live inventory of the target account and added to the template's inventory.

import type { Inventory, InventoryCollectionName, ResourceFamily } from '../../inventory/model.js';
import type { UnknownValue } from './template-fleet.js';

/**
 * What the context must not bring: its instances (the scan judges the template's), and what only says something
 * about particular running instances (their managed-node entries, patch states and run history). Taken over, these
 * would make a template's instances look unregistered or unpatched, where the truth is "not yet known".
 */
const INSTANCE_BOUND: ReadonlySet<InventoryCollectionName> = new Set<InventoryCollectionName>([
  'instances',
  'managedNodes',
  'instancePatchStates',
  'maintenanceWindowExecutions',
  'maintenanceWindowExecutionTasks',
  'maintenanceWindowExecutionTaskInvocations',
]);

const INSTANCE_BOUND_FAMILIES: ReadonlySet<ResourceFamily> = new Set<ResourceFamily>([
  'ec2:instances',
  'ssm:instance-information',
  'ssm:instance-patch-states',
  'ssm:maintenance-window-executions',
  'ssm:maintenance-window-execution-tasks',
  'ssm:maintenance-window-execution-task-invocations',
]);

type Keyed = Record<string, unknown>;
const by =
  (...fields: string[]) =>
  (item: Keyed): string =>
    fields.map((f) => String(item[f])).join('|');

/** The key an item of each collection is known by, so the template's own declaration wins over the context's. */
const ITEM_KEYS: Partial<Record<InventoryCollectionName, (item: Keyed) => string>> = {
  instanceProfiles: by('arn'),
  roles: by('arn'),
  managedPolicies: by('arn'),
  securityGroups: by('groupId'),
  vpcs: by('vpcId'),
  subnets: by('subnetId'),
  routeTables: by('routeTableId'),
  networkAcls: by('networkAclId'),
  vpcEndpoints: by('vpcEndpointId'),
  natGateways: by('natGatewayId'),
  internetGateways: by('internetGatewayId'),
  egressOnlyInternetGateways: by('egressOnlyInternetGatewayId'),
  activations: by('activationId'),
  maintenanceWindows: by('windowId'),
  maintenanceWindowTargets: by('windowId', 'windowTargetId'),
  maintenanceWindowTasks: by('windowId', 'windowTaskId'),
  maintenanceWindowTaskDetails: by('windowId', 'windowTaskId'),
  patchGroups: by('accountId', 'region', 'patchGroup', 'operatingSystem'),
  patchBaselines: by('accountId', 'region', 'baselineId'),
  patchBaselineDetails: by('accountId', 'region', 'baselineId'),
  dhmcSettings: by('accountId', 'region'),
  serviceControlPolicies: by('policyId'),
};

/** The id fields an outside reference can name (what `unknownsAfterContext` looks up). */
const ID_FIELDS = [
  'arn',
  'groupId',
  'vpcId',
  'subnetId',
  'routeTableId',
  'networkAclId',
  'vpcEndpointId',
  'natGatewayId',
  'internetGatewayId',
  'egressOnlyInternetGatewayId',
  'windowId',
  'windowTargetId',
  'baselineId',
];

/**
 * The template's inventory with the context's resources beside it. The template's coverage decides for the families
 * it declares; the context's coverage comes in for the rest (the DHMC setting, activations), so a family neither
 * has stays unread (ERROR), never assumed empty.
 */
export function mergeContext(template: Inventory, context: Inventory): Inventory {
  const merged: Inventory = { ...template, coverage: [...template.coverage] };
  const covered = new Set(template.coverage.map((c) => c.family));
  for (const entry of context.coverage) {
    if (covered.has(entry.family) || INSTANCE_BOUND_FAMILIES.has(entry.family)) continue;
    merged.coverage.push(entry);
  }
  for (const name of Object.keys(template) as (keyof Inventory)[]) {
    const own = template[name];
    const theirs = context[name];
    if (!Array.isArray(own) || !Array.isArray(theirs) || name === 'coverage') continue;
    if (INSTANCE_BOUND.has(name as InventoryCollectionName)) continue;
    const key = ITEM_KEYS[name as InventoryCollectionName] ?? ((item: Keyed) => JSON.stringify(item));
    const keys = new Set((own as unknown as Keyed[]).map(key));
    const added = (theirs as unknown as Keyed[]).filter((item) => !keys.has(key(item)));
    (merged as unknown as Record<string, unknown>)[name] = [...own, ...added];
  }
  return merged;
}

/** Every id an inventory holds, in any collection (to tell which outside references the context resolved). */
function idsOf(inventory: Inventory): Set<string> {
  const ids = new Set<string>();
  for (const value of Object.values(inventory)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as unknown as Keyed[])
      for (const field of ID_FIELDS) if (typeof item[field] === 'string') ids.add(item[field]);
  }
  return ids;
}

/** The unknowns left once the context is known: an outside reference the context holds is no longer unknown. */
export function unknownsAfterContext(unknowns: readonly UnknownValue[], merged: Inventory): UnknownValue[] {
  const ids = idsOf(merged);
  return unknowns.filter((u) => u.outsideId === undefined || !ids.has(u.outsideId));
}
