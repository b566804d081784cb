// Builds the report model (report-model.ts) from the engine's evaluations: waivers applied, then one pass over the
// results that tallies counts, readiness chains (chain/) and root causes (root-cause-groups.ts). Every renderer
// reads the model, never the engine's raw output, so all formats tell the same story.

import type { CompiledRule } from '../engine/compile-rule.js';
import { SEVERITIES, type Evaluation, type Severity } from '../engine/types.js';
import type { SourceMetadata } from '../inventory/model.js';
import type { SourceLocation } from '../inventory/deploy-time.js';
import { applyWaivers, type Waiver, type WaiverDecisions } from '../policy/waivers.js';
import { compareText } from '../compare-text.js';
import { CHAIN_LINKS } from './chain/chain-links.js';
import { ChainLayout } from './chain/chain-layout.js';
import {
  chainReadiness,
  newChainRecord,
  recordChainResult,
  toInstanceChain,
  type ChainRecord,
  type InstanceChain,
} from './chain/instance-chain.js';
import {
  REPORT_SCHEMA_VERSION,
  severityRank,
  type Report,
  type ReportSummary,
  type RootCause,
  type RuleSummary,
  type ScopeSummary,
  type WaiverReport,
} from './report-model.js';
import { emptyCounts, type ReportResult, type ReportStatus } from './report-result.js';
import type { ResourceContext } from './resource-context.js';
import { RootCauseGroups } from './root-cause-groups.js';
import { controlRefsByRule, summariseControls } from './control-summary.js';
import type { ControlFramework } from '../policy/control-mappings.js';
import {
  accountScope,
  countInstance,
  instanceScopes,
  newScopeTables,
  regionScope,
  sortedScopes,
  type ScopeTables,
} from './scope-tables.js';

export * from './report-model.js';
export * from './report-result.js';
export type { ChainLink, InstanceChain } from './chain/instance-chain.js';

/** The readiness links in chain order: the first broken one of an instance is its root cause. */
export const CHAIN_ORDER: readonly string[] = CHAIN_LINKS.filter((l) => l.role === 'readiness').map(
  (l) => l.id,
);
/** Links after and beside the readiness chain (patching, exposure…): never the cause of a lost connection. */
export const INDEPENDENT_LINKS: readonly string[] = CHAIN_LINKS.filter((l) => l.role !== 'readiness').map(
  (l) => l.id,
);

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
  /** Control frameworks to summarise (the policy's `controls:`); without any the report has no `controls`. */
  controls?: readonly ControlFramework[];
  /** Where each resource is declared, for templates and plans (see inventory/deploy-time.ts). */
  locations?: Readonly<Record<string, SourceLocation>>;
}

/** The chain layout of a rule set: the report's and `explain`'s link order. */
export const chainLayoutOf = (rules: readonly CompiledRule[]): ChainLayout =>
  new ChainLayout(rules.map((r) => ({ id: r.id, link: r.loaded.definition.link })));

/**
 * Builds the report; root causes are sorted by kind, severity, then affected count. Waivers are judged at
 * `evaluatedAt`; waived results are neither root causes nor failures.
 */
export function buildReport(input: BuildReportInput): Report {
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const layout = chainLayoutOf(input.rules);
  const context = (resourceId: string): ResourceContext | undefined => input.resources?.get(resourceId);
  const decisions = applyWaivers(
    input.evaluations,
    input.waivers ?? [],
    Date.parse(input.evaluatedAt),
    (id) => context(id)?.tags,
  );
  const results = waivedResults(input.evaluations, decisions);
  const tally = new ResultTally(layout, ruleById, context);
  for (const e of results) tally.add(e);
  const instanceIds = [...tally.instances.keys()].sort();
  const chains = instanceIds.map((id) => instanceChain(id, tally.instances.get(id)!, layout, context(id)));
  let readyInstances = 0;
  let waivedInstances = 0;
  chains.forEach((chain, i) => {
    const readiness = chainReadiness(chain, layout);
    if (readiness === 'ready') readyInstances += 1;
    if (readiness === 'waived') waivedInstances += 1;
    countInstance(tally.instances.get(instanceIds[i]!)!.scopes, readiness === 'ready');
  });
  const frameworks = input.controls ?? [];
  const params = new Map(input.rules.map((r) => [r.id, r.params]));
  const rules = withControlRefs(ruleSummaries(input.rules, tally.perRule), frameworks, params);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ssmguard', version: input.toolVersion },
    provenance: provenanceOf(input, rules, ruleById),
    summary: {
      resources: tally.instances.size + [...tally.resources.values()].reduce((n, ids) => n + ids.size, 0),
      instances: tally.instances.size,
      evaluations: results.length,
      rules: input.rules.length,
      byStatus: tally.byStatus,
      findingsBySeverity: tally.findingsBySeverity,
      readyInstances,
      waivedInstances,
      unevaluated: tally.unevaluatedCounts(),
    },
    rootCauses: tally.rootCauses(),
    rules,
    scopes: sortedScopes(tally.scopes),
    chains,
    waivers: waiverReports(input.evaluations, decisions),
    ...(frameworks.length > 0 ? { controls: summariseControls(frameworks, results, params) } : {}),
    results,
    ...(input.locations ? { locations: input.locations } : {}),
  };
}

