// What every Terraform plan mapper shares: the plan's resources by address, the declared id, name and ARN each
// resource gets, and where the mapped model collects notes.

import type { DeployModel, NoteAffects } from './deploy-model.js';
import type { SourceLocation } from './template-fleet.js';
import { derivedName, generatedIdOf, iamArn } from './terraform-map-ids.js';
import { child, type PlanNode } from './terraform-map-values.js';

/** One resource instance of the plan (a managed resource from planned_values, or a data source). */
export interface PlanResource {
  /** Full address, e.g. "module.app.aws_instance.web[0]". */
  address: string;
  /** The address without the instance key: "module.app.aws_instance.web". */
  baseAddress: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  /** "" for the root module, else "module.app" (or "module.a.module.b"). */
  moduleAddress: string;
  node: PlanNode;
  location: SourceLocation;
  /** The text of its `resource "TYPE" "NAME" { … }` block when the .tf files are beside the plan. */
  blockText?: string;
}

/** A module's outputs as the plan's configuration declares them, by module address. */
export type ModuleOutputs = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

export interface PlanContext {
  file: string;
  accountId: string;
  region: string;
  /** Managed resources in plan order (root first, then child modules). */
  resources: PlanResource[];
  byAddress: ReadonlyMap<string, PlanResource>;
  /** Instances of each base address, in index order (count and for_each). */
  byBaseAddress: ReadonlyMap<string, PlanResource[]>;
  moduleOutputs: ModuleOutputs;
  /** What each module call passes to the module's variables (its `expressions`), by module address. */
  moduleInputs: ModuleOutputs;
  notes: DeployModel['notes'];
}

export function note(
  ctx: PlanContext,
  resource: PlanResource,
  message: string,
  affects?: NoteAffects[],
): void {
  ctx.notes.push({
    address: resource.address,
    message,
    location: resource.location,
    ...(affects && { affects }),
  });
}

const IAM_KIND: Readonly<Record<string, 'role' | 'instance-profile' | 'policy'>> = {
  aws_iam_role: 'role',
  aws_iam_instance_profile: 'instance-profile',
  aws_iam_policy: 'policy',
};

/** Its planned name, or one derived from the address when the name is known only after apply. */
export function declaredName(resource: PlanResource): string {
  const name = child(resource.node, 'name').value;
  return typeof name === 'string' && name !== '' ? name : derivedName(resource.address);
}

/** IAM path: as planned, "/" by default (and when unknown). */
export function declaredPath(resource: PlanResource): string {
  const path = child(resource.node, 'path').value;
  return typeof path === 'string' && path !== '' ? path : '/';
}

/** A resource the plan updates or leaves alone already has its id and ARN: those win over derived ones. */
function existing(resource: PlanResource, attribute: 'id' | 'arn'): string | undefined {
  const node = child(resource.node, attribute);
  return node.unknown !== true && typeof node.value === 'string' && node.value !== ''
    ? node.value
    : undefined;
}

export function declaredArn(ctx: PlanContext, resource: PlanResource): string | undefined {
  const planned = existing(resource, 'arn');
  if (planned !== undefined && IAM_KIND[resource.type] !== undefined) return planned;
  const kind = IAM_KIND[resource.type];
  if (kind === undefined) return undefined;
  return iamArn(ctx.accountId, kind, declaredPath(resource), declaredName(resource));
}

const NAMED_BY_ID = new Set(['aws_iam_role', 'aws_iam_instance_profile', 'aws_autoscaling_group']);

/** The resource's Terraform `id` as the synthesised responses have it. */
export function declaredId(ctx: PlanContext, resource: PlanResource): string | undefined {
  const planned = existing(resource, 'id');
  if (planned !== undefined) return planned;
  // Terraform's id of these is their name (IAM roles and profiles, Auto Scaling groups) or ARN (policies).
  if (NAMED_BY_ID.has(resource.type)) return declaredName(resource);
  if (resource.type === 'aws_iam_policy') return declaredArn(ctx, resource);
  return generatedIdOf(resource.type, resource.address);
}

/** What a reference `<resource>.<attribute>` stands for when the plan does not know it yet. */
export function declaredAttribute(
  ctx: PlanContext,
  resource: PlanResource,
  attribute: string,
): string | undefined {
  if (resource.mode === 'data') return undefined;
  if (attribute === 'id') return declaredId(ctx, resource);
  if (attribute === 'arn') return declaredArn(ctx, resource);
  if (attribute === 'name' && IAM_KIND[resource.type] !== undefined) return declaredName(resource);
  if (attribute === 'window_target_id' || attribute === 'window_task_id') return declaredId(ctx, resource);
  return undefined;
}
