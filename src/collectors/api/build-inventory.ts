// Turns whole-fleet API data (synthetic, recorded or live-collected) into an Inventory with coverage.

import { GLOBAL_REGION, type Inventory, type SourceMetadata } from '../../inventory/model.js';
import {
  API_RESPONSE_KINDS,
  type ApiResponseKind,
  type CollectedAccountData,
  type CollectedRegionData,
  type FleetApiData,
  type AccountApiData,
  type RegionApiData,
} from './api-data.js';
import { InventoryBuilder } from './inventory-builder.js';
import type { MapIssue, PartialScope } from './mapping-context.js';

/** Whole-fleet input: complete synthetic/recorded data or what a live collection gathered (with failures). */
export type FleetInput =
  FleetApiData | { accounts: (CollectedAccountData | AccountApiData)[]; collectedAt?: string };

// Kinds whose region data is one response per VPC or window, stored as a list of responses.
const PER_RESOURCE_KINDS: ReadonlySet<ApiResponseKind> = new Set([
  'ec2:DescribeVpcAttribute',
  'ssm:DescribeMaintenanceWindowTargets',
  'ssm:DescribeMaintenanceWindowTasks',
  'ssm:GetMaintenanceWindowTask',
  'ssm:GetPatchBaseline',
  'ssm:DescribeMaintenanceWindowExecutions',
  'ssm:DescribeMaintenanceWindowExecutionTasks',
  'ssm:DescribeMaintenanceWindowExecutionTaskInvocations',
]);

// Per-call kinds made only for some of a scope's resources (GetMaintenanceWindowTask: the tasks listed without
// parameters; GetPatchBaseline: the baselines in use): each response covers its own window or baseline, and the
// list as a whole covers nothing more.
const SOME_RESOURCE_KINDS: ReadonlySet<ApiResponseKind> = new Set([
  'ssm:GetMaintenanceWindowTask',
  'ssm:GetPatchBaseline',
]);

const REGIONAL_KINDS = (Object.keys(API_RESPONSE_KINDS) as ApiResponseKind[]).filter(
  (k) => k !== 'iam:GetAccountAuthorizationDetails',
);

/** The RegionApiData property holding a kind's response(s): "ec2:DescribeInstances" → "DescribeInstances". */
function propertyOf(kind: ApiResponseKind): string {
  return kind.slice(kind.indexOf(':') + 1);
}

/** Where a live response came from, as coverage and issues name it: "ec2:DescribeVpcs (123456789012, us-east-1)". */
export function originOf(kind: ApiResponseKind, accountId: string, region: string): string {
  return `${kind} (${accountId}, ${region})`;
}

/**
 * Maps every response of a fleet and records coverage: a response present is `read` for its family in that
 * account and region (IAM: region "global"), an ApiFailure is `error` with its code, message and the
 * permission it needed, and a family absent from the data gets no coverage (the engine reports it as ERROR).
 * `collectedAt` of the data becomes `source.collectedAt` unless the source already has one.
 */
export function inventoryFromFleet(
  data: FleetInput,
  source: SourceMetadata,
): { inventory: Inventory; issues: MapIssue[] } {
  const builder = new InventoryBuilder();
  for (const account of data.accounts) addAccount(builder, account);
  const collectedAt = source.collectedAt ?? data.collectedAt;
  return builder.build(collectedAt === undefined ? source : { ...source, collectedAt });
}

/** Adds one account's data (IAM, then each region) to a builder; used by inventoryFromFleet and collectors. */
export function addAccount(builder: InventoryBuilder, account: CollectedAccountData | AccountApiData): void {
  const { accountId } = account;
  const iamScope: PartialScope = { accountId, region: GLOBAL_REGION };
  if (account.GetAccountAuthorizationDetails !== undefined) {
    builder.addResponse(
      'iam:GetAccountAuthorizationDetails',
      account.GetAccountAuthorizationDetails,
      iamScope,
      originOf('iam:GetAccountAuthorizationDetails', accountId, GLOBAL_REGION),
    );
  }
  for (const failure of 'failures' in account ? account.failures : []) {
    // An account-level failure of a regional call (e.g. the role could not be assumed) covers every region.
    const isIam = failure.kind === 'iam:GetAccountAuthorizationDetails';
    builder.addFailure(
      failure,
      isIam ? iamScope : { accountId },
      originOf(failure.kind, accountId, isIam ? GLOBAL_REGION : '*'),
    );
  }
  for (const region of account.regions) addRegion(builder, region);
}

/** Adds one region's responses and failures to a builder. */
export function addRegion(builder: InventoryBuilder, data: CollectedRegionData | RegionApiData): void {
  const { accountId, region } = data;
  const scope: PartialScope = { accountId, region };
  const record = data as unknown as Record<string, unknown>;
  for (const kind of REGIONAL_KINDS) {
    const value = record[propertyOf(kind)];
    if (value === undefined) continue;
    const origin = originOf(kind, accountId, region);
    if (PER_RESOURCE_KINDS.has(kind) && Array.isArray(value)) {
      // No VPCs or windows means no calls: the (empty) list still counts as read.
      if (!SOME_RESOURCE_KINDS.has(kind))
        builder.addCoverage({
          family: API_RESPONSE_KINDS[kind].family,
          accountId,
          region,
          status: 'read',
          origin,
        });
      for (const response of value) builder.addResponse(kind, response, scope, origin);
    } else {
      builder.addResponse(kind, value, scope, origin);
    }
  }
  for (const failure of 'failures' in data ? data.failures : [])
    builder.addFailure(failure, scope, originOf(failure.kind, accountId, region));
}
