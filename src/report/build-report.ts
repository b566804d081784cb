// The report model: results (with waivers applied), root causes, per-instance readiness chains, summaries by
// rule and by account/region/VPC, waivers and provenance. Every renderer reads this, never the engine's raw
// output, so all formats tell the same story.

import type { CompiledRule } from '../engine/compile-rule.js';
import {
  SEVERITIES,
  type Evaluation,
  type EvaluationStatus,
  type Remediation,
  type Severity,
} from '../engine/types.js';
import type { SourceMetadata } from '../inventory/model.js';
import { applyWaivers, type Waiver, type WaiverScope, type WaiverState } from '../policy/waivers.js';
import type { ResourceContext } from './resource-context.js';
import { compareText } from '../compare-text.js';

export const REPORT_SCHEMA_VERSION = 1;

/** Order of the readiness chain: the first broken link of an instance is its root cause. */
export const CHAIN_ORDER = [
  'state',
  'credentials',
  'trust',
  'permissions',
  'imds',
  'registration',
  'egress',
  'network',
  'outcome',
] as const;
/** Links that are findings in their own right, not causes of a lost connection. */
export const INDEPENDENT_LINKS = ['exposure', 'patching'] as const;

/** A result's status in the report: the engine's, or WAIVED when an unexpired waiver covers a NON_COMPLIANT one. */
export type ReportStatus = EvaluationStatus | 'WAIVED';
/** Statuses from most to least pressing; summaries and renderers list them in this order. */
export const REPORT_STATUSES: readonly ReportStatus[] = [
  'NON_COMPLIANT',
  'ERROR',
  'WAIVED',
  'COMPLIANT',
  'NOT_APPLICABLE',
];

/** One evaluation as reported. A WAIVED result was NON_COMPLIANT; `waiverId` names the waiver in `Report.waivers`. */
export interface ReportResult extends Omit<Evaluation, 'status'> {
  status: ReportStatus;
  waiverId?: string;
}

/** The verdict of one link of an instance's readiness chain: the most pressing status of that link's rules. */
export interface ChainLink {
  link: string;
  status: ReportStatus;
}

/** One instance's readiness chain, links in CHAIN_ORDER then INDEPENDENT_LINKS (links with no rules left out). */
export interface InstanceChain {
  instanceId: string;
  accountId: string;
  region: string;
  vpcId?: string;
  name?: string;
  links: ChainLink[];
  /** The first NON_COMPLIANT readiness link: the instance's root cause. */
  firstBroken?: { link: string; ruleId: string };
}

/** Counts for one account, one account+region, or one VPC. */
export interface ScopeSummary {
  accountId: string;
  region?: string;
  vpcId?: string;
  instances: number;
  readyInstances: number;
  counts: Record<ReportStatus, number>;
}

/** A waiver of the policy and what became of it in this evaluation. */
export interface WaiverReport {
  id: string;
  ruleId: string;
  scope: WaiverScope;
  reason: string;
  owner: string;
  expires: string;
  ticket?: string;
  state: WaiverState;
  /** Results waived (applied), or that it would waive had it not expired. */
  results: number;
  resourceIds: string[];
}

export interface RuleSummary {
  ruleId: string;
  title: string;
  link: string;
  severity: Severity;
  resourceType: string;
  description: string;
  /** The rule's fix, in words (commands are per result). */
  remediation: string;
  references: string[];
  counts: Record<ReportStatus, number>;
}

export interface RootCause {
  /** Stable key: rule, reason and the resource the failure is about. */
  key: string;
  /** `unverified`: NOT_APPLICABLE with a reason (e.g. a network path leaving the account's inventory). */
  /** `note`: COMPLIANT with a reason worth a look (e.g. a deprecated policy, working only through a fallback). */
  kind: 'readiness' | 'finding' | 'error' | 'unverified' | 'note';
  ruleId: string;
  reason: string;
  /** Short label from the rule's `reasons` map. */
  label: string;
  severity: Severity;
  /** The shared resource (e.g. a security group or route table), when the cause is one resource. */
  causeResourceId?: string;
  causeResourceType?: string;
  resourceType: string;
  resourceIds: string[];
  /** Message of the first affected resource, as an example. */
  example: string;
  remediation?: Remediation;
}

