// The Markdown report for pull requests, tickets and wikis: summary, root causes with fixes, rules, scopes,
// waivers and provenance. AWS-derived text is escaped so it renders as text, never as markup or HTML.

import { REPORT_STATUSES, type Report, type RootCause, type ScopeSummary } from './build-report.js';
import { cleanVerdict } from './clean-verdict.js';
import type { ControlSummary } from './control-summary.js';
import { neutraliseControls } from '../neutralise-controls.js';
import { formatWaiverScope } from './format-waiver-scope.js';
import { unevaluatedCount } from './readiness-headline.js';
import { STATUS_LABELS } from './status-labels.js';
import { joinChunks } from './write-chunks.js';

export interface MarkdownOptions {
  /** Affected resources listed per root cause. */
  maxListed?: number;
}

/**
 * Escapes text for Markdown inline content and table cells (never the start of a line): emphasis, code, link,
 * heading and table punctuation gets a backslash; `<`, `>` and `&` become entities (Markdown passes raw HTML
 * through); control characters, line breaks and bidi overrides become visible `\u001b`-style escapes first
 * (neutraliseControls), so a cell stays one row and nothing reaches the reader's terminal or editor raw.
 */
export function escapeMarkdown(value: string): string {
  return neutraliseControls(value)
    .replace(/[\\`*_[\]#!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A fenced code block whose fence is longer than any backtick run inside, so content cannot close it. */
export function codeBlock(text: string, info = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${neutraliseControls(text, true)}\n${fence}`;
}

const e = escapeMarkdown;
const statusHeader = REPORT_STATUSES.map((s) => STATUS_LABELS[s]);

function causes(title: string, list: readonly RootCause[], maxListed: number): string[] {
  if (list.length === 0) return [];
  const out = ['', `## ${title}`];
  list.forEach((c, i) => {
    const n = c.resourceIds.length;
    out.push(
      '',
      `### ${i + 1}\\. ${e(c.label)}${c.causeResourceId ? ` on ${e(c.causeResourceId)}` : ''} — ${n} ${n === 1 ? 'resource' : 'resources'}`,
      '',
      `**${c.kind === 'note' ? 'NOTE' : c.kind === 'unverified' ? 'UNVERIFIED' : c.severity.toUpperCase()}** · ${e(c.reason)} · ${c.ruleIds.length > 1 ? 'rules' : 'rule'} ${c.ruleIds.map(e).join(', ')}`,
      '',
      `Affected: ${c.resourceIds.slice(0, maxListed).map(e).join(', ')}${n > maxListed ? ` (+${n - maxListed} more)` : ''}`,
    );
    if (c.example) out.push('', `Example: ${e(c.example)}`);
    if (c.remediation) {
      out.push('', `**Fix:** ${e(c.remediation.text)}`);
      if (c.remediation.command)
        out.push(
          '',
          codeBlock(c.remediation.command, 'sh'),
          ...(n > 1 ? ['', '_Shown for the first affected resource; repeat for each._'] : []),
        );
    }
  });
  return out;
}

/** The control summary: per framework a table (status, control, title, why with the resources, rules and why). */
function* controlTables(
  controls: readonly ControlSummary[],
  maxListed: number,
): Generator<string[], void, undefined> {
  yield ['', '## Controls'];
  let framework = '';
  for (const c of controls) {
    if (c.framework !== framework) {
      framework = c.framework;
      yield [
        '',
        `### ${e(c.frameworkTitle)} ${e(c.frameworkVersion)}`,
        '',
        '| Control | Status | Title | Why | Evidence |',
        '|---|---|---|---|---|',
      ];
    }
    const named = c.failing.length > 0 ? c.failing : c.status === 'not evaluated' ? c.unevaluated : [];
    const listed =
      named.length > 0
        ? `: ${named.slice(0, maxListed).map(e).join(', ')}${named.length > maxListed ? ` (+${named.length - maxListed} more)` : ''}`
        : '';
    const waived = c.waived.length > 0 ? `; waived: ${c.waived.slice(0, maxListed).map(e).join(', ')}` : '';
    const evidence =
      c.rules
        .map((r) => `${e(r.ruleId)}${r.evidence === 'failures' ? ' (failures only)' : ''}: ${e(r.rationale)}`)
        .join('<br>') || 'none';
    yield [
      `| ${e(c.controlId)} | **${c.status.toUpperCase()}** | ${e(c.title)} | ${e(c.statusDetail)}${listed}${waived} | ${evidence} |`,
    ];
  }
}

/** A scope table: its heading, then a row at a time (a fleet can have thousands of VPCs). */
function* scopeTable(
  title: string,
  rows: readonly ScopeSummary[],
  label: (s: ScopeSummary) => string,
): Generator<string[], void, undefined> {
  if (rows.length === 0) return;
  yield [
    '',
    `### ${title}`,
    '',
    `| Scope | Instances | Ready | ${statusHeader.join(' | ')} |`,
    `|---|---:|---:|${statusHeader.map(() => '---:').join('|')}|`,
  ];
  for (const s of rows)
    yield [
      `| ${e(label(s))} | ${s.instances} | ${s.readyInstances} | ${REPORT_STATUSES.map((st) => s.counts[st]).join(' | ')} |`,
    ];
}

/** Renders the report as GitHub-flavoured Markdown. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  return joinChunks(renderMarkdownChunks(report, options));
}

/** The Markdown report as chunks, one per section (table rows one each), byte for byte what `renderMarkdown` returns. */
export function* renderMarkdownChunks(
  report: Report,
  options: MarkdownOptions = {},
): Generator<string, void, undefined> {
  for (const lines of markdownSections(report, options.maxListed ?? 20))
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/** The report's lines, a section (or table row) at a time. */
function* markdownSections(report: Report, maxListed: number): Generator<string[], void, undefined> {
  const { summary, provenance } = report;
  const src = provenance.source;
  yield [
    '# Systems Manager readiness report',
    '',
    `${summary.instances} EC2 instances in ${src.accounts.map(e).join(', ') || 'unknown accounts'} (${src.regions.map(e).join(', ') || 'unknown regions'}), evaluated ${e(provenance.evaluatedAt)} with policy ${e(provenance.policy)}.`,
    '',
    '| Figure | Count |',
    '|---|---:|',
    `| Instances with an unbroken readiness chain | ${summary.readyInstances} of ${summary.instances} |`,
    `| Instances not ready (waived: a waived link is still broken) | ${summary.waivedInstances} |`,
    `| Resources that could not be evaluated | ${summary.unevaluated.resources} |`,
    `| Rules | ${summary.rules} |`,
    `| Evaluations | ${summary.evaluations} |`,
    ...REPORT_STATUSES.map((s, i) => `| ${statusHeader[i]} | ${summary.byStatus[s]} |`),
    ...(['critical', 'high', 'medium', 'low', 'info'] as const).map(
      (s) => `| non-compliant, ${s} | ${summary.findingsBySeverity[s]} |`,
    ),
  ];
  yield causes(
    'Root causes — why instances cannot be managed by Systems Manager',
    report.rootCauses.filter((c) => c.kind === 'readiness'),
    maxListed,
  );
  yield causes(
    'Patching — why managed instances are not patched',
    report.rootCauses.filter((c) => c.kind === 'patching'),
    maxListed,
  );
  yield causes(
    'Other findings',
    report.rootCauses.filter((c) => c.kind === 'finding'),
    maxListed,
  );
  yield causes(
    `Could not evaluate: ${unevaluatedCount(summary)} (never counted as compliant)`,
    report.rootCauses.filter((c) => c.kind === 'error'),
    maxListed,
  );
  yield causes(
    'Cannot be verified from this account (neither a pass nor a failure)',
    report.rootCauses.filter((c) => c.kind === 'unverified'),
    maxListed,
  );
  yield causes(
    'Notes — compliant, but worth a look',
    report.rootCauses.filter((c) => c.kind === 'note'),
    maxListed,
  );
  if (report.rootCauses.length === 0) yield ['', cleanVerdict(report)];
  if (report.controls && report.controls.length > 0) yield* controlTables(report.controls, maxListed);

  yield [
    '',
    '## Rules',
    '',
    `| Rule | Link | Severity | ${statusHeader.join(' | ')} |`,
    `|---|---|---|${statusHeader.map(() => '---:').join('|')}|`,
  ];
  for (const r of report.rules)
    yield [
      `| ${e(r.ruleId)}: ${e(r.title)} | ${e(r.link)} | ${r.severity} | ${REPORT_STATUSES.map((s) => r.counts[s]).join(' | ')} |`,
    ];

  yield ['', '## By account, region and VPC'];
  yield* scopeTable('Accounts', report.scopes.accounts, (s) => s.accountId);
  yield* scopeTable('Regions', report.scopes.regions, (s) => `${s.accountId} / ${s.region ?? ''}`);
  yield* scopeTable(
    'VPCs',
    report.scopes.vpcs,
    (s) => `${s.accountId} / ${s.region ?? ''} / ${s.vpcId ?? ''}`,
  );

  yield ['', '## Waivers', ''];
  if (report.waivers.length === 0) yield ['No waivers in the policy.'];
  else {
    yield [
      '| Waiver | State | Rule | Scope | Reason | Owner | Expires | Ticket | Results |',
      '|---|---|---|---|---|---|---|---|---:|',
    ];
    for (const w of report.waivers) {
      yield [
        `| ${e(w.id)} | ${w.state} | ${e(w.ruleId)} | ${e(formatWaiverScope(w.scope))} | ${e(w.reason)} | ${e(w.owner)} | ${e(w.expires)} | ${e(w.ticket ?? '')} | ${w.results} |`,
      ];
    }
  }

  yield [
    '',
    '## Provenance',
    '',
    `- Source: ${e(src.kind)}; read ${src.inputs.map(e).join(', ') || 'nothing'}`,
    `- Collected: ${e(src.collectedAt ?? 'unknown')}; evaluated at ${e(provenance.evaluatedAt)}`,
    `- Accounts: ${src.accounts.map(e).join(', ')}; regions: ${src.regions.map(e).join(', ')}`,
    `- Input hash: ${e(provenance.inputHash ?? 'not computed')}`,
    `- Policy: ${e(provenance.policy)}${provenance.policyFile ? ` (${e(provenance.policyFile)})` : ''}`,
    `- Rules: ${provenance.rules.map((r) => `${e(r.id)} (${r.severity})`).join(', ')}`,
    `- Tool: ssmguard ${e(provenance.toolVersion)}`,
  ];
}
