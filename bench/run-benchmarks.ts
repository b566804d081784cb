// `npm run bench`: generates synthetic fleets and prints every benchmark figure, each measurement in a fresh
// Node.js process. Targets: offline scan ≤ 2× read+parse; 10k → 100k scaling ≤ 11×; live API calls within a
// few percent of the minimum; a small Lambda bundle with a fast cold start and a 10k periodic run in 256 MB.
// SSMGUARD_BENCH_SIZES (default "10000,100000"), SSMGUARD_BENCH_REPEATS (3), SSMGUARD_BENCH_SECTIONS
// ("offline,live,lambda") choose what runs.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFleet } from '../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../src/generator/write-aws-cli-files.js';
import { runLambdaBench } from './lambda-bench.js';
import { PATCHING_OPERATIONS, runLiveBench } from './live-bench.js';
import { IAM_CHECKS, type PhaseResult } from './offline-bench.js';

const runner = fileURLToPath(new URL('./phase-runner.js', import.meta.url));
const sizes = (process.env.SSMGUARD_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const repeats = Number(process.env.SSMGUARD_BENCH_REPEATS ?? 3);
const sections = new Set((process.env.SSMGUARD_BENCH_SECTIONS ?? 'offline,live,lambda').split(','));
const workDir = process.env.SSMGUARD_BENCH_DIR ?? join(tmpdir(), 'ssmguard-bench');

function runPhase(phase: string, dir: string): PhaseResult {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', runner, phase, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out) as PhaseResult;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function ensureFleet(size: number): Promise<string> {
  const dir = join(workDir, `fleet-${size}`);
  if (!existsSync(join(dir, 'ssmguard-source.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const t = performance.now();
    await writeAwsCliFiles(generateFleet({ seed: 42, instances: size }), dir);
    console.log(`  generated ${size} instances in ${sec(performance.now() - t)} (${dir})`);
  }
  return dir;
}

async function offline(): Promise<void> {
  console.log(`Offline scan — median of ${repeats} runs per phase, each in a fresh process`);
  const scanBySize = new Map<number, number>();
  const largest = Math.max(...sizes);
  for (const size of sizes) {
    const dir = await ensureFleet(size);
    const runs: Record<string, PhaseResult[]> = {
      parse: [],
      scan: [],
      'scan-no-iam': [],
      'scan-no-patching': [],
    };
    for (let i = 0; i < repeats; i++)
      for (const phase of Object.keys(runs)) runs[phase]!.push(runPhase(phase, dir));
    const ms = (phase: string): number => median(runs[phase]!.map((p) => p.ms));
    const rss = (phase: string): number => Math.round(median(runs[phase]!.map((p) => p.maxRssMb)));
    scanBySize.set(size, ms('scan'));
    const last = runs.scan![runs.scan!.length - 1]!.detail;
    console.log(
      `  ${size.toLocaleString('en-US')} instances (${last.roles} roles, ${last.evaluations} evaluations)`,
    );
    console.log(`    read + JSON.parse only:  ${sec(ms('parse'))}   peak RSS ${rss('parse')} MB`);
    console.log(
      `    full scan:               ${sec(ms('scan'))}   peak RSS ${rss('scan')} MB   (load+map ${last.loadMapMs} ms; rules, evaluate, report ${last.rulesEvaluateReportMs} ms)`,
    );
    console.log(`    ratio scan / parse:      ${(ms('scan') / ms('parse')).toFixed(2)}×   (target ≤ 2×)`);
    console.log(
      `    without the IAM rules:   ${sec(ms('scan-no-iam'))}   ratio ${(ms('scan-no-iam') / ms('parse')).toFixed(2)}×   (IAM adds ${(((ms('scan') - ms('scan-no-iam')) / ms('parse')) * 100).toFixed(0)}% of parse time)`,
    );
    const noPatching = runs['scan-no-patching']![0]!.detail;
    console.log(
      `    without the patching rules: ${sec(ms('scan-no-patching'))} (${noPatching.rules} of ${last.rules} rules)   the patching chain adds ${sec(ms('scan') - ms('scan-no-patching'))} = ${(((ms('scan') - ms('scan-no-patching')) / ms('scan-no-patching')) * 100).toFixed(0)}% to the scan`,
    );
    const checks = Object.entries(last)
      .filter(([k]) => k.startsWith('check:'))
      .sort((a, b) => b[1] - a[1]);
    const iamMs = checks.filter(([k]) => IAM_CHECKS.includes(k.slice(6))).reduce((n, [, v]) => n + v, 0);
    console.log(`    time inside the checks:  ${checks.map(([k, v]) => `${k.slice(6)} ${v} ms`).join(', ')}`);
    console.log(
      `    IAM evaluation:          ${iamMs} ms = ${((iamMs / ms('scan')) * 100).toFixed(1)}% of the scan (${IAM_CHECKS.join(' + ')})`,
    );
    const np = runs.scan!.map(() => runPhase('network-path', dir).detail);
    console.log(
      `    network-path rule alone: ${sec(median(np.map((d) => d.rangesMs!)))} with the shipped ip-ranges (default), ${sec(median(np.map((d) => d.anyPublicMs!)))} over every public address (--no-ip-ranges)`,
    );
    if (size === largest) {
      const r = runPhase('scan-and-render', dir).detail;
      console.log(
        `    HTML report:             ${sec(r.htmlMs!)}, ${mb(r.htmlBytes!)};   JSON report: ${sec(r.jsonMs!)}, ${mb(r.jsonBytes!)}   (scan ${sec(ms('scan'))})`,
      );
    }
  }
  const small = Math.min(...sizes);
  if (small !== largest) {
    const factor = scanBySize.get(largest)! / scanBySize.get(small)!;
    console.log(
      `  scaling ${small.toLocaleString('en-US')} → ${largest.toLocaleString('en-US')}: ${factor.toFixed(2)}×   (target ≤ ${((largest / small) * 1.1).toFixed(0)}×)`,
    );
  }
}

async function live(): Promise<void> {
  console.log('Live scan — 10,000 instances over the loopback AWS endpoint, 20 ms latency per call');
  const r = await runLiveBench({ instances: 10_000, latencyMs: 20 });
  console.log(
    `  API calls: ${r.apiCalls} (minimum ${r.minimumCalls}, +${(((r.apiCalls - r.minimumCalls) / r.minimumCalls) * 100).toFixed(1)}%)   wall time ${sec(r.wallMs)}`,
  );
  const patching = Object.entries(r.callsByOperation).filter(([op]) => PATCHING_OPERATIONS.has(op));
  const patchingCalls = patching.reduce((n, [, c]) => n + c, 0);
  console.log(
    `  of which the patching chain: ${patchingCalls} (minimum ${r.minimumPatchingCalls}, +${(((patchingCalls - r.minimumPatchingCalls) / r.minimumPatchingCalls) * 100).toFixed(1)}%): ${patching
      .sort((a, b) => b[1] - a[1])
      .map(([op, c]) => `${op.replace(/^ssm:/, '')} ${c}`)
      .join(', ')}`,
  );
}

async function lambda(): Promise<void> {
  await runLambdaBench((line) => console.log(`  ${line}`));
}

if (sections.has('offline')) await offline();
if (sections.has('live')) await live();
if (sections.has('lambda')) await lambda();
