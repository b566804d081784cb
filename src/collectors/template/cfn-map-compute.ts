// CloudFormation compute resources → the DeployModel's instances: each AWS::EC2::Instance, and one instance per
// subnet for each AWS::AutoScaling::AutoScalingGroup, with what their launch template or configuration supplies.

import type { CfnObject, CfnResource, CfnValue } from './cfn-template.js';
import {
  declaredOf,
  ec2Id,
  iamArn,
  iamResourceArn,
  noteFor,
  physicalName,
  referencedOf,
  type StackIdentity,
} from './cfn-identity.js';
import {
  cfnBoolean,
  cfnNumber,
  cfnObject,
  cfnObjectList,
  cfnString,
  cfnStringList,
  isCfnObject,
  mergeTags,
  resourceTags,
} from './cfn-values.js';
import {
  isUnresolved,
  unresolved,
  type Declared,
  type DeployInstance,
  type DeployModel,
  type DeployTag,
  type Maybe,
  type Ref,
  type Unresolved,
} from './deploy-model.js';

type Notes = DeployModel['notes'];

export const COMPUTE_TYPES: readonly string[] = [
  'AWS::EC2::Instance',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
];

/** What an instance is launched with, from its own properties, a launch template or a launch configuration. */
interface LaunchSpec {
  profileArn?: Ref;
  subnetId?: Ref;
  securityGroupIds?: Maybe<Ref[]>;
  imageId?: Ref;
  metadataOptions?: DeployInstance['metadataOptions'];
  associatePublicIpAddress?: Maybe<boolean>;
  sourceDestCheck?: Maybe<boolean>;
  tags: DeployTag[];
}

/** The declared resources an instance's properties may name. */
interface Lookups {
  stack: StackIdentity;
  profileArnByName: ReadonlyMap<string, Maybe<string>>;
  groupIdByName: ReadonlyMap<string, string>;
  launchTemplates: ReadonlyMap<string, CfnResource>;
  launchConfigurations: ReadonlyMap<string, CfnResource>;
  notes: Notes;
}

function ofType(resources: readonly CfnResource[], type: string): CfnResource[] {
  return resources.filter((r) => r.type === type);
}

function byPhysicalName(resources: readonly CfnResource[], stack: StackIdentity): Map<string, CfnResource> {
  const map = new Map<string, CfnResource>();
  for (const r of resources) {
    const name = physicalName(referencedOf(r), stack);
    if (typeof name === 'string') map.set(name, r);
  }
  return map;
}

function lookupsOf(resources: readonly CfnResource[], stack: StackIdentity, notes: Notes): Lookups {
  const profiles = ofType(resources, 'AWS::IAM::InstanceProfile');
  const groups = ofType(resources, 'AWS::EC2::SecurityGroup');
  const templates = ofType(resources, 'AWS::EC2::LaunchTemplate');
  const launchTemplates = byPhysicalName(templates, stack);
  for (const t of templates) launchTemplates.set(ec2Id('lt', stack, t.logicalId), t);
  return {
    stack,
    profileArnByName: new Map(
      [...byPhysicalName(profiles, stack)].map(([name, p]) => [name, iamResourceArn(referencedOf(p), stack)]),
    ),
    groupIdByName: new Map(
      [...byPhysicalName(groups, stack)].map(([name, g]) => [name, ec2Id('sg', stack, g.logicalId)]),
    ),
    launchTemplates,
    launchConfigurations: byPhysicalName(ofType(resources, 'AWS::AutoScaling::LaunchConfiguration'), stack),
    notes,
  };
}

/** An instance profile given by name (EC2::Instance, LaunchConfiguration) or ARN, as the ARN it will have. */
function profileArnOf(nameOrArn: Maybe<string>, lookups: Lookups): Ref {
  if (isUnresolved(nameOrArn) || nameOrArn.startsWith('arn:')) return nameOrArn;
  return lookups.profileArnByName.get(nameOrArn) ?? iamArn(lookups.stack, 'instance-profile', '/', nameOrArn);
}

/** Security groups named (default-VPC style) rather than given by id: a declared group's name → its id. */
function groupIdOf(nameOrId: Maybe<string>, lookups: Lookups): Ref {
  if (isUnresolved(nameOrId) || nameOrId.startsWith('sg-')) return nameOrId;
  return (
    lookups.groupIdByName.get(nameOrId) ??
    unresolved(`security group named '${nameOrId}' is outside the template; its id is not known`)
  );
}

