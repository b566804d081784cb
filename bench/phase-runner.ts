// Runs one benchmark phase in this (fresh) process and prints its result as JSON on stdout.
import { fullScan, networkPathOnly, parseOnly } from './offline-bench.js';

const [phase, dir] = process.argv.slice(2);
const phases: Record<string, (dir: string) => Promise<unknown>> = {
  parse: parseOnly,
  scan: (d) => fullScan(d),
  'scan-no-iam': (d) => fullScan(d, { withoutIam: true }),
  'scan-no-patching': (d) => fullScan(d, { withoutPatching: true }),
  'scan-and-render': (d) => fullScan(d, { renderReports: true }),
  'network-path': networkPathOnly,
};
const run = phase ? phases[phase] : undefined;
if (!run || !dir) {
  process.stderr.write(`usage: phase-runner.js <${Object.keys(phases).join('|')}> <dir>\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await run(dir))}\n`);
