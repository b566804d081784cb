// Runs one benchmark phase in this (fresh) process and prints its result as JSON on stdout.
import { checkReportHashes, fullScan, networkPathOnly, parseOnly, scanWithReports } from './offline-bench.js';

const [phase, dir] = process.argv.slice(2);
const phases: Record<string, (dir: string) => Promise<unknown>> = {
  parse: parseOnly,
  scan: scanWithReports,
  'scan-text': (d) => fullScan(d),
  'report-hashes': checkReportHashes,
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
