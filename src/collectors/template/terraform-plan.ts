// Reading a `terraform show -json PLANFILE` output into a DeployModel: recognising it, rejecting what is not a plan
// with PLAN_INVALID, and handing the indexed resources to the per-service mappers.

import type { DeployModel, NoteAffects } from './deploy-model.js';
import { TemplateInputError } from './template-input-error.js';
import { note, type PlanContext, type PlanResource } from './terraform-map-context.js';
import { mapInstances } from './terraform-map-compute.js';
import { mapInstanceProfiles, mapManagedPolicies, mapRoles } from './terraform-map-iam.js';
import { lineAndColumn } from './terraform-map-locations.js';
import {
  mapInternetGateways,
  mapNatGateways,
  mapNetworkAcls,
  mapRouteTables,
  mapSubnets,
  mapVpcEndpoints,
  mapVpcs,
} from './terraform-map-network.js';
import { mapSecurityGroups } from './terraform-map-security-groups.js';
import {
  mapMaintenanceWindows,
  mapMaintenanceWindowTargets,
  mapMaintenanceWindowTasks,
  mapPatchBaselines,
  mapServiceSettings,
} from './terraform-map-ssm.js';
import { indexPlan } from './terraform-map-index.js';
import { child, isRecord } from './terraform-map-values.js';

/** A `terraform show -json` plan: format and Terraform versions, and what it would create or change. */
export function looksLikeTerraformPlan(parsed: unknown): boolean {
  return (
    isRecord(parsed) &&
    typeof parsed.format_version === 'string' &&
    typeof parsed.terraform_version === 'string' &&
    (isRecord(parsed.planned_values) || Array.isArray(parsed.resource_changes))
  );
}

/** Resource types the mappers read; every other aws_* resource is noted, not judged. */
const MAPPED_TYPES = new Set([
  'aws_instance',
  'aws_launch_template',
  'aws_autoscaling_group',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_policy',
  'aws_iam_instance_profile',
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_main_route_table_association',
  'aws_network_acl',
  'aws_network_acl_rule',
  'aws_network_acl_association',
  'aws_vpc_endpoint',
  'aws_nat_gateway',
  'aws_internet_gateway',
  'aws_internet_gateway_attachment',
  'aws_egress_only_internet_gateway',
  'aws_ssm_maintenance_window',
  'aws_ssm_maintenance_window_target',
  'aws_ssm_maintenance_window_task',
  'aws_ssm_patch_baseline',
  'aws_ssm_patch_group',
  'aws_ssm_service_setting',
]);

/** V8 names the offset ("… in JSON at position 812"; newer: "(line 3 column 5)"); an end of input is at the end. */
function syntaxErrorPosition(text: string, message: string): { line?: number; column?: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn !== null) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return lineAndColumn(text, Number(position));
  return /end of (JSON )?input/i.test(message) ? lineAndColumn(text, text.length) : {};
}

function parsePlanJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const { line, column } = syntaxErrorPosition(text, error.message);
    throw new TemplateInputError('PLAN_INVALID', file, `not JSON: ${error.message}`, line, column, {
      cause: error,
    });
  }
}

function locationOfKey(text: string, key: string): { line?: number; column?: number } {
  const offset = text.indexOf(`"${key}"`);
  return offset < 0 ? {} : lineAndColumn(text, offset);
}

function validatePlan(file: string, text: string, parsed: unknown): Record<string, unknown> {
  const invalid = (detail: string, at: { line?: number; column?: number } = {}) =>
    new TemplateInputError('PLAN_INVALID', file, detail, at.line, at.column);
  if (!isRecord(parsed))
    throw invalid('not a `terraform show -json` plan: the JSON is not an object', { line: 1, column: 1 });
  if (parsed.AWSTemplateFormatVersion !== undefined || isRecord(parsed.Resources)) {
    throw invalid('a CloudFormation template, not a `terraform show -json` plan', { line: 1, column: 1 });
  }
  if (typeof parsed.format_version !== 'string') {
    throw invalid('not a `terraform show -json` plan: no format_version', { line: 1, column: 1 });
  }
  if (!parsed.format_version.startsWith('1.')) {
    throw invalid(
      `plan format ${parsed.format_version} is not supported (1.x is)`,
      locationOfKey(text, 'format_version'),
    );
  }
  if (!isRecord(parsed.planned_values)) {
    const what = isRecord(parsed.values)
      ? 'a state (`terraform show -json` without a plan file)'
      : 'no planned_values';
    throw invalid(
      `not a plan: ${what}; run \`terraform show -json PLANFILE\``,
      locationOfKey(text, 'format_version'),
    );
  }
  if (parsed.errored === true) {
    throw invalid(
      'the plan errored (`errored: true`): fix the errors `terraform plan` printed and plan again',
      locationOfKey(text, 'errored'),
    );
  }
  return parsed;
}

