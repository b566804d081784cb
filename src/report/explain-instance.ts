// `ssmguard explain`'s view of the report model: one instance's readiness chain (the report's InstanceChain) link
// by link, with the results behind each link, the first broken link and its fix. Pure: no I/O, no clock.

import { explanationLines } from './explain-decision-text.js';
import { HOPS_EVIDENCE_PATH, pathLines, pathsOf, type ExplainedPath } from './network-hops.js';
import type { Evidence, Remediation } from '../engine/types.js';
import { ChainLayout } from './chain/chain-layout.js';
import { CHAIN_LINKS } from './chain/chain-links.js';
import { chainReadiness, type ChainLink, type ChainReadiness } from './chain/instance-chain.js';
import type { Report } from './report-model.js';
import type { ReportResult, ReportStatus } from './report-result.js';
import { neutraliseDeep } from '../neutralise-controls.js';
import { compareText } from '../compare-text.js';

/** The links shown, in order: the readiness chain, then the findings that stand on their own. */
export const EXPLAIN_LINKS: readonly string[] = CHAIN_LINKS.map((l) => l.id);

export type LinkVerdict = 'ok' | 'broken' | 'waived' | 'unverified' | 'n/a' | 'error' | 'not evaluated';

export interface LinkRuleResult {
  ruleId: string;
  status: ReportStatus;
  reason?: string;
  message: string;
  evidence: Evidence[];
  remediation?: Remediation;
  waiverId?: string;
}

export interface ExplainedLink {
  link: string;
  verdict: LinkVerdict;
  /** True for the readiness link that breaks first: fix it before anything after it. */
  firstBroken: boolean;
  /** Independent links (exposure, patching) are findings, not causes of a lost connection. */
  independent: boolean;
  results: LinkRuleResult[];
  /** The network path hop by hop, per service, as the network-path rule recorded it (network link only). */
  paths?: ExplainedPath[];
}

export interface InstanceExplanation {
  instanceId: string;
  accountId?: string;
  region?: string;
  links: ExplainedLink[];
  /** The first broken readiness link, with the rule and fix that say why. */
  firstBroken?: { link: string; ruleId: string; reason?: string; message: string; remediation?: Remediation };
  /** The first readiness link a waiver covers (broken all the same), with the waiver. */
  firstWaived?: { link: string; ruleId: string; waiverId?: string; message: string };
  /** As the report counts it: no readiness link broken, waived or unevaluated. */
  ready: boolean;
  /** The chain's readiness as the report counts it (see chainReadiness). */
  readiness: ChainReadiness;
}

export interface ExplainInput {
  /** A report holding the instance's results (e.g. built from this one instance's evaluations). */
  report: Report;
  instanceId: string;
  /** The instance's state from the inventory: the "state" link when no rule checks it. */
  instanceState?: string;
}

/** Prefix of the network rule's "cannot be verified" NOT_APPLICABLE message. */
const UNVERIFIED_PREFIX = 'Cannot be verified';

const VERDICT_OF_STATUS: Record<ReportStatus, LinkVerdict> = {
  NON_COMPLIANT: 'broken',
  ERROR: 'error',
  WAIVED: 'waived',
  COMPLIANT: 'ok',
  NOT_APPLICABLE: 'n/a',
};

/** The link's verdict in the chain, refined: a path ssmguard could not follow is unverified, not ok or n/a. */
function verdictOf(status: ReportStatus | undefined, results: readonly LinkRuleResult[]): LinkVerdict {
  if (status === undefined) return 'not evaluated';
  const verdict = VERDICT_OF_STATUS[status];
  const unverified = results.some(
    (r) => r.status === 'NOT_APPLICABLE' && r.message.startsWith(UNVERIFIED_PREFIX),
  );
  return (verdict === 'ok' || verdict === 'n/a') && unverified ? 'unverified' : verdict;
}

