// Groups results into root causes: one per rule, reason and the shared resource the failure is about, so 200
// instances without a profile are one cause, not 200 findings.

import type { CompiledRule } from '../engine/compile-rule.js';
import { compareText } from '../compare-text.js';
import { severityRank, type RootCause } from './report-model.js';
import type { ReportResult } from './report-result.js';

const KIND_RANK: Record<RootCause['kind'], number> = {
  readiness: 0,
  finding: 1,
  error: 2,
  unverified: 3,
  note: 4,
};

export class RootCauseGroups {
  private readonly groups = new Map<string, RootCause>();

  constructor(private readonly ruleById: ReadonlyMap<string, CompiledRule>) {}

  add(e: ReportResult, kind: RootCause['kind']): void {
    const key = groupKey(e, kind);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = this.newGroup(key, e, kind)));
    group.resourceIds.push(e.resourceId);
  }

  /** Sorted by kind, severity (highest first), affected count (largest first), then key. */
  sorted(): RootCause[] {
    return [...this.groups.values()]
      .map((g) => ({ ...g, resourceIds: [...g.resourceIds].sort() }))
      .sort(
        (a, b) =>
          KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
          severityRank(b.severity) - severityRank(a.severity) ||
          b.resourceIds.length - a.resourceIds.length ||
          compareText(a.key, b.key),
      );
  }

  private newGroup(key: string, e: ReportResult, kind: RootCause['kind']): RootCause {
    const definition = this.ruleById.get(e.ruleId)?.loaded.definition;
    const reason = reasonOf(e);
    return {
      key,
      kind,
      ruleId: e.ruleId,
      reason,
      label:
        kind === 'error'
          ? `Could not evaluate: ${e.error?.code ?? 'error'}${e.error?.permission ? ` (needs ${e.error.permission})` : ''}`
          : (definition?.reasons[reason] ?? definition?.title ?? reason),
      severity: e.severity,
      causeResourceId: e.cause?.resourceId,
      causeResourceType: e.cause?.resourceType,
      resourceType: e.resourceType,
      resourceIds: [],
      example: e.message ?? e.error?.message ?? '',
      remediation: e.remediation,
    };
  }
}

const reasonOf = (e: ReportResult): string => e.reason ?? e.error?.code ?? 'UNKNOWN';

function groupKey(e: ReportResult, kind: RootCause['kind']): string {
  if (kind === 'error') return `error|${e.error?.code ?? ''}|${e.cause?.key ?? e.ruleId}`;
  return `${e.ruleId}|${reasonOf(e)}|${e.cause?.resourceId ?? e.cause?.key ?? ''}`;
}