const any = (collection: string, property?: string): NoteAffects[] => [
  { collection, resourceId: '*', ...(property !== undefined && { property }) },
];

/**
 * Types not mapped that change what the readiness chain reads: the rules reading what they change give ERROR
 * "unknown until deployed" rather than a verdict without them (a default ACL with no rules denies everything).
 */
const UNMAPPED_AFFECTS: Readonly<Record<string, NoteAffects[]>> = {
  aws_default_network_acl: any('networkAcls'),
  aws_default_security_group: any('securityGroups'),
  aws_default_route_table: any('routeTables'),
  aws_vpc_endpoint_policy: any('vpcEndpoints'),
  aws_vpc_endpoint_route_table_association: any('vpcEndpoints'),
  aws_vpc_endpoint_subnet_association: any('vpcEndpoints'),
  aws_vpc_endpoint_security_group_association: any('vpcEndpoints'),
  aws_vpc_ipv4_cidr_block_association: any('vpcs'),
  aws_iam_policy_attachment: any('roles'),
  aws_iam_role_policy_attachments_exclusive: any('roles'),
  aws_iam_role_policies_exclusive: any('roles'),
  aws_network_interface_sg_attachment: any('instances', 'networkInterfaces'),
  aws_network_interface_attachment: any('instances', 'networkInterfaces'),
  aws_ec2_instance_metadata_defaults: any('instances', 'metadataOptions'),
  aws_eip_association: any('instances', 'associatePublicIpAddress'),
};

/** An Elastic IP changes an instance's path only when it names one (a NAT gateway's does not). */
function eipAffects(resource: PlanResource): NoteAffects[] | undefined {
  const instance = child(resource.node, 'instance');
  // The provider plans `instance` as computed ("known after apply") even when it is not set: only a value or an
  // expression in the configuration names an instance.
  const names =
    (typeof instance.value === 'string' && instance.value !== '') || instance.expression !== undefined;
  return names ? any('instances', 'associatePublicIpAddress') : undefined;
}

function noteUnmapped(ctx: PlanContext): void {
  for (const resource of ctx.resources) {
    if (!resource.type.startsWith('aws_')) continue;
    if (resource.type === 'aws_ssm_association') {
      note(ctx, resource, 'aws_ssm_association is not read: associations are judged from a deployed fleet');
    } else if (!MAPPED_TYPES.has(resource.type)) {
      const affects = resource.type === 'aws_eip' ? eipAffects(resource) : UNMAPPED_AFFECTS[resource.type];
      note(ctx, resource, `${resource.type} is not read`, affects);
    }
  }
}

export function readTerraformPlan(
  file: string,
  text: string,
  options: { accountId: string; region: string },
): DeployModel {
  const plan = validatePlan(file, text, parsePlanJson(file, text));
  const ctx = indexPlan(file, text, plan, options);
  noteUnmapped(ctx);
  return {
    kind: 'terraform',
    inputs: [file],
    accountId: options.accountId,
    region: options.region,
    instances: mapInstances(ctx),
    roles: mapRoles(ctx),
    instanceProfiles: mapInstanceProfiles(ctx),
    managedPolicies: mapManagedPolicies(ctx),
    securityGroups: mapSecurityGroups(ctx),
    vpcs: mapVpcs(ctx),
    subnets: mapSubnets(ctx),
    routeTables: mapRouteTables(ctx),
    networkAcls: mapNetworkAcls(ctx),
    vpcEndpoints: mapVpcEndpoints(ctx),
    natGateways: mapNatGateways(ctx),
    internetGateways: mapInternetGateways(ctx),
    maintenanceWindows: mapMaintenanceWindows(ctx),
    maintenanceWindowTargets: mapMaintenanceWindowTargets(ctx),
    maintenanceWindowTasks: mapMaintenanceWindowTasks(ctx),
    patchBaselines: mapPatchBaselines(ctx),
    serviceSettings: mapServiceSettings(ctx),
    notes: ctx.notes,
  };
}
