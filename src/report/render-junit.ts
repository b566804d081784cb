// The JUnit XML report for CI dashboards: a testsuite per rule, a testcase per resource; NON_COMPLIANT is a
// failure, ERROR an error, NOT_APPLICABLE and WAIVED are skipped.

import { neutraliseControls } from '../neutralise-controls.js';
import type { Report, ReportResult } from './build-report.js';
import { controlLabel, controlsAgainst, type ControlRef } from './control-summary.js';
import { joinChunks } from './write-chunks.js';

/* eslint-disable no-control-regex -- XML 1.0 forbids these characters outright */
/**
 * Escapes text for XML 1.0 content and attribute values. Control characters and bidi overrides become visible
 * `\u001b`-style escapes first (CI dashboards show these to people), line feeds kept (a failure body is several
 * lines) as character references; lone surrogates, which XML 1.0 forbids, become U+FFFD.
 */
export function escapeXml(value: string): string {
  return (
    neutraliseControls(value, true)
      .replace(
        /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
        '\ufffd',
      )
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Literal newlines and tabs in attributes are normalised away by XML parsers; keep them as references.
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(/\t/g, '&#9;')
  );
}
/* eslint-enable no-control-regex */

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');

function testcase(
  r: ReportResult,
  waiverReason: (id: string) => string,
  controls: readonly ControlRef[] | undefined,
): string {
  const open = `    <testcase${attrs({ classname: r.ruleId, name: `${r.accountId}/${r.region}/${r.resourceId}` })}`;
  const message = r.message ?? '';
  switch (r.status) {
    case 'COMPLIANT':
      return `${open}/>`;
    case 'NON_COMPLIANT': {
      const detail = [
        message,
        r.remediation ? `Fix: ${r.remediation.text}` : '',
        r.remediation?.command ? `$ ${r.remediation.command}` : '',
        controls ? `Controls: ${controlsAgainst(r, controls).map(controlLabel).join(', ') || 'none'}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      return `${open}>\n      <failure${attrs({ message, type: r.reason ?? 'NON_COMPLIANT' })}>${escapeXml(detail)}</failure>\n    </testcase>`;
    }
    case 'ERROR': {
      const text = r.error?.message ?? message;
      return `${open}>\n      <error${attrs({ message: text, type: r.error?.code ?? 'ERROR' })}>${escapeXml(r.error?.permission ? `${text}\nNeeds ${r.error.permission}` : text)}</error>\n    </testcase>`;
    }
    case 'NOT_APPLICABLE':
      return `${open}>\n      <skipped${attrs({ message: message || 'not applicable' })}/>\n    </testcase>`;
    case 'WAIVED':
      return `${open}>\n      <skipped${attrs({ message: `waived by ${r.waiverId ?? ''}: ${waiverReason(r.waiverId ?? '')}` })}/>\n    </testcase>`;
  }
}

/** Renders the report as JUnit XML (the de-facto schema Jenkins, GitLab and most CI tools read). */
export function renderJunit(report: Report): string {
  return joinChunks(renderJunitChunks(report));
}

/** The JUnit XML report as chunks (suite heads, one per testcase, suite ends), byte for byte what `renderJunit` returns. */
export function* renderJunitChunks(report: Report): Generator<string, void, undefined> {
  const reasons = new Map(report.waivers.map((w) => [w.id, w.reason]));
  const waiverReason = (id: string): string => reasons.get(id) ?? '';
  const byRule = new Map<string, ReportResult[]>();
  for (const r of report.results) {
    let list = byRule.get(r.ruleId);
    if (!list) byRule.set(r.ruleId, (list = []));
    list.push(r);
  }
  // The root element carries the totals, so they are summed before any suite is written.
  const suites = report.rules.map((rule) => {
    const list = byRule.get(rule.ruleId) ?? [];
    const c = rule.counts;
    return {
      rule,
      list,
      counts: {
        tests: list.length,
        failures: c.NON_COMPLIANT,
        errors: c.ERROR,
        skipped: c.NOT_APPLICABLE + c.WAIVED,
      },
    };
  });
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const { counts } of suites) {
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
  }
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'ssmguard', ...total, time: 0 })}>\n`;
  for (const [i, { rule, list, counts }] of suites.entries()) {
    yield (
      `${i === 0 ? '' : '\n'}  <testsuite${attrs({ name: rule.ruleId, ...counts, time: 0, timestamp: report.provenance.evaluatedAt })}>\n` +
      `    <properties>\n      <property${attrs({ name: 'title', value: rule.title })}/>\n      <property${attrs({ name: 'severity', value: rule.severity })}/>\n      <property${attrs({ name: 'link', value: rule.link })}/>\n${rule.controls ? `      <property${attrs({ name: 'controls', value: rule.controls.map(controlLabel).join(' ') })}/>\n` : ''}    </properties>\n`
    );
    for (const r of list) yield `${testcase(r, waiverReason, rule.controls)}\n`;
    yield '  </testsuite>';
  }
  yield '\n</testsuites>\n';
}
