// The HTML report's script: parses the embedded JSON and renders the results table (a page at a time on screen,
// every row for print), the filters (Enter applies them; nothing submits or reloads the page), "show in table" per
// root cause and the per-instance chain, with createElement/textContent only, so AWS text stays text.

export const HTML_CLIENT = `
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
  var matches = [], page = 0, cause = null;
  // A browser may break a line after a hyphen or a slash: words holding one are set unbreakable (.id).
  var BREAKABLE = /[-\\/?&+=]/;
  function isBreakable(word) { return BREAKABLE.test(word.replace(/^[("']+|[)"'.,;:!]+$/g, '')); }

  function statusOf(i) { return data.statuses[data.st.charCodeAt(i) - 48]; }
  function statusColour(s) { return data.colours[s] || '#000'; }
  function textCell(text, cls) {
    var td = el('td', undefined, cls);
    String(text).split(/(\\s+)/).forEach(function (part) {
      if (part === '') return;
      if (!/^\\s/.test(part) && isBreakable(part)) td.appendChild(el('span', part, 'id'));
      else td.appendChild(document.createTextNode(part));
    });
    return td;
  }
  function detail(i) { var w = waiverOf.get(i); return (messages.get(i) || '') + (w ? ' [waiver ' + w + ']' : ''); }
  /** One row of the results table; on screen the resource id opens its chain, in print it is text. */
  function row(i, forPrint) {
    var res = data.resources[data.res[i]], r = data.rules[data.rule[i]], status = statusOf(i);
    var tr = el('tr');
    var idCell = el('td', undefined, 'ident');
    if (forPrint) idCell.textContent = res[0];
    else {
      var b = el('button', res[0], 'link'); b.type = 'button';
      b.addEventListener('click', function () { showChain(data.res[i]); });
      idCell.appendChild(b);
    }
    tr.appendChild(idCell);
    tr.appendChild(textCell(res[5] || ''));
    tr.appendChild(el('td', res[2], 'ident scope-col'));
    tr.appendChild(el('td', res[3], 'ident scope-col'));
    tr.appendChild(el('td', res[4] || '', 'ident'));
    tr.appendChild(el('td', r[0], 'ident'));
    tr.appendChild(el('td', r[3], 'ident'));
    var s = el('td', data.labels[status], 'status ident'); s.style.color = statusColour(status); tr.appendChild(s);
    tr.appendChild(textCell(detail(i), 'msg'));
    return tr;
  }
  function filter() {
    clearTimeout(timer);
    var text = search.value.trim().toLowerCase();
    var st = fStatus.value, sev = fSeverity.value, rule = fRule.value;
    matches = [];
    for (var i = 0; i < n; i++) {
      if (cause && !cause.rows.has(i)) continue;
      var status = statusOf(i);
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
    matches.slice(start, start + PAGE).forEach(function (i) { body.appendChild(row(i, false)); });
    count.textContent = matches.length + ' of ' + n + ' results';
    pageInfo.textContent = 'page ' + (page + 1) + ' of ' + pages;
  }
  function showCause(k) {
    cause = { k: k, rows: new Set(data.causes[k]) };
    search.value = ''; fStatus.value = ''; fSeverity.value = ''; fRule.value = '';
    q('cause-filter-text').textContent = 'Showing the ' + data.causes[k].length + (data.causes[k].length === 1 ? ' result' : ' results') + ' of: ' + data.causeLabels[k];
    q('cause-filter').hidden = false;
    filter();
  }
  function clearCause() { cause = null; q('cause-filter').hidden = true; filter(); }
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
      var r = data.rules[data.rule[i]], status = statusOf(i);
      var tr = el('tr');
      tr.appendChild(el('td', r[2], 'ident')); tr.appendChild(textCell(r[0] + ' — ' + r[1]));
      var s = el('td', data.labels[status], 'status ident'); s.style.color = statusColour(status); tr.appendChild(s);
      tr.appendChild(textCell(detail(i), 'msg'));
      table.appendChild(tr);
    });
    view.appendChild(table);
    view.scrollIntoView();
  }
  function chainById() {
    var id = q('chain-id').value.trim();
    var idx = data.resources.findIndex(function (r) { return r[0] === id; });
    if (idx >= 0) showChain(idx); else q('chain-view').replaceChildren(el('p', 'No resource ' + id + ' in this report.', 'note'));
  }
  /** Every row, in the same order, for print (up to printMax: a browser prints a few thousand pages at most). */
  function printRows() {
    var printBody = q('print-body');
    var last = Math.min(n, data.printMax);
    for (var i = 0; i < last; i++) printBody.appendChild(row(i, true));
  }
  var timer;
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(filter, 150); });
  [fStatus, fSeverity, fRule].forEach(function (s) { s.addEventListener('change', filter); });
  // Enter in a field submits its form: apply it here, and never let the page submit (and reload).
  q('filters').addEventListener('submit', function (e) { e.preventDefault(); filter(); });
  q('chain-form').addEventListener('submit', function (e) { e.preventDefault(); chainById(); });
  q('page-prev').addEventListener('click', function () { if (page > 0) { page--; render(); } });
  q('page-next').addEventListener('click', function () { if ((page + 1) * PAGE < matches.length) { page++; render(); } });
  q('cause-clear').addEventListener('click', clearCause);
  Array.prototype.forEach.call(document.querySelectorAll('button[data-cause]'), function (b) {
    b.addEventListener('click', function () { showCause(Number(b.getAttribute('data-cause'))); q('results').scrollIntoView(); });
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
  printRows();
})();
`;
