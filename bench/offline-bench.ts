// Offline-scan benchmark phases, each run in a fresh process so time and peak memory are its own:
// "parse" reads and JSON-parses every input file (the floor); "scan" is `ssmguard scan DIR` end to end
// (load + map, rules, evaluate, report, text); "scan-no-iam" the same without the two IAM rules.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInput } from '../src/cli/load-input.js';
import { loadRuleSet } from '../src/cli/rule-set.js';
import { runScan } from '../src/cli/run-scan.js';
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

/** The floor: read and JSON.parse every file, nothing else. */
export async function parseOnly(dir: string): Promise<PhaseResult> {
  const start = performance.now();
  let keys = 0;
  for (const file of await listFiles(dir))
    keys += Object.keys(JSON.parse(await readFile(file, 'utf8')) as object).length;
  return { ms: performance.now() - start, maxRssMb: process.resourceUsage().maxRSS / 1024, detail: { keys } };
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
