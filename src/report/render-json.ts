// The JSON report: a stable, versioned shape (schemas/report.schema.json) for pipelines and other tools.
// Values stay exact, control characters included: this is for machines, and JSON.stringify writes every C0
// character as an escape (\u001b), so none reaches a terminal raw; C1 and bidi characters are valid JSON and stay as
// they are. Human-facing formats neutralise them instead (src/neutralise-controls.ts).

import type { Report, ReportResult } from './build-report.js';
import { joinChunks } from './write-chunks.js';

/** Renders the report as JSON; key order is fixed so outputs diff cleanly. Results are one per line. */
export function renderJson(report: Report): string {
  return joinChunks(renderJsonChunks(report));
}

/** The fields of one result in report order (a fixed key order keeps the output stable). */
function resultJson(r: ReportResult): string {
  return JSON.stringify({
    ruleId: r.ruleId,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    accountId: r.accountId,
    region: r.region,
    // Only for templates and plans; absent (and so no bytes) for every other source.
    location: r.location,
    status: r.status,
    severity: r.severity,
    reason: r.reason,
    message: r.message,
    waiverId: r.waiverId,
    evidence: r.evidence,
    remediation: r.remediation,
    error: r.error,
  });
}

/** One compact line per item inside a two-space-indented array: `[\n    a,\n    b\n  ]`, or `[]`. */
function* lineArray<T>(items: readonly T[], line: (item: T) => string): Generator<string, void, undefined> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  yield '[\n    ';
  for (let i = 0; i < items.length; i++) yield i === 0 ? line(items[i]!) : `,\n    ${line(items[i]!)}`;
  yield '\n  ]';
}

/**
 * The JSON report as chunks (the head, then one per chain and result line), byte for byte what `renderJson`
 * returns: write them out with `writeChunks`, so even a million results never become one string.
 */
export function* renderJsonChunks(report: Report): Generator<string, void, undefined> {
  const head = {
    $schema: 'https://ssmguard.dev/schemas/report.schema.json',
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    source: {
      ...report.provenance.source,
      evaluatedAt: report.provenance.evaluatedAt,
      policy: report.provenance.policy,
    },
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
      ruleIds: c.ruleIds,
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
    ...(report.controls ? { controls: report.controls } : {}),
  };
  // Chains and results can run to a million entries: one compact line each keeps the file readable, where
  // pretty-printing them would triple the size; they are stringified one at a time as the chunks are read.
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "chains": `;
  yield* lineArray(report.chains, (c) => JSON.stringify(c));
  yield ',\n  "results": ';
  yield* lineArray(report.results, resultJson);
  yield '\n}\n';
}