export interface ReportSummary {
  resources: number;
  instances: number;
  evaluations: number;
  rules: number;
  byStatus: Record<ReportStatus, number>;
  /** NON_COMPLIANT results per severity. */
  findingsBySeverity: Record<Severity, number>;
  /** Instances with no failing (or unevaluated, ERROR) readiness link and Online (or not running). */
  readyInstances: number;
}

export interface ReportProvenance {
  /** Sources read (`source.inputs`), accounts, regions and collection time. */
  source: SourceMetadata;
  evaluatedAt: string;
  policy: string;
  /** The policy pack file, when one was given. */
  policyFile?: string;
  rules: { id: string; severity: Severity; params: Record<string, unknown> }[];
  toolVersion: string;
  /** "sha256:<hex>" of the input inventory (computed by the caller, see input-hash.ts). */
  inputHash?: string;
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'ssmguard'; version: string };
  provenance: ReportProvenance;
  summary: ReportSummary;
  rootCauses: RootCause[];
  rules: RuleSummary[];
  scopes: { accounts: ScopeSummary[]; regions: ScopeSummary[]; vpcs: ScopeSummary[] };
  chains: InstanceChain[];
  waivers: WaiverReport[];
  results: ReportResult[];
}

export interface BuildReportInput {
  evaluations: readonly Evaluation[];
  rules: readonly CompiledRule[];
  source: SourceMetadata;
  evaluatedAt: string;
  policy: string;
  policyFile?: string;
  toolVersion: string;
  inputHash?: string;
  /** Waivers of the policy, judged at `evaluatedAt`. */
  waivers?: readonly Waiver[];
  /** VPC, Name and tags by resource id (see resourceContextFromInventory); without it, VPCs show as unknown. */
  resources?: ReadonlyMap<string, ResourceContext>;
}

/** The VPC key used for instances whose VPC is not known. */
export const UNKNOWN_VPC = 'unknown';

export const emptyCounts = (): Record<ReportStatus, number> => ({
  NON_COMPLIANT: 0,
  ERROR: 0,
  WAIVED: 0,
  COMPLIANT: 0,
  NOT_APPLICABLE: 0,
});

const LINK_STATUS_RANK: Record<ReportStatus, number> = {
  NON_COMPLIANT: 4,
  ERROR: 3,
  WAIVED: 2,
  COMPLIANT: 1,
  NOT_APPLICABLE: 0,
};

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * Builds the report; root causes are sorted by kind, severity, then affected count. Waivers are judged at
 * `evaluatedAt`; waived results are neither root causes nor failures.
 */
