// Offline-scan benchmark phases, each run in a fresh process so time and peak memory are its own:
// "parse" reads and JSON-parses every input file (the floor); "scan" is `ssmguard scan DIR` end to end
// (load + map, rules, evaluate, report, text); "scan-no-iam" the same without the two IAM rules.

import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInput } from '../src/cli/load-input.js';
import { loadRuleSet } from '../src/cli/rule-set.js';
import { RENDERERS, runScan, writeReportFile } from '../src/cli/run-scan.js';
import { startPhaseProfile, stopPhaseProfile, timedChunks } from '../src/phase-profile.js';
import { reportHashes } from './report-hashes.js';
import { NAMED_CHECKS } from '../src/engine/checks/index.js';
import { joinChunks } from '../src/report/write-chunks.js';
import { readShippedIpRanges } from '../src/collectors/ip-ranges/read-ip-ranges.js';
import { evaluate } from '../src/engine/evaluate.js';
import { benchReports } from './report-bench.js';
import { CHAIN_LINKS } from '../src/report/chain/chain-links.js';

export interface PhaseResult {
  ms: number;
  maxRssMb: number;
  detail: Record<string, number>;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

/**
 * The floor: read and JSON.parse every input file of the scan, nothing else. The parsed values are kept until
 * the end, as a scan must hold its input: the floor's memory is the parsed input's, not one file's.
 */
export async function parseOnly(dir: string): Promise<PhaseResult> {
  const start = performance.now();
  const kept: unknown[] = [];
  let bytes = 0;
  for (const file of await listFiles(dir)) {
    const text = await readFile(file, 'utf8');
    bytes += text.length;
    kept.push(JSON.parse(text));
  }
  const ms = performance.now() - start;
  return {
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: { files: kept.length, chars: bytes },
  };
}

/** The reports the scan phase writes, as a review would: JSON (through runScan, as `--output`), SARIF, HTML. */
const WRITTEN_FORMATS = ['json', 'sarif', 'html'] as const;

/**
 * The whole offline scan with its reports written to files, as `ssmguard scan DIR --format json --output F`
 * plus SARIF and HTML renderings of the same report, profiled phase by phase (src/phase-profile.ts).
 */
export async function scanWithReports(dir: string): Promise<PhaseResult> {
  const out = await mkdtemp(join(tmpdir(), 'ssmguard-bench-reports-'));
  try {
    const checkMs = timeNamedChecks();
    startPhaseProfile();
    const start = performance.now();
    const ruleSet = await loadRuleSet({});
    const ipRanges = await readShippedIpRanges();
    const input = await loadInput([dir]);
    const files = WRITTEN_FORMATS.map((format) => join(out, `report.${format}`));
    const { report } = await runScan(input.inventory, ruleSet, {
      format: 'json',
      output: files[0]!,
      color: false,
      failOn: 'none',
      ipRanges,
    });
    for (const [i, format] of WRITTEN_FORMATS.entries()) {
      if (i === 0) continue;
      const render = RENDERERS.get(format)!;
      await writeReportFile(() => timedChunks('render', render(report, { color: false })), files[i]!);
    }
    const ms = performance.now() - start;
    const breakdown = (await stopPhaseProfile())!;
    const detail: Record<string, number> = {
      instances: input.inventory.instances.length,
      evaluations: report.results.length,
      gcMs: Math.round(breakdown.gcMs),
    };
    for (const [phase, phaseMs] of Object.entries(breakdown.phases))
      detail[`phase:${phase}`] = Math.round(phaseMs);
    for (const [i, format] of WRITTEN_FORMATS.entries())
      detail[`bytes:${format}`] = (await stat(files[i]!)).size;
    for (const [name, spent] of checkMs) if (spent > 0) detail[`check:${name}`] = Math.round(spent);
    return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Every format's sha256 against the one recorded for this fleet size (bench/expected/), 1 per match. */
export async function checkReportHashes(dir: string): Promise<PhaseResult> {
  const start = performance.now();
  const hashes = await reportHashes([dir]);
  const size = /fleet-(\d+)$/.exec(dir)?.[1];
  const expectedFile = new URL(`../../bench/expected/report-hashes-${size}.json`, import.meta.url);
  const expected = JSON.parse(await readFile(expectedFile, 'utf8').catch(() => '{}')) as Record<
    string,
    string
  >;
  const detail: Record<string, number> = {};
  for (const [format, hash] of Object.entries(hashes))
    detail[format] = expected[format] === undefined ? -1 : expected[format] === hash ? 1 : 0;
  return { ms: performance.now() - start, maxRssMb: process.resourceUsage().maxRSS / 1024, detail };
}

const IAM_RULES = ['ec2-instance-role-grants-ssm-core', 'ec2-instance-role-trusts-ec2'];

/** The rules of the patching chain (links `patching` … `patch-outcome`): "without the patching rules". */
export const isPatchingRule = (rule: { loaded: { definition: { link: string } } }): boolean =>
  CHAIN_LINKS.find((l) => l.id === rule.loaded.definition.link)?.role === 'patching';

/** The named checks of the IAM rules: their evaluation time is the "IAM share" of a scan. */
export const IAM_CHECKS = ['instance-role-grants-actions', 'instance-role-trusted'];

/**
 * Wraps every named check's `evaluate` so the time spent inside each check is added up (this process only:
 * phases run in fresh processes). The engine calls `check.evaluate(…)` through the registry's objects.
 */
function timeNamedChecks(): Map<string, number> {
  const spent = new Map<string, number>();
  for (const check of NAMED_CHECKS.values()) {
    const evaluate = check.evaluate.bind(check);
    spent.set(check.name, 0);
    check.evaluate = (resource, context) => {
      const start = performance.now();
      try {
        return evaluate(resource, context);
      } finally {
        spent.set(check.name, spent.get(check.name)! + performance.now() - start);
      }
    };
  }
  return spent;
}

/** The whole offline scan as `ssmguard scan DIR` runs it; optionally renders the HTML and JSON reports after. */
export async function fullScan(
  dir: string,
  options: { withoutIam?: boolean; withoutPatching?: boolean; renderReports?: boolean } = {},
): Promise<PhaseResult> {
  const checkMs = timeNamedChecks();
  const start = performance.now();
  const input = await loadInput([dir]);
  const loaded = performance.now();
  const ruleSet = await loadRuleSet({});
  if (options.withoutIam) ruleSet.rules = ruleSet.rules.filter((r) => !IAM_RULES.includes(r.id));
  if (options.withoutPatching) ruleSet.rules = ruleSet.rules.filter((r) => !isPatchingRule(r));
  const { report, render } = await runScan(input.inventory, ruleSet, {
    format: 'text',
    color: false,
    failOn: 'none',
    // As `ssmguard scan` runs by default: the network path narrowed to the shipped ip-ranges copy.
    ipRanges: await readShippedIpRanges(),
  });
  // The text report is small (root causes, not results), and rendering it is part of the scan as the CLI runs it.
  const rendered = joinChunks(render());
  const end = performance.now();
  const detail: Record<string, number> = {
    rules: ruleSet.rules.length,
    instances: input.inventory.instances.length,
    roles: input.inventory.roles.length,
    evaluations: report.results.length,
    loadMapMs: Math.round(loaded - start),
    rulesEvaluateReportMs: Math.round(end - loaded),
    textBytes: rendered.length,
  };
  for (const [name, ms] of checkMs) if (ms > 0) detail[`check:${name}`] = Math.round(ms);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  if (options.renderReports) {
    const { html, json } = await benchReports(report);
    Object.assign(detail, {
      htmlMs: Math.round(html.ms),
      htmlBytes: html.bytes,
      jsonMs: Math.round(json.ms),
      jsonBytes: json.bytes,
    });
  }
  return { ms: end - start, maxRssMb, detail };
}

const NETWORK_PATH_RULE = 'ec2-instance-network-path-to-ssm';

/**
 * The network-path rule alone (lean evidence, as a scan): over every public address (--no-ip-ranges) and over
 * the shipped ip-ranges copy (the default), each on a fresh index so nothing is shared between the two.
 */
export async function networkPathOnly(dir: string): Promise<PhaseResult> {
  const input = await loadInput([dir]);
  const rules = (await loadRuleSet({})).rules.filter((r) => r.id === NETWORK_PATH_RULE);
  const ipRanges = await readShippedIpRanges();
  const nowMs = Date.parse(input.inventory.source.collectedAt ?? '2026-11-20T12:00:00Z');
  const time = (ranges: boolean): number => {
    const start = performance.now();
    evaluate(input.inventory, rules, { nowMs, evidence: 'failures', ...(ranges ? { ipRanges } : {}) });
    return performance.now() - start;
  };
  const anyPublicMs = time(false);
  const rangesMs = time(true);
  return {
    ms: anyPublicMs + rangesMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: { anyPublicMs: Math.round(anyPublicMs), rangesMs: Math.round(rangesMs) },
  };
}
