// The per-instance explanation behind `ssmguard explain`: the readiness chain link by link, from one instance's
// evaluations and the rules' `link`s, with the first broken link and its fix. Pure: no I/O, no clock.

import type { Evaluation, EvaluationStatus, Evidence, Remediation } from '../engine/types.js';
import { CHAIN_ORDER, INDEPENDENT_LINKS } from './build-report.js';
import { safeText } from './render-text.js';
import { compareText } from '../compare-text.js';

/** The links shown, in order: the readiness chain, then the findings that stand on their own. */
export const EXPLAIN_LINKS: readonly string[] = [...CHAIN_ORDER, ...INDEPENDENT_LINKS];

export type LinkVerdict = 'ok' | 'broken' | 'unverified' | 'n/a' | 'error' | 'not evaluated';

/** What explain needs to know about a rule. */
export interface ExplainRule {
  id: string;
  link: string;
  title: string;
}

export interface LinkRuleResult {
  ruleId: string;
  status: EvaluationStatus;
  reason?: string;
  message: string;
  evidence: Evidence[];
  remediation?: Remediation;
}

export interface ExplainedLink {
  link: string;
  verdict: LinkVerdict;
  /** True for the readiness link that breaks first: fix it before anything after it. */
  firstBroken: boolean;
  /** Independent links (exposure, patching) are findings, not causes of a lost connection. */
  independent: boolean;
  results: LinkRuleResult[];
}

export interface InstanceExplanation {
  instanceId: string;
  accountId?: string;
  region?: string;
  links: ExplainedLink[];
  /** The first broken readiness link, with the rule and fix that say why. */
  firstBroken?: { link: string; ruleId: string; reason?: string; message: string; remediation?: Remediation };
  /** True when no readiness link is broken (links not evaluated or unverified are not breaks). */
  ready: boolean;
}

export interface ExplainInput {
  instanceId: string;
  /** Evaluations of this instance (others are ignored). */
  evaluations: readonly Evaluation[];
  rules: readonly ExplainRule[];
  /** The instance's state from the inventory: the "state" link when no rule checks it. */
  instanceState?: string;
}

/** Prefix of the network rule's "cannot be verified" NOT_APPLICABLE message. */
const UNVERIFIED_PREFIX = 'Cannot be verified';

function verdictOf(results: readonly LinkRuleResult[]): LinkVerdict {
  if (results.length === 0) return 'not evaluated';
  if (results.some((r) => r.status === 'NON_COMPLIANT')) return 'broken';
  if (results.some((r) => r.status === 'ERROR')) return 'error';
  if (results.some((r) => r.status === 'NOT_APPLICABLE' && r.message.startsWith(UNVERIFIED_PREFIX)))
    return 'unverified';
  if (results.every((r) => r.status === 'NOT_APPLICABLE')) return 'n/a';
  return 'ok';
}

/**
 * Explains one instance. Links come from the rules' `link` field, so rules added later (e.g. IAM permissions)
 * appear without changes here; a link no rule checks says "not evaluated".
 */
export function explainInstance(input: ExplainInput): InstanceExplanation {
  const linkOf = new Map(input.rules.map((r) => [r.id, r.link]));
  const titleOf = new Map(input.rules.map((r) => [r.id, r.title]));
  const mine = input.evaluations.filter((e) => e.resourceId === input.instanceId);
  const byLink = new Map<string, LinkRuleResult[]>();
  for (const e of [...mine].sort((a, b) => compareText(a.ruleId, b.ruleId))) {
    const link = linkOf.get(e.ruleId) ?? 'outcome';
    const list = byLink.get(link) ?? [];
    list.push({
      ruleId: e.ruleId,
      status: e.status,
      reason: e.reason,
      // Rules without a passMessage say nothing when compliant: their title states what compliant looks like.
      message: e.message ?? e.error?.message ?? titleOf.get(e.ruleId) ?? e.status,
      evidence: e.evidence,
      remediation: e.remediation,
    });
    byLink.set(link, list);
  }
  const extra = [...byLink.keys()].filter((l) => !EXPLAIN_LINKS.includes(l)).sort();
  let firstBroken: InstanceExplanation['firstBroken'];
  const links: ExplainedLink[] = [...EXPLAIN_LINKS, ...extra].map((link) => {
    let results = byLink.get(link) ?? [];
    if (link === 'state' && results.length === 0 && input.instanceState !== undefined) {
      // No rule checks the state on its own; the inventory still knows it.
      const running = input.instanceState === 'running';
      results = [
        {
          ruleId: 'inventory',
          status: running ? 'COMPLIANT' : 'NOT_APPLICABLE',
          message: `instance is ${input.instanceState}${running ? '' : ': only running instances are Online in SSM'}`,
          evidence: [],
        },
      ];
    }
    const independent = (INDEPENDENT_LINKS as readonly string[]).includes(link);
    const verdict = verdictOf(results);
    const isFirst = !independent && verdict === 'broken' && firstBroken === undefined;
    if (isFirst) {
      const r = results.find((x) => x.status === 'NON_COMPLIANT')!;
      firstBroken = {
        link,
        ruleId: r.ruleId,
        reason: r.reason,
        message: r.message,
        remediation: r.remediation,
      };
    }
    return { link, verdict, firstBroken: isFirst, independent, results };
  });
  return {
    instanceId: input.instanceId,
    accountId: mine[0]?.accountId,
    region: mine[0]?.region,
    links,
    firstBroken,
    ready: firstBroken === undefined,
  };
}

