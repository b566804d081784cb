// Offline-scan benchmark phases, each run in a fresh process so time and peak memory are its own:
// "parse" reads and JSON-parses every input file (the floor), "scan" does the whole offline scan.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAwsCliInventory, assertNoInputErrors } from '../src/collectors/aws-cli/index.js';
import { loadRuleSet } from '../src/cli/rule-set.js';
import { evaluate } from '../src/engine/evaluate.js';
import { buildReport } from '../src/report/build-report.js';
import { renderText } from '../src/report/render-text.js';
import { shippedPoliciesDir } from '../src/package-root.js';

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
  for (const file of await listFiles(dir)) keys += Object.keys(JSON.parse(await readFile(file, 'utf8')) as object).length;
  return { ms: performance.now() - start, maxRssMb: process.resourceUsage().maxRSS / 1024, detail: { keys } };
}

/** The whole offline scan: load + map, load rules, evaluate every rule, build the report, render text. */
export async function fullScan(dir: string): Promise<PhaseResult> {
  const start = performance.now();
  const loaded = await loadAwsCliInventory([dir]);
  assertNoInputErrors(loaded);
  const mapped = performance.now();
  const ruleSet = await loadRuleSet({ policyFile: join(shippedPoliciesDir(), 'ssm-baseline.yaml') });
  const nowMs = Date.parse(loaded.inventory.source.collectedAt ?? '2026-11-20T12:00:00.000Z');
  const evaluations = evaluate(loaded.inventory, ruleSet.rules, { nowMs });
  const evaluated = performance.now();
  const report = buildReport({ evaluations, rules: ruleSet.rules, source: loaded.inventory.source, evaluatedAt: new Date(nowMs).toISOString(), policy: ruleSet.policyName, toolVersion: 'bench' });
  const text = renderText(report, { color: false });
  const end = performance.now();
  return {
    ms: end - start,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: {
      instances: loaded.inventory.instances.length,
      roles: loaded.inventory.roles.length,
      evaluations: evaluations.length,
      loadMapMs: Math.round(mapped - start),
      evaluateMs: Math.round(evaluated - mapped),
      reportMs: Math.round(end - evaluated),
      textBytes: text.length,
    },
  };
}
