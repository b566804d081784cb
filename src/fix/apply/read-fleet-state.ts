// Reads the current state of a plan's targets: a live collection of the plan's regions (the scan's own
// collectors), plus the instance profiles the plan names read one by one, because
// GetAccountAuthorizationDetails lists only the profiles that contain a role.

import { GetInstanceProfileCommand } from '@aws-sdk/client-iam';
import { inventoryFromFleet } from '../../collectors/api/build-inventory.js';
import { collectFleet } from '../../collectors/live/collect-fleet.js';
import type { Inventory } from '../../inventory/model.js';
import type { Change } from '../plan/plan-types.js';
import type { FixClients } from './fix-clients.js';

export interface ReadStateOptions {
  profile?: string;
  endpointUrl?: string;
  concurrency?: number;
}

/** The regions changes are in (IAM's "global" aside; us-east-1 when they are IAM-only). */
export function planRegions(changes: readonly Change[]): string[] {
  const regions = [...new Set(changes.map((c) => c.region).filter((r) => r !== 'global'))];
  return regions.length > 0 ? regions.sort() : ['us-east-1'];
}

/** The inventory of the changes' account and regions now. Families AWS refused are recorded as unreadable. */
export async function readFleetState(
  changes: readonly Change[],
  clients: FixClients,
  options: ReadStateOptions,
): Promise<Inventory> {
  const collection = await collectFleet({
    regions: planRegions(changes),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.endpointUrl !== undefined && { endpointUrl: options.endpointUrl }),
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
  });
  const { inventory } = inventoryFromFleet(collection, {
    kind: 'live',
    inputs: [options.endpointUrl ?? 'aws'],
    accounts: collection.accounts.map((a) => a.accountId),
    regions: planRegions(changes),
    collectedAt: collection.collectedAt,
    apiCalls: collection.apiCalls,
  });
  await addNamedProfiles(changes, clients, inventory);
  return inventory;
}

async function addNamedProfiles(
  changes: readonly Change[],
  clients: FixClients,
  inventory: Inventory,
): Promise<void> {
  const names = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'iam:create-instance-profile' || change.kind === 'iam:add-role-to-instance-profile') {
      names.add(`${change.accountId}|${change.params.instanceProfileName}`);
    }
  }
  for (const key of names) {
    const [accountId, name] = key.split('|') as [string, string];
    let found;
    try {
      found = (await clients.iam().send(new GetInstanceProfileCommand({ InstanceProfileName: name })))
        .InstanceProfile;
    } catch (error) {
      if ((error as Error).name === 'NoSuchEntity' || (error as Error).name === 'NoSuchEntityException')
        continue;
      throw error;
    }
    if (found?.Arn === undefined) continue;
    inventory.instanceProfiles = inventory.instanceProfiles.filter(
      (p) => !(p.accountId === accountId && p.instanceProfileName === name),
    );
    inventory.instanceProfiles.push({
      accountId,
      region: 'global',
      instanceProfileName: name,
      arn: found.Arn,
      path: found.Path ?? '/',
      roleArns: (found.Roles ?? []).map((role) => role.Arn).filter((arn): arn is string => arn !== undefined),
    });
  }
}
