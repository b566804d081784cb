// The JSON report: a stable, versioned shape (schemas/report.schema.json) for pipelines and other tools.

import type { Report } from './build-report.js';

/** Renders the report as JSON; key order is fixed so outputs diff cleanly. */
export function renderJson(report: Report): string {
  const out = {
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    source: { ...report.provenance.source, evaluatedAt: report.provenance.evaluatedAt, policy: report.provenance.policy },
    summary: report.summary,
    rootCauses: report.rootCauses.map((c) => ({
      kind: c.kind,
      ruleId: c.ruleId,
      reason: c.reason,
      label: c.label,
      severity: c.severity,
      causeResourceId: c.causeResourceId,
      causeResourceType: c.causeResourceType,
      resourceType: c.resourceType,
      count: c.resourceIds.length,
      resourceIds: c.resourceIds,
      example: c.example,
      remediation: c.remediation,
    })),
    rules: report.rules,
    results: report.results.map((r) => ({
      ruleId: r.ruleId,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      accountId: r.accountId,
      region: r.region,
      status: r.status,
      severity: r.severity,
      reason: r.reason,
      message: r.message,
      evidence: r.evidence,
      remediation: r.remediation,
      error: r.error,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
