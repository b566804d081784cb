// Accumulates mapped API responses and failures into one Inventory with coverage (live, files, Config, Lambda).

import {
  emptyInventory,
  UNKNOWN_ACCOUNT,
  UNKNOWN_REGION,
  GLOBAL_REGION,
  type FamilyCoverage,
  type Inventory,
  type InventoryCollectionName,
  type ResourceFamily,
  type SourceMetadata,
  type Vpc,
} from '../../inventory/model.js';
import { CoverageIndex, isPerParentFamily, PER_PARENT_FAMILIES } from '../../inventory/coverage.js';
import { baselineKey } from '../../inventory/patch-baseline-id.js';
import { API_RESPONSE_KINDS, type ApiFailure, type ApiResponseKind } from './api-data.js';
import { mapApiResponse, type InventoryResources, type MappedResponse } from './map-api-response.js';
import type { VpcAttributes } from './map-vpc-attribute.js';
import type { MapIssue, PartialScope } from './mapping-context.js';

type Collections = Omit<Inventory, 'schemaVersion' | 'source' | 'coverage'>;

// Identity of a resource within its collection (scope is always part of the key).
const RESOURCE_KEY: { [K in InventoryCollectionName]: (item: Inventory[K][number]) => string } = {
  instances: (i) => i.instanceId,
  instanceProfiles: (p) => p.arn,
  roles: (r) => r.arn,
  managedPolicies: (p) => p.arn,
  securityGroups: (g) => g.groupId,
  vpcs: (v) => v.vpcId,
  subnets: (s) => s.subnetId,
  routeTables: (t) => t.routeTableId,
  networkAcls: (n) => n.networkAclId,
  vpcEndpoints: (e) => e.vpcEndpointId,
  natGateways: (n) => n.natGatewayId,
  internetGateways: (g) => g.internetGatewayId,
  egressOnlyInternetGateways: (g) => g.egressOnlyInternetGatewayId,
  managedNodes: (n) => n.instanceId,
  activations: (a) => a.activationId,
  maintenanceWindows: (w) => w.windowId,
  maintenanceWindowTargets: (t) => `${t.windowId}/${t.windowTargetId}`,
  maintenanceWindowTasks: (t) => `${t.windowId}/${t.windowTaskId}`,
  maintenanceWindowExecutions: (e) => e.windowExecutionId,
  maintenanceWindowExecutionTasks: (t) => `${t.windowExecutionId}/${t.taskExecutionId}`,
  maintenanceWindowExecutionTaskInvocations: (i) => `${i.taskExecutionId}/${i.invocationId}`,
  patchGroups: (m) => `${m.patchGroup}/${m.operatingSystem ?? ''}`,
  patchBaselines: (b) => b.baselineId,
  patchBaselineDetails: (b) => b.baselineId,
  instancePatchStates: (p) => p.instanceId,
  maintenanceWindowTaskDetails: (t) => `${t.windowId}|${t.windowTaskId}`,
  dhmcSettings: () => 'dhmc',
  serviceControlPolicies: (p) => p.policyId,
};

/**
 * Builds an Inventory incrementally: add mapped responses (recorded as `read` coverage for their family and
 * scope), failures (recorded as `error` coverage with the permission the call needed), then `build()`.
 * A family never added has no coverage at all, which the engine reports as ERROR. When the same family and
 * scope is both read and failed (one of several per-window calls failed, say), the error wins: partial data
 * must not look complete.
 */
export class InventoryBuilder {
  private readonly collections: Collections = collectionsOf(emptyInventory(placeholderSource()));
  private readonly vpcAttributes: VpcAttributes[] = [];
  private readonly coverage: FamilyCoverage[] = [];
  private readonly coverageKeys = new Set<string>();
  private readonly issues: MapIssue[] = [];
  // How many responses added to each collection: one response cannot repeat an id, so only merges are deduped.
  private readonly contributions = new Map<InventoryCollectionName, number>();
  // Where each contribution starts in its collection and what it came from, to name both sides of a conflict.
  private readonly origins = new Map<InventoryCollectionName, { start: number; origin: string }[]>();