/** All groups from the id lists and name lists given; undefined when none of them is declared. */
function securityGroupsOf(
  idLists: readonly (CfnValue | undefined)[],
  nameLists: readonly (CfnValue | undefined)[],
  what: string,
  lookups: Lookups,
): Maybe<Ref[]> | undefined {
  const lists = [
    ...idLists.map((v) => ({ v, byName: false })),
    ...nameLists.map((v) => ({ v, byName: true })),
  ].filter(({ v }) => v !== undefined && v !== null);
  if (lists.length === 0) return undefined;
  const ids: Ref[] = [];
  for (const { v, byName } of lists) {
    const list = cfnStringList(v, `${what} security groups`) ?? [];
    if (isUnresolved(list)) return list;
    ids.push(...list.map((g) => (byName ? groupIdOf(g, lookups) : g)));
  }
  return ids;
}

function metadataOptionsOf(
  value: CfnValue | undefined,
  what: string,
): DeployInstance['metadataOptions'] | undefined {
  const options = cfnObject(value, what);
  if (options === undefined) return undefined;
  if (isUnresolved(options)) {
    return {
      HttpEndpoint: options,
      HttpTokens: options,
      HttpPutResponseHopLimit: options,
      InstanceMetadataTags: options,
    };
  }
  const read: DeployInstance['metadataOptions'] = {};
  for (const field of ['HttpEndpoint', 'HttpTokens', 'InstanceMetadataTags'] as const) {
    const v = cfnString(options[field], `${what}.${field}`);
    if (v !== undefined) read[field] = v;
  }
  const hops = cfnNumber(options.HttpPutResponseHopLimit, `${what}.HttpPutResponseHopLimit`);
  if (hops !== undefined) read.HttpPutResponseHopLimit = hops;
  return read;
}

/** The interface at DeviceIndex 0, where RunInstances takes the subnet and groups when interfaces are given. */
function primaryInterface(value: CfnValue | undefined, what: string): CfnObject | Unresolved | undefined {
  const interfaces = cfnObjectList(value, what);
  if (interfaces === undefined || isUnresolved(interfaces)) return interfaces;
  return interfaces.find((ni) => String(ni.DeviceIndex ?? '0') === '0');
}

function interfaceValue(primary: CfnObject | Unresolved | undefined, field: string): CfnValue | undefined {
  if (primary === undefined) return undefined;
  return isUnresolved(primary) ? primary : primary[field];
}

function instanceSpec(instance: CfnResource, lookups: Lookups): LaunchSpec {
  const p = instance.properties;
  const what = instance.logicalId;
  const primary = primaryInterface(p.NetworkInterfaces, `${what}.NetworkInterfaces`);
  const profile = cfnString(p.IamInstanceProfile, `${what}.IamInstanceProfile`);
  return {
    profileArn: profile === undefined ? undefined : profileArnOf(profile, lookups),
    subnetId:
      cfnString(p.SubnetId, `${what}.SubnetId`) ??
      cfnString(interfaceValue(primary, 'SubnetId'), `${what} subnet`),
    securityGroupIds: securityGroupsOf(
      [p.SecurityGroupIds, interfaceValue(primary, 'GroupSet')],
      [p.SecurityGroups],
      what,
      lookups,
    ),
    imageId: cfnString(p.ImageId, `${what}.ImageId`),
    metadataOptions: metadataOptionsOf(p.MetadataOptions, `${what}.MetadataOptions`),
    associatePublicIpAddress: cfnBoolean(
      interfaceValue(primary, 'AssociatePublicIpAddress'),
      `${what} public IP`,
    ),
    sourceDestCheck: cfnBoolean(p.SourceDestCheck, `${what}.SourceDestCheck`),
    tags: resourceTags(instance, lookups.notes),
  };
}

function templateProfileArn(value: CfnValue | undefined, what: string, lookups: Lookups): Ref | undefined {
  const profile = cfnObject(value, what);
  if (profile === undefined || isUnresolved(profile)) return profile;
  const arn = cfnString(profile.Arn, `${what}.Arn`);
  if (arn !== undefined) return arn;
  const name = cfnString(profile.Name, `${what}.Name`);
  return name === undefined ? undefined : profileArnOf(name, lookups);
}

