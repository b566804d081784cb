// Dispatches one API response to its mapper by kind, giving a uniform MappedResponse for the builder.

import type { Inventory, InventoryCollectionName, ResourceFamily } from '../../inventory/model.js';
import { API_RESPONSE_KINDS, type ApiResponseKind } from './api-data.js';
import { mapActivations } from './map-activations.js';
import { mapAuthorizationDetails } from './map-authorization-details.js';
import { mapDescribeInstances } from './map-describe-instances.js';
import { mapDescribeSubnets } from './map-describe-subnets.js';
import { mapDescribeVpcs } from './map-describe-vpcs.js';
import { mapInstanceInformation } from './map-instance-information.js';
import { mapInstancePatchStates } from './map-instance-patch-states.js';
import { mapEgressOnlyInternetGateways, mapInternetGateways } from './map-internet-gateways.js';
import { mapMaintenanceWindowTargets } from './map-maintenance-window-targets.js';
import { mapMaintenanceWindowTask } from './map-maintenance-window-task.js';
import { mapMaintenanceWindowTasks } from './map-maintenance-window-tasks.js';
import { mapMaintenanceWindows } from './map-maintenance-windows.js';
import { mapNatGateways } from './map-nat-gateways.js';
import { mapNetworkAcls } from './map-network-acls.js';
import { baselineKey } from '../../inventory/patch-baseline-id.js';
import { mapPatchBaseline, mapPatchBaselines } from './map-patch-baselines.js';
import { mapPatchGroups } from './map-patch-groups.js';
import { mapRouteTables } from './map-route-tables.js';
import { mapSecurityGroups } from './map-security-groups.js';
import { mapServiceSetting } from './map-service-setting.js';
import { mapVpcAttribute, type VpcAttributes } from './map-vpc-attribute.js';
import { mapVpcEndpoints } from './map-vpc-endpoints.js';
import {
  mapWindowExecutions,
  mapWindowExecutionTaskInvocations,
  mapWindowExecutionTasks,
} from './map-window-executions.js';
import { isJsonObject, type MapIssue, type MapResult, type PartialScope } from './mapping-context.js';

/** Resources of the inventory collections, any subset. */
export type InventoryResources = { [K in InventoryCollectionName]?: Inventory[K] };

/** One mapped response, ready for InventoryBuilder.addMapped. */
export interface MappedResponse {
  kind: ApiResponseKind;
  family: ResourceFamily;
  origin: string;
  /** False when the response had the wrong top-level shape: its family is recorded as an error. */
  readable: boolean;
  /** Scopes for coverage (absent fields = unknown); fill unknowns with `fillUnknownScope` before adding. */
  scopes: PartialScope[];
  resources: InventoryResources;
  /** DescribeVpcAttribute results, merged onto VPCs when the inventory is built. */
  vpcAttributes: VpcAttributes[];
  /**
   * Per-window kinds (targets, tasks): the windows this response answers for, from its entries' WindowId or
   * the caller (an empty list names no window). Coverage is recorded per window; empty for other kinds.
   */
  parentIds: string[];
  issues: MapIssue[];
}

/**
 * Maps a response of the given kind. `scope` holds what the caller knows (a live collector knows account and
 * region; a file may know neither); content fills the rest where it can. Never throws on bad input.
 */