export function buildReport(input: BuildReportInput): Report {
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const linkOf = (ruleId: string): string => ruleById.get(ruleId)?.loaded.definition.link ?? 'outcome';
  // Links in chain order, then the independent ones, then any other link a user rule names (alphabetically);
  // an instance's chain is an array indexed by this order, so no per-result lookups or sorts are needed.
  const knownLinks = [...CHAIN_ORDER, ...INDEPENDENT_LINKS] as readonly string[];
  const linkOrder = [
    ...knownLinks,
    ...[...new Set(input.rules.map((r) => r.loaded.definition.link))]
      .filter((l) => !knownLinks.includes(l))
      .sort(),
  ];
  if (!linkOrder.includes('outcome')) linkOrder.push('outcome');
  const linkIndexByRule = new Map<string, number>();
  const linkIndexOf = (ruleId: string): number => {
    let i = linkIndexByRule.get(ruleId);
    if (i === undefined) linkIndexByRule.set(ruleId, (i = linkOrder.indexOf(linkOf(ruleId))));
    return i;
  };
  const chainRank = (ruleId: string): number => {
    const i = (CHAIN_ORDER as readonly string[]).indexOf(linkOf(ruleId));
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const context = (resourceId: string): ResourceContext | undefined => input.resources?.get(resourceId);

  const atMs = Date.parse(input.evaluatedAt);
  const decisions = applyWaivers(input.evaluations, input.waivers ?? [], atMs, (id) => context(id)?.tags);
  const results: ReportResult[] =
    decisions.applied.size === 0
      ? (input.evaluations as ReportResult[])
      : input.evaluations.map((e, i) => {
          const waiver = decisions.applied.get(i);
          return waiver ? { ...e, status: 'WAIVED', waiverId: waiver.id } : e;
        });

  const byStatus = emptyCounts();
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const perRule = new Map<string, Record<ReportStatus, number>>();
  // Distinct resources per type (no string key per result: a 100k fleet has a million results).
  const resources = new Map<string, Set<string>>();
  // The earliest failing readiness link per instance: later failures (e.g. Connection Lost) are its symptoms.
  const firstBroken = new Map<string, ReportResult>();
  // Instances with a readiness link that could not be evaluated: not broken, but never counted as ready.
  const unevaluated = new Set<string>();
  const groups = new Map<string, RootCause>();
  // One record per instance, made when its first result arrives: its link verdicts (indexed by linkOrder) and
  // the scope summaries it counts in, so the per-result work is a few array and property updates.
  const instanceRecords = new Map<string, InstanceRecord>();
  const scopeTables = newScopeTables();

  const addToGroup = (e: ReportResult, kind: RootCause['kind']): void => {
    const causeId = e.cause?.resourceId;
    const reason = e.reason ?? e.error?.code ?? 'UNKNOWN';
    const key =
      kind === 'error'
        ? `error|${e.error?.code ?? ''}|${e.cause?.key ?? e.ruleId}`
        : `${e.ruleId}|${reason}|${causeId ?? e.cause?.key ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      const rule = ruleById.get(e.ruleId);
      group = {
        key,
        kind,
        ruleId: e.ruleId,
        reason,
        label:
          kind === 'error'
            ? `Could not evaluate: ${e.error?.code ?? 'error'}${e.error?.permission ? ` (needs ${e.error.permission})` : ''}`
            : (rule?.loaded.definition.reasons[reason] ?? rule?.loaded.definition.title ?? reason),
        severity: e.severity,
        causeResourceId: causeId,
        causeResourceType: e.cause?.resourceType,
        resourceType: e.resourceType,
        resourceIds: [],
        example: e.message ?? e.error?.message ?? '',
        remediation: e.remediation,
      };
      groups.set(key, group);
    }
    group.resourceIds.push(e.resourceId);
  };

  // Results arrive grouped by rule (evaluate's order), so per-rule facts are looked up once per run of a rule.
  let ruleId: string | undefined;
  let ruleCounts = emptyCounts();
  let ruleLinkIndex = 0;
  let ruleIsReadiness = false;
  for (const e of results) {
    if (e.ruleId !== ruleId) {
      ruleId = e.ruleId;
      let counts = perRule.get(ruleId);
      if (!counts) perRule.set(ruleId, (counts = emptyCounts()));
      ruleCounts = counts;
      ruleLinkIndex = linkIndexOf(ruleId);
      ruleIsReadiness = !(INDEPENDENT_LINKS as readonly string[]).includes(linkOf(ruleId));
    }
    byStatus[e.status] += 1;
    ruleCounts[e.status] += 1;
    const isInstance = e.resourceType === 'AWS::EC2::Instance';
    if (isInstance) {
      let record = instanceRecords.get(e.resourceId);
      if (!record) {
        record = {
          accountId: e.accountId,
          region: e.region,
          links: new Array<ReportStatus | undefined>(linkOrder.length),
          scopes: instanceScopes(scopeTables, e.accountId, e.region, context(e.resourceId)?.vpcId),
        };
        instanceRecords.set(e.resourceId, record);
      }
      const current = record.links[ruleLinkIndex];
      if (current === undefined || LINK_STATUS_RANK[e.status] > LINK_STATUS_RANK[current])
        record.links[ruleLinkIndex] = e.status;
      for (const scope of record.scopes) scope.counts[e.status] += 1;
    } else {
      let ids = resources.get(e.resourceType);
      if (!ids) resources.set(e.resourceType, (ids = new Set()));
      ids.add(e.resourceId);
      accountScope(scopeTables, e.accountId).counts[e.status] += 1;
      regionScope(scopeTables, e.accountId, e.region).counts[e.status] += 1;
    }
    if (e.status === 'NON_COMPLIANT') findingsBySeverity[e.severity] += 1;
    if (e.status === 'ERROR') {
      if (isInstance && ruleIsReadiness) unevaluated.add(e.resourceId);
      addToGroup(e, 'error');
      continue;
    }
    if (e.status === 'NOT_APPLICABLE' && e.reason !== undefined) {
      addToGroup(e, 'unverified');
      continue;
    }
    if (e.status === 'COMPLIANT' && e.reason !== undefined) {
      addToGroup(e, 'note');
      continue;
    }
    if (e.status !== 'NON_COMPLIANT') continue;
    if (isInstance && ruleIsReadiness) {
      const current = firstBroken.get(e.resourceId);
      if (!current || chainRank(e.ruleId) < chainRank(current.ruleId)) firstBroken.set(e.resourceId, e);
    } else {
      addToGroup(e, 'finding');
    }
  }
  for (const e of firstBroken.values()) addToGroup(e, 'readiness');

  const kindRank = { readiness: 0, finding: 1, error: 2, unverified: 3, note: 4 } as const;
  const rootCauses = [...groups.values()]
    .map((g) => ({ ...g, resourceIds: [...g.resourceIds].sort() }))
    .sort(
      (a, b) =>
        kindRank[a.kind] - kindRank[b.kind] ||
        severityRank(b.severity) - severityRank(a.severity) ||
        b.resourceIds.length - a.resourceIds.length ||
        compareText(a.key, b.key),
    );

  const rules: RuleSummary[] = [...input.rules]
    .sort((a, b) => compareText(a.id, b.id))
    .map((r) => ({
      ruleId: r.id,
      title: r.loaded.definition.title,
      link: r.loaded.definition.link,
      severity: r.severity,
      resourceType: r.spec.type,
      description: r.loaded.definition.description,
      remediation: r.loaded.definition.remediation.text,
      references: [...(r.loaded.definition.references ?? [])],
      counts: perRule.get(r.id) ?? emptyCounts(),
    }));

  const chains: InstanceChain[] = [...instanceRecords.keys()].sort().map((instanceId) => {
    const record = instanceRecords.get(instanceId)!;
    const scope = { accountId: record.accountId, region: record.region };
    const ctx = context(instanceId);
    const broken = firstBroken.get(instanceId);
    const links: ChainLink[] = [];
    record.links.forEach((status, i) => {
      if (status !== undefined) links.push({ link: linkOrder[i]!, status });
    });
    return {
      instanceId,
      ...scope,
      ...(ctx?.vpcId !== undefined ? { vpcId: ctx.vpcId } : {}),
      ...(ctx?.name !== undefined ? { name: ctx.name } : {}),
      links,
      ...(broken ? { firstBroken: { link: linkOf(broken.ruleId), ruleId: broken.ruleId } } : {}),
    };
  });

  const isReady = (instanceId: string): boolean =>
    !firstBroken.has(instanceId) && !unevaluated.has(instanceId);

  const waivers: WaiverReport[] = decisions.outcomes.map(({ waiver, state, resultIndexes }) => ({
    id: waiver.id,
    ruleId: waiver.ruleId,
    scope: waiver.scope,
    reason: waiver.reason,
    owner: waiver.owner,
    expires: waiver.expires,
    ...(waiver.ticket !== undefined ? { ticket: waiver.ticket } : {}),
    state,
    results: resultIndexes.length,
    resourceIds: [...new Set(resultIndexes.map((i) => input.evaluations[i]!.resourceId))].sort(),
  }));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ssmguard', version: input.toolVersion },
    provenance: {
      source: input.source,
      evaluatedAt: input.evaluatedAt,
      policy: input.policy,
      ...(input.policyFile !== undefined ? { policyFile: input.policyFile } : {}),
      rules: rules.map((r) => ({
        id: r.ruleId,
        severity: r.severity,
        params: { ...(ruleById.get(r.ruleId)?.params ?? {}) },
      })),
      toolVersion: input.toolVersion,
      ...(input.inputHash !== undefined ? { inputHash: input.inputHash } : {}),
    },
    summary: {
      resources: instanceRecords.size + [...resources.values()].reduce((n, ids) => n + ids.size, 0),
      instances: instanceRecords.size,
      evaluations: results.length,
      rules: input.rules.length,
      byStatus,
      findingsBySeverity,
      readyInstances: [...instanceRecords.keys()].filter((id) => isReady(id)).length,
    },
    rootCauses,
    rules,
    scopes: finishScopes(scopeTables, chains, instanceRecords, isReady),
    chains,
    waivers,
    results,
  };
}

/** Counts by account, by account+region (all results) and by VPC (instance results only). */
interface InstanceRecord {
  accountId: string;
  region: string;
  links: (ReportStatus | undefined)[];
  /** Its account, region and VPC summaries. */
  scopes: ScopeSummary[];
}

interface ScopeTables {
  accounts: Map<string, ScopeSummary>;
  regions: Map<string, ScopeSummary>;
  vpcs: Map<string, ScopeSummary>;
}

const newScopeTables = (): ScopeTables => ({ accounts: new Map(), regions: new Map(), vpcs: new Map() });

function scopeEntry(
  table: Map<string, ScopeSummary>,
  key: string,
  make: () => Omit<ScopeSummary, 'instances' | 'readyInstances' | 'counts'>,
): ScopeSummary {
  let s = table.get(key);
  if (!s) table.set(key, (s = { ...make(), instances: 0, readyInstances: 0, counts: emptyCounts() }));
  return s;
}

const accountScope = (t: ScopeTables, accountId: string): ScopeSummary =>
  scopeEntry(t.accounts, accountId, () => ({ accountId }));
const regionScope = (t: ScopeTables, accountId: string, region: string): ScopeSummary =>
  scopeEntry(t.regions, `${accountId}|${region}`, () => ({ accountId, region }));

function instanceScopes(
  t: ScopeTables,
  accountId: string,
  region: string,
  vpcId: string | undefined,
): ScopeSummary[] {
  const vpc = vpcId ?? UNKNOWN_VPC;
  return [
    accountScope(t, accountId),
    regionScope(t, accountId, region),
    scopeEntry(t.vpcs, `${accountId}|${region}|${vpc}`, () => ({ accountId, region, vpcId: vpc })),
  ];
}

/** Adds instance and ready-instance counts, and sorts each table by its key. */
function finishScopes(
  t: ScopeTables,
  chains: readonly InstanceChain[],
  records: ReadonlyMap<string, InstanceRecord>,
  isReady: (instanceId: string) => boolean,
): Report['scopes'] {
  for (const c of chains) {
    const ready = isReady(c.instanceId) ? 1 : 0;
    for (const scope of records.get(c.instanceId)!.scopes) {
      scope.instances += 1;
      scope.readyInstances += ready;
    }
  }
  const sorted = (table: Map<string, ScopeSummary>): ScopeSummary[] =>
    [...table].sort(([a], [b]) => compareText(a, b)).map(([, x]) => x);
  return { accounts: sorted(t.accounts), regions: sorted(t.regions), vpcs: sorted(t.vpcs) };
}

/** True when the report has results that should fail a CI gate at `failOn` (ERROR always counts). */
export function hasFailures(report: Report, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = severityRank(failOn);
  return report.results.some(
    (r) => r.status === 'ERROR' || (r.status === 'NON_COMPLIANT' && severityRank(r.severity) >= threshold),
  );
}
