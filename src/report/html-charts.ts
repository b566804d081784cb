// The HTML report's inline SVG charts (compliance by rule, by scope; root causes by count) and their colours.
// Labels are never cut: a long label wraps onto more lines (at spaces, never inside an id) and the label column is
// as wide as its widest line; the SVG scales down to its box rather than overflow it.

import type { Severity } from '../engine/types.js';
import { REPORT_STATUSES, type ReportStatus, type RootCause } from './build-report.js';
import { html, type SafeHtml } from './escape-html.js';
import { STATUS_LABELS } from './status-labels.js';
import { wrapLine } from './wrap-text.js';

export const STATUS_COLOURS: Record<ReportStatus, string> = {
  NON_COMPLIANT: '#c62828',
  ERROR: '#6a1b9a',
  WAIVED: '#b7791f',
  COMPLIANT: '#2e7d32',
  NOT_APPLICABLE: '#9e9e9e',
};
export const SEVERITY_COLOURS: Record<Severity, string> = { critical: '#8e0000', high: '#c62828', medium: '#e65100', low: '#0277bd', info: '#607d8b' };

const FONT = 12;
const LINE = 14;
/** Characters per label line before it wraps. */
const LABEL_CHARS = 44;

/**
 * A generous width for a line of 12px sans-serif text: wider than any common face draws it (DejaVu Sans, the
 * widest of them, averages ~0.6em), so the label column never cuts a label.
 */
function textWidth(text: string): number {
  let w = 0;
  for (const c of text) w += /[A-Z0-9@%#&MWmw]/.test(c) ? 0.8 * FONT : /[il.,:;'|!() ]/.test(c) ? 0.4 * FONT : 0.65 * FONT;
  return Math.ceil(w);
}

interface Row {
  lines: string[];
  y: number;
  height: number;
}

/** Each label's lines and the rows' positions; the label column's width. */
function layout(labels: readonly string[]): { rows: Row[]; labelW: number; height: number } {
  let y = 4;
  const rows = labels.map((label) => {
    const lines = wrapLine(label, LABEL_CHARS, 0);
    const height = Math.max(22, lines.length * LINE + 8);
    const row = { lines, y, height };
    y += height;
    return row;
  });
  const labelW = 12 + Math.max(60, ...rows.flatMap((r) => r.lines.map(textWidth)));
  return { rows, labelW, height: y + 4 };
}

/** A label right-aligned before the bar, one tspan per line, centred on the bar. */
function label(row: Row, x: number): SafeHtml {
  const first = row.y + row.height / 2 - ((row.lines.length - 1) * LINE) / 2 + 4;
  return html`<text x="${x}" y="${first.toFixed(1)}" text-anchor="end" font-size="${FONT}">${row.lines.map((line, i) => html`<tspan x="${x}" dy="${i === 0 ? 0 : LINE}">${line}</tspan>`)}</text>`;
}

const svg = (title: string, width: number, height: number, body: SafeHtml[]): SafeHtml =>
  html`<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${title}</title>${body}</svg>`;

/** A horizontal stacked bar per row, one segment per status; text is escaped, hover shows counts. */
export function stackedBars(title: string, rows: { label: string; counts: Record<ReportStatus, number> }[]): SafeHtml {
  const barW = 560;
  const { rows: placed, labelW, height } = layout(rows.map((r) => r.label));
  const bars = rows.map((row, i) => {
    const at = placed[i]!;
    const total = REPORT_STATUSES.reduce((sum, s) => sum + row.counts[s], 0) || 1;
    let x = labelW;
    const y = at.y + (at.height - 16) / 2;
    const segments = REPORT_STATUSES.filter((s) => row.counts[s] > 0).map((s) => {
      const w = (row.counts[s] / total) * barW;
      const rect = html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${STATUS_COLOURS[s]}"><title>${row.label}: ${row.counts[s]} ${STATUS_LABELS[s]}</title></rect>`;
      x += w;
      return rect;
    });
    return html`${label(at, labelW - 6)}${segments}`;
  });
  return html`<figure class="chart"><figcaption>${title}</figcaption>${svg(title, labelW + barW + 10, height, bars)}</figure>`;
}

/** Root causes by affected count, coloured by severity (15 largest). */
export function causeBars(causes: readonly RootCause[]): SafeHtml {
  const top = causes.slice(0, 15);
  const barW = 460;
  const labels = top.map((c) => `${c.label}${c.causeResourceId ? ` (${c.causeResourceId})` : ''}`);
  const { rows, labelW, height } = layout(labels);
  const max = Math.max(1, ...top.map((c) => c.resourceIds.length));
  const bars = top.map((c, i) => {
    const at = rows[i]!;
    const y = at.y + (at.height - 16) / 2;
    const w = Math.max(2, (c.resourceIds.length / max) * (barW - 60));
    return html`${label(at, labelW - 6)}<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${SEVERITY_COLOURS[c.severity]}"><title>${labels[i]}: ${c.resourceIds.length}</title></rect><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}" font-size="${FONT}">${c.resourceIds.length}</text>`;
  });
  const title = 'Root causes by affected resources';
  return html`<figure class="chart" id="cause-chart"><figcaption>${title}</figcaption>${svg(title, labelW + barW, height, bars)}</figure>`;
}
