// The scan pipeline shared by `scan` and `demo`: rules + inventory → evaluations → report → rendered output.

import { writeFile } from 'node:fs/promises';
import type { EvidenceMode } from '../engine/compile-rule.js';
import { evaluate } from '../engine/evaluate.js';
import type { Severity } from '../engine/types.js';
import type { Inventory } from '../inventory/model.js';
import { buildReport, hasFailures, type Report } from '../report/build-report.js';
import { inventoryHash } from '../report/input-hash.js';
import { renderCsv } from '../report/render-csv.js';
import { renderHtml } from '../report/render-html.js';
import { renderJson } from '../report/render-json.js';
import { renderJunit } from '../report/render-junit.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { renderOcsf } from '../report/render-ocsf.js';
import { renderSarif } from '../report/render-sarif.js';
import { renderText } from '../report/render-text.js';
import { resourceContextFromInventory } from '../report/resource-context.js';
import { UsageError } from '../errors.js';
import type { RuleSet } from './rule-set.js';
import { TOOL_VERSION } from './version.js';

export const FORMATS = ['text', 'json', 'html', 'markdown', 'sarif', 'junit', 'csv', 'ocsf'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanOutputOptions {
  format: string;
  output?: string;
  color: boolean;
  failOn: Severity | 'none';
  /** Evaluation time; defaults to the inventory's collection time, else now. */
  now?: string;
  /** Evidence of passing results too ('all'), or only of failures (default: lean for large fleets). */
  evidence?: EvidenceMode;
}

/** The renderers by format name; other modules register more (html, sarif…). */
export const RENDERERS = new Map<string, (report: Report, options: { color: boolean }) => string>([
  ['text', (r, o) => renderText(r, { color: o.color })],
  ['json', (r) => renderJson(r)],
  ['html', (r) => renderHtml(r)],
  ['markdown', (r) => renderMarkdown(r)],
  ['sarif', (r) => renderSarif(r)],
  ['junit', (r) => renderJunit(r)],
  ['csv', (r) => renderCsv(r)],
  ['ocsf', (r) => renderOcsf(r)],
]);

export function evaluationTime(inventory: Inventory, now: string | undefined, clock: () => number): number {
  if (now !== undefined) {
    const ms = Date.parse(now);
    if (Number.isNaN(ms)) throw new UsageError(`--now must be an ISO 8601 time, got "${now}"`);
    return ms;
  }
  // Re-running an export gives the same answer: judge it at the time it was collected.
  if (inventory.source.collectedAt !== undefined) return Date.parse(inventory.source.collectedAt);
  return clock();
}

export interface ScanResult {
  report: Report;
  rendered: string;
  failed: boolean;
}

export async function runScan(inventory: Inventory, ruleSet: RuleSet, options: ScanOutputOptions, clock: () => number = Date.now): Promise<ScanResult> {
  const render = RENDERERS.get(options.format);
  if (!render) throw new UsageError(`unknown --format "${options.format}" (one of: ${[...RENDERERS.keys()].join(', ')})`);
  const nowMs = evaluationTime(inventory, options.now, clock);
  const evaluations = evaluate(inventory, ruleSet.rules, { nowMs, evidence: options.evidence ?? 'failures' });
  const report = buildReport({
    evaluations,
    rules: ruleSet.rules,
    source: inventory.source,
    evaluatedAt: new Date(nowMs).toISOString(),
    policy: ruleSet.policyName,
    policyFile: ruleSet.policy?.file,
    toolVersion: TOOL_VERSION,
    // The source's own hash of its raw input when it has one (cheap, taken while reading); else the model's.
    inputHash: inventory.source.inputHash ?? inventoryHash(inventory),
    waivers: ruleSet.policy?.waivers,
    resources: resourceContextFromInventory(inventory),
  });
  const rendered = render(report, { color: options.output === undefined && options.color });
  if (options.output !== undefined) await writeFile(options.output, rendered);
  return { report, rendered, failed: hasFailures(report, options.failOn) };
}
