// The ids, names and ARNs a CloudFormation stack's resources will have, and what Ref and Fn::GetAtt return for them.
//
// Ids are derived from the stack name and the logical id (a sha256), so the same template always synthesises the
// same responses, and every reference to a resource agrees with the id the mapper gives it. What AWS assigns at
// deploy and nothing in the template decides (a role's unique id, a subnet's zone when none is given) stays
// Unresolved.

import { createHash } from 'node:crypto';
import type { CfnResource, CfnValue, ReferencedResource } from './cfn-template.js';
import {
  isUnresolved,
  unresolved,
  type Declared,
  type DeployModel,
  type Maybe,
  type NoteAffects,
  type Unresolved,
} from './deploy-model.js';

/** The account, region and stack the template is read for (placeholders unless given). */
export interface StackIdentity {
  accountId: string;
  region: string;
  stackName: string;
}

export type Ec2IdPrefix =
  'i' | 'sg' | 'vpc' | 'subnet' | 'rtb' | 'acl' | 'vpce' | 'nat' | 'igw' | 'eigw' | 'lt';

function digest(stack: StackIdentity, key: string): Buffer {
  return createHash('sha256').update(`${stack.stackName}/${key}`).digest();
}

function hex17(stack: StackIdentity, key: string): string {
  return digest(stack, key).toString('hex').slice(0, 17);
}

/** "sg-0123…" (17 hex digits, as EC2 writes ids today); `key` is the logical id, or "Group[1]" for an ASG's nth. */
export function ec2Id(prefix: Ec2IdPrefix, stack: StackIdentity, key: string): string {
  return `${prefix}-${hex17(stack, key)}`;
}

export function maintenanceWindowId(stack: StackIdentity, logicalId: string): string {
  return `mw-${hex17(stack, logicalId)}`;
}

export function patchBaselineId(stack: StackIdentity, logicalId: string): string {
  return `pb-${hex17(stack, logicalId)}`;
}