  /** Maps a response of the given kind and adds it; returns the mapped response (for its issues). */
  addResponse(kind: ApiResponseKind, body: unknown, scope: PartialScope, origin: string): MappedResponse {
    const mapped = mapApiResponse(kind, body, scope, origin);
    this.addMapped(mapped);
    return mapped;
  }

  /** Adds a response mapped earlier (the file source fills unknown scopes between mapping and adding). */
  addMapped(mapped: MappedResponse): void {
    for (const issue of mapped.issues) this.issues.push(issue);
    // Per-window families are covered per window the response is known to answer for; a broken one that names
    // no window (fail closed) counts against every window of its scope, a sound one that names none, against none.
    const parents = isPerParentFamily(mapped.family) ? mapped.parentIds : [undefined];
    if (!mapped.readable) {
      const first = mapped.issues.find((i) => i.code === 'RESPONSE_INVALID');
      for (const scope of mapped.scopes) {
        for (const parentId of parents.length > 0 ? parents : [undefined]) {
          this.addCoverage({
            family: mapped.family,
            ...scope,
            ...(parentId !== undefined && { parentId }),
            status: 'error',
            error: {
              code: 'RESPONSE_INVALID',
              message:
                first === undefined ? 'response has the wrong shape' : `${first.path}: ${first.message}`,
            },
            origin: mapped.origin,
          });
        }
      }
      return;
    }
    // A truncated response (one page of several), or one whose entries or fields had to be dropped (wrong
    // types: hand-edited or tampered input), still contributes what mapped, but its family is not complete:
    // a dropped ingress rule or Deny statement could otherwise turn a finding into COMPLIANT. Rules that need
    // the family give ERROR naming the file and the JSON path instead.
    const incomplete = mapped.issues.find(
      (i) => i.code === 'RESPONSE_TRUNCATED' || i.code === 'ENTRY_INVALID' || i.code === 'FIELD_INVALID',
    );
    for (const scope of mapped.scopes) {
      for (const parentId of parents)
        this.addCoverage(
          incomplete
            ? {
                family: mapped.family,
                ...scope,
                ...(parentId !== undefined && { parentId }),
                status: 'error',
                error: {
                  code:
                    incomplete.code === 'RESPONSE_TRUNCATED' ? 'RESPONSE_TRUNCATED' : 'RESPONSE_INCOMPLETE',
                  message: `${mapped.origin}${incomplete.path ? ` at ${incomplete.path}` : ''}: ${incomplete.message}`,
                },
                origin: mapped.origin,
              }
            : {
                family: mapped.family,
                ...scope,
                ...(parentId !== undefined && { parentId }),
                status: 'read',
                origin: mapped.origin,
              },
        );
    }
    this.addResources(mapped.resources, mapped.origin);
    for (const attribute of mapped.vpcAttributes) this.vpcAttributes.push(attribute);
  }

  /** Adds resources without coverage (coverage is then the caller's job). */
  addResources(resources: InventoryResources, origin = 'input'): void {
    for (const name of Object.keys(resources) as InventoryCollectionName[]) {
      const source = resources[name] as unknown[] | undefined;
      if (source === undefined) continue;
      const target = this.collections[name] as unknown[];
      if (source.length > 0) {
        this.contributions.set(name, (this.contributions.get(name) ?? 0) + 1);
        let starts = this.origins.get(name);
        if (starts === undefined) this.origins.set(name, (starts = []));
        starts.push({ start: target.length, origin });
      }
      // A loop, not push(...source): spreading 100k items overflows the call stack.
      for (let i = 0; i < source.length; i++) target.push(source[i]);
    }
  }

  /**
   * Records a failed API call: its family becomes unreadable in that scope, with the SDK error code, message
   * and the IAM permission the call needed. IAM failures are recorded in region "global".
   */
  addFailure(failure: ApiFailure, scope: PartialScope, origin?: string): void {
    const spec = API_RESPONSE_KINDS[failure.kind];
    const entry: FamilyCoverage = {
      family: spec.family,
      ...scope,
      status: 'error',
      error: { code: failure.code, message: failure.message, permission: spec.permission },
      origin: origin ?? failure.kind,
    };
    if (failure.parentId !== undefined) entry.parentId = failure.parentId;
    if (spec.family === 'iam:authorization-details') entry.region = GLOBAL_REGION;
    this.addCoverage(entry);
  }

