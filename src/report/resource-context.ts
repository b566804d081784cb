// What a report needs to know about a resource beyond its evaluations: its VPC and subnet, Name tag and tags.

import type { Inventory, Tags } from '../inventory/model.js';

/** Context of one resource; every string in it comes from AWS and may be hostile (tags especially). */
export interface ResourceContext {
  vpcId?: string;
  subnetId?: string;
  /** The Name tag. */
  name?: string;
  tags?: Tags;
}

/** Context of every EC2 instance of an inventory, by instance id (the resources reports group by VPC). */
export function resourceContextFromInventory(
  inventory: Pick<Inventory, 'instances'>,
): Map<string, ResourceContext> {
  const context = new Map<string, ResourceContext>();
  for (const i of inventory.instances) {
    const name = Object.hasOwn(i.tags, 'Name') ? i.tags.Name : undefined;
    context.set(i.instanceId, { vpcId: i.vpcId, subnetId: i.subnetId, name, tags: i.tags });
  }
  return context;
}
