// The README's examples stay true: its custom rule and cases pass `ssmguard test`, and its policy pack loads.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli/cli-harness.js';
import { exampleFleetDir, packageRoot } from '../src/package-root.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README', () => {
  it('its example rule passes its own cases with `ssmguard test`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssmguard-readme-'));
    let written = 0;
    for (const block of yamlBlocks) {
      const file = /^# our-rules\/(\S+\.yaml)\n/.exec(block)?.[1];
      if (!file) continue;
      writeFileSync(join(dir, basename(file)), block);
      written += 1;
    }
    expect(written).toBe(2);
    const run = await runCli(['test', dir]);
    expect(run.stdout).toMatch(/3 passed, 0 failed/);
    expect(run.code).toBe(0);
  });

  it('its policy pack example loads and runs', async () => {
    const block = yamlBlocks.find((b) => b.startsWith('name: strict-ports'))!;
    const file = join(mkdtempSync(join(tmpdir(), 'ssmguard-readme-')), 'strict.yaml');
    writeFileSync(file, block);
    const run = await runCli(['scan', exampleFleetDir(), '--policy', file, '--fail-on', 'none']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
