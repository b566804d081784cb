// The diff of two reports as text, Markdown and JSON. Text and Markdown share one list of sections (heading and
// change lines), so both say the same; AWS-provided strings are neutralised on the way in (JSON keeps them exact).

import { escapeMarkdown } from '../render-markdown.js';
import { neutraliseDeep } from '../../neutralise-controls.js';
import type {
  InstanceChange,
  ReportDiff,
  ResourceChange,
  ResultChange,
  RootCauseChange,
} from './diff-reports.js';

/** Lines listed per section in text and Markdown; JSON lists everything. */
export const MAX_LISTED = 20;

interface Section {
  heading: string;
  /** All lines of the section (text and Markdown list the first MAX_LISTED). */
  lines: string[];
}

const where = (c: { accountId: string; region: string }): string => `${c.accountId}/${c.region}`;
const named = (c: InstanceChange): string => (c.name !== undefined ? ` (${c.name})` : '');
const brokenAt = (s: InstanceChange['before']): string =>
  s?.state === 'broken'
    ? `${s.link} (${s.ruleId})`
    : s?.state === 'waived'
      ? `${s.link} (${s.ruleId}), waived: still broken`
      : (s?.state ?? 'not in the report');

function instanceLine(c: InstanceChange, kind: 'newlyBroken' | 'fixed' | 'stillBroken'): string {
  const head = `${c.instanceId}${named(c)} ${where(c)}`;
  if (kind === 'newlyBroken')
    return `${head}: ${brokenAt(c.after)}, was ${c.before?.state ?? 'not in the report'}`;
  if (kind === 'fixed') return `${head}: was ${brokenAt(c.before)}`;
  const moved = c.before?.link !== c.after?.link ? `, was ${brokenAt(c.before)}` : '';
  return `${head}: ${brokenAt(c.after)}${moved}`;
}

