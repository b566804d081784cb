// The HTML report for security reviews: one self-contained file (inline CSS, JS and SVG, no requests, works from
// disk) with summary figures, charts, root causes and their fixes, a filterable results table rendered page by
// page in the browser, per-instance chains, waivers and provenance. AWS-derived text only enters through
// `html`/escapeHtml on the server side and textContent in the browser.

import type { Severity } from '../engine/types.js';
import { CHAIN_ORDER, INDEPENDENT_LINKS, REPORT_STATUSES, type Report, type ReportStatus, type RootCause, type ScopeSummary } from './build-report.js';
import type { ControlSummary } from './control-summary.js';
import { html, jsonForScript, SafeHtml } from './escape-html.js';
import { neutraliseDeep } from '../neutralise-controls.js';
import { formatWaiverScope } from './format-waiver-scope.js';
import { readinessHeadline, unevaluatedCount } from './readiness-headline.js';
import { STATUS_LABELS } from './status-labels.js';
import { causeBars, SEVERITY_COLOURS, STATUS_COLOURS, stackedBars } from './html-charts.js';
import { HTML_CLIENT } from './html-client.js';
import { unbreakable } from './html-identifiers.js';
import { groupKey } from './root-cause-groups.js';
import type { ReportResult } from './report-result.js';

export { STATUS_COLOURS } from './html-charts.js';

export interface HtmlOptions {
  /** Most messages embedded for the results table; beyond it the table shows statuses only (file size). */
  maxMessages?: number;
  /** Affected resources listed per root cause. */
  maxListed?: number;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fafafa;font-variant-ligatures:none}
