// Recognises which AWS API response(s) a parsed JSON file holds, by its top-level keys (never its name).

import type { ApiResponseKind } from '../api/api-data.js';
import { isJsonObject, type JsonObject } from '../api/mapping-context.js';
import { DHMC_SETTING_ID, isDhmcSettingId } from '../api/map-service-setting.js';

/** The manifest ssmguard reads beside AWS CLI files: scope and collection time for its folder and below. */
export interface SourceManifest {
  collectedAt?: unknown;
  accountId?: unknown;
  region?: unknown;
}

export type Recognition =
  | { type: 'responses'; kinds: ApiResponseKind[] }
  | { type: 'manifest'; manifest: SourceManifest }
  | { type: 'unrecognised'; reason: string };

// Keys only one API prints at the top level: recognised whatever their value, so a wrong shape
// ({"Reservations": "oops"}) reaches the mapper and becomes an issue rather than a silent skip.
const DISTINCT_KEYS: readonly (readonly [string, ApiResponseKind])[] = [
  ['Reservations', 'ec2:DescribeInstances'],
  ['SecurityGroups', 'ec2:DescribeSecurityGroups'],
  ['Vpcs', 'ec2:DescribeVpcs'],
  ['Subnets', 'ec2:DescribeSubnets'],
  ['RouteTables', 'ec2:DescribeRouteTables'],
  ['NetworkAcls', 'ec2:DescribeNetworkAcls'],
  ['VpcEndpoints', 'ec2:DescribeVpcEndpoints'],
  ['NatGateways', 'ec2:DescribeNatGateways'],
  ['InternetGateways', 'ec2:DescribeInternetGateways'],
  ['EgressOnlyInternetGateways', 'ec2:DescribeEgressOnlyInternetGateways'],
  ['RoleDetailList', 'iam:GetAccountAuthorizationDetails'],
  ['InstanceInformationList', 'ssm:DescribeInstanceInformation'],
  ['ActivationList', 'ssm:DescribeActivations'],
  ['WindowIdentities', 'ssm:DescribeMaintenanceWindows'],
  // describe-instance-patch-states and describe-instance-patch-states-for-patch-group print the same list.
  ['InstancePatchStates', 'ssm:DescribeInstancePatchStates'],
  ['BaselineIdentities', 'ssm:DescribePatchBaselines'],
  ['WindowExecutions', 'ssm:DescribeMaintenanceWindowExecutions'],
  ['WindowExecutionTaskIdentities', 'ssm:DescribeMaintenanceWindowExecutionTasks'],
  ['WindowExecutionTaskInvocationIdentities', 'ssm:DescribeMaintenanceWindowExecutionTaskInvocations'],
];

// Generic keys other services print too (EventBridge `Targets`, …): recognised only when the list is empty
// or its entries carry the SSM id field.
const SHARED_KEYS: readonly (readonly [string, string, ApiResponseKind])[] = [
  ['Targets', 'WindowTargetId', 'ssm:DescribeMaintenanceWindowTargets'],
  ['Tasks', 'WindowTaskId', 'ssm:DescribeMaintenanceWindowTasks'],
  ['Mappings', 'PatchGroup', 'ssm:DescribePatchGroups'],
];

/**
 * Recognises a parsed file. One file may hold several responses (a hand-merged `{"Vpcs": …, "Subnets": …}`);
 * each kind found is mapped. Anything else is unrecognised, with a reason the user can act on.
 */
export function recognizeResponse(body: unknown): Recognition {
  if (Array.isArray(body))
    return { type: 'unrecognised', reason: 'a JSON array, not an AWS API response (was --query used?)' };
  if (!isJsonObject(body)) return { type: 'unrecognised', reason: 'not a JSON object' };
  if ('ssmguardSource' in body)
    return { type: 'manifest', manifest: isJsonObject(body.ssmguardSource) ? body.ssmguardSource : {} };
  const kinds: ApiResponseKind[] = [];
  for (const [key, kind] of DISTINCT_KEYS) if (key in body) kinds.push(kind);
  for (const [key, idField, kind] of SHARED_KEYS) if (hasSsmList(body, key, idField)) kinds.push(kind);
  if (typeof body.VpcId === 'string' && ('EnableDnsSupport' in body || 'EnableDnsHostnames' in body))
    kinds.push('ec2:DescribeVpcAttribute');
  // get-maintenance-window-task prints one task at the top level (update-maintenance-window-task the same shape).
  if (typeof body.WindowId === 'string' && typeof body.WindowTaskId === 'string' && 'TaskArn' in body)
    kinds.push('ssm:GetMaintenanceWindowTask');
  // get-patch-baseline prints one baseline at the top level, its id and OS beside its rules.
  if (typeof body.BaselineId === 'string' && 'OperatingSystem' in body && !('BaselineIdentities' in body))
    kinds.push('ssm:GetPatchBaseline');
  if (isJsonObject(body.ServiceSetting)) {
    if (isDhmcSettingId(body.ServiceSetting.SettingId)) kinds.push('ssm:GetServiceSetting');
    else if (kinds.length === 0)
      return { type: 'unrecognised', reason: `a service setting other than ${DHMC_SETTING_ID}` };
  }
  if (kinds.length > 0) return { type: 'responses', kinds };
  return { type: 'unrecognised', reason: unrecognisedReason(body) };
}

function hasSsmList(body: JsonObject, key: string, idField: string): boolean {
  const list = body[key];
  if (!Array.isArray(list)) return false;
  return list.length === 0 || list.some((entry) => isJsonObject(entry) && idField in entry);
}

function unrecognisedReason(body: JsonObject): string {
  if ('UserDetailList' in body || 'GroupDetailList' in body || 'Policies' in body) {
    return 'get-account-authorization-details output without RoleDetailList (run it without --filter, or with Role and the policy filters)';
  }
  if ('schemaVersion' in body && 'coverage' in body)
    return 'an ssmguard inventory bundle; load it as a bundle, not as AWS CLI output';
  if ('configurationItems' in body) return 'an AWS Config snapshot; load it with the Config source';
  const keys = Object.keys(body);
  if (keys.length === 0) return 'an empty JSON object';
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k));
  return `no recognised AWS API response (top-level keys: ${shown.join(', ')}${keys.length > 5 ? ', …' : ''})`;
}
