// The CSV export: one row per result, RFC 4180 quoting, control characters shown as `\u001b`-style escapes, and
// values that a spreadsheet would run as a formula (tag values are attacker-controlled) prefixed with an apostrophe.

import { neutraliseControls } from '../neutralise-controls.js';
import type { Report } from './build-report.js';
import { controlLabel, resultControls } from './control-summary.js';
import { joinChunks } from './write-chunks.js';

export const CSV_COLUMNS = [
  'accountId',
  'region',
  'vpcId',
  'resourceType',
  'resourceId',
  'name',
  'ruleId',
  'link',
  'severity',
  'status',
  'reason',
  'message',
  'remediationCommand',
  'waiverId',
  'waiverOwner',
  'waiverExpires',
  // Last, so readers that take columns by position keep working: the controls the result is evidence for.
  'controls',
] as const;

/**
 * Neutralises spreadsheet formula injection (CWE-1236), as the OWASP "CSV Injection" page advises: a cell that starts
 * with = + - @ tab or CR gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One cell: control characters and bidi overrides escaped (neutraliseControls, so no raw ESC, CR or LF is left),
 * formulas neutralised, then quoted per RFC 4180 when it holds a comma or quote (quotes inside doubled).
 */
export function csvField(value: string): string {
  const safe = neutraliseFormula(neutraliseControls(value));
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Renders every result as a CSV row (CRLF line ends, header first). */
export function renderCsv(report: Report): string {
  return joinChunks(renderCsvChunks(report));
}

/** The CSV export as chunks, one per row (CRLF included), byte for byte what `renderCsv` returns. */
export function* renderCsvChunks(report: Report): Generator<string, void, undefined> {
  const chains = new Map(report.chains.map((c) => [c.instanceId, c]));
  const rules = new Map(report.rules.map((r) => [r.ruleId, r]));
  const waivers = new Map(report.waivers.map((w) => [w.id, w]));
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const r of report.results) {
    const chain = r.resourceType === 'AWS::EC2::Instance' ? chains.get(r.resourceId) : undefined;
    const waiver = r.waiverId !== undefined ? waivers.get(r.waiverId) : undefined;
    const row: Record<(typeof CSV_COLUMNS)[number], string> = {
      accountId: r.accountId,
      region: r.region,
      vpcId: chain?.vpcId ?? '',
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      name: chain?.name ?? '',
      ruleId: r.ruleId,
      link: rules.get(r.ruleId)?.link ?? '',
      severity: r.severity,
      status: r.status,
      reason: r.reason ?? r.error?.code ?? '',
      message: (r.status === 'ERROR' ? (r.error?.message ?? r.message) : r.message) ?? '',
      remediationCommand:
        r.status === 'NON_COMPLIANT' || r.status === 'WAIVED' ? (r.remediation?.command ?? '') : '',
      waiverId: waiver?.id ?? '',
      waiverOwner: waiver?.owner ?? '',
      waiverExpires: waiver?.expires ?? '',
      controls: resultControls(r, rules.get(r.ruleId)?.controls).map(controlLabel).join(' '),
    };
    yield `${CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
  }
}