  /** Records a coverage entry directly (e.g. "read" for a per-window family of a region with no windows). */
  addCoverage(entry: FamilyCoverage): void {
    const key = coverageKey(
      entry.family,
      entry.accountId,
      entry.region,
      entry.parentId,
      entry.status,
      entry.origin,
      entry.error?.code,
    );
    if (this.coverageKeys.has(key)) return;
    this.coverageKeys.add(key);
    this.coverage.push(entry);
  }

  /** Marks per-VPC families read where the VPC list was read and holds no VPC (no calls to make). */
  private addVacuousCoverage(collections: Collections): void {
    const reads = this.coverage.filter((e) => e.family === 'ec2:vpcs' && e.status === 'read');
    for (const entry of reads) {
      if (collections.vpcs.some((p) => inEntryScope(entry, p))) continue;
      const alreadyRead = this.coverage.some(
        (e) =>
          e.family === 'ec2:vpc-attributes' &&
          e.status === 'read' &&
          e.accountId === entry.accountId &&
          e.region === entry.region,
      );
      if (!alreadyRead) this.addCoverage(impliedRead('ec2:vpc-attributes', entry));
    }
  }

  /**
   * Records a per-window family as read for a whole scope when its window list was read there and every window
   * of it has its own read (vacuously so for a scope without windows), so that scope-wide questions get an
   * answer. A window without one leaves the scope unread: only per-window questions about the others are answered.
   */
  private addParentCoverage(collections: Collections): void {
    const coverage = new CoverageIndex(this.coverage);
    for (const [family, parentFamily] of Object.entries(PER_PARENT_FAMILIES) as [
      ResourceFamily,
      ResourceFamily,
    ][]) {
      // Only reads of the parent list for a whole scope: a list read for one parent (one window's executions)
      // says nothing about the parents of the scope's other windows.
      const scopeReads = this.coverage.filter(
        (e) => e.family === parentFamily && e.status === 'read' && e.parentId === undefined,
      );
      for (const entry of scopeReads) {
        const complete = parentsOf(parentFamily, collections)
          .filter((p) => inEntryScope(entry, p))
          .every((p) => coverage.parentState(family, p, p.parentId).status === 'read');
        const alreadyRead = this.coverage.some(
          (e) =>
            e.family === family &&
            e.status === 'read' &&
            e.parentId === undefined &&
            e.accountId === entry.accountId &&
            e.region === entry.region,
        );
        if (complete && !alreadyRead) this.addCoverage(impliedRead(family, entry));
      }
    }
  }

  /** Adds issues found outside the mappers (e.g. by a file source). */
  addIssues(issues: readonly MapIssue[]): void {
    for (const issue of issues) this.issues.push(issue);
  }

  /**
   * Builds the inventory: merges VPC attributes onto VPCs, drops duplicate resources (same collection, scope
   * and id; the first one added wins, with an issue), lets errors win over reads, and completes the source's
   * account and region lists. Call once.
   */
  build(source: SourceMetadata): { inventory: Inventory; issues: MapIssue[] } {
    const issues = this.issues;
    const collections = this.collections;
    for (const name of Object.keys(RESOURCE_KEY) as InventoryCollectionName[]) {
      if ((this.contributions.get(name) ?? 0) > 1)
        dedupe(collections, name, issues, this.origins.get(name) ?? []);
    }
    mergeVpcAttributes(collections.vpcs, this.vpcAttributes, issues);
    // Read one call per baseline, in whatever order a source made the calls (files sort by name, a collector by
    // registration): kept in one order, so every source gives the same model.
    collections.patchBaselineDetails.sort((a, b) =>
      `${a.accountId}|${a.region}|${baselineKey(a.baselineId)}`.localeCompare(
        `${b.accountId}|${b.region}|${baselineKey(b.baselineId)}`,
      ),
    );
    this.addVacuousCoverage(collections);
    this.addParentCoverage(collections);
    const coverage = resolveCoverage(this.coverage);
    const inventory: Inventory = {
      schemaVersion: 1,
      source: completeSource(source, collections, coverage),
      coverage,
      ...collections,
    };
    return { inventory, issues };
  }
}