export function mapApiResponse(
  kind: ApiResponseKind,
  body: unknown,
  scope: PartialScope,
  origin: string,
  parentId?: string,
): MappedResponse {
  const family = API_RESPONSE_KINDS[kind].family;
  const out = (
    result: MapResult<unknown>,
    resources: InventoryResources,
    vpcAttributes: VpcAttributes[] = [],
    parents: readonly { windowId: string }[] = [],
  ): MappedResponse => {
    const issues = result.issues;
    checkTruncation(body, origin, issues);
    const parentIds = new Set(parentId === undefined ? [] : [parentId]);
    for (const item of parents) parentIds.add(item.windowId);
    return {
      kind,
      family,
      origin,
      readable: result.readable,
      scopes: result.scopes,
      resources,
      vpcAttributes,
      parentIds: [...parentIds],
      issues,
    };
  };
  switch (kind) {
    case 'ec2:DescribeInstances': {
      const r = mapDescribeInstances(body, scope, origin);
      return out(r, { instances: r.items });
    }
    case 'ec2:DescribeSecurityGroups': {
      const r = mapSecurityGroups(body, scope, origin);
      return out(r, { securityGroups: r.items });
    }
    case 'ec2:DescribeVpcs': {
      const r = mapDescribeVpcs(body, scope, origin);
      return out(r, { vpcs: r.items });
    }
    case 'ec2:DescribeVpcAttribute': {
      const r = mapVpcAttribute(body, scope, origin);
      return out(r, {}, r.items);
    }
    case 'ec2:DescribeSubnets': {
      const r = mapDescribeSubnets(body, scope, origin);
      return out(r, { subnets: r.items });
    }
    case 'ec2:DescribeRouteTables': {
      const r = mapRouteTables(body, scope, origin);
      return out(r, { routeTables: r.items });
    }
    case 'ec2:DescribeNetworkAcls': {
      const r = mapNetworkAcls(body, scope, origin);
      return out(r, { networkAcls: r.items });
    }
    case 'ec2:DescribeVpcEndpoints': {
      const r = mapVpcEndpoints(body, scope, origin);
      return out(r, { vpcEndpoints: r.items });
    }
    case 'ec2:DescribeNatGateways': {
      const r = mapNatGateways(body, scope, origin);
      return out(r, { natGateways: r.items });
    }
    case 'ec2:DescribeInternetGateways': {
      const r = mapInternetGateways(body, scope, origin);
      return out(r, { internetGateways: r.items });
    }
    case 'ec2:DescribeEgressOnlyInternetGateways': {
      const r = mapEgressOnlyInternetGateways(body, scope, origin);
      return out(r, { egressOnlyInternetGateways: r.items });
    }
    case 'iam:GetAccountAuthorizationDetails': {
      const r = mapAuthorizationDetails(body, scope, origin);
      return out(r, {
        roles: r.items,
        instanceProfiles: r.instanceProfiles,
        managedPolicies: r.managedPolicies,
      });
    }
    case 'ssm:DescribeInstanceInformation': {
      const r = mapInstanceInformation(body, scope, origin);
      return out(r, { managedNodes: r.items });
    }
    case 'ssm:DescribeActivations': {
      const r = mapActivations(body, scope, origin);
      return out(r, { activations: r.items });
    }
    case 'ssm:DescribeMaintenanceWindows': {
      const r = mapMaintenanceWindows(body, scope, origin);
      return out(r, { maintenanceWindows: r.items });
    }
    case 'ssm:DescribeMaintenanceWindowTargets': {
      const r = mapMaintenanceWindowTargets(body, scope, origin);
      return out(r, { maintenanceWindowTargets: r.items }, [], r.items);
    }
    case 'ssm:DescribeMaintenanceWindowTasks': {
      const r = mapMaintenanceWindowTasks(body, scope, origin);
      return out(r, { maintenanceWindowTasks: r.items }, [], r.items);
    }
    case 'ssm:GetMaintenanceWindowTask': {
      const r = mapMaintenanceWindowTask(body, scope, origin);
      return out(r, { maintenanceWindowTaskDetails: r.items }, [], r.items);
    }
    // The run history is read per window, per window execution and per task run: those are the parents.
    case 'ssm:DescribeMaintenanceWindowExecutions': {
      const r = mapWindowExecutions(body, scope, origin);
      return out(r, { maintenanceWindowExecutions: r.items }, [], r.items);
    }
    case 'ssm:DescribeMaintenanceWindowExecutionTasks': {
      const r = mapWindowExecutionTasks(body, scope, origin);
      const parents = r.items.map((t) => ({ windowId: t.windowExecutionId }));
      return out(r, { maintenanceWindowExecutionTasks: r.items }, [], parents);
    }
    case 'ssm:DescribeMaintenanceWindowExecutionTaskInvocations': {
      const r = mapWindowExecutionTaskInvocations(body, scope, origin);
      const parents = r.items.map((i) => ({ windowId: i.taskExecutionId }));
      return out(r, { maintenanceWindowExecutionTaskInvocations: r.items }, [], parents);
    }
    case 'ssm:DescribePatchGroups': {
      const r = mapPatchGroups(body, scope, origin);
      return out(r, { patchGroups: r.items });
    }
    case 'ssm:DescribePatchBaselines': {
      const r = mapPatchBaselines(body, scope, origin);
      return out(r, { patchBaselines: r.items });
    }
    case 'ssm:GetPatchBaseline': {
      const r = mapPatchBaseline(body, scope, origin);
      // One call per baseline: the baseline is the parent its coverage is recorded for.
      const parents = r.items.map((b) => ({ windowId: baselineKey(b.baselineId) }));
      return out(r, { patchBaselineDetails: r.items }, [], parents);
    }
    case 'ssm:DescribeInstancePatchStates': {
      const r = mapInstancePatchStates(body, scope, origin);
      return out(r, { instancePatchStates: r.items });
    }
    case 'ssm:GetServiceSetting': {
      const r = mapServiceSetting(body, scope, origin);
      return out(r, { dhmcSettings: r.items });
    }
  }
}

/**
 * A response cut short by `--max-items` (CLI prints NextToken) or a single GAAD page (IsTruncated) is
 * incomplete; resources missing from it would silently go unchecked, so it is flagged.
 */
function checkTruncation(body: unknown, origin: string, issues: MapIssue[]): void {
  if (!isJsonObject(body)) return;
  const nextToken = body.NextToken;
  if (body.IsTruncated === true || (typeof nextToken === 'string' && nextToken !== '')) {
    issues.push({
      code: 'RESPONSE_TRUNCATED',
      origin,
      path: body.IsTruncated === true ? 'IsTruncated' : 'NextToken',
      message: 'response is one page of several; resources on other pages are missing',
    });
  }
}
