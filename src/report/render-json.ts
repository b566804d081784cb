// The JSON report: a stable, versioned shape (schemas/report.schema.json) for pipelines and other tools.

import type { Report } from './build-report.js';

/** Renders the report as JSON; key order is fixed so outputs diff cleanly. Results are one per line. */
export function renderJson(report: Report): string {
  const head = {
    $schema: 'https://ssmguard.dev/schemas/report.schema.json',
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    source: { ...report.provenance.source, evaluatedAt: report.provenance.evaluatedAt, policy: report.provenance.policy },
    provenance: {
      evaluatedAt: report.provenance.evaluatedAt,
      policy: report.provenance.policy,
      policyFile: report.provenance.policyFile,
      inputHash: report.provenance.inputHash,
      toolVersion: report.provenance.toolVersion,
      rules: report.provenance.rules,
    },
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
    scopes: report.scopes,
    waivers: report.waivers,
  };
  // Chains and results can run to a million entries: one compact line each keeps the file readable and the
  // string well inside V8's limit, where pretty-printing them would triple the size.
  const chains = report.chains.map((c) => JSON.stringify(c));
  const results = report.results.map((r) =>
    JSON.stringify({
      ruleId: r.ruleId,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      accountId: r.accountId,
      region: r.region,
      status: r.status,
      severity: r.severity,
      reason: r.reason,
      message: r.message,
      waiverId: r.waiverId,
      evidence: r.evidence,
      remediation: r.remediation,
      error: r.error,
    }),
  );
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  const list = (items: string[]): string => (items.length ? `[\n    ${items.join(',\n    ')}\n  ]` : '[]');
  return `${headText},\n  "chains": ${list(chains)},\n  "results": ${list(results)}\n}\n`;
}
