// `--quiet` (the summary lines and the exit code only) and the text report's width (--width, COLUMNS, the
// terminal, else 80), end to end through the CLI.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleFleetDir } from '../../src/package-root.js';
import { visibleWidth } from '../../src/report/wrap-text.js';
import { runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ssmguard-quiet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fleet = exampleFleetDir();
const SUMMARY = [
  /^ssmguard — Systems Manager readiness of 231 EC2 instances/,
  /^22 rules, 4404 evaluations: /,
  /^22 of 231 instances have an unbroken readiness chain\.$/,
];
const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');

describe('--quiet', () => {
  it.for([
    { name: 'findings: exit 1', args: ['scan', fleet, '--quiet'], exit: 1 },
    {
      name: 'findings below --fail-on critical still fail on critical ones',
      args: ['scan', fleet, '--quiet', '--fail-on', 'critical'],
      exit: 1,
    },
    {
      name: 'report only (--fail-on none): exit 0',
      args: ['scan', fleet, '--quiet', '--fail-on', 'none'],
      exit: 0,
    },
    { name: 'demo: exit 0', args: ['demo', '--quiet', '--html', join(dir, 'demo.html')], exit: 0 },
  ])('$name, with only the summary lines', async ({ args, exit }) => {
    // Act
    const run = await runCli([...args, '--width', '0']);
    // Assess
    expect(run.code).toBe(exit);
    expect(lines(run.stdout)).toHaveLength(3);
    lines(run.stdout).forEach((line, i) => expect(line).toMatch(SUMMARY[i]!));
    expect(run.stderr).toBe('');
  });

  it('still writes the report asked for with --output, and says nothing else', async () => {
    const out = join(dir, 'report.json');
    const run = await runCli(['scan', fleet, '--quiet', '--format', 'json', '--output', out, '--width', '0']);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toHaveLength(3);
    expect(run.stderr).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { results: unknown[] }).results).toHaveLength(4404);
  });

  it('refuses a report format it would not print (exit 2), rather than dropping it', async () => {
    const run = await runCli(['scan', fleet, '--quiet', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--quiet prints the summary instead of the report');
  });

  it('keeps exit 2 and the error for input it cannot read', async () => {
    const run = await runCli(['scan', join(dir, 'no-such-folder'), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no-such-folder');
  });
});

describe('text width', () => {
  const widest = (text: string): number =>
    Math.max(
      ...lines(text)
        .filter((l) => !/^ *\$ /.test(l) && l.trim().includes(' '))
        .map(visibleWidth),
    );

  it.for([
    { name: 'not a terminal: 80', args: [], io: {}, width: 80 },
    { name: '--width 120', args: ['--width', '120'], io: {}, width: 120 },
    { name: 'COLUMNS=100', args: [], io: { env: { COLUMNS: '100' } }, width: 100 },
    {
      name: 'a terminal of 60 columns',
      args: [],
      io: { stdoutIsTty: true, stdoutColumns: 60, env: { NO_COLOR: '1' } },
      width: 60,
    },
    { name: '--width over COLUMNS', args: ['--width', '40'], io: { env: { COLUMNS: '100' } }, width: 40 },
  ])('wraps to the width: $name', async ({ args, io, width }) => {
    const run = await runCli(['scan', fleet, ...args], io);
    expect(run.code).toBe(1);
    expect(widest(run.stdout)).toBeLessThanOrEqual(width);
    expect(widest(run.stdout)).toBeGreaterThan(width - 12);
  });

  it('--width 0 does not wrap', async () => {
    const run = await runCli(['scan', fleet, '--width', '0']);
    expect(widest(run.stdout)).toBeGreaterThan(200);
  });

  it.for(['30', 'wide', '80.5'])('refuses --width %s (exit 2)', async (value) => {
    const run = await runCli(['scan', fleet, '--width', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--width must be a number of columns (40 or more), or 0 for no wrapping');
  });
});
