// The sha256 of every report format of one scan, as `ssmguard scan DIR --format F --output FILE` writes it:
// the check that a faster scan changes no byte of any report (bench: the 10k/100k fleets; test: the example fleet).

import { createHash } from 'node:crypto';
import { loadInput } from '../src/cli/load-input.js';
import { loadRuleSet } from '../src/cli/rule-set.js';
import { RENDERERS, runScan } from '../src/cli/run-scan.js';
import { readShippedIpRanges } from '../src/collectors/ip-ranges/read-ip-ranges.js';

/** Format → "sha256:<hex>" and byte count of the report the CLI would write for the input paths. */
export async function reportHashes(paths: readonly string[]): Promise<Record<string, string>> {
  const input = await loadInput(paths);
  const ruleSet = await loadRuleSet({});
  const { report } = await runScan(input.inventory, ruleSet, {
    format: 'text',
    color: false,
    failOn: 'none',
    ipRanges: await readShippedIpRanges(),
  });
  const hashes: Record<string, string> = {};
  for (const [format, render] of RENDERERS) {
    const hash = createHash('sha256');
    let bytes = 0;
    for (const chunk of render(report, { color: false, width: 0 })) {
      hash.update(chunk);
      bytes += Buffer.byteLength(chunk);
    }
    hashes[format] = `sha256:${hash.digest('hex')} ${bytes}`;
  }
  return hashes;
}