/**
 * The parents a per-parent family is read for: windows, window executions, task executions or patch baselines,
 * with their ids.
 */
function parentsOf(
  parentFamily: ResourceFamily,
  collections: Collections,
): { accountId: string; region: string; parentId: string }[] {
  switch (parentFamily) {
    case 'ssm:maintenance-window-executions':
      return collections.maintenanceWindowExecutions.map((e) => ({ ...e, parentId: e.windowExecutionId }));
    case 'ssm:maintenance-window-execution-tasks':
      return collections.maintenanceWindowExecutionTasks.map((t) => ({ ...t, parentId: t.taskExecutionId }));
    case 'ssm:patch-baselines':
      return collections.patchBaselines.map((b) => ({ ...b, parentId: baselineKey(b.baselineId) }));
    default:
      return collections.maintenanceWindows.map((w) => ({ ...w, parentId: w.windowId }));
  }
}

/** Does a resource fall in the scope of a coverage entry (absent account or region: every one)? */
function inEntryScope(entry: FamilyCoverage, resource: { accountId: string; region: string }): boolean {
  return (
    (entry.accountId === undefined || resource.accountId === entry.accountId) &&
    (entry.region === undefined || resource.region === entry.region)
  );
}

/** A read of `family` implied by a read of its parent list, for the same scope and origin. */
function impliedRead(family: ResourceFamily, entry: FamilyCoverage): FamilyCoverage {
  const implied: FamilyCoverage = { family, status: 'read' };
  if (entry.accountId !== undefined) implied.accountId = entry.accountId;
  if (entry.region !== undefined) implied.region = entry.region;
  if (entry.origin !== undefined) implied.origin = entry.origin;
  return implied;
}

function placeholderSource(): SourceMetadata {
  return { kind: 'live', inputs: [], accounts: [], regions: [] };
}

function collectionsOf(inventory: Inventory): Collections {
  const { schemaVersion: _v, source: _s, coverage: _c, ...collections } = inventory;
  return collections;
}

function coverageKey(
  family: ResourceFamily,
  accountId?: string,
  region?: string,
  parentId?: string,
  status?: string,
  origin?: string,
  code?: string,
): string {
  return [
    family,
    accountId ?? '*',
    region ?? '*',
    parentId ?? '*',
    status ?? '',
    origin ?? '',
    code ?? '',
  ].join('\u0000');
}

/**
 * Drops repeated resources (same collection, scope and id). Identical repeats are harmless (one issue for all);
 * a repeat whose content differs (one file with a profile, another without) is a CONFLICTING_DUPLICATE issue per
 * resource, naming both origins: which one is true cannot be known, so the AWS CLI source refuses the input.
 */
