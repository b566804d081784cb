// The text report's control section: per framework, one line per control (status, id, title), then why, with the
// resources at fault under a failing control.

import type { ControlSummary } from './control-summary.js';
import type { ReportLine } from './wrap-text.js';

const STATUS_COLOURS: Record<ControlSummary['status'], string> = {
  fail: '1;31',
  pass: '32',
  'not evaluated': '33',
};

/** Lines for the controls (already neutralised by the caller); `max` resources are named per control. */
export function controlLines(
  controls: readonly ControlSummary[],
  max: number,
  paint: (code: string, s: string) => string,
): ReportLine[] {
  const lines: ReportLine[] = [];
  const width = Math.max(...controls.map((c) => c.controlId.length));
  const statusWidth = 'NOT EVALUATED'.length;
  const indent = ' '.repeat(2 + width + 2 + statusWidth + 2);
  let framework = '';
  for (const c of controls) {
    if (c.framework !== framework) {
      framework = c.framework;
      lines.push('', paint('1', `Controls — ${c.frameworkTitle} ${c.frameworkVersion}`));
    }
    const status = c.status.toUpperCase();
    const padded = paint(STATUS_COLOURS[c.status], status) + ' '.repeat(statusWidth - status.length);
    // A title that wraps continues under itself, beside the id and status.
    lines.push({ text: `  ${c.controlId.padEnd(width)}  ${padded}  ${c.title}`, hang: indent.length });
    const named = c.failing.length > 0 ? c.failing : c.status === 'not evaluated' ? c.unevaluated : [];
    const shown = named.slice(0, max).join(', ');
    const more = named.length > max ? ` (+${named.length - max} more)` : '';
    const waived = c.waived.length > 0 ? `; waived: ${c.waived.slice(0, max).join(', ')}` : '';
    lines.push(`${indent}${c.statusDetail}${named.length > 0 ? `: ${shown}${more}` : ''}${waived}`);
  }
  return lines;
}