/** Each rule's summary with the controls it is evidence for, when the policy names frameworks. */
function withControlRefs(
  rules: RuleSummary[],
  frameworks: readonly ControlFramework[],
  params: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): RuleSummary[] {
  if (frameworks.length === 0) return rules;
  const refs = controlRefsByRule(frameworks, params);
  return rules.map((r) => ({ ...r, controls: refs.get(r.ruleId) ?? [] }));
}

/** The evaluations with WAIVED for those an applied waiver covers (the same array when none applies). */
function waivedResults(evaluations: readonly Evaluation[], decisions: WaiverDecisions): ReportResult[] {
  if (decisions.applied.size === 0) return evaluations as ReportResult[];
  return evaluations.map((e, i) => {
    const waiver = decisions.applied.get(i);
    return waiver ? { ...e, status: 'WAIVED', waiverId: waiver.id } : e;
  });
}

/** One instance while its results arrive: its chain and the scope summaries it counts in. */
interface InstanceRecord {
  accountId: string;
  region: string;
  chain: ChainRecord;
  scopes: ScopeSummary[];
}

/**
 * One pass over the results. Results arrive grouped by rule (evaluate's order), so per-rule facts are looked up
 * once per run of a rule; per-result work is a few array and property updates (a 100k fleet has a million).
 */
class ResultTally {
  readonly byStatus = emptyCounts();
  readonly findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  readonly perRule = new Map<string, Record<ReportStatus, number>>();
  /** Distinct non-instance resources per type (no string key per result). */
  readonly resources = new Map<string, Set<string>>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly scopes: ScopeTables = newScopeTables();
  /** Resources with at least one ERROR result, by type: "could not evaluate" counts resources, not results. */
  private readonly unevaluated = new Map<string, Set<string>>();
  private readonly groups: RootCauseGroups;
  private ruleId: string | undefined;
  private ruleCounts = emptyCounts();
  private ruleLinkIndex = 0;
  private ruleIsReadiness = false;
  private ruleIsPatching = false;

  constructor(
    private readonly layout: ChainLayout,
    ruleById: ReadonlyMap<string, CompiledRule>,
    private readonly context: (resourceId: string) => ResourceContext | undefined,
  ) {
    this.groups = new RootCauseGroups(ruleById);
  }

  add(e: ReportResult): void {
    if (e.ruleId !== this.ruleId) this.startRule(e.ruleId);
    this.byStatus[e.status] += 1;
    this.ruleCounts[e.status] += 1;
    if (e.status === 'NON_COMPLIANT') this.findingsBySeverity[e.severity] += 1;
    if (e.status === 'ERROR') this.addUnevaluated(e);
    const isInstance = e.resourceType === 'AWS::EC2::Instance';
    if (isInstance) this.addInstanceResult(e);
    else this.addResourceResult(e);
    const kind = causeKindOf(e, isInstance && (this.ruleIsReadiness || this.ruleIsPatching));
    if (kind !== undefined) this.groups.add(e, kind);
  }

  /**
   * Root causes, in chain order per instance: its first broken readiness link is its one readiness cause; an
   * instance whose readiness chain holds is a patching cause of its first broken patching link, and only of that one
   * (later patching links fail because of it, an offline instance's patch links because it is offline).
   */
  rootCauses(): RootCause[] {
    for (const record of this.instances.values()) {
      if (record.chain.firstBroken) this.groups.add(record.chain.firstBroken, 'readiness');
      else if (
        record.chain.firstPatchBroken &&
        record.chain.firstPatchBrokenIndex < record.chain.firstPatchErrorIndex
      )
        // A patching link before it that could not be read may be the real cause: it stays under "could not
        // evaluate" only, and the later break names no cause it cannot stand behind.
        this.groups.add(record.chain.firstPatchBroken, 'patching');
    }
    return this.groups.sorted();
  }