function causeLine(c: RootCauseChange): string {
  const about = c.causeResourceId !== undefined ? ` on ${c.causeResourceId}` : '';
  const delta = [
    c.added.length > 0 ? `+${c.added.slice(0, 3).join(', ')}${c.added.length > 3 ? ', …' : ''}` : '',
    c.removed.length > 0 ? `-${c.removed.slice(0, 3).join(', ')}${c.removed.length > 3 ? ', …' : ''}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `[${c.severity}] ${c.label}${about} (${c.ruleId} ${c.reason}): ${c.before} → ${c.after}${delta ? ` (${delta})` : ''}`;
}

const resultLine = (r: ResultChange): string =>
  `[${r.severity}] ${r.ruleId} ${r.resourceId} ${where(r)}: ${r.before ?? 'absent'} → ${r.after ?? 'absent'}${r.reason ? ` (${r.reason})` : ''}`;
const resourceLine = (r: ResourceChange): string => `${r.resourceType} ${r.resourceId} ${where(r)}`;

/** The sections in reading order; empty sections are left out. */
export function diffSections(diff: ReportDiff): Section[] {
  const { instances: i, rootCauses: rc, results, waivers, resources } = diff;
  const sections: Section[] = [
    { heading: 'Instances newly broken', lines: i.newlyBroken.map((c) => instanceLine(c, 'newlyBroken')) },
    { heading: 'Root causes appeared', lines: rc.appeared.map(causeLine) },
    { heading: 'Root causes grew', lines: rc.grew.map(causeLine) },
    { heading: 'Results newly failing', lines: results.newlyFailing.map(resultLine) },
    {
      heading: 'Waivers expired in between',
      lines: waivers.expired.map(
        (w) =>
          `${w.id} (${w.ruleId}) expired ${w.expires}, was ${w.before}: ${w.resourceIds.length} resource(s) no longer waived${w.resourceIds.length > 0 ? ` (${w.resourceIds.slice(0, 3).join(', ')}${w.resourceIds.length > 3 ? ', …' : ''})` : ''}`,
      ),
    },
    { heading: 'Instances fixed', lines: i.fixed.map((c) => instanceLine(c, 'fixed')) },
    { heading: 'Root causes shrank', lines: rc.shrank.map(causeLine) },
    { heading: 'Root causes disappeared', lines: rc.disappeared.map(causeLine) },
    { heading: 'Results no longer failing', lines: results.noLongerFailing.map(resultLine) },
    {
      heading: 'Instances gone while broken (terminated or out of scope)',
      lines: i.goneWhileBroken.map((c) => instanceLine(c, 'fixed')),
    },
    { heading: 'Instances still broken', lines: i.stillBroken.map((c) => instanceLine(c, 'stillBroken')) },
    { heading: 'Resources added', lines: resources.added.map(resourceLine) },
    { heading: 'Resources removed', lines: resources.removed.map(resourceLine) },
  ];
  return sections.filter((s) => s.lines.length > 0);
}

function sideLine(label: string, s: ReportDiff['old']): string {
  return `${label} ${s.file}: ${s.evaluatedAt}, policy ${s.policy}, ${s.readyInstances} of ${s.instances} instances ready${s.waivedInstances ? ` (${s.waivedInstances} not ready, waived)` : ''}${s.inputHash ? `, input ${s.inputHash.slice(0, 19)}…` : ''}`;
}

function verdictLine(diff: ReportDiff, worse: boolean): string {
  const n = diff.instances;
  const counts = `${n.newlyBroken.length} newly broken, ${n.fixed.length} fixed, ${n.stillBroken.length} still broken`;
  return `${worse ? 'Worse' : 'Not worse'}: ${counts}.`;
}

/** Numbered lines, numbers right-aligned so the text starts in one column. */
function numbered(lines: readonly string[], indent: string): string[] {
  const shown = lines.slice(0, MAX_LISTED);
  const width = String(shown.length).length;
  const out = shown.map((l, k) => `${indent}${String(k + 1).padStart(width)}. ${l}`);
  if (lines.length > shown.length)
    out.push(`${indent}… and ${lines.length - shown.length} more (--format json lists all)`);
  return out;
}

export function renderDiffText(input: ReportDiff, worse: boolean): string {
  const diff = neutraliseDeep(input); // the output boundary: ids, names and labels come from AWS
  const out = [sideLine('old', diff.old), sideLine('new', diff.new), '', verdictLine(diff, worse)];
  for (const s of diffSections(diff))
    out.push('', `${s.heading} (${s.lines.length}):`, ...numbered(s.lines, '  '));
  if (diff.old.policy !== diff.new.policy)
    out.push(
      '',
      'The reports were evaluated under different policies: some changes may come from the policy.',
    );
  return `${out.join('\n')}\n`;
}

export function renderDiffMarkdown(input: ReportDiff, worse: boolean): string {
  const diff = neutraliseDeep(input); // the output boundary: ids, names and labels come from AWS
  const out = [
    '# ssmguard diff',
    '',
    `- ${escapeMarkdown(sideLine('Old', diff.old))}`,
    `- ${escapeMarkdown(sideLine('New', diff.new))}`,
    '',
    `**${verdictLine(diff, worse)}**`,
  ];
  for (const s of diffSections(diff)) {
    out.push('', `## ${s.heading} (${s.lines.length})`, '');
    const shown = s.lines.slice(0, MAX_LISTED);
    shown.forEach((l, k) => out.push(`${k + 1}. ${escapeMarkdown(l)}`));
    if (s.lines.length > shown.length)
      out.push('', `… and ${s.lines.length - shown.length} more (the JSON diff lists all).`);
  }
  return `${out.join('\n')}\n`;
}

export const DIFF_SCHEMA_VERSION = 1;
/** The published contract of the JSON diff (`schemas/diff.schema.json`). */
export const DIFF_SCHEMA_ID = 'https://ssmguard.dev/schemas/diff.schema.json';

export function renderDiffJson(diff: ReportDiff, worse: boolean): string {
  const document = { $schema: DIFF_SCHEMA_ID, schemaVersion: DIFF_SCHEMA_VERSION, worse, ...diff };
  return `${JSON.stringify(document, null, 2)}\n`;
}
