// Terraform plan → DeployInstance: aws_instance, and the instances an aws_autoscaling_group would launch from its
// aws_launch_template (one per subnet of vpc_zone_identifier).

import { unresolved, type DeployInstance, type DeployTag, type Maybe, type Ref } from './deploy-model.js';
import {
  declaredId,
  declaredName,
  note,
  type PlanContext,
  type PlanResource,
} from './terraform-map-context.js';
import { instanceProfileArnOf } from './terraform-map-iam.js';
import { hashedId } from './terraform-map-ids.js';
import { readRef, readRefList } from './terraform-map-references.js';
import {
  afterApply,
  child,
  firstBlock,
  items,
  readBoolean,
  readNumber,
  readText,
  readTextMap,
  whenDeclaredOrKnown,
  type PlanNode,
} from './terraform-map-values.js';

function tagsOf(node: PlanNode): DeployTag[] {
  return readTextMap(node).map(({ key, value }) => ({ Key: key, Value: value }));
}

function metadataOptionsOf(block: PlanNode | undefined): DeployInstance['metadataOptions'] {
  if (block === undefined) return undefined;
  const options = {
    HttpEndpoint: whenDeclaredOrKnown(child(block, 'http_endpoint'), readText),
    HttpTokens: whenDeclaredOrKnown(child(block, 'http_tokens'), readText),
    HttpPutResponseHopLimit: whenDeclaredOrKnown(child(block, 'http_put_response_hop_limit'), readNumber),
    InstanceMetadataTags: whenDeclaredOrKnown(child(block, 'instance_metadata_tags'), readText),
  };
  const present = Object.entries(options).filter(([, value]) => value !== undefined);
  return present.length === 0 ? undefined : Object.fromEntries(present);
}

/** iam_instance_profile of an aws_instance: a profile name (or a reference to one) → its ARN. */
function profileOfInstance(ctx: PlanContext, resource: PlanResource): Ref | undefined {
  const node = child(resource.node, 'iam_instance_profile');
  const profile = whenDeclaredOrKnown(node, (declared) => readRef(ctx, resource, declared));
  return profile === undefined ? undefined : instanceProfileArnOf(ctx, profile);
}

function mapInstance(ctx: PlanContext, resource: PlanResource): DeployInstance {
  const node = resource.node;
  if (items(child(node, 'launch_template')).length > 0) {
    note(
      ctx,
      resource,
      'launch_template of an aws_instance is not merged: only the instance arguments are read',
    );
  }
  if (items(child(node, 'network_interface')).length > 0) {
    note(
      ctx,
      resource,
      'network_interface blocks are not read: the attached interface sets subnet and groups',
    );
  }
  const profile = profileOfInstance(ctx, resource);
  return {
    address: resource.address,
    location: resource.location,
    instanceId: declaredId(ctx, resource) ?? hashedId('i', resource.address),
    ...(profile !== undefined && { iamInstanceProfileArn: profile }),
    subnetId: readRef(ctx, resource, child(node, 'subnet_id')) ?? afterApply(),
    securityGroupIds: readRefList(ctx, resource, child(node, 'vpc_security_group_ids')) ?? afterApply(),
    ...optionalFields({
      imageId: readText(child(node, 'ami')),
      metadataOptions: metadataOptionsOf(firstBlock(child(node, 'metadata_options'))),
      associatePublicIpAddress: whenDeclaredOrKnown(child(node, 'associate_public_ip_address'), readBoolean),
      sourceDestCheck: whenDeclaredOrKnown(child(node, 'source_dest_check'), readBoolean),
    }),
    tags: tagsOf(child(node, 'tags')),
  };
}

function optionalFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** What an aws_launch_template gives each instance it launches. */
interface LaunchTemplateValues {
  iamInstanceProfileArn?: Ref;
  securityGroupIds: Maybe<Ref[]>;
  imageId?: Ref;
  metadataOptions?: DeployInstance['metadataOptions'];
  associatePublicIpAddress?: Maybe<boolean>;
  tags: DeployTag[];
}

function launchTemplateValues(ctx: PlanContext, template: PlanResource): LaunchTemplateValues {
  const node = template.node;
  const profileBlock = firstBlock(child(node, 'iam_instance_profile'));
  const profileArn =
    profileBlock && whenDeclaredOrKnown(child(profileBlock, 'arn'), (arn) => readRef(ctx, template, arn));
  const profileName =
    profileBlock && whenDeclaredOrKnown(child(profileBlock, 'name'), (name) => readRef(ctx, template, name));
  const profile =
    profileArn ?? (profileName === undefined ? undefined : instanceProfileArnOf(ctx, profileName));
  const networkInterface = firstBlock(child(node, 'network_interfaces'));
  const groupsOf = (list: PlanNode) =>
    whenDeclaredOrKnown(list, (declared) => readRefList(ctx, template, declared));
  const groups =
    groupsOf(child(node, 'vpc_security_group_ids')) ??
    (networkInterface && groupsOf(child(networkInterface, 'security_groups')));
  const instanceTags = items(child(node, 'tag_specifications'))
    .filter((specification) => readText(child(specification, 'resource_type')) === 'instance')
    .flatMap((specification) => tagsOf(child(specification, 'tags')));
  return {
    ...(profile !== undefined && { iamInstanceProfileArn: profile }),
    // No group in the template: the instance gets its VPC's default group, whose id is known after apply.
    securityGroupIds:
      groups !== undefined && !(Array.isArray(groups) && groups.length === 0) ? groups : afterApply(),
    ...optionalFields({
      imageId: readText(child(node, 'image_id')),
      metadataOptions: metadataOptionsOf(firstBlock(child(node, 'metadata_options'))),
      associatePublicIpAddress: publicIpOf(networkInterface),
    }),
    tags: instanceTags,
  };
}