function dedupe(
  collections: Collections,
  name: InventoryCollectionName,
  issues: MapIssue[],
  origins: readonly { start: number; origin: string }[],
): void {
  const list = collections[name] as { accountId?: string; region?: string }[];
  if (list.length < 2) return;
  const keyOf = RESOURCE_KEY[name] as (item: unknown) => string;
  const seen = new Map<string, number>();
  let duplicates = 0;
  let firstDuplicate = '';
  const kept: unknown[] = [];
  const originOf = (index: number): string => {
    let origin = 'input';
    for (const o of origins) if (o.start <= index) origin = o.origin;
    return origin;
  };
  list.forEach((item, index) => {
    const key = `${item.accountId ?? ''}\u0000${item.region ?? ''}\u0000${keyOf(item)}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      kept.push(item);
      return;
    }
    if (JSON.stringify(item) !== JSON.stringify(list[first])) {
      issues.push({
        code: 'CONFLICTING_DUPLICATE',
        origin: originOf(index),
        path: keyOf(item),
        message: `${keyOf(item)} (${item.accountId ?? '?'}/${item.region ?? '?'}) differs from the one in ${originOf(first)}: two exports of different times or accounts? Scan one of them`,
      });
      return;
    }
    if (duplicates === 0) firstDuplicate = keyOf(item);
    duplicates++;
  });
  if (kept.length === list.length) return;
  (collections as Record<InventoryCollectionName, unknown[]>)[name] = kept;
  if (duplicates === 0) return;
  issues.push({
    code: 'DUPLICATE_RESOURCE',
    origin: name,
    path: firstDuplicate,
    message: `${duplicates} identical duplicate ${name} entr${duplicates === 1 ? 'y' : 'ies'} (same scope and id) ignored, e.g. ${firstDuplicate}`,
  });
}

/**
 * Puts DNS attributes onto their VPC: same account, region and id, where an "unknown" scope on either side
 * matches anything (an unscoped attribute file next to scoped VPCs still applies).
 */
function mergeVpcAttributes(vpcs: Vpc[], attributes: VpcAttributes[], issues: MapIssue[]): void {
  if (attributes.length === 0) return;
  const byId = new Map<string, Vpc[]>();
  for (const vpc of vpcs) {
    const list = byId.get(vpc.vpcId);
    if (list === undefined) byId.set(vpc.vpcId, [vpc]);
    else list.push(vpc);
  }
  for (const attribute of attributes) {
    const matches = (byId.get(attribute.vpcId) ?? []).filter(
      (vpc) =>
        sameOrUnknown(vpc.accountId, attribute.accountId, UNKNOWN_ACCOUNT) &&
        sameOrUnknown(vpc.region, attribute.region, UNKNOWN_REGION),
    );
    if (matches.length === 0) {
      issues.push({
        code: 'UNMATCHED_VPC_ATTRIBUTE',
        origin: 'ec2:DescribeVpcAttribute',
        path: attribute.vpcId,
        message: `DNS attributes for ${attribute.vpcId} (${attribute.accountId}/${attribute.region}) match no VPC that was read`,
      });
      continue;
    }
    for (const vpc of matches) {
      if (attribute.enableDnsSupport !== undefined) vpc.enableDnsSupport = attribute.enableDnsSupport;
      if (attribute.enableDnsHostnames !== undefined) vpc.enableDnsHostnames = attribute.enableDnsHostnames;
    }
  }
}

function sameOrUnknown(a: string, b: string, unknown: string): boolean {
  return a === b || a === unknown || b === unknown;
}

/** Drops a "read" entry when an "error" entry exists for the same family, account and region. */
function resolveCoverage(entries: FamilyCoverage[]): FamilyCoverage[] {
  const failed = new Set<string>();
  for (const e of entries)
    if (e.status === 'error') failed.add(coverageKey(e.family, e.accountId, e.region, e.parentId));
  if (failed.size === 0) return entries;
  return entries.filter(
    (e) => e.status === 'error' || !failed.has(coverageKey(e.family, e.accountId, e.region, e.parentId)),
  );
}

/** The source metadata with every account and region seen in coverage or resources added (sorted, unique). */
function completeSource(
  source: SourceMetadata,
  collections: Collections,
  coverage: FamilyCoverage[],
): SourceMetadata {
  const accounts = new Set(source.accounts);
  const regions = new Set(source.regions);
  for (const entry of coverage) {
    if (entry.accountId !== undefined) accounts.add(entry.accountId);
    if (entry.region !== undefined && entry.region !== GLOBAL_REGION) regions.add(entry.region);
  }
  for (const list of Object.values(collections) as { accountId?: string; region?: string }[][]) {
    let lastAccount = '';
    let lastRegion = '';
    for (const item of list) {
      // Consecutive items almost always share a scope; skip the Set work for them.
      if (item.accountId !== undefined && item.accountId !== lastAccount)
        accounts.add((lastAccount = item.accountId));
      if (item.region !== undefined && item.region !== lastRegion) regions.add((lastRegion = item.region));
    }
  }
  accounts.delete(UNKNOWN_ACCOUNT);
  regions.delete(UNKNOWN_REGION);
  regions.delete(GLOBAL_REGION);
  return { ...source, accounts: [...accounts].sort(), regions: [...regions].sort() };
}
