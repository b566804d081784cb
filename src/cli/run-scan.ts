// The scan pipeline shared by `scan` and `demo`: rules + inventory → evaluations → report → rendered output.

import type { AwsIpRanges } from '../inventory/aws-ip-ranges.js';
import type { EvidenceMode } from '../engine/compile-rule.js';
import { evaluate } from '../engine/evaluate.js';
import { judgeDeployTime } from '../engine/unknown-until-deployed.js';
import type { DeployTimeFacts } from '../inventory/deploy-time.js';
import { InventoryIndex } from '../inventory/inventory-index.js';
import type { Severity } from '../engine/types.js';
import type { Inventory } from '../inventory/model.js';
import { buildReport, hasFailures, type Report } from '../report/build-report.js';
import { inventoryHash } from '../report/input-hash.js';
import { renderCsvChunks } from '../report/render-csv.js';
import { renderHtml } from '../report/render-html.js';
import { renderJsonChunks } from '../report/render-json.js';
import { renderJunitChunks } from '../report/render-junit.js';
import { renderMarkdownChunks } from '../report/render-markdown.js';
import { renderOcsfChunks } from '../report/render-ocsf.js';
import { renderSarifChunks } from '../report/render-sarif.js';
import { renderText } from '../report/render-text.js';
import { resourceContextFromInventory } from '../report/resource-context.js';
import { writeChunksToFile } from '../report/write-chunks.js';
import { UsageError } from '../errors.js';
import { addPhaseTime, profiling, timed, timedChunks } from '../phase-profile.js';
import { checkPolicyAt } from '../policy/policy-pack.js';
import { parseNow } from './arguments.js';
import type { RuleSet } from './rule-set.js';
import { TOOL_VERSION } from './version.js';

export const FORMATS = ['text', 'json', 'html', 'markdown', 'sarif', 'junit', 'csv', 'ocsf'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanOutputOptions {
  format: string;
  output?: string;
  color: boolean;
  /** The text report's width in columns (0 or absent: no wrapping). */
  width?: number;
  failOn: Severity | 'none';
  /** Evaluation time; defaults to the inventory's collection time, else now. */
  now?: string;
  /** Evidence of passing results too ('all'), or only of failures (default: lean for large fleets). */
  evidence?: EvidenceMode;
  /** AWS's ranges the network-path rule narrows the public SSM endpoints to (none: every public address). */
  ipRanges?: AwsIpRanges;
  /** For a CloudFormation template or Terraform plan: where resources are declared, and what is unknown. */
  deployTime?: DeployTimeFacts;
}

/**
 * Renders a report as chunks of text, in order; joined, they are the file. Formats that grow with the number of
 * results (json, csv, junit, sarif, ocsf) and markdown yield a chunk per line or item, so their output is never
 * one string (V8 caps a string at ~512 MB; a 100,000-instance JSON report is ~400 MB). Text and HTML stay one
 * string each: text lists root causes, not results, and HTML embeds a compact table (~36 MB at 100,000 instances).
 */
export type Renderer = (report: Report, options: RenderOptions) => Iterable<string>;

/** What the renderers take from the command line: colour, and the text report's width (0: no wrapping). */
export interface RenderOptions {
  color: boolean;
  width?: number;
}

/** The renderers by format name. */
export const RENDERERS = new Map<string, Renderer>([
  ['text', (r, o) => [renderText(r, { color: o.color, width: o.width ?? 0 })]],
  ['json', (r) => renderJsonChunks(r)],
  ['html', (r) => [renderHtml(r)]],
  ['markdown', (r) => renderMarkdownChunks(r)],
  ['sarif', (r) => renderSarifChunks(r)],
  ['junit', (r) => renderJunitChunks(r)],
  ['csv', (r) => renderCsvChunks(r)],
  ['ocsf', (r) => renderOcsfChunks(r)],
]);

export function evaluationTime(inventory: Inventory, now: string | undefined, clock: () => number): number {
  if (now !== undefined) return parseNow(now);
  // Re-running an export gives the same answer: judge it at the time it was collected.
  if (inventory.source.collectedAt !== undefined) return Date.parse(inventory.source.collectedAt);
  return clock();
}

export interface ScanResult {
  report: Report;
  /**
   * The report in the chosen format, as chunks rendered while they are read (each call renders afresh): pass
   * them to `writeChunks`, or `joinChunks` them when the output is known to be small. Already written when
   * `output` was given.
   */
  render: () => Iterable<string>;
  failed: boolean;
}

/** Evaluates the rules over the inventory, builds the report, and streams it to `options.output` when given. */
export async function runScan(
  inventory: Inventory,
  ruleSet: RuleSet,
  options: ScanOutputOptions,
  clock: () => number = Date.now,
): Promise<ScanResult> {
  const render = RENDERERS.get(options.format);
  if (!render)
    throw new UsageError(
      `unknown --format "${options.format}" (one of: ${[...RENDERERS.keys()].join(', ')})`,
    );
  const nowMs = evaluationTime(inventory, options.now, clock);
  checkPolicyAt(ruleSet.policy, nowMs);
  const ipRanges = options.ipRanges ? { ipRanges: options.ipRanges } : {};
  // Only a deploy-time source needs the index after evaluation; other scans let evaluate build (and drop) it.
  const index = options.deployTime ? new InventoryIndex(inventory, ipRanges) : undefined;
  const evaluated = evaluate(index ?? inventory, ruleSet.rules, {
    nowMs,
    evidence: options.evidence ?? 'failures',
    ...ipRanges,
  });
  const evaluations =
    options.deployTime && index
      ? judgeDeployTime(evaluated, ruleSet.rules, options.deployTime, index)
      : evaluated;
  const report = timed('report model', () =>
    buildReport({
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
      controls: ruleSet.controls,
      ...(options.deployTime ? { locations: options.deployTime.locations } : {}),
    }),
  );
  const color = options.output === undefined && options.color;
  const width = options.width ?? 0;
  const chunks = (): Iterable<string> => timedChunks('render', render(report, { color, width }));
  if (options.output !== undefined) await writeReportFile(chunks, options.output);
  return { report, render: chunks, failed: hasFailures(report, options.failOn) };
}

/** Streams the report into a file; profiled, the wall time not spent rendering counts as writing. */
export async function writeReportFile(chunks: () => Iterable<string>, file: string): Promise<void> {
  if (!profiling()) return writeChunksToFile(chunks(), file);
  let renderMs = 0;
  const start = performance.now();
  const measured = function* (): Generator<string> {
    const iterator = chunks()[Symbol.iterator]();
    for (;;) {
      const t = performance.now();
      const next = iterator.next();
      renderMs += performance.now() - t;
      if (next.done) return;
      yield next.value;
    }
  };
  await writeChunksToFile(measured(), file);
  addPhaseTime('write', performance.now() - start - renderMs);
}
