// `npm run bench`: generates synthetic fleets and prints the offline-scan figures (and the other sections'),
// each measurement in a fresh Node.js process. Targets: scan ≤ 2× parse-only; 10k → 100k scaling ≤ 11×.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFleet } from '../src/generator/generate-fleet.js';
import { writeAwsCliFiles } from '../src/generator/write-aws-cli-files.js';
import type { PhaseResult } from './offline-bench.js';

const runner = fileURLToPath(new URL('./phase-runner.js', import.meta.url));
const sizes = (process.env.SSMGUARD_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const repeats = Number(process.env.SSMGUARD_BENCH_REPEATS ?? 3);
const workDir = process.env.SSMGUARD_BENCH_DIR ?? join(tmpdir(), 'ssmguard-bench');

function runPhase(phase: string, dir: string): PhaseResult {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', runner, phase, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out) as PhaseResult;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function offline(): Promise<void> {
  console.log(`Offline scan (median of ${repeats} runs per phase, fresh process each)`);
  const scanBySize = new Map<number, number>();
  for (const size of sizes) {
    const dir = join(workDir, `fleet-${size}`);
    if (!existsSync(join(dir, 'ssmguard-source.json'))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const t = performance.now();
      await writeAwsCliFiles(generateFleet({ seed: 42, instances: size }), dir);
      console.log(`  generated ${size} instances in ${fmt(performance.now() - t)} (${dir})`);
    }
    const parse: PhaseResult[] = [];
    const scan: PhaseResult[] = [];
    for (let i = 0; i < repeats; i++) {
      parse.push(runPhase('parse', dir));
      scan.push(runPhase('scan', dir));
    }
    const parseMs = median(parse.map((p) => p.ms));
    const scanMs = median(scan.map((p) => p.ms));
    scanBySize.set(size, scanMs);
    const last = scan[scan.length - 1]!;
    console.log(`  ${size.toLocaleString('en-US')} instances (${last.detail.roles} roles, ${last.detail.evaluations} evaluations)`);
    console.log(`    read + JSON.parse only: ${fmt(parseMs)}   peak RSS ${Math.round(median(parse.map((p) => p.maxRssMb)))} MB`);
    console.log(`    full scan:              ${fmt(scanMs)}   peak RSS ${Math.round(median(scan.map((p) => p.maxRssMb)))} MB   (load+map ${last.detail.loadMapMs} ms, evaluate ${last.detail.evaluateMs} ms, report ${last.detail.reportMs} ms)`);
    console.log(`    ratio scan / parse:     ${(scanMs / parseMs).toFixed(2)}×   (target ≤ 2×)`);
  }
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  if (small !== large) {
    const factor = scanBySize.get(large)! / scanBySize.get(small)!;
    console.log(`  scaling ${small.toLocaleString('en-US')} → ${large.toLocaleString('en-US')}: ${factor.toFixed(2)}×   (target ≤ ${((large / small) * 1.1).toFixed(0)}×)`);
  }
}

await offline();
