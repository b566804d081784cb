// The HTML report in a real browser: Debian's Chromium (driven by playwright-core, no browser download) opens the
// example fleet's report, with hostile tag values added, from a file:// URL. No console errors, no requests beyond
// file: and data:, filters work, and hostile values stay inert text. Leaves a screenshot in test-output/.

import { mkdir, writeFile } from 'node:fs/promises';
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
import { HOSTILE } from '../fixtures/report/fixed-report.js';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';

const OUT_DIR = join(packageRoot(), 'test-output', 'html-report');

/** The example fleet's report, with hostile Name tags on four instances and hostile text in a root cause. */
async function hostileExampleReport(): Promise<{ report: Report; hostileIds: string[] }> {
  const { inventory } = await loadInput([exampleFleetDir()]);
  const picked = inventory.instances.slice(0, 4);
  const values = [HOSTILE.script, HOSTILE.img, HOSTILE.jsUrl, HOSTILE.formula];
  picked.forEach((instance, i) => {
    instance.tags.Name = values[i]!;
    instance.tags[HOSTILE.img] = HOSTILE.script;
  });
  const ruleSet = await loadRuleSet({
    policyFile: join(packageRoot(), 'policies', 'examples', 'example-fleet-waivers.yaml'),
  });
  const { report } = await runScan(inventory, ruleSet, { format: 'json', color: false, failOn: 'none' });
  // A custom rule could template a tag into its message; put hostile text where the server renders it too.
  const cause = report.rootCauses[0]!;
  cause.example = `${HOSTILE.img} ${HOSTILE.script}`;
  cause.remediation = {
    text: `Fix ${HOSTILE.jsUrl}`,
    command: `aws ec2 create-tags --tags 'Key=Name,Value=${HOSTILE.script}'`,
  };
  return { report, hostileIds: picked.map((i) => i.instanceId) };
}

describe.skipIf(skipWithoutChromium)('HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let report: Report;
  let hostileIds: string[];
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    ({ report, hostileIds } = await hostileExampleReport());
    await mkdir(OUT_DIR, { recursive: true });
    const file = resolve(OUT_DIR, 'report.html');
    await writeFile(file, renderHtml(report));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#results-body tr');
  });

  afterAll(async () => {
    await browser?.close();
  });

  const rowCount = (): Promise<number> => page.locator('#results-body tr').count();
  const columnTexts = (column: number): Promise<string[]> =>
    page.$$eval(`#results-body tr td:nth-child(${column})`, (cells) => cells.map((c) => c.textContent ?? ''));

  it('shows every result, a page at a time', async () => {
    await expect
      .poll(() => page.textContent('#results-count'))
      .toBe(`${report.results.length} of ${report.results.length} results`);
    expect(await rowCount()).toBe(50);
  });

  it('filters by status, rule and severity', async () => {
    // Act
    await page.selectOption('#f-status', 'NON_COMPLIANT');
    // Assess
    await expect
      .poll(() => page.textContent('#results-count'))
      .toBe(`${report.summary.byStatus.NON_COMPLIANT} of ${report.results.length} results`);
    expect(new Set(await columnTexts(8))).toEqual(new Set(['non-compliant']));

    await page.selectOption('#f-rule', 'ec2-instance-no-inbound-ssm-ports');
    const inbound = report.results.filter(
      (r) => r.ruleId === 'ec2-instance-no-inbound-ssm-ports' && r.status === 'NON_COMPLIANT',
    ).length;
    await expect
      .poll(() => page.textContent('#results-count'))
      .toBe(`${inbound} of ${report.results.length} results`);
    expect(new Set(await columnTexts(6))).toEqual(new Set(['ec2-instance-no-inbound-ssm-ports']));

    await page.selectOption('#f-status', 'WAIVED');
    await expect.poll(() => rowCount()).toBe(report.summary.byStatus.WAIVED);
    expect(await columnTexts(9)).toEqual([expect.stringContaining('[waiver legacy-rdp-gateway]')]);

    await page.selectOption('#f-rule', '');
    await page.selectOption('#f-status', '');
    await page.selectOption('#f-severity', 'critical');
    const critical = report.results.filter((r) => r.severity === 'critical').length;
    await expect
      .poll(() => page.textContent('#results-count'))
      .toBe(`${critical} of ${report.results.length} results`);
    await page.selectOption('#f-severity', '');
  });

  it('finds hostile tag values by text search and shows them as plain text', async () => {
    // Prepare
    const ofFirst = report.results.filter((r) => r.resourceId === hostileIds[0]).length;
    // Act
    await page.fill('#f-text', HOSTILE.script);
    // Assess
    await expect
      .poll(() => page.textContent('#results-count'))
      .toBe(`${ofFirst} of ${report.results.length} results`);
    expect(new Set(await columnTexts(1))).toEqual(new Set([hostileIds[0]]));
    expect(new Set(await columnTexts(2))).toEqual(new Set([HOSTILE.script]));

    await page.fill('#f-text', 'onerror');
    await expect.poll(async () => new Set(await columnTexts(2))).toEqual(new Set([HOSTILE.img]));
    await page.fill('#f-text', '');
    await expect
      .poll(() => page.textContent('#results-count'))
      .toBe(`${report.results.length} of ${report.results.length} results`);
  });

  it("shows an instance's readiness chain, hostile name included, as text", async () => {
    // Act
    await page.fill('#chain-id', hostileIds[1]!);
    await page.click('#chain-go');
    // Assess
    await expect.poll(() => page.textContent('#chain-view h3')).toBe(`${hostileIds[1]} (${HOSTILE.img})`);
    const links = await page.$$eval('#chain-view tr td:first-child', (cells) =>
      cells.map((c) => c.textContent ?? ''),
    );
    expect(links.length).toBe(report.results.filter((r) => r.resourceId === hostileIds[1]).length);
    const chain = report.chains.find((c) => c.instanceId === hostileIds[1])!;
    expect(links.filter((l, i) => l !== links[i - 1])).toEqual(chain.links.map((l) => l.link));
  });

  it('renders server-side hostile text inert: no dialogs, no injected elements, no script ran', async () => {
    // Assess
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.textContent('#root-causes article p:nth-of-type(3)')).toBe(
      `e.g. ${HOSTILE.img} ${HOSTILE.script}`,
    );
    expect(await page.textContent('#rc-cmd-0')).toContain(HOSTILE.script);
    expect(dialogs).toEqual([]);
  });

  it('copies a remediation command with the copy button', async () => {
    await page.click('button[data-copy="rc-cmd-0"]');
    await expect.poll(() => page.textContent('button[data-copy="rc-cmd-0"]')).toBe('Copied');
  });

  it('made no request beyond file: and data:, and logged no console errors', async () => {
    // Prepare: a full-page screenshot for people to look at.
    await page.selectOption('#f-status', 'FAILING');
    await page.screenshot({ path: join(OUT_DIR, 'report.png'), fullPage: true });
    // Assess
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
