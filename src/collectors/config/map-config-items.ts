// Maps AWS Config configuration items (any shape) into one Inventory with coverage, via the API mappers.

import {
  GLOBAL_REGION,
  type InstancePatchState,
  type InstanceProfile,
  type Inventory,
  type SourceMetadata,
} from '../../inventory/model.js';
import type { JsonObject } from '../api/mapping-context.js';
import { accountFromArn, isJsonObject, type MapIssue, type PartialScope } from '../api/mapping-context.js';
import { API_RESPONSE_KINDS, type ApiResponseKind } from '../api/api-data.js';
import { InventoryBuilder } from '../api/inventory-builder.js';
import { mapApiResponse } from '../api/map-api-response.js';
import { configTypeMapping, CONFIG_RESOURCE_TYPES } from './config-resource-types.js';
import { isLiveItem, type ConfigurationItem } from './configuration-item.js';
import { PATCH_COMPLIANCE_TYPE, patchStateFromComplianceItem } from './map-patch-compliance.js';

export interface MapConfigItemsOptions {
  /** Source metadata of the result (kind "config"); `inputs` name the files or the API. */
  source?: Partial<SourceMetadata>;
  /**
   * Resource types known to be recorded in every scope the items cover (from the recorder settings). Their
   * families count as read even with no item, e.g. "no VPC endpoints" rather than "endpoints not recorded".
   */
  recordedTypes?: readonly string[];
  /**
   * Documents that are one page of several (RESPONSE_TRUNCATED issues): every mapped family, in every scope
   * the items touched, is then recorded as an error, since its other resources may be on the pages not read.
   */
  truncated?: readonly MapIssue[];
}

export interface MapConfigItemsResult {
  inventory: Inventory;
  issues: MapIssue[];
  /** Items left out, by resource type: types ssmguard does not map, and deleted or unrecorded resources. */
  skipped: Record<string, number>;
}

/**
 * Maps configuration items (already normalised) into an inventory. Items are grouped by type, account and
 * region; each group becomes one API-shaped response for the API mapper of that type, so a family is `read`
 * exactly for the scopes where items of its type were found. Config cannot provide SSM managed-node state,
 * activations, maintenance windows, patch groups or DHMC, so those families get no coverage: rules that need
 * them give ERROR on Config data alone (the Lambda reads them live).
 *
 * IAM items of one account become one GetAccountAuthorizationDetails-shaped response; it counts as read only
 * when the account has at least one role item (Config records IAM in a single region, and a snapshot without
 * roles did not record IAM at all).
 */
export function mapConfigItems(
  items: readonly ConfigurationItem[],
  options: MapConfigItemsOptions = {},
): MapConfigItemsResult {
  const builder = new InventoryBuilder();
  const skipped = addConfigItems(builder, items, options);
  const source: SourceMetadata = {
    kind: 'config',
    inputs: options.source?.inputs ?? [],
    accounts: options.source?.accounts ?? [],
    regions: options.source?.regions ?? [],
    ...(options.source?.collectedAt !== undefined && { collectedAt: options.source.collectedAt }),
  };
  const { inventory, issues } = builder.build(source);
  return { inventory, issues, skipped };
}

/**
 * Adds configuration items to a builder (with coverage as mapConfigItems describes) and returns the skipped
 * counts. Resources added first win over duplicates added later, so the Lambda adds the item of its event
 * before the live reads around it: the event's state is the one being judged.
 */