export interface ExplainTextOptions {
  color: boolean;
  /** Evidence lines shown per rule. */
  maxEvidence?: number;
}

const VERDICT_COLOURS: Record<LinkVerdict, string> = {
  ok: '32',
  broken: '1;31',
  unverified: '33',
  'n/a': '2',
  error: '35',
  'not evaluated': '2',
};

function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function describeEvidence(e: Evidence): string {
  const parts = [
    e.resourceId,
    e.path,
    e.actual === undefined
      ? undefined
      : clip(typeof e.actual === 'string' ? e.actual : (JSON.stringify(e.actual) ?? String(e.actual))),
    e.expected === undefined ? undefined : `(expected ${e.expected})`,
    e.note === undefined ? undefined : `[${e.note}]`,
  ].filter((p): p is string => p !== undefined && p !== '');
  return parts.join(' ');
}

/** The terminal rendering: one line per link, evidence under it, the first broken link marked, then its fix. */
export function renderExplanation(x: InstanceExplanation, options: ExplainTextOptions): string {
  const paint = (code: string, s: string): string => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const maxEvidence = options.maxEvidence ?? 6;
  const width = Math.max(...x.links.map((l) => l.link.length));
  const lines: string[] = [];
  const where = [x.accountId, x.region].filter(Boolean).join(', ');
  lines.push(
    paint('1', `ssmguard explain ${safeText(x.instanceId)}`) + (where ? ` (${safeText(where)})` : ''),
  );
  lines.push('');
  let shownIndependentHeader = false;
  for (const link of x.links) {
    if (link.independent && !shownIndependentHeader) {
      lines.push('', paint('2', '  findings that do not break the chain:'));
      shownIndependentHeader = true;
    }
    const marker = link.firstBroken ? paint('1;31', '▶') : ' ';
    const verdict = paint(VERDICT_COLOURS[link.verdict], link.verdict.toUpperCase().padEnd(13));
    const indent = ' '.repeat(width + 19);
    if (link.results.length === 0)
      lines.push(
        `${marker} ${link.link.padEnd(width)}  ${verdict} ${paint('2', 'no rule checks this link yet')}`,
      );
    link.results.forEach((r, i) => {
      const head = i === 0 ? `${marker} ${link.link.padEnd(width)}  ${verdict} ` : indent;
      const tail = i === 0 && link.firstBroken ? paint('1;31', '   ← first broken link') : '';
      lines.push(`${head}${safeText(r.message)} ${paint('2', `(${r.ruleId})`)}${tail}`);
      if (r.status === 'NON_COMPLIANT' || r.status === 'ERROR' || link.verdict === 'unverified') {
        if (r.reason) lines.push(`${indent}${paint('2', `${r.reason} · ${r.status}`)}`);
        for (const e of r.evidence.slice(0, maxEvidence))
          lines.push(`${indent}${paint('2', '·')} ${safeText(describeEvidence(e))}`);
        if (r.evidence.length > maxEvidence)
          lines.push(`${indent}${paint('2', `· … ${r.evidence.length - maxEvidence} more`)}`);
      }
    });
  }
  lines.push('');
  if (x.firstBroken) {
    const f = x.firstBroken;
    lines.push(paint('1', `First broken link: ${f.link}`) + ` — ${f.reason ?? ''} (rule ${f.ruleId})`);
    lines.push(`  ${safeText(f.message)}`);
    if (f.remediation) {
      lines.push(`  Fix: ${safeText(f.remediation.text)}`);
      if (f.remediation.command) lines.push(`    ${paint('2', '$')} ${safeText(f.remediation.command)}`);
    }
    const later = x.links
      .filter((l) => !l.independent && !l.firstBroken && l.verdict === 'broken')
      .map((l) => l.link);
    if (later.length > 0)
      lines.push(
        paint('2', `  Later links also broken (${later.join(', ')}): fix the first one, then re-run.`),
      );
  } else {
    const unsure = x.links
      .filter(
        (l) =>
          !l.independent &&
          (l.verdict === 'unverified' || l.verdict === 'error' || l.verdict === 'not evaluated'),
      )
      .map((l) => `${l.link} (${l.verdict})`);
    lines.push(
      paint('32', 'No broken link in the readiness chain.') +
        (unsure.length > 0 ? ` Not confirmed: ${unsure.join(', ')}.` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}