/** No rule checks the state on its own; the inventory still knows it. */
function stateFromInventory(state: string): LinkRuleResult {
  const running = state === 'running';
  return {
    ruleId: 'inventory',
    status: running ? 'COMPLIANT' : 'NOT_APPLICABLE',
    message: `instance is ${state}${running ? '' : ': only running instances are Online in SSM'}`,
    evidence: [],
  };
}

function linkResultsOf(
  report: Report,
  instanceId: string,
  layout: ChainLayout,
): Map<string, LinkRuleResult[]> {
  const titleOf = new Map(report.rules.map((r) => [r.ruleId, r.title]));
  const mine = report.results.filter(
    (r) => r.resourceId === instanceId && r.resourceType === 'AWS::EC2::Instance',
  );
  const byLink = new Map<string, LinkRuleResult[]>();
  for (const e of mine.sort((a, b) => compareText(a.ruleId, b.ruleId))) {
    const link = layout.linkOf(e.ruleId);
    const list = byLink.get(link) ?? [];
    list.push(linkResultOf(e, titleOf.get(e.ruleId)));
    byLink.set(link, list);
  }
  return byLink;
}

function linkResultOf(e: ReportResult, title: string | undefined): LinkRuleResult {
  return {
    ruleId: e.ruleId,
    status: e.status,
    reason: e.reason,
    // Rules without a passMessage say nothing when compliant: their title states what compliant looks like.
    message: e.message ?? e.error?.message ?? title ?? e.status,
    evidence: e.evidence,
    remediation: e.remediation,
    ...(e.waiverId !== undefined ? { waiverId: e.waiverId } : {}),
  };
}

/**
 * Explains one instance from the report's chain of it: links in the chain's order, a link no rule checks says
 * "not evaluated", and a link added to the chain (chain/chain-links.ts) or named by a user rule appears here too.
 */
