// The terminal report: root causes first ("no instance profile — 200 instances"), then findings and errors.
// Colours only when asked (the CLI enables them on a TTY without NO_COLOR); AWS-provided text is neutralised once,
// on the way in (see neutralise-controls.ts), so nothing a tag holds reaches the terminal raw.

import { neutraliseDeep } from '../neutralise-controls.js';
import type { Report, RootCause } from './build-report.js';
import { cleanVerdict } from './clean-verdict.js';
import { formatWaiverScope } from './format-waiver-scope.js';
import { readinessHeadline, unevaluatedCount } from './readiness-headline.js';
import { controlLines } from './text-controls.js';
import { GLUE, type ReportLine, wrapLines } from './wrap-text.js';

export interface TextOptions {
  color: boolean;
  /** How many affected resources to list per cause. */
  examples?: number;
  /**
   * Columns to wrap to (the CLI: the terminal's width, 80 when not a terminal); 0 or absent: no wrapping. Lines
   * break at spaces only, so ids, ARNs and commands stay whole; commands are never wrapped (they are copied).
   */
  width?: number;
}

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

/** The parts of the report the text output prints; everything else (results, chains) it never reads. */
type TextView = Pick<Report, 'summary' | 'provenance' | 'rootCauses' | 'waivers' | 'controls' | 'locations'>;

export function renderText(input: TextView, options: TextOptions): string {
  return `${wrapLines(textLines(input, options), options.width ?? 0).join('\n')}\n`;
}

/** The first lines of the text report: who was scanned, the counts, and the readiness headline (`--quiet`). */
export function summaryLines(input: Pick<Report, 'summary' | 'provenance'>, options: TextOptions): string {
  const lines = textLines({ ...input, rootCauses: [], waivers: [] }, options).slice(0, 3);
  return `${wrapLines(lines, options.width ?? 0).join('\n')}\n`;
}

