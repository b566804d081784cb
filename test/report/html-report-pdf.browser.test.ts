// `--pdf` through the installed Chromium: the example fleet's report under the FSBP pack, printed with the report's
// print stylesheet. Checks the page count, the cover page's text (read back from the PDF) and the order cover,
// controls, root causes, table, with every row printed. Leaves the PDF in test-output/html-report/.

import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exampleFleetDir, packageRoot } from '../../src/package-root.js';
import { runCli } from '../cli/cli-harness.js';
import { CHROMIUM, skipWithoutChromium } from '../support/chromium.js';
import { readPdf, type PdfPage } from '../support/pdf-text.js';

const OUT_DIR = join(packageRoot(), 'test-output', 'html-report');
const squash = (text: string): string => text.replace(/\s+/g, ' ');

describe.skipIf(skipWithoutChromium)('ssmguard scan --pdf', () => {
  let dir: string;
  let pages: PdfPage[];
  let report: {
    provenance: { inputHash: string; evaluatedAt: string; policy: string };
    results: { resourceId: string }[];
  };
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ssmguard-pdf-'));
    const pdf = join(dir, 'report.pdf');
    const json = join(dir, 'report.json');
    const policy = join(packageRoot(), 'policies', 'aws-fsbp.yaml');
    run = await runCli(
      ['scan', exampleFleetDir(), '--policy', policy, '--format', 'json', '--output', json, '--pdf', pdf],
      { env: { SSMGUARD_CHROMIUM: CHROMIUM, PATH: process.env.PATH } },
    );
    report = JSON.parse(await readFile(json, 'utf8')) as typeof report;
    pages = readPdf(await readFile(pdf));
    await mkdir(OUT_DIR, { recursive: true });
    await copyFile(pdf, join(OUT_DIR, 'report.pdf'));
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the PDF and says where, with the scan’s own exit code', () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`PDF report: ${join(dir, 'report.pdf')}`);
  });

  it('has a sane number of pages: more than the cover, at least 20 rows a page', () => {
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.length).toBeLessThan(report.results.length / 20);
  });

  it('opens with a cover page naming the scope, the time, the input hash and the policy', () => {
    const cover = squash(pages[0]!.text);
    expect(cover).toContain('Systems Manager readiness report');
    expect(cover).toContain('231 EC2 instances · account 111122223333 · region us-east-1');
    expect(cover).toContain(`Evaluated at ${report.provenance.evaluatedAt}`);
    expect(cover).toContain(`Input hash ${report.provenance.inputHash}`);
    expect(cover).toContain(`Policy ${report.provenance.policy}`);
    expect(cover).toContain('AWS Foundational Security Best Practices v1.0.0');
    expect(cover).toContain('page 1 of');
    // Nothing of the screen's controls, and nothing else on the cover.
    expect(cover).not.toMatch(/Previous|Next|Search|show in table|Copy/);
    expect(cover).not.toContain('Root causes');
  });

  it('prints the controls, then the root causes, then the table with every row', () => {
    const first = (line: string): number => pages.findIndex((p) => p.text.split('\n').includes(line));
    const controls = first('Controls');
    const causes = first('Root causes — why instances cannot be managed by Systems Manager');
    const table = pages.findIndex((p) => p.text.includes('Results: all'));
    expect(controls).toBe(1);
    expect(causes).toBeGreaterThan(controls);
    expect(table).toBeGreaterThan(causes);
    // Every result is a row: its severity and status cells are consecutive text runs of the table pages.
    const severities = new Set(['critical', 'high', 'medium', 'low', 'info']);
    const statuses = new Set(['non-compliant', 'error', 'waived', 'compliant', 'not applicable']);
    const lines = pages.slice(table).flatMap((p) => p.text.split('\n'));
    const rows = lines.filter((line, i) => severities.has(line) && statuses.has(lines[i + 1] ?? ''));
    expect(rows.length).toBe(report.results.length);
    expect(squash(pages.at(-1)!.text)).toContain(`page ${pages.length} of ${pages.length}`);
  });
});

describe('ssmguard scan --pdf without a browser', () => {
  it.for([
    {
      name: 'none on PATH',
      env: { PATH: '/nonexistent' },
      says: 'none found (looked for SSMGUARD_CHROMIUM, and chromium',
    },
    {
      name: 'SSMGUARD_CHROMIUM not runnable',
      env: { SSMGUARD_CHROMIUM: '/nonexistent/chrome' },
      says: '"/nonexistent/chrome", which is not an executable file',
    },
  ])('$name: exit 2 before reading input, saying how to get one', async ({ env, says }) => {
    const run = await runCli(['scan', exampleFleetDir(), '--pdf', join(tmpdir(), 'never.pdf')], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(says);
    expect(run.stderr).toContain('apt-get install chromium');
  });
});