export function explainInstance(input: ExplainInput): InstanceExplanation {
  const { report, instanceId } = input;
  const layout = new ChainLayout(report.rules.map((r) => ({ id: r.ruleId, link: r.link })));
  const chain = report.chains.find((c) => c.instanceId === instanceId);
  const statusOf = new Map((chain?.links ?? []).map((l: ChainLink) => [l.link, l.status]));
  const byLink = linkResultsOf(report, instanceId, layout);
  const shown = layout.links.filter((l) => EXPLAIN_LINKS.includes(l) || byLink.has(l));
  const links: ExplainedLink[] = shown.map((link) => {
    let results = byLink.get(link) ?? [];
    let status = statusOf.get(link);
    if (link === 'state' && results.length === 0 && input.instanceState !== undefined) {
      results = [stateFromInventory(input.instanceState)];
      status = results[0]!.status;
    }
    const paths = results.flatMap((r) => pathsOf(r.evidence));
    return {
      link,
      verdict: verdictOf(status, results),
      firstBroken: chain?.firstBroken?.link === link,
      independent: !layout.isReadinessLink(link),
      results,
      ...(paths.length > 0 ? { paths } : {}),
    };
  });
  const broken = chain?.firstBroken;
  const waived = chain?.firstWaived;
  const waivedResult = waived
    ? byLink.get(waived.link)?.find((r) => r.ruleId === waived.ruleId && r.status === 'WAIVED')
    : undefined;
  // No chain at all (the instance has no instance results) is not known to be ready.
  const readiness: ChainReadiness = chain ? chainReadiness(chain, layout) : 'unevaluated';
  const cause = broken
    ? byLink.get(broken.link)?.find((r) => r.ruleId === broken.ruleId && r.status === 'NON_COMPLIANT')
    : undefined;
  return {
    instanceId,
    accountId: chain?.accountId,
    region: chain?.region,
    links,
    firstBroken:
      broken && cause
        ? {
            link: broken.link,
            ruleId: cause.ruleId,
            reason: cause.reason,
            message: cause.message,
            remediation: cause.remediation,
          }
        : undefined,
    ...(waived && waivedResult
      ? {
          firstWaived: {
            link: waived.link,
            ruleId: waived.ruleId,
            ...(waivedResult.waiverId !== undefined ? { waiverId: waivedResult.waiverId } : {}),
            message: waivedResult.message,
          },
        }
      : {}),
    ready: readiness === 'ready',
    readiness,
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
  waived: '36',
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
export function renderExplanation(explanation: InstanceExplanation, options: ExplainTextOptions): string {
  // The output boundary: messages, evidence and ids come from AWS; `--format json` keeps them exact instead.
  const x = neutraliseDeep(explanation);
  const paint = (code: string, s: string): string => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const maxEvidence = options.maxEvidence ?? 6;
  const width = Math.max(...x.links.map((l) => l.link.length));
  const lines: string[] = [];
  const where = [x.accountId, x.region].filter(Boolean).join(', ');
  lines.push(paint('1', `ssmguard explain ${x.instanceId}`) + (where ? ` (${where})` : ''));
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
      lines.push(`${head}${r.message} ${paint('2', `(${r.ruleId})`)}${tail}`);
      if (r.waiverId !== undefined) lines.push(`${indent}${paint('2', `waived by ${r.waiverId}`)}`);
      if (r.status === 'NON_COMPLIANT' || r.status === 'ERROR' || link.verdict === 'unverified') {
        if (r.reason) lines.push(`${indent}${paint('2', `${r.reason} · ${r.status}`)}`);
        // The hops are shown as the path below, not as evidence lines.
        const evidence = r.evidence.filter((e) => e.path !== HOPS_EVIDENCE_PATH);
        for (const e of evidence.slice(0, maxEvidence)) {
          lines.push(`${indent}${paint('2', '·')} ${describeEvidence(e)}`);
          for (const line of e.explanation !== undefined ? explanationLines(e.explanation) : [])
            lines.push(`${indent}    ${paint('2', line)}`);
        }
        if (evidence.length > maxEvidence)
          lines.push(`${indent}${paint('2', `· … ${evidence.length - maxEvidence} more`)}`);
      }
    });
    if (link.paths) {
      lines.push(`${indent}${paint('2', 'path hop by hop:')}`);
      for (const line of pathLines(link.paths)) lines.push(`${indent}  ${line}`);
    }
  }
  lines.push('');
  if (x.firstBroken) {
    const f = x.firstBroken;
    lines.push(paint('1', `First broken link: ${f.link}`) + ` — ${f.reason ?? ''} (rule ${f.ruleId})`);
    lines.push(`  ${f.message}`);
    if (f.remediation) {
      lines.push(`  Fix: ${f.remediation.text}`);
      if (f.remediation.command) lines.push(`    ${paint('2', '$')} ${f.remediation.command}`);
    }
    const later = x.links
      .filter((l) => !l.independent && !l.firstBroken && l.verdict === 'broken')
      .map((l) => l.link);
    if (later.length > 0)
      lines.push(
        paint('2', `  Later links also broken (${later.join(', ')}): fix the first one, then re-run.`),
      );
  } else if (x.readiness === 'waived' && x.firstWaived) {
    const w = x.firstWaived;
    lines.push(
      paint('1;33', `Not ready (waived): ${w.link} is broken`) +
        ` — waived by ${w.waiverId ?? 'a waiver'} (rule ${w.ruleId}). A waived link is still broken.`,
    );
    lines.push(`  ${w.message}`);
  } else {
    const unsure = x.links
      .filter(
        (l) =>
          !l.independent &&
          (l.verdict === 'unverified' ||
            l.verdict === 'error' ||
            l.verdict === 'waived' ||
            l.verdict === 'not evaluated'),
      )
      .map((l) => `${l.link} (${l.verdict})`);
    lines.push(
      paint(x.ready ? '32' : '33', 'No broken link in the readiness chain.') +
        (unsure.length > 0 ? ` Not confirmed: ${unsure.join(', ')}.` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}