/** TagSpecifications' tags for ResourceType "instance" (the only ones an instance carries). */
function instanceTagsOf(value: CfnValue | undefined, what: string): DeployTag[] {
  const specs = cfnObjectList(value, what);
  if (specs === undefined || isUnresolved(specs)) return [];
  return specs
    .filter((s) => s.ResourceType === 'instance')
    .flatMap((s) => {
      const tags = cfnObjectList(s.Tags, `${what}.Tags`);
      if (tags === undefined || isUnresolved(tags)) return [];
      return tags.flatMap((t) => {
        const key = cfnString(t.Key, `${what}.Tags.Key`);
        return typeof key === 'string'
          ? [{ Key: key, Value: cfnString(t.Value, `${what}.Tags.Value`) ?? '' }]
          : [];
      });
    });
}

function launchTemplateSpec(template: CfnResource, lookups: Lookups): LaunchSpec {
  const what = `${template.logicalId}.LaunchTemplateData`;
  const data = cfnObject(template.properties.LaunchTemplateData, what);
  if (data === undefined) return { tags: [] };
  if (isUnresolved(data)) return unknownSpec(data.reason);
  const primary = primaryInterface(data.NetworkInterfaces, `${what}.NetworkInterfaces`);
  return {
    profileArn: templateProfileArn(data.IamInstanceProfile, `${what}.IamInstanceProfile`, lookups),
    subnetId: cfnString(interfaceValue(primary, 'SubnetId'), `${what} subnet`),
    securityGroupIds: securityGroupsOf(
      [data.SecurityGroupIds, interfaceValue(primary, 'Groups')],
      [data.SecurityGroups],
      what,
      lookups,
    ),
    imageId: cfnString(data.ImageId, `${what}.ImageId`),
    metadataOptions: metadataOptionsOf(data.MetadataOptions, `${what}.MetadataOptions`),
    associatePublicIpAddress: cfnBoolean(
      interfaceValue(primary, 'AssociatePublicIpAddress'),
      `${what} public IP`,
    ),
    tags: instanceTagsOf(data.TagSpecifications, `${what}.TagSpecifications`),
  };
}

function launchConfigurationSpec(configuration: CfnResource, lookups: Lookups): LaunchSpec {
  const p = configuration.properties;
  const what = configuration.logicalId;
  const profile = cfnString(p.IamInstanceProfile, `${what}.IamInstanceProfile`);
  return {
    profileArn: profile === undefined ? undefined : profileArnOf(profile, lookups),
    // A launch configuration's SecurityGroups take ids in a VPC and names in the default VPC.
    securityGroupIds: securityGroupsOf([], [p.SecurityGroups], what, lookups),
    imageId: cfnString(p.ImageId, `${what}.ImageId`),
    metadataOptions: metadataOptionsOf(p.MetadataOptions, `${what}.MetadataOptions`),
    associatePublicIpAddress: cfnBoolean(p.AssociatePublicIpAddress, `${what}.AssociatePublicIpAddress`),
    tags: [],
  };
}

/** Everything a launch template or configuration outside the template would decide is unknown. */
function unknownSpec(reason: string): LaunchSpec {
  const unknown = unresolved(reason);
  return {
    profileArn: unknown,
    subnetId: unknown,
    securityGroupIds: unknown,
    imageId: unknown,
    metadataOptions: { HttpEndpoint: unknown, HttpTokens: unknown, HttpPutResponseHopLimit: unknown },
    tags: [],
  };
}

/** A LaunchTemplateSpecification ({LaunchTemplateId | LaunchTemplateName, Version}) → that template's spec. */
function referencedTemplateSpec(
  value: CfnValue | undefined,
  what: string,
  lookups: Lookups,
): LaunchSpec | undefined {
  const reference = cfnObject(value, what);
  if (reference === undefined) return undefined;
  if (isUnresolved(reference)) return unknownSpec(reference.reason);
  const key = cfnString(
    reference.LaunchTemplateId ?? reference.LaunchTemplateName,
    `${what}.LaunchTemplateId`,
  );
  if (key === undefined) return unknownSpec(`${what} names no launch template`);
  if (isUnresolved(key)) return unknownSpec(key.reason);
  const template = lookups.launchTemplates.get(key);
  return template === undefined
    ? unknownSpec(`launch template ${key} is not in this template`)
    : launchTemplateSpec(template, lookups);
}