  /** Distinct resources that could not be evaluated (a resource with ERRORs from three rules counts once). */
  unevaluatedCounts(): ReportSummary['unevaluated'] {
    let resources = 0;
    for (const ids of this.unevaluated.values()) resources += ids.size;
    const instances = this.unevaluated.get('AWS::EC2::Instance')?.size ?? 0;
    return { resources, instances, results: this.byStatus.ERROR };
  }

  private addUnevaluated(e: ReportResult): void {
    let ids = this.unevaluated.get(e.resourceType);
    if (!ids) this.unevaluated.set(e.resourceType, (ids = new Set()));
    ids.add(e.resourceId);
  }

  private startRule(ruleId: string): void {
    this.ruleId = ruleId;
    let counts = this.perRule.get(ruleId);
    if (!counts) this.perRule.set(ruleId, (counts = emptyCounts()));
    this.ruleCounts = counts;
    this.ruleLinkIndex = this.layout.linkIndexOf(ruleId);
    this.ruleIsReadiness = this.layout.isReadiness(this.ruleLinkIndex);
    this.ruleIsPatching = this.layout.isPatching(this.ruleLinkIndex);
  }

  private addInstanceResult(e: ReportResult): void {
    let record = this.instances.get(e.resourceId);
    if (!record) {
      record = {
        accountId: e.accountId,
        region: e.region,
        chain: newChainRecord(this.layout),
        scopes: instanceScopes(this.scopes, e.accountId, e.region, this.context(e.resourceId)?.vpcId),
      };
      this.instances.set(e.resourceId, record);
    }
    recordChainResult(record.chain, this.layout, this.ruleLinkIndex, e);
    for (const scope of record.scopes) scope.counts[e.status] += 1;
  }

  private addResourceResult(e: ReportResult): void {
    let ids = this.resources.get(e.resourceType);
    if (!ids) this.resources.set(e.resourceType, (ids = new Set()));
    ids.add(e.resourceId);
    accountScope(this.scopes, e.accountId).counts[e.status] += 1;
    regionScope(this.scopes, e.accountId, e.region).counts[e.status] += 1;
  }
}

/**
 * The root-cause group a result joins as it arrives; undefined for none. A failing readiness or patching link of an
 * instance waits for the whole chain (only the first broken link is a cause), see ResultTally.rootCauses.
 */
function causeKindOf(e: ReportResult, isInstanceChain: boolean): RootCause['kind'] | undefined {
  if (e.status === 'ERROR') return 'error';
  // `unverified`: NOT_APPLICABLE with a reason; `note`: COMPLIANT with a reason worth a look.
  if (e.status === 'NOT_APPLICABLE' && e.reason !== undefined) return 'unverified';
  if (e.status === 'COMPLIANT' && e.reason !== undefined) return 'note';
  if (e.status === 'NON_COMPLIANT' && !isInstanceChain) return 'finding';
  return undefined;
}

function instanceChain(
  instanceId: string,
  record: InstanceRecord,
  layout: ChainLayout,
  ctx: ResourceContext | undefined,
): InstanceChain {
  return toInstanceChain(record.chain, layout, {
    instanceId,
    accountId: record.accountId,
    region: record.region,
    vpcId: ctx?.vpcId,
    name: ctx?.name,
  });
}

function ruleSummaries(
  rules: readonly CompiledRule[],
  perRule: ReadonlyMap<string, Record<ReportStatus, number>>,
): RuleSummary[] {
  return [...rules]
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
}

function provenanceOf(
  input: BuildReportInput,
  rules: readonly RuleSummary[],
  ruleById: ReadonlyMap<string, CompiledRule>,
): Report['provenance'] {
  return {
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
  };
}

function waiverReports(evaluations: readonly Evaluation[], decisions: WaiverDecisions): WaiverReport[] {
  return decisions.outcomes.map(({ waiver, state, resultIndexes }) => ({
    id: waiver.id,
    ruleId: waiver.ruleId,
    scope: waiver.scope,
    reason: waiver.reason,
    owner: waiver.owner,
    expires: waiver.expires,
    ...(waiver.ticket !== undefined ? { ticket: waiver.ticket } : {}),
    state,
    results: resultIndexes.length,
    resourceIds: [...new Set(resultIndexes.map((i) => evaluations[i]!.resourceId))].sort(),
  }));
}

/** True when the report has results that should fail a CI gate at `failOn` (ERROR always counts). */
export function hasFailures(report: Report, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = severityRank(failOn);
  return report.results.some(
    (r) => r.status === 'ERROR' || (r.status === 'NON_COMPLIANT' && severityRank(r.severity) >= threshold),
  );
}