body{margin:0 auto;max-width:1440px;padding:1rem 1.5rem 4rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
nav a{margin-right:1rem}
.figures{display:flex;flex-wrap:wrap;gap:.8rem}.figure{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.figure b{display:block;font-size:1.6rem}
.cause{background:#fff;border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0;overflow-x:auto}
.cause h3{margin:.2rem 0;font-size:1.05rem}.meta{color:#555;font-size:.9rem}
.sev{display:inline-block;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8rem;text-transform:uppercase}
.sev-note{background:#eceff1;color:#37474f;border:1px solid #90a4ae}
.cause.kind-note,.cause.kind-unverified{border-left-color:#90a4ae;background:#fcfcfc}
.id,code{white-space:nowrap}
.status{font-weight:600}
pre{background:#f0f0f0;padding:.5rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:normal;word-break:normal;margin:.3rem 0}
.cmd{display:flex;gap:.5rem;align-items:flex-start}.cmd pre{flex:1;min-width:0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#eee}
td{overflow-wrap:break-word}td.ident{white-space:nowrap;font-size:.8rem}td.msg{min-width:12rem}
table.one-scope .scope-col{display:none}
.table-wrap{overflow-x:auto}
.controls{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}.controls input{min-width:16rem}
#cause-filter{background:#fff8e1;border:1px solid #ffe082;border-radius:4px;padding:.3rem .6rem;display:inline-block}
button{cursor:pointer}button.link{background:none;border:none;color:#0645ad;text-decoration:underline;padding:0;font:inherit}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.4rem}.chart svg{max-width:100%;height:auto;display:block}
.legend span{margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.prov dt{font-weight:600}dl.prov dd{margin:0}
.note{color:#555;font-style:italic}
.print-only{display:none}
@media print{
@page{size:A4;margin:14mm 12mm 16mm;@bottom-left{content:"ssmguard — Systems Manager readiness report";font:8pt sans-serif;color:#555}@bottom-right{content:"page " counter(page) " of " counter(pages);font:8pt sans-serif;color:#555}}
:root{background:#fff;font-size:9.5pt}
body{max-width:none;padding:0}
header,#summary,#results,#chain,button,.screen-only{display:none!important}
.print-only{display:block}
#cover{break-after:page}#cover h1{font-size:2rem;margin-top:30mm}#cover .headline{font-size:1.2rem}
#controls,#root-causes,#print-section{break-before:page}
h2,h3{break-after:avoid}
.cause,tr,.figure{break-inside:avoid}
.cause{overflow:visible}pre{overflow:visible}
thead{display:table-header-group}
table{font-size:7.5pt}td.msg{min-width:0}
.sev,.status,.legend i{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
}
`;

const statusLabel = (s: ReportStatus): string => STATUS_LABELS[s];

const legend = html`<p class="legend">${REPORT_STATUSES.map((s) => html`<span><i style="background:${STATUS_COLOURS[s]}"></i>${statusLabel(s)}</span>`)}</p>`;

const severityBadge = (severity: Severity): SafeHtml => html`<span class="sev" style="background:${SEVERITY_COLOURS[severity]}">${severity}</span>`;

/** A note or an unverifiable path is not a finding: a neutral badge and border, never its rule's severity. */
const isNeutral = (c: RootCause): boolean => c.kind === 'note' || c.kind === 'unverified';
const causeBadge = (c: RootCause): SafeHtml =>
  isNeutral(c) ? html`<span class="sev sev-note">${c.kind === 'note' ? 'note' : 'unverified'}</span>` : severityBadge(c.severity);

/** Root causes as articles; `indexOf` gives each cause's position in the report, for its "show in table" rows. */
function causeSection(causes: readonly RootCause[], idPrefix: string, maxListed: number, indexOf: ReadonlyMap<RootCause, number>): SafeHtml {
  return html`${causes.map((c, i) => {
    const n = c.resourceIds.length;
    const listed = c.resourceIds.slice(0, maxListed).join(', ');
    const command = c.remediation?.command;
    const cmdId = `${idPrefix}-cmd-${i}`;
    return html`<article class="cause kind-${c.kind}"${isNeutral(c) ? '' : html` style="border-left-color:${SEVERITY_COLOURS[c.severity]}"`}>
<h3>${causeBadge(c)} ${unbreakable(c.label)}${c.causeResourceId ? html` on <code>${c.causeResourceId}</code>` : ''} — ${n} ${n === 1 ? 'resource' : 'resources'}</h3>
<p class="meta"><code>${c.reason}</code> · ${c.ruleIds.length > 1 ? html`rules ${c.ruleIds.map((id, i) => html`${i > 0 ? ', ' : ''}<code>${id}</code>`)}` : html`rule <code>${c.ruleId}</code>`} · <button type="button" class="link" data-cause="${indexOf.get(c) ?? 0}">show in table</button></p>
<p>${unbreakable(listed)}${n > maxListed ? ` (+${n - maxListed} more)` : ''}</p>
${c.example ? html`<p>e.g. ${unbreakable(c.example)}</p>` : ''}
${c.remediation ? html`<p><b>Fix:</b> ${unbreakable(c.remediation.text)}</p>` : ''}
${command ? html`<div class="cmd"><pre id="${cmdId}">${unbreakable(command)}</pre><button type="button" data-copy="${cmdId}">Copy</button></div>${n > 1 ? html`<p class="note">Shown for the first affected resource; repeat for each.</p>` : ''}` : ''}
</article>`;
  })}`;
}

const CONTROL_COLOURS: Record<ControlSummary['status'], string> = { fail: '#c62828', pass: '#2e7d32', 'not evaluated': '#b7791f' };

/** The control summary: a table per framework, status first, the resources at fault and each rule's rationale. */
function controlSection(controls: readonly ControlSummary[], maxListed: number): SafeHtml {
  const frameworks = [...new Set(controls.map((c) => c.framework))];
  return html`${frameworks.map((id) => {
    const list = controls.filter((c) => c.framework === id);
    return html`<h3>${list[0]!.frameworkTitle} ${list[0]!.frameworkVersion}</h3>
<div class="table-wrap"><table class="control-table"><thead><tr><th>Control</th><th>Status</th><th>Title</th><th>Why</th><th>Evidence</th></tr></thead><tbody>${list.map((c) => {
      const named = c.failing.length > 0 ? c.failing : c.status === 'not evaluated' ? c.unevaluated : [];
      return html`<tr><td><code>${c.controlId}</code></td><td class="status ident" style="color:${CONTROL_COLOURS[c.status]}">${c.status.toUpperCase()}</td><td>${c.title}</td><td>${unbreakable(c.statusDetail)}${named.length > 0 ? html`: ${unbreakable(named.slice(0, maxListed).join(', '))}${named.length > maxListed ? ` (+${named.length - maxListed} more)` : ''}` : ''}${c.waived.length > 0 ? html`; waived: ${unbreakable(c.waived.slice(0, maxListed).join(', '))}` : ''}</td><td>${c.rules.length === 0 ? 'none' : c.rules.map((r) => html`<div><code>${r.ruleId}</code>${r.evidence === 'failures' ? ' (failures only)' : ''}: ${unbreakable(r.rationale)}</div>`)}</td></tr>`;
    })}</tbody></table></div>`;
  })}`;
}

const scopeLabel = (s: ScopeSummary): string => [s.accountId, s.region, s.vpcId].filter((x) => x !== undefined).join(' / ');

/** Order of the results table: non-compliant and error rows first, then waived, compliant, not applicable. */
const TABLE_ORDER: readonly ReportStatus[] = ['NON_COMPLIANT', 'ERROR', 'WAIVED', 'COMPLIANT', 'NOT_APPLICABLE'];
const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
/** Rows the printed table holds at most: a browser prints a few thousand pages at most; the JSON has every one. */
const PRINT_MAX = 20_000;

/** The results in table order: status, then severity (highest first), then as evaluated. */
function tableOrder(results: readonly ReportResult[]): number[] {
  const rank = (r: ReportResult): number => TABLE_ORDER.indexOf(r.status) * 10 + SEVERITY_ORDER.indexOf(r.severity);
  const ranks = results.map(rank);
  return results.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
}

/** The status a cause's results have: its kind says which (build-report's causeKindOf). */
const CAUSE_STATUS: Record<RootCause['kind'], ReportStatus> = {
  readiness: 'NON_COMPLIANT',
  patching: 'NON_COMPLIANT',
  finding: 'NON_COMPLIANT',
  error: 'ERROR',
  unverified: 'NOT_APPLICABLE',
  note: 'COMPLIANT',
};

/** For each root cause, the rows (table positions) of the results grouped into it: same key, status and resource. */
function causeRows(report: Report, order: readonly number[]): number[][] {
  const byKey = new Map<string, number[]>();
  report.rootCauses.forEach((c, k) => byKey.set(c.key, [...(byKey.get(c.key) ?? []), k]));
  const members = report.rootCauses.map((c) => new Set(c.resourceIds));
  const rows = report.rootCauses.map((): number[] => []);
  order.forEach((index, row) => {
    const r = report.results[index]!;
    const key = groupKey(r, r.status === 'ERROR' ? 'error' : 'finding');
    for (const k of byKey.get(key) ?? [])
      if (CAUSE_STATUS[report.rootCauses[k]!.kind] === r.status && members[k]!.has(r.resourceId)) rows[k]!.push(row);
  });
  return rows;
}

/** The table's data, columnar so 100k instances × rules stays a file a browser opens; rows in table order. */
function tableData(report: Report, maxMessages: number): { data: unknown; omitted: number } {
  const resourceIndex = new Map<string, number>();
  const resources: (string | null)[][] = [];
  const chainById = new Map(report.chains.map((c) => [c.instanceId, c]));
  const ruleIndex = new Map(report.rules.map((r, i) => [r.ruleId, i]));
  const res: number[] = [];
  const ruleCol: number[] = [];
  let st = '';
  const messages: [number, string][] = [];
  const waiverOf: [number, string][] = [];
  let omitted = 0;
  const order = tableOrder(report.results);
  order.forEach((index, i) => {
    const r = report.results[index]!;
    const key = `${r.resourceType}|${r.resourceId}`;
    let idx = resourceIndex.get(key);
    if (idx === undefined) {
      idx = resources.length;
      resourceIndex.set(key, idx);
      const chain = r.resourceType === 'AWS::EC2::Instance' ? chainById.get(r.resourceId) : undefined;
      resources.push([r.resourceId, r.resourceType, r.accountId, r.region, chain?.vpcId ?? null, chain?.name ?? null]);
    }
    res.push(idx);
    ruleCol.push(ruleIndex.get(r.ruleId) ?? 0);
    st += String.fromCharCode(48 + REPORT_STATUSES.indexOf(r.status));
    const text = r.status === 'ERROR' ? (r.error?.message ?? r.message) : r.message;
    if (text !== undefined && r.status !== 'COMPLIANT' && r.status !== 'NOT_APPLICABLE') {
      if (messages.length < maxMessages) messages.push([i, text]);
      else omitted += 1;
    }
    if (r.waiverId !== undefined) waiverOf.push([i, r.waiverId]);
  });
  const linkOrder = [...CHAIN_ORDER, ...INDEPENDENT_LINKS] as readonly string[];
  const data = {
    statuses: REPORT_STATUSES,
    colours: STATUS_COLOURS,
    labels: STATUS_LABELS,
    linkRank: Object.fromEntries(report.rules.map((r) => [r.link, linkOrder.includes(r.link) ? linkOrder.indexOf(r.link) : linkOrder.length])),
    rules: report.rules.map((r) => [r.ruleId, r.title, r.link, r.severity]),
    resources,
    res,
    rule: ruleCol,
    st,
    messages,
    waiverOf,
    causes: causeRows(report, order),
    causeLabels: report.rootCauses.map((c) => `${c.label}${c.causeResourceId ? ` on ${c.causeResourceId}` : ''}`),
    printMax: PRINT_MAX,
  };
  return { data, omitted };
}

const figure = (label: string, value: number | string): SafeHtml => html`<div class="figure"><b>${value}</b>${label}</div>`;

function figures(summary: Report['summary']): SafeHtml {
  return html`<div class="figures">
${figure('EC2 instances', summary.instances)}
${figure('with an unbroken readiness chain', summary.readyInstances)}
${figure('not ready (waived: a waived link is still broken)', summary.waivedInstances)}
${figure('non-compliant results', summary.byStatus.NON_COMPLIANT)}
${figure(`resources could not be evaluated (${summary.byStatus.ERROR} results)`, summary.unevaluated.resources)}
${figure('waived results', summary.byStatus.WAIVED)}
${figure('rules', summary.rules)}
${figure('evaluations', summary.evaluations)}
</div>`;
}

/** The printed cover page: what was reviewed, when, from which input, under which policy. */
function coverSection(report: Report): SafeHtml {
  const { provenance, summary } = report;
  const src = provenance.source;
  const frameworks = [...new Map((report.controls ?? []).map((c) => [c.framework, `${c.frameworkTitle} ${c.frameworkVersion}`])).values()];
  return html`<section id="cover" class="print-only">
<h1>Systems Manager readiness report</h1>
<p class="headline">${readinessHeadline(summary)}</p>
<dl class="prov">
<dt>Scope</dt>
<dd>${summary.instances} EC2 instances · ${src.accounts.length === 1 ? 'account' : 'accounts'} ${unbreakable(src.accounts.join(', '))} · ${src.regions.length === 1 ? 'region' : 'regions'} ${unbreakable(src.regions.join(', '))}</dd>
<dt>Evaluated at</dt>
<dd>${provenance.evaluatedAt}</dd>
<dt>Collected</dt>
<dd>${src.collectedAt ?? 'unknown'}</dd>
<dt>Input hash</dt>
<dd><code>${provenance.inputHash ?? 'not computed'}</code></dd>
<dt>Policy</dt>
<dd>${provenance.policy}${provenance.policyFile ? html` (<span class="id">${provenance.policyFile}</span>)` : ''}</dd>
${frameworks.length ? html`<dt>Frameworks</dt>
<dd>${frameworks.join('; ')}</dd>` : ''}
<dt>Tool</dt>
<dd>ssmguard ${provenance.toolVersion}</dd>
</dl>
${figures(summary)}
</section>`;
}

function resultsSection(report: Report, omitted: number): SafeHtml {
  // One account and region (said on the cover and in the header): their columns would repeat it on every row.
  const src = report.provenance.source;
  const oneScope = src.accounts.length <= 1 && src.regions.length <= 1 ? html` one-scope` : '';
  const head = html`<thead><tr><th>Resource</th><th>Name</th><th class="scope-col">Account</th><th class="scope-col">Region</th><th>VPC</th><th>Rule</th><th>Severity</th><th>Status</th><th>Detail</th></tr></thead>`;
  const n = report.results.length;
  return html`<section id="results">
<h2>Results</h2>
<form id="filters" class="controls" role="search">
<input id="f-text" type="search" placeholder="Search resource, name, account, VPC, rule, message" aria-label="Search" enterkeyhint="search">
<select id="f-status" aria-label="Status"><option value="">All statuses</option><option value="FAILING">Non-compliant or error</option>${REPORT_STATUSES.map((s) => html`<option value="${s}">${statusLabel(s)}</option>`)}</select>
<select id="f-severity" aria-label="Severity"><option value="">All severities</option>${SEVERITY_ORDER.map((s) => html`<option value="${s}">${s}</option>`)}</select>
<select id="f-rule" aria-label="Rule"><option value="">All rules</option>${report.rules.map((r) => html`<option value="${r.ruleId}">${r.ruleId}</option>`)}</select>
</form>
<p id="cause-filter" hidden><span id="cause-filter-text"></span> <button type="button" id="cause-clear">Show all rows</button></p>
<p id="pager"><span id="results-count"></span> · non-compliant and error rows first · <button type="button" id="page-prev">Previous</button> <span id="page-info"></span> <button type="button" id="page-next">Next</button></p>
${omitted > 0 ? html`<p class="note">${omitted} messages left out to keep the file small; the JSON report has them all.</p>` : ''}
<div class="table-wrap" id="results-table"><table class="results${oneScope}">${head}<tbody id="results-body"></tbody></table></div>
</section>
<section id="print-section" class="print-only">
<h2>Results: all ${n} rows, non-compliant and errors first</h2>
${n > PRINT_MAX ? html`<p class="note">The first ${PRINT_MAX} of ${n} rows are printed; the JSON and CSV reports hold every one.</p>` : ''}
<table class="results${oneScope}" id="print-table">${head}<tbody id="print-body"></tbody></table>
</section>`;
}

function provenanceSection(report: Report): SafeHtml {
  const { provenance } = report;
  const src = provenance.source;
  return html`<section id="provenance">
<h2>Provenance</h2>
<dl class="prov">
<dt>Source kind</dt><dd>${src.kind}</dd>
<dt>Sources read</dt><dd>${unbreakable(src.inputs.join(', '))}</dd>
<dt>Collected</dt><dd>${src.collectedAt ?? 'unknown'}</dd>
<dt>Evaluated at</dt><dd>${provenance.evaluatedAt}</dd>
<dt>Accounts</dt><dd>${unbreakable(src.accounts.join(', '))}</dd>
<dt>Regions</dt><dd>${unbreakable(src.regions.join(', '))}</dd>
<dt>Input hash</dt><dd><code>${provenance.inputHash ?? 'not computed'}</code></dd>
<dt>Policy</dt><dd>${provenance.policy}${provenance.policyFile ? html` (<span class="id">${provenance.policyFile}</span>)` : ''}</dd>
<dt>Rules</dt><dd>${unbreakable(provenance.rules.map((r) => `${r.id} (${r.severity})`).join(', '))}</dd>
<dt>Tool</dt><dd>ssmguard ${provenance.toolVersion}</dd>
</dl>
</section>`;
}

function waiverSection(report: Report): SafeHtml {
  return html`<section id="waivers">
<h2>Waivers</h2>
${report.waivers.length === 0
    ? html`<p>No waivers in the policy.</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>Waiver</th><th>State</th><th>Rule</th><th>Scope</th><th>Reason</th><th>Owner</th><th>Expires</th><th>Ticket</th><th>Results</th></tr></thead><tbody>${report.waivers.map(
        (w) =>
          html`<tr><td class="ident">${w.id}</td><td class="status">${w.state}</td><td class="ident">${w.ruleId}</td><td>${unbreakable(formatWaiverScope(w.scope))}</td><td>${unbreakable(w.reason)}</td><td class="ident">${w.owner}</td><td class="ident">${w.expires}</td><td class="ident">${w.ticket ?? ''}</td><td>${w.results}</td></tr>`,
      )}</tbody></table></div>`}
</section>`;
}

/** Renders the self-contained HTML report. */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const maxMessages = options.maxMessages ?? 250_000;
  const maxListed = options.maxListed ?? 30;
  const { summary, provenance } = report;
  const src = provenance.source;
  const { data, omitted } = tableData(report, maxMessages);
  const indexOf = new Map(report.rootCauses.map((c, k) => [c, k]));
  const ofKind = (kind: RootCause['kind']): RootCause[] => report.rootCauses.filter((c) => c.kind === kind);
  const [readiness, patching, findings, errors, unverified, notes] = (['readiness', 'patching', 'finding', 'error', 'unverified', 'note'] as const).map(ofKind);
  const scopeText = [src.accounts.length ? `accounts ${src.accounts.join(', ')}` : '', src.regions.join(', ')].filter(Boolean).join(' · ');
  const vpcRows = [...report.scopes.vpcs].sort((a, b) => b.instances - a.instances).slice(0, 20);

  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ssmguard report — ${summary.instances} instances</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
${coverSection(report)}
<header>
<h1>Systems Manager readiness report</h1>
<p class="meta">${unbreakable(scopeText)} · evaluated ${provenance.evaluatedAt} · policy <code>${provenance.policy}</code> · ssmguard ${report.tool.version}</p>
<nav><a href="#summary">Summary</a>${report.controls ? html`<a href="#controls">Controls</a>` : ''}<a href="#root-causes">Root causes</a>${patching!.length ? html`<a href="#patching">Patching</a>` : ''}<a href="#findings">Findings</a><a href="#results">Results</a><a href="#chain">Instance chain</a><a href="#waivers">Waivers</a><a href="#provenance">Provenance</a></nav>
</header>
<section id="summary">
<h2>Summary</h2>
${figures(summary)}
<p>Non-compliant results by severity: ${SEVERITY_ORDER.map((s) => html`${severityBadge(s)} ${summary.findingsBySeverity[s]} `)}</p>
${legend}
${stackedBars('Compliance by rule', report.rules.map((r) => ({ label: r.ruleId, counts: r.counts })))}
${stackedBars('Compliance by account and VPC', [...report.scopes.accounts.map((s) => ({ label: `account ${s.accountId}`, counts: s.counts })), ...vpcRows.map((s) => ({ label: scopeLabel(s), counts: s.counts }))])}
${report.rootCauses.length ? causeBars(report.rootCauses) : ''}
</section>${report.controls ? html`
<section id="controls">
<h2>Controls</h2>
${controlSection(report.controls, maxListed)}
</section>` : ''}
<section id="root-causes">
<h2>Root causes — why instances cannot be managed by Systems Manager</h2>
${readiness!.length ? causeSection(readiness!, 'rc', maxListed, indexOf) : html`<p>${summary.waivedInstances > 0 ? readinessHeadline(summary) : 'Every instance has an unbroken readiness chain.'}</p>`}
</section>${patching!.length ? html`
<section id="patching">
<h2>Patching — why managed instances are not patched</h2>
${causeSection(patching!, 'p', maxListed, indexOf)}
</section>` : ''}
<section id="findings">
<h2>Other findings</h2>
${findings!.length ? causeSection(findings!, 'f', maxListed, indexOf) : html`<p>None.</p>`}
${errors!.length ? html`<h2>Could not evaluate: ${unevaluatedCount(summary)} (never counted as compliant)</h2>${causeSection(errors!, 'e', maxListed, indexOf)}` : ''}
${unverified!.length ? html`<h2>Cannot be verified from this account (neither a pass nor a failure)</h2>${causeSection(unverified!, 'u', maxListed, indexOf)}` : ''}
${notes!.length ? html`<h2>Notes — compliant, but worth a look</h2>${causeSection(notes!, 'n', maxListed, indexOf)}` : ''}
</section>
${resultsSection(report, omitted)}
<section id="chain">
<h2>Instance chain</h2>
<form id="chain-form"><label for="chain-id">Pick a resource in the table, or enter its id:</label> <input id="chain-id" aria-label="Resource id" enterkeyhint="go"> <button type="submit" id="chain-go">Show</button></form>
<div id="chain-view"></div>
</section>
${waiverSection(report)}
${provenanceSection(report)}
<script type="application/json" id="ssmguard-data">${new SafeHtml(jsonForScript(neutraliseDeep(data)))}</script>
<script>${new SafeHtml(HTML_CLIENT)}</script>
</body>
</html>
`;
  return page.value;
}