function textLines(input: TextView, options: TextOptions): ReportLine[] {
  // The output boundary: every string printed below comes out of this neutralised view.
  const report: TextView = neutraliseDeep({
    summary: input.summary,
    provenance: input.provenance,
    rootCauses: input.rootCauses,
    waivers: input.waivers,
    ...(input.controls ? { controls: input.controls } : {}),
    ...(input.locations ? { locations: input.locations } : {}),
  });
  // A template's or plan's resources are named where they are declared: "i-0ab… (WebGroup[0], stack.yaml:42)".
  const named = (id: string): string => {
    const at = report.locations?.[id];
    return at === undefined ? id : `${id} (${at.address}, ${at.file}:${at.line})`;
  };
  const paint = (code: string, s: string): string => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const max = options.examples ?? 5;
  const lines: ReportLine[] = [];
  const { summary, provenance } = report;
  const src = provenance.source;
  const scope = [
    src.accounts.length
      ? `account${src.accounts.length > 1 ? 's' : ''} ${src.accounts.join(', ')}`
      : undefined,
    src.regions.length ? src.regions.join(', ') : undefined,
  ].filter(Boolean);
  lines.push(
    paint('1', `ssmguard — Systems Manager readiness of ${summary.instances} EC2 instances`) +
      (scope.length ? ` (${scope.join(', ')})` : ''),
  );
  lines.push(
    `${summary.rules} rules, ${summary.evaluations} evaluations: ${summary.byStatus.COMPLIANT} compliant, ` +
      `${summary.byStatus.NON_COMPLIANT} non-compliant, ${summary.byStatus.NOT_APPLICABLE} not applicable, ${summary.byStatus.ERROR} errors` +
      (summary.byStatus.WAIVED > 0 ? `, ${summary.byStatus.WAIVED} waived` : ''),
  );
  lines.push(readinessHeadline(summary));

  const section = (title: string, causes: RootCause[]): void => {
    if (causes.length === 0) return;
    lines.push('', paint('1', title));
    // Numbers right-aligned, and every line of an item (and its continuations) under the item's text.
    const digits = String(causes.length).length;
    const indent = ' '.repeat(2 + digits + 2);
    causes.forEach((c, i) => {
      const n = c.resourceIds.length;
      // A note or an unverifiable path is not a finding: it carries no severity badge of its rule.
      const sev =
        c.kind === 'note'
          ? paint('2', 'NOTE')
          : c.kind === 'unverified'
            ? paint('2', 'UNVERIFIED')
            : paint(SEVERITY_COLOURS[c.severity] ?? '0', c.severity.toUpperCase());
      const on = c.causeResourceId ? ` on ${named(c.causeResourceId)}` : '';
      const number = `${String(i + 1).padStart(digits)}.`;
      lines.push({
        text: `  ${number} [${sev}] ${c.label}${on} —${GLUE}${paint('1', `${n}${GLUE}${nounOf(c, n)}`)}`,
        hang: indent.length,
      });
      lines.push(`${indent}${c.reason} · ${c.ruleIds.length > 1 ? 'rules' : 'rule'} ${c.ruleIds.join(', ')}`);
      const shown = c.resourceIds.slice(0, max).map(named).join(', ');
      lines.push(`${indent}${shown}${n > max ? ` (+${n - max} more)` : ''}`);
      if (c.example) lines.push({ text: `${indent}e.g. ${c.example}`, hang: indent.length + 5 });
      if (c.remediation) {
        lines.push({ text: `${indent}Fix: ${c.remediation.text}`, hang: indent.length + 5 });
        const command = c.remediation.command;
        if (command) {
          if (n > 1) lines.push(`${indent}  ${paint('2', '# for each affected resource:')}`);
          lines.push({ text: `${indent}  ${paint('2', '$')} ${command}`, verbatim: true });
        }
      }
    });
  };
  section(
    'Root causes — why instances cannot be managed by Systems Manager',
    report.rootCauses.filter((c) => c.kind === 'readiness'),
  );
  section(
    'Patching — why managed instances are not patched',
    report.rootCauses.filter((c) => c.kind === 'patching'),
  );
  section(
    'Other findings',
    report.rootCauses.filter((c) => c.kind === 'finding'),
  );
  section(
    `Could not evaluate: ${unevaluatedCount(summary)} (missing or unreadable data — never counted as compliant)`,
    report.rootCauses.filter((c) => c.kind === 'error'),
  );
  section(
    'Cannot be verified from this account (neither a pass nor a failure)',
    report.rootCauses.filter((c) => c.kind === 'unverified'),
  );
  section(
    'Notes — compliant, but worth a look',
    report.rootCauses.filter((c) => c.kind === 'note'),
  );
  if (report.rootCauses.length === 0)
    lines.push('', paint(report.summary.instances > 0 ? '32' : '33', cleanVerdict(report)));
  if (report.controls && report.controls.length > 0) lines.push(...controlLines(report.controls, max, paint));
  if (report.waivers.length > 0) {
    lines.push('', paint('1', 'Waivers'));
    for (const w of report.waivers) {
      const n = `${w.results} result${w.results === 1 ? '' : 's'}`;
      const what =
        w.state === 'applied'
          ? `waives ${n}`
          : w.state === 'expired'
            ? `EXPIRED ${w.expires}, no longer applies (would waive ${n})`
            : 'UNUSED: matches no failing result';
      lines.push({ text: `  ${w.id} (${w.ruleId}, ${formatWaiverScope(w.scope)}): ${what}`, hang: 5 });
      lines.push(
        `     ${w.reason} · owner ${w.owner} · expires ${w.expires}${w.ticket ? ` · ${w.ticket}` : ''}`,
      );
    }
  }
  return lines;
}

function nounOf(c: RootCause, n: number): string {
  if (c.resourceType === 'AWS::EC2::Instance') return n === 1 ? 'instance' : 'instances';
  return n === 1 ? 'resource' : 'resources';
}