/** Instance properties override the launch template's (RunInstances parameters win over the template's). */
function mergeSpecs(base: LaunchSpec | undefined, own: LaunchSpec): LaunchSpec {
  if (base === undefined) return own;
  return {
    profileArn: own.profileArn ?? base.profileArn,
    subnetId: own.subnetId ?? base.subnetId,
    securityGroupIds: own.securityGroupIds ?? base.securityGroupIds,
    imageId: own.imageId ?? base.imageId,
    // MetadataOptions is one RunInstances parameter: the instance's replaces the template's as a whole.
    metadataOptions: own.metadataOptions ?? base.metadataOptions,
    associatePublicIpAddress: own.associatePublicIpAddress ?? base.associatePublicIpAddress,
    sourceDestCheck: own.sourceDestCheck ?? base.sourceDestCheck,
    tags: mergeTags(base.tags, own.tags),
  };
}

const WINDOWS_PATH = /\/[^\s'"]*windows[^\s'"]*/i;

/**
 * Windows only when the image is an SSM parameter whose path says so (the AWS public aliases are
 * /aws/service/ami-windows-latest/…); any other image is taken as Linux.
 */
function platformOf(imageId: Ref | undefined): 'windows' | 'linux' {
  if (imageId === undefined) return 'linux';
  const text = isUnresolved(imageId) ? imageId.reason : imageId.startsWith('resolve:ssm:') ? imageId : '';
  return WINDOWS_PATH.test(text) ? 'windows' : 'linux';
}

function deployInstance(declared: Declared, instanceId: string, spec: LaunchSpec): DeployInstance {
  const instance: DeployInstance = {
    ...declared,
    instanceId,
    subnetId:
      spec.subnetId ??
      unresolved('no subnet is declared: EC2 launches into a default subnet of the default VPC'),
    securityGroupIds:
      spec.securityGroupIds ??
      unresolved('no security group is declared: EC2 uses the default group of the VPC'),
    platform: platformOf(spec.imageId),
    tags: spec.tags,
  };
  if (spec.profileArn !== undefined) instance.iamInstanceProfileArn = spec.profileArn;
  if (spec.imageId !== undefined) instance.imageId = spec.imageId;
  if (spec.metadataOptions !== undefined) instance.metadataOptions = spec.metadataOptions;
  if (spec.associatePublicIpAddress !== undefined)
    instance.associatePublicIpAddress = spec.associatePublicIpAddress;
  if (spec.sourceDestCheck !== undefined) instance.sourceDestCheck = spec.sourceDestCheck;
  return instance;
}

function mapInstance(instance: CfnResource, lookups: Lookups): DeployInstance {
  const what = `${instance.logicalId}.LaunchTemplate`;
  const template = referencedTemplateSpec(instance.properties.LaunchTemplate, what, lookups);
  const spec = mergeSpecs(template, instanceSpec(instance, lookups));
  return deployInstance(declaredOf(instance), ec2Id('i', lookups.stack, instance.logicalId), spec);
}

function groupLaunchSpec(group: CfnResource, lookups: Lookups): LaunchSpec {
  const p = group.properties;
  const what = group.logicalId;
  const mixed = cfnObject(p.MixedInstancesPolicy, `${what}.MixedInstancesPolicy`);
  const mixedTemplate = mixed === undefined || isUnresolved(mixed) ? mixed : mixed.LaunchTemplate;
  const mixedSpec = isCfnObject(mixedTemplate) ? mixedTemplate.LaunchTemplateSpecification : mixedTemplate;
  const fromTemplate =
    referencedTemplateSpec(p.LaunchTemplate, `${what}.LaunchTemplate`, lookups) ??
    referencedTemplateSpec(mixedSpec, `${what}.MixedInstancesPolicy`, lookups);
  if (fromTemplate !== undefined) return fromTemplate;
  const configuration = cfnString(p.LaunchConfigurationName, `${what}.LaunchConfigurationName`);
  if (configuration !== undefined) {
    if (isUnresolved(configuration)) return unknownSpec(configuration.reason);
    const declared = lookups.launchConfigurations.get(configuration);
    return declared === undefined
      ? unknownSpec(`launch configuration ${configuration} is not in this template`)
      : launchConfigurationSpec(declared, lookups);
  }
  return unknownSpec(`${what} launches from an existing instance or declares no launch template`);
}

/** Tags with PropagateAtLaunch, plus the aws:autoscaling:groupName tag Auto Scaling adds to every instance. */
function propagatedTags(group: CfnResource, name: Maybe<string>, notes: Notes): DeployTag[] {
  const what = `${group.logicalId}.Tags`;
  const tags = cfnObjectList(group.properties.Tags, what) ?? [];
  if (isUnresolved(tags)) {
    notes.push(noteFor(group, `Tags of ${group.logicalId} are unknown until deploy (${tags.reason})`));
  }
  const propagated = (isUnresolved(tags) ? [] : tags).flatMap((tag): DeployTag[] => {
    const key = cfnString(tag.Key, `${what}.Key`);
    const propagate = cfnBoolean(tag.PropagateAtLaunch, `${what}.PropagateAtLaunch`) ?? false;
    if (typeof key !== 'string' || propagate === false) return [];
    const value = cfnString(tag.Value, `${what}.Value`) ?? '';
    return [{ Key: key, Value: isUnresolved(propagate) ? propagate : value }];
  });
  return [...propagated, { Key: 'aws:autoscaling:groupName', Value: name }];
}

/** One instance per subnet of VPCZoneIdentifier; one with an unknown subnet when the list is unknown or absent. */
function mapAutoScalingGroup(group: CfnResource, lookups: Lookups): DeployInstance[] {
  const what = group.logicalId;
  const spec = groupLaunchSpec(group, lookups);
  const name = physicalName(referencedOf(group), lookups.stack);
  const tags = mergeTags(spec.tags, propagatedTags(group, name, lookups.notes));
  const zones = cfnStringList(group.properties.VPCZoneIdentifier, `${what}.VPCZoneIdentifier`);
  const subnets: Ref[] =
    zones === undefined || (Array.isArray(zones) && zones.length === 0)
      ? [unresolved(`${what} has no VPCZoneIdentifier: Auto Scaling uses default subnets of its zones`)]
      : isUnresolved(zones)
        ? [zones]
        : zones;
  const declared = declaredOf(group);
  const instances = subnets.map((subnetId, n) => {
    const address = `${what}[${n}]`;
    // Each instance the group would launch is named on its own ("WebGroup[1]"), at the group's line.
    const location = { ...declared.location, address };
    const instance = deployInstance({ ...declared, address, location }, ec2Id('i', lookups.stack, address), {
      ...spec,
      subnetId,
      tags,
    });
    return { ...instance, launchedBy: what };
  });
  noteOverrides(group, instances, lookups.notes);
  return instances;
}

/**
 * A mixed instances policy may launch some instances from the launch templates of its Overrides (with their own
 * profile, groups and metadata options), which ssmguard does not read: every instance of the group then may be
 * one of them, so each is unknown rather than judged by the base template alone.
 */
function noteOverrides(group: CfnResource, instances: readonly DeployInstance[], notes: Notes): void {
  const mixed = group.properties.MixedInstancesPolicy;
  const overrides =
    isCfnObject(mixed) && isCfnObject(mixed.LaunchTemplate) ? mixed.LaunchTemplate.Overrides : [];
  const own =
    Array.isArray(overrides) && overrides.some((o) => isCfnObject(o) && o.LaunchTemplateSpecification);
  if (!own && !isUnresolved(overrides)) return;
  const affects = instances.map((i) => ({
    collection: 'instances',
    resourceId: i.instanceId,
    property: 'launchTemplate',
  }));
  notes.push(
    noteFor(
      group,
      `${group.logicalId} launches some instances from the launch templates of its MixedInstancesPolicy Overrides, which are not read`,
      affects,
    ),
  );
}

/** The instances the template launches: its EC2 instances, then each Auto Scaling group's. */
export function mapCompute(
  resources: readonly CfnResource[],
  stack: StackIdentity,
  notes: Notes,
): DeployInstance[] {
  const lookups = lookupsOf(resources, stack, notes);
  return [
    ...ofType(resources, 'AWS::EC2::Instance').map((i) => mapInstance(i, lookups)),
    ...ofType(resources, 'AWS::AutoScaling::AutoScalingGroup').flatMap((g) =>
      mapAutoScalingGroup(g, lookups),
    ),
  ];
}
