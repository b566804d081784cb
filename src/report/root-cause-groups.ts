// Groups results into root causes: one per rule, reason and the shared resource the failure is about, so 200
// instances without a profile are one cause, not 200 findings. A cause lists each resource once: data that could
// not be read (one cause) can make several rules ERROR for the same instance.

import type { CompiledRule } from '../engine/compile-rule.js';
import { compareText } from '../compare-text.js';
import { CHAIN_LINKS } from './chain/chain-links.js';
import { severityRank, type RootCause } from './report-model.js';
import type { ReportResult } from './report-result.js';

const KIND_RANK: Record<RootCause['kind'], number> = {
  readiness: 0,
  patching: 1,
  finding: 2,
  error: 3,
  unverified: 4,
  note: 5,
};

/** A cause while its results arrive: resources and rules as sets, so each is listed once. */
interface GroupRecord {
  cause: RootCause;
  resourceIds: Set<string>;
  ruleIds: Set<string>;
}

export class RootCauseGroups {
  private readonly groups = new Map<string, GroupRecord>();

  constructor(private readonly ruleById: ReadonlyMap<string, CompiledRule>) {}

  add(e: ReportResult, kind: RootCause['kind']): void {
    const key = groupKey(e, kind);
    let group = this.groups.get(key);
    if (!group)
      this.groups.set(
        key,
        (group = { cause: this.newGroup(key, e, kind), resourceIds: new Set(), ruleIds: new Set() }),
      );
    group.resourceIds.add(e.resourceId);
    group.ruleIds.add(e.ruleId);
  }

  /**
   * Sorted by kind, then severity (highest first), affected count (largest first) and key; patching causes in chain
   * order first (the window before the baseline before the run), since each is an instance's first broken link.
   */
  sorted(): RootCause[] {
    return [...this.groups.values()]
      .map((g) => ({
        ...g.cause,
        ruleIds: [...g.ruleIds].sort(compareText),
        resourceIds: [...g.resourceIds].sort(),
      }))
      .sort(
        (a, b) =>
          KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
          (a.kind === 'patching' ? this.linkRank(a.ruleId) - this.linkRank(b.ruleId) : 0) ||
          severityRank(b.severity) - severityRank(a.severity) ||
          b.resourceIds.length - a.resourceIds.length ||
          compareText(a.key, b.key),
      );
  }

  private linkRank(ruleId: string): number {
    const link = this.ruleById.get(ruleId)?.loaded.definition.link;
    const rank = CHAIN_LINKS.findIndex((l) => l.id === link);
    return rank === -1 ? CHAIN_LINKS.length : rank;
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
        kind === 'error' && e.error?.code === 'UNKNOWN_UNTIL_DEPLOYED'
          ? 'Unknown until deployed'
          : kind === 'error'
            ? `Could not evaluate: ${e.error?.code ?? 'error'}${e.error?.permission ? ` (needs ${e.error.permission})` : ''}`
            : (definition?.reasons[reason] ?? definition?.title ?? reason),
      severity: e.severity,
      causeResourceId: e.cause?.resourceId,
      causeResourceType: e.cause?.resourceType,
      resourceType: e.resourceType,
      ruleIds: [],
      resourceIds: [],
      example: e.message ?? e.error?.message ?? '',
      remediation: e.remediation,
    };
  }
}

const reasonOf = (e: Pick<ReportResult, 'reason' | 'error'>): string =>
  e.reason ?? e.error?.code ?? 'UNKNOWN';

/** The key of the cause a result is grouped into (the HTML report's "show in table" finds a cause's rows by it). */
export function groupKey(
  e: Pick<ReportResult, 'ruleId' | 'reason' | 'error' | 'cause' | 'resourceType'>,
  kind: RootCause['kind'],
): string {
  // By resource type too: one missing IAM export is one cause for the instances and another for the windows, so
  // neither count names the other's resources ("25 instances", "1 resource").
  if (kind === 'error') return `error|${e.error?.code ?? ''}|${e.cause?.key ?? e.ruleId}|${e.resourceType}`;
  return `${e.ruleId}|${reasonOf(e)}|${e.cause?.resourceId ?? e.cause?.key ?? ''}`;
}