/**
 * The launch template a group names: its launch_template block (id, name), or its mixed_instances_policy's
 * launch_template_specification (launch_template_id, launch_template_name).
 */
function launchTemplateReference(group: PlanResource): { id?: PlanNode; name?: PlanNode } | undefined {
  const block = firstBlock(child(group.node, 'launch_template'));
  if (block !== undefined) return { id: child(block, 'id'), name: child(block, 'name') };
  const policy = firstBlock(child(group.node, 'mixed_instances_policy'));
  const template = policy && firstBlock(child(policy, 'launch_template'));
  const specification = template && firstBlock(child(template, 'launch_template_specification'));
  if (specification === undefined) return undefined;
  return {
    id: child(specification, 'launch_template_id'),
    name: child(specification, 'launch_template_name'),
  };
}

/** The aws_launch_template an aws_autoscaling_group names (by id or name). */
function launchTemplateOf(
  ctx: PlanContext,
  group: PlanResource,
): { template: PlanResource } | { missing: string } {
  const reference = launchTemplateReference(group);
  if (reference === undefined)
    return { missing: 'the group names no launch template (a launch configuration?)' };
  const id = reference.id && readRef(ctx, group, reference.id);
  const name = reference.name && readRef(ctx, group, reference.name);
  const template = ctx.resources.find(
    (candidate) =>
      candidate.type === 'aws_launch_template' &&
      ((typeof id === 'string' && declaredId(ctx, candidate) === id) ||
        (typeof name === 'string' && readText(child(candidate.node, 'name')) === name)),
  );
  if (template !== undefined) return { template };
  const named = typeof id === 'string' ? id : typeof name === 'string' ? name : '(known after apply)';
  return { missing: `launch template ${named} is not in the plan` };
}

/** network_interfaces.associate_public_ip_address is a string ("true"/"false") in aws_launch_template. */
function publicIpOf(networkInterface: PlanNode | undefined): Maybe<boolean> | undefined {
  if (networkInterface === undefined) return undefined;
  const value = whenDeclaredOrKnown(child(networkInterface, 'associate_public_ip_address'), readText);
  if (value === 'true' || value === 'false') return value === 'true';
  return typeof value === 'object' ? value : undefined;
}

function groupTags(ctx: PlanContext, group: PlanResource): DeployTag[] {
  const propagated = items(child(group.node, 'tag'))
    .filter((tag) => readBoolean(child(tag, 'propagate_at_launch')) !== false)
    .flatMap((tag) => {
      const key = readText(child(tag, 'key'));
      return typeof key === 'string' ? [{ Key: key, Value: readText(child(tag, 'value')) ?? '' }] : [];
    });
  // EC2 Auto Scaling tags every instance it launches with the group's name.
  return [...propagated, { Key: 'aws:autoscaling:groupName', Value: declaredName(group) }];
}

/** What the instances of a group get when its launch template cannot be read. */
function missingTemplate(ctx: PlanContext, group: PlanResource, missing: string): LaunchTemplateValues {
  note(ctx, group, `instances not fully read: ${missing}`);
  return { iamInstanceProfileArn: unresolved(missing), securityGroupIds: unresolved(missing), tags: [] };
}

function mapGroupInstances(ctx: PlanContext, group: PlanResource): DeployInstance[] {
  const found = launchTemplateOf(ctx, group);
  const { tags: templateTags, ...launched } =
    'template' in found
      ? launchTemplateValues(ctx, found.template)
      : missingTemplate(ctx, group, found.missing);
  const subnets = readRefList(ctx, group, child(group.node, 'vpc_zone_identifier'));
  const desired = readNumber(child(group.node, 'desired_capacity'));
  // No subnet list the plan can tell: as many instances as desired, each in a subnet known after apply.
  const subnetIds: Ref[] = Array.isArray(subnets)
    ? subnets
    : Array.from(
        { length: typeof desired === 'number' && desired > 0 ? desired : 1 },
        () => subnets ?? afterApply(),
      );
  const instances = subnetIds.map((subnetId, index): DeployInstance => {
    const address = `${group.address}[${index}]`;
    return {
      address,
      location: { ...group.location, address },
      instanceId: hashedId('i', address),
      launchedBy: group.address,
      subnetId,
      ...launched,
      tags: [...groupTags(ctx, group), ...templateTags],
    };
  });
  noteOverrides(ctx, group, instances);
  return instances;
}

/**
 * A mixed_instances_policy override with a launch_template_specification of its own launches some instances from
 * that template (its own profile, groups, metadata options), which is not read: every instance of the group may
 * be one of them, so each is unknown rather than judged by the base template alone.
 */
function noteOverrides(ctx: PlanContext, group: PlanResource, instances: readonly DeployInstance[]): void {
  const policy = firstBlock(child(group.node, 'mixed_instances_policy'));
  const template = policy && firstBlock(child(policy, 'launch_template'));
  const overrides = template === undefined ? [] : items(child(template, 'override'));
  const own = overrides.some((o) => firstBlock(child(o, 'launch_template_specification')) !== undefined);
  if (!own) return;
  const affects = instances.map((i) => ({
    collection: 'instances',
    resourceId: i.instanceId,
    property: 'launchTemplate',
  }));
  note(
    ctx,
    group,
    'some instances launch from the launch templates of mixed_instances_policy overrides, which are not read',
    affects,
  );
}

export function mapInstances(ctx: PlanContext): DeployInstance[] {
  return ctx.resources.flatMap((resource) => {
    if (resource.type === 'aws_instance') return [mapInstance(ctx, resource)];
    if (resource.type === 'aws_autoscaling_group') return mapGroupInstances(ctx, resource);
    return [];
  });
}