/** A UUID-shaped id (maintenance window target and task ids are UUIDs). */
export function derivedUuid(stack: StackIdentity, logicalId: string): string {
  const hex = digest(stack, logicalId).toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `a${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

const NAME_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The name CloudFormation generates when a name property is absent: stackName-LogicalId-<13 upper-case letters and
 * digits>, the front cut short so the whole fits the service's limit (CloudFormation also shortens long names; the
 * exact cut is ours).
 */
export function generatedName(stack: StackIdentity, logicalId: string, maxLength: number): string {
  const bytes = digest(stack, `${logicalId}#name`);
  const suffix = [...bytes.subarray(0, 13)].map((b) => NAME_ALPHABET[b % NAME_ALPHABET.length]).join('');
  const front = `${stack.stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - suffix.length - 1));
  return `${front}-${suffix}`;
}

/** "aws", "aws-cn" or "aws-us-gov", from the region the stack is read for. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export type IamKind = 'role' | 'instance-profile' | 'policy';

/** arn:<partition>:iam::<account>:role/<path><name>, the path with its slashes ("/" or "/app/"). */
export function iamArn(stack: StackIdentity, kind: IamKind, path: string, name: string): string {
  return `arn:${partitionOfRegion(stack.region)}:iam::${stack.accountId}:${kind}${path}${name}`;
}

/** The name property of each type whose physical name CloudFormation generates when it is absent, and its limit. */
const NAME_PROPERTIES: Readonly<Record<string, { property: string; maxLength: number }>> = {
  'AWS::IAM::Role': { property: 'RoleName', maxLength: 64 },
  'AWS::IAM::InstanceProfile': { property: 'InstanceProfileName', maxLength: 128 },
  'AWS::IAM::ManagedPolicy': { property: 'ManagedPolicyName', maxLength: 128 },
  'AWS::EC2::SecurityGroup': { property: 'GroupName', maxLength: 255 },
  'AWS::EC2::LaunchTemplate': { property: 'LaunchTemplateName', maxLength: 128 },
  'AWS::AutoScaling::AutoScalingGroup': { property: 'AutoScalingGroupName', maxLength: 255 },
  'AWS::AutoScaling::LaunchConfiguration': { property: 'LaunchConfigurationName', maxLength: 255 },
};

/** The resource's name: its name property when given (possibly unknown), else the one CloudFormation generates. */
export function physicalName(resource: ReferencedResource, stack: StackIdentity): Maybe<string> {
  const spec = NAME_PROPERTIES[resource.type];
  if (spec === undefined) return unresolved(`${resource.type} has no name CloudFormation generates`);
  const declared = resource.property(spec.property);
  if (declared === undefined || declared === null) {
    return generatedName(stack, resource.logicalId, spec.maxLength);
  }
  if (typeof declared === 'string' || isUnresolved(declared)) return declared;
  return unresolved(`${resource.logicalId}.${spec.property} is not a string`);
}

/** An IAM resource's Path: "/" when absent. */
export function iamPath(resource: ReferencedResource): Maybe<string> {
  const path = resource.property('Path');
  if (path === undefined || path === null) return '/';
  if (typeof path === 'string' || isUnresolved(path)) return path;
  return unresolved(`${resource.logicalId}.Path is not a string`);
}

const IAM_KINDS: Readonly<Record<string, IamKind>> = {
  'AWS::IAM::Role': 'role',
  'AWS::IAM::InstanceProfile': 'instance-profile',
  'AWS::IAM::ManagedPolicy': 'policy',
};

/** The ARN of a declared role, instance profile or managed policy; unknown when its name or path is. */
export function iamResourceArn(resource: ReferencedResource, stack: StackIdentity): Maybe<string> {
  const kind = IAM_KINDS[resource.type];
  if (kind === undefined) return unresolved(`${resource.logicalId} (${resource.type}) has no IAM ARN`);
  const name = physicalName(resource, stack);
  const path = iamPath(resource);
  if (isUnresolved(name)) return name;
  if (isUnresolved(path)) return path;
  return iamArn(stack, kind, path, name);
}

/** A resource of the template as a Ref/GetAtt sees it, from its resolved properties. */
export function referencedOf(resource: CfnResource): ReferencedResource {
  return {
    logicalId: resource.logicalId,
    type: resource.type,
    property: (name) => resource.properties[name],
  };
}

/** Address, location, and whether it exists when its Condition could not be evaluated. */
export function declaredOf(resource: CfnResource): Declared {
  const declared: Declared = { address: resource.logicalId, location: resource.location };
  if (resource.condition !== true) {
    declared.exists = unresolved(`${resource.logicalId} is created only if ${resource.condition.reason}`);
  }
  return declared;
}

type ValueRule = (
  resource: ReferencedResource,
  attribute: string | undefined,
  stack: StackIdentity,
) => CfnValue;

function propertyOr(resource: ReferencedResource, name: string, reason: string): CfnValue {
  return resource.property(name) ?? unresolved(reason);
}

/** Ref → the id; Fn::GetAtt of the listed attributes → the id too (e.g. SecurityGroup.GroupId). */
function idRule(prefix: Ec2IdPrefix, idAttributes: readonly string[]): ValueRule {
  return (resource, attribute, stack) =>
    attribute === undefined || idAttributes.includes(attribute)
      ? ec2Id(prefix, stack, resource.logicalId)
      : notEvaluated(resource, attribute);
}

function notEvaluated(resource: ReferencedResource, attribute: string | undefined): CfnValue {
  return attribute === undefined
    ? unresolved(`Ref ${resource.logicalId} (${resource.type}) is not evaluated`)
    : unresolved(`Fn::GetAtt ${resource.logicalId}.${attribute} is not evaluated`);
}

const securityGroupValue: ValueRule = (resource, attribute, stack) => {
  const id = ec2Id('sg', stack, resource.logicalId);
  // Ref returns the group id for a group with a VpcId, else (a default-VPC group) its name (AWS::EC2::SecurityGroup
  // return values, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
  if (attribute === undefined)
    return resource.property('VpcId') === undefined ? physicalName(resource, stack) : id;
  if (attribute === 'GroupId') return id;
  if (attribute === 'VpcId')
    return propertyOr(resource, 'VpcId', `${resource.logicalId} is in the default VPC`);
  return notEvaluated(resource, attribute);
};

const vpcValue: ValueRule = (resource, attribute, stack) => {
  const id = resource.logicalId;
  switch (attribute) {
    case undefined:
    case 'VpcId':
      return ec2Id('vpc', stack, id);
    case 'CidrBlock':
      return propertyOr(resource, 'CidrBlock', `the CIDR block of ${id} is allocated at deploy`);
    case 'DefaultSecurityGroup':
      return ec2Id('sg', stack, `${id}.DefaultSecurityGroup`);
    case 'DefaultNetworkAcl':
      return ec2Id('acl', stack, `${id}.DefaultNetworkAcl`);
    default:
      return notEvaluated(resource, attribute);
  }
};

const subnetValue: ValueRule = (resource, attribute, stack) => {
  const id = resource.logicalId;
  switch (attribute) {
    case undefined:
    case 'SubnetId':
      return ec2Id('subnet', stack, id);
    case 'AvailabilityZone':
      return propertyOr(resource, 'AvailabilityZone', `EC2 chooses the Availability Zone of ${id} at deploy`);
    case 'VpcId':
      return propertyOr(resource, 'VpcId', `${id} has no VpcId`);
    case 'CidrBlock':
      return propertyOr(resource, 'CidrBlock', `the CIDR block of ${id} is allocated at deploy`);
    default:
      return notEvaluated(resource, attribute);
  }
};

const launchTemplateValue: ValueRule = (resource, attribute, stack) => {
  if (attribute === undefined || attribute === 'LaunchTemplateId')
    return ec2Id('lt', stack, resource.logicalId);
  // A template created with its stack has exactly one version, which is both the latest and the default.
  if (attribute === 'LatestVersionNumber' || attribute === 'DefaultVersionNumber') return '1';
  return notEvaluated(resource, attribute);
};

function iamValue(refIsArn: boolean, arnAttributes: readonly string[]): ValueRule {
  return (resource, attribute, stack) => {
    if (attribute === undefined) {
      return refIsArn ? iamResourceArn(resource, stack) : physicalName(resource, stack);
    }
    if (arnAttributes.includes(attribute)) return iamResourceArn(resource, stack);
    if (attribute === 'RoleId' || attribute === 'PolicyId') {
      return unresolved(`${resource.logicalId}.${attribute} is assigned by IAM at deploy`);
    }
    return notEvaluated(resource, attribute);
  };
}

function ssmIdRule(
  idOf: (stack: StackIdentity, logicalId: string) => string,
  idAttribute: string,
): ValueRule {
  return (resource, attribute, stack) =>
    attribute === undefined || attribute === idAttribute
      ? idOf(stack, resource.logicalId)
      : notEvaluated(resource, attribute);
}

const nameRule: ValueRule = (resource, attribute, stack) =>
  attribute === undefined ? physicalName(resource, stack) : notEvaluated(resource, attribute);

/**
 * What Ref (attribute undefined) and Fn::GetAtt return per type, as each type's CloudFormation "Return values"
 * section states (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html).
 */
const VALUE_RULES: Readonly<Record<string, ValueRule>> = {
  'AWS::IAM::Role': iamValue(false, ['Arn']),
  'AWS::IAM::InstanceProfile': iamValue(false, ['Arn']),
  'AWS::IAM::ManagedPolicy': iamValue(true, ['PolicyArn']),
  'AWS::EC2::Instance': idRule('i', ['InstanceId']),
  'AWS::EC2::SecurityGroup': securityGroupValue,
  'AWS::EC2::VPC': vpcValue,
  'AWS::EC2::Subnet': subnetValue,
  'AWS::EC2::RouteTable': idRule('rtb', ['RouteTableId']),
  'AWS::EC2::NetworkAcl': idRule('acl', ['Id']),
  'AWS::EC2::InternetGateway': idRule('igw', ['InternetGatewayId']),
  'AWS::EC2::EgressOnlyInternetGateway': idRule('eigw', ['Id']),
  'AWS::EC2::NatGateway': idRule('nat', ['NatGatewayId']),
  'AWS::EC2::VPCEndpoint': idRule('vpce', ['Id']),
  'AWS::EC2::LaunchTemplate': launchTemplateValue,
  'AWS::AutoScaling::AutoScalingGroup': nameRule,
  'AWS::AutoScaling::LaunchConfiguration': nameRule,
  'AWS::SSM::MaintenanceWindow': ssmIdRule(maintenanceWindowId, 'WindowId'),
  'AWS::SSM::MaintenanceWindowTarget': ssmIdRule(derivedUuid, 'WindowTargetId'),
  'AWS::SSM::MaintenanceWindowTask': ssmIdRule(derivedUuid, 'WindowTaskId'),
  'AWS::SSM::PatchBaseline': ssmIdRule(patchBaselineId, 'Id'),
};

/** What `Ref` (attribute undefined) or `Fn::GetAtt` of a resource of the template evaluates to. */
export function cfnValueOf(
  resource: ReferencedResource,
  attribute: string | undefined,
  stack: StackIdentity,
): CfnValue {
  const rule = VALUE_RULES[resource.type];
  return rule === undefined ? notEvaluated(resource, attribute) : rule(resource, attribute, stack);
}

/** A note on one resource, for what the mapper read but could not place on a property. */
export function noteFor(
  resource: CfnResource,
  message: string,
  affects?: NoteAffects[],
): DeployModel['notes'][number] {
  return { address: resource.logicalId, message, location: resource.location, ...(affects && { affects }) };
}

/** `value`, or Unresolved when the resource that declares it may not be created (its Condition is unknown). */
export function ifCreated<T>(resource: CfnResource, value: T): T | Unresolved {
  return resource.condition === true
    ? value
    : unresolved(`${resource.logicalId} is created only if ${resource.condition.reason}`);
}
