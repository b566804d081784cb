// The HTML report as a reviewer uses it, in Chromium: failing rows first, chart labels whole, identifiers never
// split across lines (wide, narrow and printed), Enter applies every input without reloading, a note on a compliant
// result does not look like a critical finding, "show in table" shows exactly its cause's rows, and the print
// stylesheet (cover, controls, root causes, then every row). Screenshots go to test-output/html-report/.

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadInput } from '../../src/cli/load-input.js';
import { loadRuleSet } from '../../src/cli/rule-set.js';
import { runScan } from '../../src/cli/run-scan.js';
import { exampleFleetDir, packageRoot } from '../../src/package-root.js';
import type { Report } from '../../src/report/build-report.js';
import { renderHtml } from '../../src/report/render-html.js';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';

const OUT_DIR = join(packageRoot(), 'test-output', 'html-report');
const STATUS_RANK = new Map<string, number>([
  ['non-compliant', 0],
  ['error', 1],
  ['waived', 2],
  ['compliant', 3],
  ['not applicable', 4],
]);

/** The example fleet with the FSBP controls; `withoutIam` leaves out the IAM export, so the IAM rules are ERROR. */
async function exampleReport(withoutIam = false): Promise<Report> {
  const fleet = exampleFleetDir();
  const region = join(fleet, '111122223333', 'us-east-1');
  const files = withoutIam
    ? [join(fleet, 'ssmguard-source.json'), ...(await readdir(region)).map((f) => join(region, f))]
    : [fleet];
  const { inventory } = await loadInput(files);
  const ruleSet = await loadRuleSet({ policyFile: join(packageRoot(), 'policies', 'aws-fsbp.yaml') });
  const { report } = await runScan(inventory, ruleSet, { format: 'json', color: false, failOn: 'none' });
  return report;
}

/**
 * Every identifier in the visible text (ids, ARNs, rule ids) and whether it was laid out on more than one line:
 * a Range over exactly the identifier, and the distinct tops of its line boxes.
 */
function brokenIdentifiers(page: Page): Promise<{ checked: number; broken: string[] }> {
  // A string, evaluated in the page (this project's TypeScript has no DOM types).
  return page.evaluate(`(() => {
    const pattern = /arn:aws[\\w-]*:[^\\s,;()]+|\\b(?:i|sg|vpc|subnet|rtb|vpce|mw|mi|nat|igw|acl)-[0-9a-f]{8,17}\\b|\\b(?:ec2|ssm)-(?:instance|maintenance|managed)-[a-z0-9-]+/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const broken = [];
    let checked = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement && node.parentElement.closest('script, svg')) continue;
      for (const match of (node.textContent || '').matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (rects.length === 0) continue; // not displayed
        checked += 1;
        if (new Set(rects.map((r) => Math.round(r.top))).size > 1) broken.push(match[0]);
      }
    }
    return { checked, broken };
  })()`);
}