export function addConfigItems(
  builder: InventoryBuilder,
  items: readonly ConfigurationItem[],
  options: Pick<MapConfigItemsOptions, 'recordedTypes' | 'truncated'> & { coverage?: boolean } = {},
): Record<string, number> {
  // Without coverage, items only add resources: one changed item says nothing about the rest of its family.
  const add = (kind: ApiResponseKind, body: JsonObject, scope: PartialScope, origin: string): void => {
    if (options.coverage === false) builder.addResources(mapApiResponse(kind, body, scope, origin).resources);
    else builder.addResponse(kind, body, scope, origin);
  };
  const skipped: Record<string, number> = Object.create(null) as Record<string, number>;
  const groups = new Map<
    string,
    { type: string; accountId?: string; region?: string; entries: JsonObject[] }
  >();
  const iam = new Map<string, { roles: JsonObject[]; policies: JsonObject[]; profiles: InstanceProfile[] }>();
  const scopes = new Map<string, { accountId: string; region: string }>();
  const patchStates = new Map<string, { scope: PartialScope; states: InstancePatchState[] }>();

  for (const item of items) {
    if (item.resourceType === PATCH_COMPLIANCE_TYPE) {
      if (isLiveItem(item)) addPatchCompliance(builder, item, patchStates);
      else {
        const key = `${item.resourceType} (${item.configurationItemStatus ?? 'deleted'})`;
        skipped[key] = (skipped[key] ?? 0) + 1;
      }
      continue;
    }
    const mapping = configTypeMapping(item.resourceType);
    if (mapping === undefined || !isLiveItem(item)) {
      const key =
        mapping === undefined
          ? item.resourceType
          : `${item.resourceType} (${item.configurationItemStatus ?? 'deleted'})`;
      skipped[key] = (skipped[key] ?? 0) + 1;
      continue;
    }
    const entry = mapping.toApiEntry(item);
    if (entry === undefined) {
      skipped[`${item.resourceType} (no configuration)`] =
        (skipped[`${item.resourceType} (no configuration)`] ?? 0) + 1;
      continue;
    }
    const accountId = item.awsAccountId ?? accountFromArn(item.ARN);
    if (mapping.kind === 'iam:GetAccountAuthorizationDetails') {
      const key = accountId ?? '';
      let account = iam.get(key);
      if (account === undefined) iam.set(key, (account = { roles: [], policies: [], profiles: [] }));
      if (item.resourceType === 'AWS::IAM::Role') account.roles.push(entry);
      else if (item.resourceType === 'AWS::IAM::Policy') account.policies.push(entry);
      else {
        const profile = instanceProfileOf(entry, accountId);
        if (profile !== undefined) account.profiles.push(profile);
      }
      continue;
    }
    const region = item.awsRegion;
    if (accountId !== undefined && region !== undefined)
      scopes.set(`${accountId}\u0000${region}`, { accountId, region });
    const key = `${item.resourceType}\u0000${accountId ?? ''}\u0000${region ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { type: item.resourceType, entries: [] };
      if (accountId !== undefined) group.accountId = accountId;
      if (region !== undefined) group.region = region;
      groups.set(key, group);
    }
    group.entries.push(entry);
  }

  for (const group of groups.values()) {
    const mapping = CONFIG_RESOURCE_TYPES[group.type]!;
    const scope = {
      ...(group.accountId !== undefined && { accountId: group.accountId }),
      ...(group.region !== undefined && { region: group.region }),
    };
    const origin = `config:${group.type} (${group.accountId ?? 'unknown'}, ${group.region ?? 'unknown'})`;
    add(mapping.kind, responseBody(mapping.kind, group.entries, group.accountId), scope, origin);
  }

  // Patch states are not an API response the Config items become: the mapper gives models directly. A scope with
  // at least one item counts as read, as for every other type: a node without an item there has no patch state.
  for (const { scope, states } of patchStates.values()) {
    const origin = `config:${PATCH_COMPLIANCE_TYPE} (${scope.accountId ?? 'unknown'}, ${scope.region ?? 'unknown'})`;
    builder.addResources({ instancePatchStates: states }, origin);
    if (options.coverage !== false)
      builder.addCoverage({ family: 'ssm:instance-patch-states', ...scope, status: 'read', origin });
  }

  for (const [accountId, account] of iam) {
    const origin = `config:AWS::IAM::* (${accountId || 'unknown'}, ${GLOBAL_REGION})`;
    const body = { RoleDetailList: account.roles, Policies: account.policies };
    const scope = { ...(accountId !== '' && { accountId }), region: GLOBAL_REGION };
    if (account.roles.length > 0) add('iam:GetAccountAuthorizationDetails', body, scope, origin);
    else
      builder.addResources(
        mapApiResponse('iam:GetAccountAuthorizationDetails', body, scope, origin).resources,
      );
    builder.addResources({ instanceProfiles: account.profiles });
  }

  for (const type of options.recordedTypes ?? []) {
    const mapping = configTypeMapping(type);
    const family =
      type === PATCH_COMPLIANCE_TYPE
        ? 'ssm:instance-patch-states'
        : mapping === undefined || mapping.kind === 'iam:GetAccountAuthorizationDetails'
          ? undefined
          : mapping.family;
    if (family === undefined) continue;
    for (const scope of scopes.values()) {
      builder.addCoverage({
        family,
        ...scope,
        status: 'read',
        origin: `config:recorder (${type})`,
      });
    }
  }

  // The regional families Config items fill (IAM is per account, in region "global").
  const regionalFamilies = new Set(
    Object.values(CONFIG_RESOURCE_TYPES)
      .map((mapping) => mapping.family)
      .filter((family) => family !== 'iam:authorization-details'),
  );
  // Patch compliance items may be on the pages not read too.
  regionalFamilies.add('ssm:instance-patch-states');
  for (const issue of options.truncated ?? []) {
    const error = { code: 'RESPONSE_TRUNCATED', message: `${issue.origin}: ${issue.message}` };
    const accounts = new Set<string>(iam.keys());
    for (const group of groups.values()) {
      accounts.add(group.accountId ?? '');
      for (const family of regionalFamilies) {
        builder.addCoverage({
          family,
          ...(group.accountId !== undefined && { accountId: group.accountId }),
          ...(group.region !== undefined && { region: group.region }),
          status: 'error',
          error,
          origin: issue.origin,
        });
      }
    }
    for (const accountId of accounts) {
      builder.addCoverage({
        family: 'iam:authorization-details',
        ...(accountId !== '' && { accountId }),
        region: GLOBAL_REGION,
        status: 'error',
        error,
        origin: issue.origin,
      });
    }
  }

  return skipped;
}

/** The API response an item group becomes: DescribeInstances nests instances in a reservation. */
function responseBody(
  kind: ApiResponseKind,
  entries: JsonObject[],
  accountId: string | undefined,
): JsonObject {
  if (kind === 'ec2:DescribeInstances')
    return { Reservations: [{ ...(accountId !== undefined && { OwnerId: accountId }), Instances: entries }] };
  return { [API_RESPONSE_KINDS[kind].listKey ?? '']: entries };
}

/** An AWS::IAM::InstanceProfile item (API shape): GAAD has no profile list, so it maps here directly. */
function instanceProfileOf(entry: JsonObject, accountId: string | undefined): InstanceProfile | undefined {
  const arn = entry.Arn;
  if (typeof arn !== 'string' || arn === '') return undefined;
  const name = entry.InstanceProfileName;
  const roles = Array.isArray(entry.Roles) ? entry.Roles : [];
  return {
    accountId: accountFromArn(arn) ?? accountId ?? 'unknown',
    region: GLOBAL_REGION,
    instanceProfileName: typeof name === 'string' ? name : arn.slice(arn.lastIndexOf('/') + 1),
    arn,
    path: typeof entry.Path === 'string' ? entry.Path : '/',
    roleArns: roles.flatMap((role) => (isJsonObject(role) && typeof role.Arn === 'string' ? [role.Arn] : [])),
  };
}

/** One AWS::SSM::PatchCompliance item: its patch state, grouped by scope, or an issue naming the item. */
function addPatchCompliance(
  builder: InventoryBuilder,
  item: ConfigurationItem,
  groups: Map<string, { scope: PartialScope; states: InstancePatchState[] }>,
): void {
  const accountId = item.awsAccountId ?? accountFromArn(item.ARN);
  const region = item.awsRegion;
  const origin = `config:${PATCH_COMPLIANCE_TYPE} (${accountId ?? 'unknown'}, ${region ?? 'unknown'})`;
  const mapped = patchStateFromComplianceItem(item, origin, {
    accountId: accountId ?? 'unknown',
    region: region ?? 'unknown',
  });
  if ('issue' in mapped) {
    builder.addIssues([mapped.issue]);
    return;
  }
  const key = `${accountId ?? ''}\u0000${region ?? ''}`;
  let group = groups.get(key);
  if (group === undefined) {
    const scope: PartialScope = {
      ...(accountId !== undefined && { accountId }),
      ...(region !== undefined && { region }),
    };
    groups.set(key, (group = { scope, states: [] }));
  }
  group.states.push(mapped.state);
}
