// `npm run bench`: generates synthetic fleets and prints every benchmark figure, each measurement in a fresh
// Node.js process. Targets: an offline scan with its JSON, SARIF and HTML reports written costs ≤ 1.5× the time
// and memory of read + JSON.parse of its input (the floor) and grows linearly; live API calls within a few percent
// of the minimum; a small Lambda bundle with a fast cold start and a 10k periodic run in 256 MB.
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

const share = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)}%`;

/** One fleet size: the floor and the scan, each `repeats` times in fresh processes, then the checks. */
function offlineSize(size: number, dir: string): { scanMs: number; floorMs: number } {
  const runs: Record<string, PhaseResult[]> = { parse: [], scan: [] };
  for (let i = 0; i < repeats; i++)
    for (const phase of Object.keys(runs)) runs[phase]!.push(runPhase(phase, dir));
  const ms = (phase: string): number => median(runs[phase]!.map((p) => p.ms));
  const rss = (phase: string): number => median(runs[phase]!.map((p) => p.maxRssMb));
  const last = runs.scan![runs.scan!.length - 1]!.detail;
  console.log(`  ${size.toLocaleString('en-US')} instances (${last.evaluations} evaluations)`);
  console.log(
    `    floor, read + JSON.parse of the input: ${sec(ms('parse'))}   peak RSS ${Math.round(rss('parse'))} MB`,
  );
  console.log(
    `    full scan, JSON + SARIF + HTML written: ${sec(ms('scan'))}   peak RSS ${Math.round(rss('scan'))} MB   (JSON ${mb(last['bytes:json']!)}, SARIF ${mb(last['bytes:sarif']!)}, HTML ${mb(last['bytes:html']!)})`,
  );
  console.log(
    `    ratio to the floor: time ${(ms('scan') / ms('parse')).toFixed(2)}×, memory ${(rss('scan') / rss('parse')).toFixed(2)}×   (targets ≤ 1.5× each)`,
  );
  const phases = Object.entries(last).filter(([k]) => k.startsWith('phase:'));
  console.log(
    `    phases: ${phases.map(([k, v]) => `${k.slice(6)} ${sec(v)} (${share(v, ms('scan'))})`).join(', ')}; GC within them ${sec(last.gcMs!)} (${share(last.gcMs!, ms('scan'))})`,
  );
  const checks = Object.entries(last)
    .filter(([k]) => k.startsWith('check:'))
    .sort((a, b) => b[1] - a[1]);
  const iamMs = checks.filter(([k]) => IAM_CHECKS.includes(k.slice(6))).reduce((n, [, v]) => n + v, 0);
  console.log(`    time inside the checks: ${checks.map(([k, v]) => `${k.slice(6)} ${v} ms`).join(', ')}`);
  console.log(
    `    IAM evaluation: ${iamMs} ms = ${share(iamMs, ms('scan'))} of the scan (${IAM_CHECKS.join(' + ')})`,
  );
  const np = runPhase('network-path', dir).detail;
  console.log(
    `    network-path rule alone: ${sec(np.rangesMs!)} with the shipped ip-ranges (default), ${sec(np.anyPublicMs!)} over every public address (--no-ip-ranges)`,
  );
  const hashes = Object.entries(runPhase('report-hashes', dir).detail);
  const matched = hashes.filter(([, v]) => v === 1).map(([k]) => k);
  const unrecorded = hashes.filter(([, v]) => v === -1).map(([k]) => k);
  const changed = hashes.filter(([, v]) => v === 0).map(([k]) => k);
  console.log(
    `    report bytes vs bench/expected/report-hashes-${size}.json: ${matched.length} of ${hashes.length} formats identical${changed.length > 0 ? `; CHANGED: ${changed.join(', ')}` : ''}${unrecorded.length > 0 ? `; not recorded: ${unrecorded.join(', ')}` : ''}`,
  );
  return { scanMs: ms('scan'), floorMs: ms('parse') };
}

async function offline(): Promise<void> {
  console.log(`Offline scan — median of ${repeats} runs per phase, each in a fresh process`);
  const bySize = new Map<number, { scanMs: number; floorMs: number }>();
  for (const size of sizes) bySize.set(size, offlineSize(size, await ensureFleet(size)));
  const small = Math.min(...sizes);
  const largest = Math.max(...sizes);
  if (small !== largest) {
    const a = bySize.get(small)!;
    const b = bySize.get(largest)!;
    console.log(
      `  scaling ${small.toLocaleString('en-US')} → ${largest.toLocaleString('en-US')}: scan ${(b.scanMs / a.scanMs).toFixed(2)}×, floor ${(b.floorMs / a.floorMs).toFixed(2)}×   (linear: ${(largest / small).toFixed(0)}×)`,
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
