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

export interface HtmlOptions {
  /** Most messages embedded for the results table; beyond it the table shows statuses only (file size). */
  maxMessages?: number;
  /** Affected resources listed per root cause. */
  maxListed?: number;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export const STATUS_COLOURS: Record<ReportStatus, string> = {
  NON_COMPLIANT: '#c62828',
  ERROR: '#6a1b9a',
  WAIVED: '#b7791f',
  COMPLIANT: '#2e7d32',
  NOT_APPLICABLE: '#9e9e9e',
};
const SEVERITY_COLOURS: Record<Severity, string> = { critical: '#8e0000', high: '#c62828', medium: '#e65100', low: '#0277bd', info: '#607d8b' };

const STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fafafa}
body{margin:0 auto;max-width:1440px;padding:1rem 1.5rem 4rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
nav a{margin-right:1rem}
.figures{display:flex;flex-wrap:wrap;gap:.8rem}.figure{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.figure b{display:block;font-size:1.6rem}
.cause{background:#fff;border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.cause h3{margin:.2rem 0;font-size:1.05rem}.meta{color:#555;font-size:.9rem}
.sev{display:inline-block;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8rem;text-transform:uppercase}
.status{font-weight:600}table.results td.status{overflow-wrap:normal}
pre{background:#f0f0f0;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
.cmd{display:flex;gap:.5rem;align-items:flex-start}.cmd pre{flex:1}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#eee}
td{overflow-wrap:break-word}table.results{table-layout:fixed}table.results td{overflow-wrap:anywhere}
.controls{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}.controls input{min-width:16rem}
button{cursor:pointer}button.link{background:none;border:none;color:#0645ad;text-decoration:underline;padding:0;font:inherit}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.4rem}
.legend span{margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.prov dt{font-weight:600}dl.prov dd{margin:0;word-break:break-all}
.note{color:#555;font-style:italic}
`;

// The client: parses the embedded JSON and renders the table and chain views with createElement/textContent only.
const CLIENT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ssmguard-data').textContent);
  var PAGE = 50;
  var n = data.res.length;
  var messages = new Map(data.messages);
  var waiverOf = new Map(data.waiverOf);
  var hay = data.resources.map(function (r) { return (r[0] + ' ' + (r[5] || '') + ' ' + r[2] + ' ' + r[3] + ' ' + (r[4] || '')).toLowerCase(); });
  var el = function (tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  var q = function (id) { return document.getElementById(id); };
  var search = q('f-text'), fStatus = q('f-status'), fSeverity = q('f-severity'), fRule = q('f-rule');
  var body = q('results-body'), count = q('results-count'), pageInfo = q('page-info');
  var matches = [], page = 0;

  function statusColour(s) { return data.colours[s] || '#000'; }
  function filter() {
    var text = search.value.trim().toLowerCase();
    var st = fStatus.value, sev = fSeverity.value, rule = fRule.value;
    matches = [];
    for (var i = 0; i < n; i++) {
      var status = data.statuses[data.st.charCodeAt(i) - 48];
      if (st && (st === 'FAILING' ? (status !== 'NON_COMPLIANT' && status !== 'ERROR') : status !== st)) continue;
      var r = data.rules[data.rule[i]];
      if (sev && r[3] !== sev) continue;
      if (rule && r[0] !== rule) continue;
      if (text) {
        var m = messages.get(i) || '';
        if (hay[data.res[i]].indexOf(text) === -1 && r[0].indexOf(text) === -1 && m.toLowerCase().indexOf(text) === -1) continue;
      }
      matches.push(i);
    }
    page = 0;
    render();
  }
  function render() {
    body.replaceChildren();
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    var start = page * PAGE;
    matches.slice(start, start + PAGE).forEach(function (i) {
      var res = data.resources[data.res[i]], r = data.rules[data.rule[i]];
      var status = data.statuses[data.st.charCodeAt(i) - 48];
      var tr = el('tr');
      var idCell = el('td'); var b = el('button', res[0], 'link'); b.type = 'button';
      b.addEventListener('click', function () { showChain(data.res[i]); });
      idCell.appendChild(b); tr.appendChild(idCell);
      tr.appendChild(el('td', res[5] || ''));
      tr.appendChild(el('td', res[2]));
      tr.appendChild(el('td', res[3]));
      tr.appendChild(el('td', res[4] || ''));
      tr.appendChild(el('td', r[0]));
      tr.appendChild(el('td', r[3]));
      var s = el('td', data.labels[status], 'status'); s.style.color = statusColour(status); tr.appendChild(s);
      var w = waiverOf.get(i);
      tr.appendChild(el('td', (messages.get(i) || '') + (w ? ' [waiver ' + w + ']' : ''), 'msg'));
      body.appendChild(tr);
    });
    count.textContent = matches.length + ' of ' + n + ' results';
    pageInfo.textContent = 'page ' + (page + 1) + ' of ' + pages;
  }
  function showChain(resIndex) {
    var res = data.resources[resIndex];
    var view = q('chain-view');
    view.replaceChildren();
    view.appendChild(el('h3', res[0] + (res[5] ? ' (' + res[5] + ')' : '')));
    view.appendChild(el('p', res[1] + ' · account ' + res[2] + ' · ' + res[3] + (res[4] ? ' · ' + res[4] : ''), 'meta'));
    var rows = [];
    for (var i = 0; i < n; i++) if (data.res[i] === resIndex) rows.push(i);
    rows.sort(function (a, b) { return data.linkRank[data.rules[data.rule[a]][2]] - data.linkRank[data.rules[data.rule[b]][2]]; });
    var table = el('table'); var head = el('tr');
    ['Link', 'Rule', 'Status', 'Detail'].forEach(function (h) { head.appendChild(el('th', h)); });
    table.appendChild(head);
    rows.forEach(function (i) {
      var r = data.rules[data.rule[i]], status = data.statuses[data.st.charCodeAt(i) - 48];
      var tr = el('tr');
      tr.appendChild(el('td', r[2])); tr.appendChild(el('td', r[0] + ' — ' + r[1]));
      var s = el('td', data.labels[status], 'status'); s.style.color = statusColour(status); tr.appendChild(s);
      var w = waiverOf.get(i);
      tr.appendChild(el('td', (messages.get(i) || '') + (w ? ' [waiver ' + w + ']' : ''), 'msg'));
      table.appendChild(tr);
    });
    view.appendChild(table);
    view.scrollIntoView();
  }
  var timer;
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(filter, 150); });
  [fStatus, fSeverity, fRule].forEach(function (s) { s.addEventListener('change', filter); });
  q('page-prev').addEventListener('click', function () { if (page > 0) { page--; render(); } });
  q('page-next').addEventListener('click', function () { if ((page + 1) * PAGE < matches.length) { page++; render(); } });
  q('chain-go').addEventListener('click', function () {
    var id = q('chain-id').value.trim();
    var idx = data.resources.findIndex(function (r) { return r[0] === id; });
    if (idx >= 0) showChain(idx); else { q('chain-view').replaceChildren(el('p', 'No resource ' + id + ' in this report.', 'note')); }
  });
  Array.prototype.forEach.call(document.querySelectorAll('button[data-rule]'), function (b) {
    b.addEventListener('click', function () {
      fRule.value = b.getAttribute('data-rule'); fStatus.value = 'NON_COMPLIANT'; search.value = ''; filter();
      q('results').scrollIntoView();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (b) {
    b.addEventListener('click', function () {
      var text = q(b.getAttribute('data-copy')).textContent;
      var done = function () { b.textContent = 'Copied'; setTimeout(function () { b.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      else { fallback(text); done(); }
    });
  });
  function fallback(text) {
    var t = el('textarea'); t.value = text; document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } finally { t.remove(); }
  }
  filter();
})();
`;

const statusLabel = (s: ReportStatus): string => STATUS_LABELS[s];

/** A horizontal stacked bar per row, one segment per status; text is escaped, hover shows counts. */
function stackedBars(title: string, rows: { label: string; counts: Record<ReportStatus, number> }[]): SafeHtml {
  const labelW = 260;
  const barW = 560;
  const rowH = 22;
  const height = rows.length * rowH + 8;
  const bars = rows.map((row, i) => {
    const total = REPORT_STATUSES.reduce((sum, s) => sum + row.counts[s], 0) || 1;
    let x = labelW;
    const y = 4 + i * rowH;
    const segments = REPORT_STATUSES.filter((s) => row.counts[s] > 0).map((s) => {
      const w = (row.counts[s] / total) * barW;
      const rect = html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${STATUS_COLOURS[s]}"><title>${row.label}: ${row.counts[s]} ${statusLabel(s)}</title></rect>`;
      x += w;
      return rect;
    });
    const shown = row.label.length > 38 ? `${row.label.slice(0, 37)}…` : row.label;
    return html`<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" font-size="12">${shown}</text>${segments}`;
  });
  return html`<figure class="chart"><figcaption>${title}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelW + barW + 10}" height="${height}" viewBox="0 0 ${labelW + barW + 10} ${height}"><title>${title}</title>${bars}</svg></figure>`;
}

/** Root causes by affected count, coloured by severity. */
function causeBars(causes: readonly RootCause[]): SafeHtml {
  const top = causes.slice(0, 15);
  const labelW = 360;
  const barW = 460;
  const rowH = 22;
  const max = Math.max(1, ...top.map((c) => c.resourceIds.length));
  const height = top.length * rowH + 8;
  const bars = top.map((c, i) => {
    const y = 4 + i * rowH;
    const w = Math.max(2, (c.resourceIds.length / max) * (barW - 60));
    const label = `${c.label}${c.causeResourceId ? ` (${c.causeResourceId})` : ''}`;
    const shown = label.length > 55 ? `${label.slice(0, 54)}…` : label;
    return html`<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" font-size="12">${shown}</text><rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${SEVERITY_COLOURS[c.severity]}"><title>${label}: ${c.resourceIds.length}</title></rect><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}" font-size="12">${c.resourceIds.length}</text>`;
  });
  return html`<figure class="chart"><figcaption>Root causes by affected resources</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelW + barW}" height="${height}" viewBox="0 0 ${labelW + barW} ${height}"><title>Root causes by affected resources</title>${bars}</svg></figure>`;
}

const legend = html`<p class="legend">${REPORT_STATUSES.map((s) => html`<span><i style="background:${STATUS_COLOURS[s]}"></i>${statusLabel(s)}</span>`)}</p>`;

const severityBadge = (severity: Severity): SafeHtml => html`<span class="sev" style="background:${SEVERITY_COLOURS[severity]}">${severity}</span>`;

function causeSection(causes: readonly RootCause[], idPrefix: string, maxListed: number): SafeHtml {
  return html`${causes.map((c, i) => {
    const n = c.resourceIds.length;
    const listed = c.resourceIds.slice(0, maxListed).join(', ');
    const command = c.remediation?.command;
    const cmdId = `${idPrefix}-cmd-${i}`;
    return html`<article class="cause" style="border-left-color:${SEVERITY_COLOURS[c.severity]}">
<h3>${severityBadge(c.severity)} ${c.label}${c.causeResourceId ? html` on <code>${c.causeResourceId}</code>` : ''} — ${n} ${n === 1 ? 'resource' : 'resources'}</h3>
<p class="meta">${c.reason} · ${c.ruleIds.length > 1 ? html`rules ${c.ruleIds.map((id, i) => html`${i > 0 ? ', ' : ''}<code>${id}</code>`)}` : html`rule <code>${c.ruleId}</code>`} · <button type="button" class="link" data-rule="${c.ruleId}">show in table</button></p>
<p>${listed}${n > maxListed ? ` (+${n - maxListed} more)` : ''}</p>
${c.example ? html`<p>e.g. ${c.example}</p>` : ''}
${c.remediation ? html`<p><b>Fix:</b> ${c.remediation.text}</p>` : ''}
${command ? html`<div class="cmd"><pre id="${cmdId}">${command}</pre><button type="button" data-copy="${cmdId}">Copy</button></div>${n > 1 ? html`<p class="note">Shown for the first affected resource; repeat for each.</p>` : ''}` : ''}
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
<table class="control-table"><thead><tr><th>Control</th><th>Status</th><th>Title</th><th>Why</th><th>Evidence</th></tr></thead><tbody>${list.map((c) => {
      const named = c.failing.length > 0 ? c.failing : c.status === 'not evaluated' ? c.unevaluated : [];
      return html`<tr><td><code>${c.controlId}</code></td><td class="status" style="color:${CONTROL_COLOURS[c.status]}">${c.status.toUpperCase()}</td><td>${c.title}</td><td>${c.statusDetail}${named.length > 0 ? html`: ${named.slice(0, maxListed).join(', ')}${named.length > maxListed ? ` (+${named.length - maxListed} more)` : ''}` : ''}${c.waived.length > 0 ? html`; waived: ${c.waived.slice(0, maxListed).join(', ')}` : ''}</td><td>${c.rules.length === 0 ? 'none' : c.rules.map((r) => html`<div><code>${r.ruleId}</code>${r.evidence === 'failures' ? ' (failures only)' : ''}: ${r.rationale}</div>`)}</td></tr>`;
    })}</tbody></table>`;
  })}`;
}

const scopeLabel = (s: ScopeSummary): string => [s.accountId, s.region, s.vpcId].filter((x) => x !== undefined).join(' / ');

/** Renders the self-contained HTML report. */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const maxMessages = options.maxMessages ?? 250_000;
  const maxListed = options.maxListed ?? 30;
  const { summary, provenance } = report;
  const src = provenance.source;

  // Table data, columnar so 100k instances × rules stays a file a browser opens.
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
  report.results.forEach((r, i) => {
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
  };

  const readiness = report.rootCauses.filter((c) => c.kind === 'readiness');
  const patching = report.rootCauses.filter((c) => c.kind === 'patching');
  const findings = report.rootCauses.filter((c) => c.kind === 'finding');
  const errors = report.rootCauses.filter((c) => c.kind === 'error');
  const unverified = report.rootCauses.filter((c) => c.kind === 'unverified');
  const notes = report.rootCauses.filter((c) => c.kind === 'note');
  const scopeText = [src.accounts.length ? `accounts ${src.accounts.join(', ')}` : '', src.regions.join(', ')].filter(Boolean).join(' · ');
  const vpcRows = [...report.scopes.vpcs].sort((a, b) => b.instances - a.instances).slice(0, 20);
  const figure = (label: string, value: number | string): SafeHtml => html`<div class="figure"><b>${value}</b>${label}</div>`;

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
<header>
<h1>Systems Manager readiness report</h1>
<p class="meta">${scopeText} · evaluated ${provenance.evaluatedAt} · policy <code>${provenance.policy}</code> · ssmguard ${report.tool.version}</p>
<nav><a href="#summary">Summary</a><a href="#root-causes">Root causes</a>${patching.length ? html`<a href="#patching">Patching</a>` : ''}<a href="#findings">Findings</a>${report.controls ? html`<a href="#controls">Controls</a>` : ''}<a href="#results">Results</a><a href="#chain">Instance chain</a><a href="#waivers">Waivers</a><a href="#provenance">Provenance</a></nav>
</header>
<section id="summary">
<h2>Summary</h2>
<div class="figures">
${figure('EC2 instances', summary.instances)}
${figure('with an unbroken readiness chain', summary.readyInstances)}
${figure('not ready (waived: a waived link is still broken)', summary.waivedInstances)}
${figure('non-compliant results', summary.byStatus.NON_COMPLIANT)}
${figure(`resources could not be evaluated (${summary.byStatus.ERROR} results)`, summary.unevaluated.resources)}
${figure('waived results', summary.byStatus.WAIVED)}
${figure('rules', summary.rules)}
${figure('evaluations', summary.evaluations)}
</div>
<p>Non-compliant results by severity: ${(['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => html`${severityBadge(s)} ${summary.findingsBySeverity[s]} `)}</p>
${legend}
${stackedBars('Compliance by rule', report.rules.map((r) => ({ label: r.ruleId, counts: r.counts })))}
${stackedBars('Compliance by account and VPC', [...report.scopes.accounts.map((s) => ({ label: `account ${s.accountId}`, counts: s.counts })), ...vpcRows.map((s) => ({ label: scopeLabel(s), counts: s.counts }))])}
${report.rootCauses.length ? causeBars(report.rootCauses) : ''}
</section>
<section id="root-causes">
<h2>Root causes — why instances cannot be managed by Systems Manager</h2>
${readiness.length ? causeSection(readiness, 'rc', maxListed) : html`<p>${summary.waivedInstances > 0 ? readinessHeadline(summary) : 'Every instance has an unbroken readiness chain.'}</p>`}
</section>${patching.length ? html`
<section id="patching">
<h2>Patching — why managed instances are not patched</h2>
${causeSection(patching, 'p', maxListed)}
</section>` : ''}
<section id="findings">
<h2>Other findings</h2>
${findings.length ? causeSection(findings, 'f', maxListed) : html`<p>None.</p>`}
${errors.length ? html`<h2>Could not evaluate: ${unevaluatedCount(summary)} (never counted as compliant)</h2>${causeSection(errors, 'e', maxListed)}` : ''}
${unverified.length ? html`<h2>Cannot be verified from this account (neither a pass nor a failure)</h2>${causeSection(unverified, 'u', maxListed)}` : ''}
${notes.length ? html`<h2>Notes — compliant, but worth a look</h2>${causeSection(notes, 'n', maxListed)}` : ''}
</section>${report.controls ? html`
<section id="controls">
<h2>Controls</h2>
${controlSection(report.controls, maxListed)}
</section>` : ''}
<section id="results">
<h2>Results</h2>
<div class="controls">
<input id="f-text" type="search" placeholder="Search resource, name, account, VPC, rule, message" aria-label="Search">
<select id="f-status" aria-label="Status"><option value="">All statuses</option><option value="FAILING">Non-compliant or error</option>${REPORT_STATUSES.map((s) => html`<option value="${s}">${statusLabel(s)}</option>`)}</select>
<select id="f-severity" aria-label="Severity"><option value="">All severities</option>${(['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => html`<option value="${s}">${s}</option>`)}</select>
<select id="f-rule" aria-label="Rule"><option value="">All rules</option>${report.rules.map((r) => html`<option value="${r.ruleId}">${r.ruleId}</option>`)}</select>
</div>
<p><span id="results-count"></span> · <button type="button" id="page-prev">Previous</button> <span id="page-info"></span> <button type="button" id="page-next">Next</button></p>
${omitted > 0 ? html`<p class="note">${omitted} messages left out to keep the file small; the JSON report has them all.</p>` : ''}
<table class="results"><colgroup><col style="width:12%"><col style="width:9%"><col style="width:8%"><col style="width:6%"><col style="width:10%"><col style="width:12%"><col style="width:6%"><col style="width:9%"><col></colgroup><thead><tr><th>Resource</th><th>Name</th><th>Account</th><th>Region</th><th>VPC</th><th>Rule</th><th>Severity</th><th>Status</th><th>Detail</th></tr></thead><tbody id="results-body"></tbody></table>
</section>
<section id="chain">
<h2>Instance chain</h2>
<p>Pick a resource in the table, or enter its id: <input id="chain-id" aria-label="Resource id"> <button type="button" id="chain-go">Show</button></p>
<div id="chain-view"></div>
</section>
<section id="waivers">
<h2>Waivers</h2>
${report.waivers.length === 0
    ? html`<p>No waivers in the policy.</p>`
    : html`<table><thead><tr><th>Waiver</th><th>State</th><th>Rule</th><th>Scope</th><th>Reason</th><th>Owner</th><th>Expires</th><th>Ticket</th><th>Results</th></tr></thead><tbody>${report.waivers.map(
        (w) =>
          html`<tr><td>${w.id}</td><td class="status">${w.state}</td><td>${w.ruleId}</td><td>${formatWaiverScope(w.scope)}</td><td>${w.reason}</td><td>${w.owner}</td><td>${w.expires}</td><td>${w.ticket ?? ''}</td><td>${w.results}</td></tr>`,
      )}</tbody></table>`}
</section>
<section id="provenance">
<h2>Provenance</h2>
<dl class="prov">
<dt>Source kind</dt><dd>${src.kind}</dd>
<dt>Sources read</dt><dd>${src.inputs.join(', ')}</dd>
<dt>Collected</dt><dd>${src.collectedAt ?? 'unknown'}</dd>
<dt>Evaluated at</dt><dd>${provenance.evaluatedAt}</dd>
<dt>Accounts</dt><dd>${src.accounts.join(', ')}</dd>
<dt>Regions</dt><dd>${src.regions.join(', ')}</dd>
<dt>Input hash</dt><dd>${provenance.inputHash ?? 'not computed'}</dd>
<dt>Policy</dt><dd>${provenance.policy}${provenance.policyFile ? ` (${provenance.policyFile})` : ''}</dd>
<dt>Rules</dt><dd>${provenance.rules.map((r) => `${r.id} (${r.severity})`).join(', ')}</dd>
<dt>Tool</dt><dd>ssmguard ${provenance.toolVersion}</dd>
</dl>
</section>
<script type="application/json" id="ssmguard-data">${new SafeHtml(jsonForScript(neutraliseDeep(data)))}</script>
<script>${new SafeHtml(CLIENT)}</script>
</body>
</html>
`;
  return page.value;
}
