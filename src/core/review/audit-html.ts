import type { AuditCharts } from './audit-charts';
import type { AuditDocument } from './audit-document';
import { printable } from './packet';

/**
 * The audit as one HTML page (`audit --format html`, and the extension's dashboard): the totals, plots of the
 * audit's series (Chart.js, given to it: inlined for the self-contained file, a webview URI in VS Code), the
 * exceptions and the AI-assisted changes. Every value from a commit is escaped; the page allows only its own
 * scripts (a nonce) and no network.
 */

export interface AuditHtmlOptions {
  /** Chart.js: its source, inlined (a self-contained file), or a URI the page may load (a webview). */
  chartJs: { inline: string } | { src: string };
  /** The nonce that marks the page's own scripts and styles. */
  nonce: string;
  /** Extra CSP sources for scripts (a webview's `cspSource`), when Chart.js is loaded by URI. */
  scriptSource?: string;
  /** When the page was made (ISO), shown at the top. */
  generatedAt: string;
}

/** Text for HTML content and attribute values: escaped, control and invisible characters shown by their code. */
export function escapeHtml(text: string): string {
  return printable(text).replace(
    /[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON inside a <script> element: nothing in it can end the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa; --line: #d1d9e0;
  --ai: #8250df; --human: #0969da; --ok: #1a7f37; --bad: #cf222e; --neutral: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23;
  --line: #3d444d; --ai: #ab7df8; --human: #4493f8; --ok: #3fb950; --bad: #f85149; --neutral: #d29922; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card .n { font-size: 24px; font-weight: 600; } .card.bad .n { color: var(--bad); } .card.ok .n { color: var(--ok); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; } figure .note { font-size: 12px; color: var(--muted); }
.plot { position: relative; height: 260px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.status-exception { color: var(--bad); font-weight: 600; } .status-signed-off { color: var(--ok); }
`;

const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('audit-data').textContent);
  var charts = data.charts;
  var css = getComputedStyle(document.documentElement);
  var color = function (name) { return css.getPropertyValue(name).trim(); };
  Chart.defaults.animation = false;
  Chart.defaults.color = color('--muted');
  Chart.defaults.borderColor = color('--line');
  Chart.defaults.maintainAspectRatio = false;
  var palette = ['--ai', '--human', '--ok', '--neutral', '--bad'].map(color)
    .concat(['#bf3989', '#1b7c83', '#953800', '#6e7781', '#4d2d00']);
  var made = {};
  function plot(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) made[id] = new Chart(canvas, config);
  }
  plot('chart-share', { data: { labels: charts.periods, datasets: [
    { type: 'bar', label: 'lines added', data: charts.share.added, backgroundColor: color('--human'), yAxisID: 'lines', order: 2 },
    { type: 'bar', label: 'AI lines', data: charts.share.aiLines, backgroundColor: color('--ai'), yAxisID: 'lines', order: 1 },
    { type: 'line', label: 'AI share (%)', data: charts.share.percent, borderColor: color('--neutral'),
      backgroundColor: color('--neutral'), yAxisID: 'share', order: 0 } ] },
    options: { scales: { lines: { position: 'left', beginAtZero: true },
      share: { position: 'right', beginAtZero: true, suggestedMax: 100, grid: { drawOnChartArea: false } } } } });
  plot('chart-coverage', { type: 'bar', data: { labels: charts.periods, datasets: [
    { label: 'signed off', data: charts.coverage.signedOff, backgroundColor: color('--ok') },
    { label: 'no sign-off needed', data: charts.coverage.notNeeded, backgroundColor: color('--muted') },
    { label: 'exceptions', data: charts.coverage.exceptions, backgroundColor: color('--bad') } ] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } } });
  function bars(id, rows, label, key, axis) {
    plot(id, { type: 'bar', data: { labels: rows.map(function (r) { return r.label; }), datasets: [
      { label: label, data: rows.map(function (r) { return r[key]; }),
        backgroundColor: rows.map(function (_, i) { return palette[i % palette.length]; }) } ] },
      options: { indexAxis: axis, plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  }
  bars('chart-tools', charts.byTool, 'AI lines', 'lines', 'y');
  bars('chart-models', charts.byModel, 'AI lines', 'lines', 'y');
  plot('chart-folders', { type: 'bar', data: { labels: charts.byFolder.map(function (f) { return f.label; }), datasets: [
    { label: 'lines added', data: charts.byFolder.map(function (f) { return f.added; }), backgroundColor: color('--human') },
    { label: 'AI lines', data: charts.byFolder.map(function (f) { return f.aiLines; }), backgroundColor: color('--ai') } ] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true } } } });
  plot('chart-delay', { type: 'bar', data: { labels: charts.signoffDelay.labels, datasets: [
    { label: 'AI commits', data: charts.signoffDelay.counts, backgroundColor: color('--ai') } ] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  plot('chart-load', { type: 'bar', data: { labels: charts.reviewerLoad.map(function (r) { return r.label; }), datasets: [
    { label: 'AI commits signed off', data: charts.reviewerLoad.map(function (r) { return r.commits; }), backgroundColor: color('--ok') },
    { label: 'changes', data: charts.reviewerLoad.map(function (r) { return r.changes; }), backgroundColor: color('--human') } ] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
  window.auditCharts = made;
  var drawn = Object.keys(made).length;
  document.body.setAttribute('data-rendered', String(drawn));
  if (typeof acquireVsCodeApi === 'function') acquireVsCodeApi().postMessage({ rendered: drawn });
})();
`;

function figure(id: string, caption: string, note: string): string {
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption><div class="plot"><canvas id="${id}" role="img" aria-label="${escapeHtml(caption)}"></canvas></div><div class="note">${escapeHtml(note)}</div></figure>`;
}

const day = (iso: string): string => iso.slice(0, 10);

export function renderAuditHtml(doc: AuditDocument, charts: AuditCharts, options: AuditHtmlOptions): string {
  const t = doc.totals;
  const nonce = escapeHtml(options.nonce);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'${options.scriptSource ? ` ${options.scriptSource}` : ''}`,
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
  ].join('; ');
  const share = t.linesAdded > 0 ? `${Math.round((1000 * (t.aiLines + t.mixedLines)) / t.linesAdded) / 10}%` : '-';
  const card = (n: string | number, label: string, cls = ''): string =>
    `<div class="card ${cls}" data-total="${escapeHtml(label)}"><div class="n">${escapeHtml(String(n))}</div><div class="muted">${escapeHtml(label)}</div></div>`;
  const period =
    doc.since || doc.until
      ? `from ${doc.since ? day(doc.since) : 'the start'} to ${doc.until ? day(doc.until) : 'now'}`
      : 'all history';
  const exceptions = doc.changes.filter(c => c.status === 'exception');
  const ai = doc.changes.filter(c => c.aiAssisted || c.status === 'exception');
  const how = (c: AuditDocument['changes'][number]): string =>
    c.kind === 'merge' ? 'merge' : c.via === 'kept-branch' ? 'squash' : 'commit';
  const signers = (c: AuditDocument['changes'][number]): string =>
    [...new Set(c.signoffs.filter(s => s.defects.length === 0 && s.reviewer).map(s => s.reviewer!.email))]
      .map(escapeHtml)
      .join(', ');
  const chartTag =
    'inline' in options.chartJs
      ? `<script nonce="${nonce}">${options.chartJs.inline.replace(/<\/script/gi, '<\\/script')}</script>`
      : `<script nonce="${nonce}" src="${escapeHtml(options.chartJs.src)}"></script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI sign-off audit: ${escapeHtml(doc.branch.rev)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1>AI sign-off audit: ${escapeHtml(doc.branch.rev)}</h1>
<div class="muted">Branch ${escapeHtml(doc.branch.rev)} at <code>${escapeHtml(doc.branch.id)}</code>, changes that landed ${escapeHtml(period)}. Made ${escapeHtml(options.generatedAt)}; ${doc.keptRefs} kept evidence refs read.</div>
<div class="cards">
${card(t.changes, 'changes')}
${card(t.aiAssisted, 'AI-assisted')}
${card(t.needSignoff, 'needed sign-off')}
${card(t.signedOff, 'signed off', 'ok')}
${card(t.exceptions, 'exceptions', t.exceptions > 0 ? 'bad' : 'ok')}
${card(share, 'AI share of added lines')}
</div>
<div class="grid">
${figure('chart-share', 'AI share of added lines over time', `Per ${charts.bucket}: lines the changes added (git) and their AI lines (AI-Attribution, ai + mixed).`)}
${figure('chart-coverage', 'Sign-off coverage over time', `Per ${charts.bucket}: AI-assisted changes signed off, below the policy's threshold, and exceptions.`)}
${figure('chart-tools', 'AI lines by tool', 'From AI-Attribution (tool/kind).')}
${figure('chart-models', 'AI lines by model', 'From Assisted-by: a commit naming several models, or none, is counted apart.')}
${figure('chart-folders', 'By top-level folder', 'Lines added (git) and AI lines (line-level notes; commits without one are under "(no note)").')}
${figure('chart-delay', 'Time from AI commit to sign-off', 'Author time of each signed-off AI commit to its first counting sign-off.')}
${figure('chart-load', "Each senior's review load", 'AI commits and changes their verified sign-offs count for.')}
</div>
<h2>Exceptions (${exceptions.length})</h2>
${
  exceptions.length === 0
    ? '<p>None: every AI-assisted change that needed a sign-off had one.</p>'
    : `<table id="exceptions"><thead><tr><th>landed</th><th>change</th><th>how</th><th>exception</th></tr></thead><tbody>${exceptions
        .map(
          c =>
            `<tr><td>${day(c.landedAt)}</td><td><code>${escapeHtml(c.id.slice(0, 10))}</code> ${escapeHtml(c.subject)}</td><td>${how(c)}</td><td>${c.exceptions
              .map(e => `<b>${escapeHtml(e.code)}</b>: ${escapeHtml(e.detail)}`)
              .join('<br>')}</td></tr>`,
        )
        .join('')}</tbody></table>`
}
<h2>AI-assisted changes (${ai.length})</h2>
<table id="changes"><thead><tr><th>landed</th><th>change</th><th>how</th><th>status</th><th class="num">AI lines</th><th class="num">removed by AI</th><th>signed off by</th></tr></thead><tbody>${ai
    .map(
      c =>
        `<tr><td>${day(c.landedAt)}</td><td><code>${escapeHtml(c.id.slice(0, 10))}</code> ${escapeHtml(c.subject)}</td><td>${how(c)}</td><td class="status-${c.status}">${c.status}</td><td class="num">${c.aiLines + c.mixedLines}</td><td class="num">${c.deletedByAi}</td><td>${signers(c)}</td></tr>`,
    )
    .join('')}</tbody></table>
<script type="application/json" id="audit-data">${scriptJson({ totals: doc.totals, charts })}</script>
${chartTag}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
