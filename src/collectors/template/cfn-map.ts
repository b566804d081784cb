// A resolved CloudFormation template → the DeployModel: each family's mapper, and a note for every resource type
// ssmguard does not read.

import type { CfnResource, ResolvedTemplate } from './cfn-template.js';
import { noteFor, type StackIdentity } from './cfn-identity.js';
import { COMPUTE_TYPES, mapCompute } from './cfn-map-compute.js';
import { IAM_TYPES, mapIam } from './cfn-map-iam.js';
import { mapNetwork, NETWORK_TYPES } from './cfn-map-network.js';
import { mapSsm, SSM_TYPES } from './cfn-map-ssm.js';
import type { DeployModel, NoteAffects } from './deploy-model.js';

/** A model with nothing declared, for a source to fill. */
export function emptyDeployModel(
  kind: DeployModel['kind'],
  inputs: string[],
  accountId: string,
  region: string,
): DeployModel {
  return {
    kind,
    inputs,
    accountId,
    region,
    instances: [],
    roles: [],
    instanceProfiles: [],
    managedPolicies: [],
    securityGroups: [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    networkAcls: [],
    vpcEndpoints: [],
    natGateways: [],
    internetGateways: [],
    maintenanceWindows: [],
    maintenanceWindowTargets: [],
    maintenanceWindowTasks: [],
    patchBaselines: [],
    serviceSettings: [],
    notes: [],
  };
}

const READ_TYPES: ReadonlySet<string> = new Set([
  ...NETWORK_TYPES,
  ...IAM_TYPES,
  ...COMPUTE_TYPES,
  ...SSM_TYPES,
]);

function isCustomResource(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** Why a resource is not judged, or undefined when one of the mappers reads it. */
function unreadMessage(resource: CfnResource): string | undefined {
  if (READ_TYPES.has(resource.type)) return undefined;
  if (isCustomResource(resource.type)) {
    return `${resource.logicalId} is a custom resource (${resource.type}): what it creates is unknown, and not judged`;
  }
  if (resource.type === 'AWS::CloudFormation::Stack') {
    return `${resource.logicalId} is a nested stack: its resources are not read by ssmguard`;
  }
  return `${resource.type} is not read by ssmguard`;
}

/** Resources that change what the readiness chain reads (everywhere: a nested stack can hold any of it). */
const ANYWHERE: NoteAffects[] = ['roles', 'securityGroups', 'routeTables', 'networkAcls', 'vpcEndpoints'].map(
  (collection) => ({ collection, resourceId: '*' }),
);

/** The instance a resource attaches to by `InstanceId`, or any instance when that is not a known id. */
function instanceOf(resource: CfnResource, property: string): NoteAffects[] {
  const id = resource.properties['InstanceId'];
  return [{ collection: 'instances', resourceId: typeof id === 'string' ? id : '*', property }];
}

/**
 * What an unread resource changes in the chain, so the rules reading it give ERROR rather than a verdict without
 * it: an Elastic IP gives an instance a public address, an attached interface its subnet and groups, a nested
 * stack anything. Undefined: it changes nothing the rules read.
 */
function unreadAffects(resource: CfnResource): NoteAffects[] | undefined {
  switch (resource.type) {
    case 'AWS::CloudFormation::Stack':
      return ANYWHERE;
    case 'AWS::EC2::EIP':
      return resource.properties['InstanceId'] === undefined
        ? undefined
        : instanceOf(resource, 'associatePublicIpAddress');
    case 'AWS::EC2::EIPAssociation':
      return instanceOf(resource, 'associatePublicIpAddress');
    case 'AWS::EC2::NetworkInterfaceAttachment':
      return instanceOf(resource, 'networkInterfaces');
    case 'AWS::EC2::GatewayRouteTableAssociation':
      return [{ collection: 'routeTables', resourceId: '*' }];
    default:
      return undefined;
  }
}

/**
 * What the stack would create, as the DeployModel both template sources fill. The reader's template-level warnings
 * become notes at the top of the file (address ""), and so does each resource whose Condition is unknown.
 */
export function mapCloudFormation(template: ResolvedTemplate, stack: StackIdentity): DeployModel {
  const resources = template.resources;
  const notes: DeployModel['notes'] = template.warnings.map((message) => ({
    address: '',
    message,
    location: { file: template.file, line: 1, address: '' },
  }));
  for (const resource of resources) {
    const message = unreadMessage(resource);
    if (message !== undefined) notes.push(noteFor(resource, message, unreadAffects(resource)));
    else if (resource.condition !== true) {
      notes.push(noteFor(resource, `${resource.logicalId} may not be created: ${resource.condition.reason}`));
    }
  }
  const model: DeployModel = {
    ...emptyDeployModel('cloudformation', [template.file], stack.accountId, stack.region),
    ...mapNetwork(resources, stack, notes),
    ...mapIam(resources, stack, notes),
    ...mapSsm(resources, stack, notes),
    instances: mapCompute(resources, stack, notes),
  };
  // Notes in template order (a stable sort), so reports list them as a reader meets them in the file.
  model.notes = [...notes].sort((a, b) => a.location.line - b.location.line);
  return model;
}