describe.skipIf(skipWithoutChromium)('HTML report for a review, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let report: Report;
  let errorReport: Report;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const navigations: string[] = [];

  const open = async (r: Report, name: string): Promise<void> => {
    const file = resolve(OUT_DIR, name);
    await writeFile(file, renderHtml(r));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#results-body tr');
    navigations.length = 0;
  };

  beforeAll(async () => {
    [report, errorReport] = await Promise.all([exampleReport(), exampleReport(true)]);
    await mkdir(OUT_DIR, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await open(report, 'review.html');
  });

  afterAll(async () => {
    await browser?.close();
  });

  const count = (): Promise<string | null> => page.textContent('#results-count');
  const column = (body: string, n: number): Promise<string[]> =>
    page.$$eval(`${body} tr td:nth-child(${n})`, (cells) => cells.map((c) => c.textContent ?? ''));

  it('lists non-compliant and error rows first, on screen and in the full (printed) table', async () => {
    // Prepare: a report with ERROR rows too (no IAM data).
    expect(errorReport.summary.byStatus.ERROR).toBeGreaterThan(0);
    await open(errorReport, 'review-errors.html');
    // Assess
    const all = await column('#print-body', 8);
    expect(all).toHaveLength(errorReport.results.length);
    const ranks = all.map((s) => STATUS_RANK.get(s)!);
    expect(ranks.every((r, i) => i === 0 || ranks[i - 1]! <= r)).toBe(true);
    const failing = errorReport.summary.byStatus.NON_COMPLIANT + errorReport.summary.byStatus.ERROR;
    expect(ranks.filter((r) => r <= 1)).toHaveLength(failing);
    expect(await column('#results-body', 8)).toEqual(all.slice(0, 50));
    await open(report, 'review.html');
  });

  it('draws every chart label whole, inside its chart', async () => {
    const labels = await page.$$eval('figure.chart', (figures) =>
      figures.flatMap((figure) => {
        const svg = figure.querySelector('svg')!.getBoundingClientRect();
        return [...figure.querySelectorAll('text')].map((t) => {
          const box = t.getBoundingClientRect();
          const inside =
            box.left >= svg.left - 0.5 &&
            box.right <= svg.right + 0.5 &&
            box.top >= svg.top - 0.5 &&
            box.bottom <= svg.bottom + 0.5;
          return { text: t.textContent ?? '', inside };
        });
      }),
    );
    expect(labels.length).toBeGreaterThan(30);
    expect(labels.filter((l) => !l.inside)).toEqual([]);
    expect(labels.filter((l) => l.text.includes('…'))).toEqual([]);
    // The longest cause label is drawn in full (over as many lines as it needs).
    const chartText = (
      await page.$$eval('#cause-chart text', (texts) =>
        texts.map((t) => [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ')),
      )
    ).join('\n');
    for (const c of report.rootCauses.slice(0, 15))
      expect(chartText).toContain(`${c.label}${c.causeResourceId ? ` (${c.causeResourceId})` : ''}`);
  });

  it.for([
    { name: 'wide', width: 1280, media: 'screen' },
    { name: 'narrow', width: 640, media: 'screen' },
    { name: 'printed', width: 800, media: 'print' },
  ] as const)('never breaks an identifier across lines ($name)', async ({ name, width, media }) => {
    // Prepare: failing rows with long messages on the first page.
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ media });
    // Act
    const { checked, broken } = await brokenIdentifiers(page);
    // Assess
    await page.screenshot({ path: join(OUT_DIR, `review-${name}.png`), fullPage: media === 'screen' });
    expect(checked).toBeGreaterThan(media === 'print' ? 3000 : 300);
    expect(broken).toEqual([]);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('applies every input on Enter, immediately, without leaving or reloading the page', async () => {
    // Prepare
    await page.evaluate(() => ((globalThis as unknown as { __marker: number }).__marker = 1));
    const inputs = await page.$$eval('input', (all) => all.map((i) => i.id));
    expect(inputs.sort()).toEqual(['chain-id', 'f-text']);
    const id = report.rootCauses[0]!.resourceIds[0]!;
    // Act: the search box (its own debounce is 150 ms: the count below is read at once)
    await page.fill('#f-text', id);
    await page.press('#f-text', 'Enter');
    const searched = await count();
    // Act: the chain box
    await page.fill('#chain-id', id);
    await page.press('#chain-id', 'Enter');
    // Assess
    const rows = report.results.filter((r) => r.resourceId === id).length;
    expect(searched).toBe(`${rows} of ${report.results.length} results`);
    expect(await page.textContent('#chain-view h3')).toContain(id);
    expect(await page.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(navigations).toEqual([]);
    await page.fill('#f-text', '');
    await page.press('#f-text', 'Enter');
  });

  it('styles a note on a compliant result apart from a critical finding', async () => {
    // Prepare
    const note = report.rootCauses.find((c) => c.kind === 'note')!;
    const critical = report.rootCauses.find((c) => c.severity === 'critical' && c.kind === 'readiness')!;
    expect(note.severity).toBe('critical'); // its rule's severity: what it must not be shown as
    const look = (selector: string): Promise<Record<string, string>> =>
      page.evaluate(`(() => {
        const article = document.querySelector(${JSON.stringify(selector)});
        const badge = article.querySelector('.sev');
        return {
          badge: badge.textContent,
          background: getComputedStyle(badge).backgroundColor,
          border: getComputedStyle(article).borderLeftColor,
          className: article.className,
        };
      })()`);
    // Act
    const noteLook = await look('article.cause.kind-note');
    const criticalLook = await look('#root-causes article.cause');
    // Assess
    expect(noteLook.badge).toBe('note');
    expect(criticalLook.badge).toBe('critical');
    expect(noteLook.background).not.toBe(criticalLook.background);
    expect(noteLook.border).not.toBe(criticalLook.border);
    expect(noteLook.className).not.toContain('kind-readiness');
    expect(await page.textContent('article.cause.kind-note h3')).toContain(note.label);
    expect(await page.textContent('#root-causes article.cause h3')).toContain(critical.label);
  });

  it('"show in table" shows exactly the rows of its cause, for every cause', async () => {
    const buttons = await page.$$eval('button[data-cause]', (all) =>
      all.map((b) => b.getAttribute('data-cause')!),
    );
    expect(buttons).toHaveLength(report.rootCauses.length);
    for (const k of buttons) {
      // Prepare
      const cause = report.rootCauses[Number(k)]!;
      const expected = report.results.filter(
        (r) =>
          cause.ruleIds.includes(r.ruleId) && cause.resourceIds.includes(r.resourceId) && belongs(cause, r),
      );
      // Act
      await page.click(`button[data-cause="${k}"]`);
      // Assess
      expect(await count(), cause.key).toBe(`${expected.length} of ${report.results.length} results`);
      const ids = await column('#results-body', 1);
      expect(ids).toHaveLength(Math.min(50, expected.length));
      if (cause.ruleIds.length === 1) expect(expected).toHaveLength(cause.resourceIds.length);
      if (expected.length <= 50) expect(new Set(ids)).toEqual(new Set(cause.resourceIds));
      expect(await page.textContent('#cause-filter')).toContain(cause.label);
    }
    // Clearing the cause shows every row again.
    await page.click('#cause-clear');
    expect(await count()).toBe(`${report.results.length} of ${report.results.length} results`);
  });

  it('prints a cover page, the controls, the root causes and then every row, without the screen controls', async () => {
    // Act
    await page.emulateMedia({ media: 'print' });
    // Assess
    const layout = await page.evaluate<{ order: number[]; hidden: string[]; cover: string }>(`(() => {
      const top = (sel) => document.querySelector(sel).getBoundingClientRect().top;
      const shown = (sel) =>
        [...document.querySelectorAll(sel)].some((e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0);
      return {
        order: [top('#cover'), top('#controls'), top('#root-causes'), top('#print-table')],
        hidden: ['nav', '#filters', '#pager', '#chain', '#results-table', 'button'].filter((s) => shown(s)),
        cover: document.querySelector('#cover').textContent.replace(/\\s+/g, ' '),
      };
    })()`);
    expect(layout.order).toEqual([...layout.order].sort((a, b) => a - b));
    expect(layout.hidden).toEqual([]);
    expect(layout.cover).toContain(`Input hash ${report.provenance.inputHash}`);
    expect(layout.cover).toContain(`Policy ${report.provenance.policy}`);
    expect(layout.cover).toContain(report.provenance.evaluatedAt);
    expect(layout.cover).toContain('111122223333');
    expect(await page.locator('#print-body tr').count()).toBe(report.results.length);
    await page.screenshot({ path: join(OUT_DIR, 'review-print.png') });
    await page.emulateMedia({ media: 'screen' });
  });

  it('made no request beyond file: and data:, and logged no console errors', async () => {
    await page.screenshot({ path: join(OUT_DIR, 'review.png'), fullPage: true });
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

/** Whether a result is one the cause groups (its kind's status, and the shared resource when it names one). */
function belongs(cause: Report['rootCauses'][number], r: Report['results'][number]): boolean {
  const status =
    cause.kind === 'error'
      ? 'ERROR'
      : cause.kind === 'note'
        ? 'COMPLIANT'
        : cause.kind === 'unverified'
          ? 'NOT_APPLICABLE'
          : 'NON_COMPLIANT';
  if (r.status !== status) return false;
  if (cause.kind === 'error') return (r.reason ?? r.error?.code) === cause.reason;
  return (
    (r.reason ?? '') === cause.reason &&
    (cause.causeResourceId === undefined || r.cause?.resourceId === cause.causeResourceId)
  );
}
