// The report model: evaluations plus root causes, summaries and provenance. Every renderer reads this, never
// the engine's raw output, so all formats tell the same story.

import type { CompiledRule } from '../engine/compile-rule.js';
import { SEVERITIES, type Evaluation, type EvaluationStatus, type Remediation, type Severity } from '../engine/types.js';
import type { SourceMetadata } from '../inventory/model.js';

export const REPORT_SCHEMA_VERSION = 1;

/** Order of the readiness chain: the first broken link of an instance is its root cause. */
export const CHAIN_ORDER = ['state', 'credentials', 'trust', 'permissions', 'imds', 'registration', 'egress', 'network', 'outcome'] as const;
/** Links that are findings in their own right, not causes of a lost connection. */
export const INDEPENDENT_LINKS = ['exposure', 'patching'] as const;

export interface RuleSummary {
  ruleId: string;
  title: string;
  link: string;
  severity: Severity;
  resourceType: string;
  counts: Record<EvaluationStatus, number>;
}

export interface RootCause {
  /** Stable key: rule, reason and the resource the failure is about. */
  key: string;
  kind: 'readiness' | 'finding' | 'error';
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
  byStatus: Record<EvaluationStatus, number>;
  /** NON_COMPLIANT results per severity. */
  findingsBySeverity: Record<Severity, number>;
  /** Instances with no failing readiness link and Online (or not running). */
  readyInstances: number;
}

export interface ReportProvenance {
  source: SourceMetadata;
  evaluatedAt: string;
  policy: string;
  rules: { id: string; severity: Severity; params: Record<string, unknown> }[];
  toolVersion: string;
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'ssmguard'; version: string };
  provenance: ReportProvenance;
  summary: ReportSummary;
  rootCauses: RootCause[];
  rules: RuleSummary[];
  results: Evaluation[];
}

export interface BuildReportInput {
  evaluations: readonly Evaluation[];
  rules: readonly CompiledRule[];
  source: SourceMetadata;
  evaluatedAt: string;
  policy: string;
  toolVersion: string;
}

const emptyCounts = (): Record<EvaluationStatus, number> => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, ERROR: 0 });

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Builds the report; root causes are sorted by kind, severity, then affected count. */
export function buildReport(input: BuildReportInput): Report {
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const linkOf = (ruleId: string): string => ruleById.get(ruleId)?.loaded.definition.link ?? 'outcome';
  const chainRank = (ruleId: string): number => {
    const i = (CHAIN_ORDER as readonly string[]).indexOf(linkOf(ruleId));
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };

  const byStatus = emptyCounts();
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const perRule = new Map<string, Record<EvaluationStatus, number>>();
  const resources = new Set<string>();
  const instances = new Set<string>();
  // The earliest failing readiness link per instance: later failures (e.g. Connection Lost) are its symptoms.
  const firstBroken = new Map<string, Evaluation>();
  const groups = new Map<string, RootCause>();

  const addToGroup = (e: Evaluation, kind: RootCause['kind']): void => {
    const causeId = e.cause?.resourceId;
    const reason = e.reason ?? (e.error?.code ?? 'UNKNOWN');
    const key = kind === 'error' ? `error|${e.error?.code ?? ''}|${e.cause?.key ?? e.ruleId}` : `${e.ruleId}|${reason}|${causeId ?? e.cause?.key ?? ''}`;
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

  for (const e of input.evaluations) {
    byStatus[e.status] += 1;
    let counts = perRule.get(e.ruleId);
    if (!counts) perRule.set(e.ruleId, (counts = emptyCounts()));
    counts[e.status] += 1;
    resources.add(`${e.resourceType}|${e.resourceId}`);
    if (e.resourceType === 'AWS::EC2::Instance') instances.add(e.resourceId);
    if (e.status === 'NON_COMPLIANT') findingsBySeverity[e.severity] += 1;
    if (e.status === 'ERROR') {
      addToGroup(e, 'error');
      continue;
    }
    if (e.status !== 'NON_COMPLIANT') continue;
    const link = linkOf(e.ruleId);
    if (e.resourceType === 'AWS::EC2::Instance' && !(INDEPENDENT_LINKS as readonly string[]).includes(link)) {
      const current = firstBroken.get(e.resourceId);
      if (!current || chainRank(e.ruleId) < chainRank(current.ruleId)) firstBroken.set(e.resourceId, e);
    } else {
      addToGroup(e, 'finding');
    }
  }
  for (const e of firstBroken.values()) addToGroup(e, 'readiness');

  const kindRank = { readiness: 0, finding: 1, error: 2 } as const;
  const rootCauses = [...groups.values()]
    .map((g) => ({ ...g, resourceIds: [...g.resourceIds].sort() }))
    .sort(
      (a, b) =>
        kindRank[a.kind] - kindRank[b.kind] ||
        severityRank(b.severity) - severityRank(a.severity) ||
        b.resourceIds.length - a.resourceIds.length ||
        a.key.localeCompare(b.key),
    );

  const rules: RuleSummary[] = [...input.rules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => ({
      ruleId: r.id,
      title: r.loaded.definition.title,
      link: r.loaded.definition.link,
      severity: r.severity,
      resourceType: r.spec.type,
      counts: perRule.get(r.id) ?? emptyCounts(),
    }));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ssmguard', version: input.toolVersion },
    provenance: {
      source: input.source,
      evaluatedAt: input.evaluatedAt,
      policy: input.policy,
      rules: rules.map((r) => ({ id: r.ruleId, severity: r.severity, params: { ...(ruleById.get(r.ruleId)?.params ?? {}) } })),
      toolVersion: input.toolVersion,
    },
    summary: {
      resources: resources.size,
      instances: instances.size,
      evaluations: input.evaluations.length,
      rules: input.rules.length,
      byStatus,
      findingsBySeverity,
      readyInstances: [...instances].filter((id) => !firstBroken.has(id)).length,
    },
    rootCauses,
    rules,
    results: [...input.evaluations],
  };
}

/** True when the report has results that should fail a CI gate at `failOn` (ERROR always counts). */
export function hasFailures(report: Report, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = severityRank(failOn);
  return report.results.some(
    (r) => r.status === 'ERROR' || (r.status === 'NON_COMPLIANT' && severityRank(r.severity) >= threshold),
  );
}
