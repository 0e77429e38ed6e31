import type { LatencySummaryMs } from '../../metrics/histogram.js';
import type { EnvironmentInfo } from '../../results/model.js';
import type { RateStats } from '../../metrics/rateStats.js';
import type { ChartSpec } from './chartData.js';
import type { ChartLibrary } from './chartLibrary.js';
import { loadClientScript } from './clientBundle.js';
import { escapeHtml as esc, jsonForScript, scriptForInline } from './escape.js';
import type { TopologyView } from './topology.js';

/** HTML fragments of the report. Every piece of result text goes through esc(); numbers are formatted here. */

export const fmtRate = (x: number): string => Math.round(x).toLocaleString('en-US');
export const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const fmtSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Cells are HTML (escape text first); a row shorter than the head ends in a cell spanning the rest.
 * In a "num" table every column but the first is right-aligned, except `textColumns` (indexes).
 */
export function table(
  head: string[],
  rows: string[][],
  opts: { className?: string; id?: string; rowClasses?: Array<string | undefined>; textColumns?: number[] } = {},
): string {
  const cls = (opts.className ? ` class="${esc(opts.className)}"` : '') + (opts.id ? ` id="${esc(opts.id)}"` : '');
  const text = new Set(opts.textColumns ?? []);
  const body = rows
    .map((r, i) => {
      const rc = opts.rowClasses?.[i];
      // A short row's last cell spans the remaining columns (e.g. "skipped: why" across the numbers).
      const span = head.length - r.length + 1;
      const cells = r.map((c, j) =>
        j === r.length - 1 && span > 1 ? `<td colspan="${span}" class="span">${c}</td>` : text.has(j) ? `<td class="text">${c}</td>` : `<td>${c}</td>`,
      );
      return `<tr${rc ? ` class="${esc(rc)}"` : ''}>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table${cls}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A chart's frame; the canvas is filled in by the page script from the embedded data. */
export function chartFigure(spec: ChartSpec, note?: string): string {
  const size = spec.type === 'throughput' || spec.type === 'depth' ? 'small' : 'large';
  // A capacity chart of many curves shows one latency figure at a time; the page script wires the selector.
  const selector =
    spec.type === 'capacity' && spec.choices
      ? `<p class="controls"><label>Latency shown: <select id="${esc(spec.id)}-metric">${spec.choices
          .map((c, i) => `<option value="${i}"${i === 0 ? ' selected' : ''}>${esc(c.label)}</option>`)
          .join('')}</select></label></p>`
      : '';
  return `<figure class="chart ${size}"><figcaption>${esc(spec.title)}</figcaption>${selector}<div class="canvas-box"><canvas id="${esc(spec.id)}" role="img" aria-label="${esc(spec.title)}"></canvas></div>${
    note ? `<p class="note">${note}</p>` : ''
  }</figure>`;
}

/** The machine a result was measured on, in one line (plain text: escape it). */
export function environmentLine(env: EnvironmentInfo | undefined): string {
  if (!env) return '';
  const load = env.loadAverage ? `; load average ${env.loadAverage.before ? `${env.loadAverage.before.join(' ')} before, ` : ''}${env.loadAverage.after.join(' ')} after` : '';
  return `mqbench ${env.mqbenchVersion}, Node ${env.nodeVersion} on ${env.hostname} (${env.os.platform} ${env.os.arch}, ${env.cpu.count} × ${env.cpu.model})${load}`;
}

export function noData(title: string, why: string): string {
  return `<figure class="chart nodata"><figcaption>${esc(title)}</figcaption><p class="note">${esc(why)}</p></figure>`;
}

export function rateTable(rates: { published: RateStats; confirmed: RateStats; consumed: RateStats }): string {
  const row = (name: string, s: RateStats): string[] => [
    esc(name),
    fmtRate(s.overallMsgsPerS),
    `± ${fmtRate(s.stddevMsgsPerS)}`,
    `${fmtRate(s.minMsgsPerS)} … ${fmtRate(s.maxMsgsPerS)}`,
    fmtRate(s.total),
  ];
  return table(
    ['throughput', 'msgs/s (overall)', 'stddev per interval', 'min … max per interval', 'messages'],
    [row('published', rates.published), row('confirmed', rates.confirmed), row('consumed', rates.consumed)],
    { className: 'num' },
  );
}

export function latencyTable(rows: Array<{ name: string; s: LatencySummaryMs }>): string {
  return table(
    ['latency (ms)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max'],
    rows.map(({ name, s }) => [esc(name), fmtRate(s.count), ...[s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.p9999Ms, s.maxMs].map(fmtMs)]),
    { className: 'num' },
  );
}

export function topologyHtml(view: TopologyView | null): string {
  if (!view) return '<p class="note">This result has no cluster section (written by an older mqbench).</p>';
  const parts = [`<p>${esc(view.summary)}</p>`];
  if (view.error) parts.push(`<p class="warn">Topology incomplete: ${esc(view.error)}</p>`);
  const when = [view.capturedBefore && `before: ${view.capturedBefore}`, view.capturedAfter && `after: ${view.capturedAfter}`].filter(Boolean).join(' · ');
  if (view.nodes.length > 0) {
    parts.push(
      table(
        ['node', 'type', 'running', 'alarms'],
        view.nodes.map((n) => [esc(n.name), esc(n.type), esc(n.running), esc(n.alarms)]),
        { rowClasses: view.nodes.map((n) => (n.changed ? 'changed' : undefined)) },
      ),
    );
  }
  if (view.queues.length > 0) {
    parts.push(
      table(
        ['queue', 'type', 'leader', 'members', 'online', 'messages'],
        view.queues.map((q) => [esc(q.name), esc(q.type), esc(q.leader), esc(q.members), esc(q.online), esc(q.messages)]),
        { rowClasses: view.queues.map((q) => (q.changed ? 'changed' : undefined)) },
      ),
    );
  }
  if (view.nodes.length === 0 && view.queues.length === 0) parts.push('<p class="note">No topology was captured.</p>');
  else parts.push(`<p class="note">Values read “before → after” where the run changed them (highlighted). Captured ${esc(when)}.</p>`);
  return parts.join('\n');
}

export function jsonDetails(summary: string, value: unknown, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${esc(summary)}</summary><pre>${esc(JSON.stringify(value, null, 2) ?? 'null')}</pre></details>`;
}

const CSS = `
:root { --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #0f172a; color: #f8fafc; padding: 20px 32px 14px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header .meta { margin: 0; color: #cbd5e1; font-size: 13px; }
nav { padding: 8px 32px; background: #1e293b; font-size: 13px; }
nav a { color: #bfdbfe; margin-right: 18px; text-decoration: none; }
main { padding: 8px 32px 32px; max-width: 1500px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 20px 16px; margin: 16px 0; }
h2 { font-size: 18px; margin: 12px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
h4 { font-size: 13.5px; margin: 12px 0 4px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; font-weight: 600; }
table.num td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
table.num td.span { text-align: left; color: var(--muted); }
table.num td.text { text-align: left; }
tr.changed td { background: #fef9c3; }
tr.failed td { background: #fee2e2; }
table.compact { font-size: 12px; }
table.compact td, table.compact th { padding: 2px 8px; }
.verdict { padding: 6px 10px; border-radius: 6px; border: 1px solid; display: inline-block; margin: 6px 0; }
.verdict-ok { background: #dcfce7; border-color: #86efac; color: #14532d; }
.verdict-lost, .verdict-failed { background: #fee2e2; border-color: #fca5a5; color: #7f1d1d; }
.verdict-interrupted { background: #fef3c7; border-color: #fcd34d; color: #78350f; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure.chart { margin: 8px 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.canvas-box { position: relative; height: 360px; }
figure.small .canvas-box { height: 280px; }
.controls { margin: 2px 0 6px; font-size: 13px; }
.controls select { font: inherit; padding: 1px 4px; }
p.headline { font-size: 16px; }
small.bad { color: #b91c1c; }
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0; }
.warn { background: #fee2e2; border: 1px solid #fca5a5; border-radius: 6px; padding: 6px 10px; color: #7f1d1d; }
.values code { background: #f1f5f9; padding: 1px 5px; border-radius: 4px; margin-right: 6px; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--accent); }
pre { background: #0f172a; color: #e2e8f0; padding: 12px; border-radius: 6px; overflow: auto; max-height: 600px; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; padding: 0 32px 24px; }
`;

export interface PageInput {
  title: string;
  /** Already HTML. */
  meta: string;
  banner: string | null;
  nav: Array<{ href: string; text: string }>;
  /** Already HTML. */
  body: string;
  charts: ChartSpec[];
  library: ChartLibrary;
  footer: string;
}

/** The whole self-contained page: styles, Chart.js, the chart data and the script that draws it, inline. */
export function page(input: PageInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mqbench report">
<title>${esc(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(input.title)}</h1><p class="meta">${input.meta}</p></header>
<nav>${input.nav.map((n) => `<a href="${esc(n.href)}">${esc(n.text)}</a>`).join('')}</nav>
<main>
${input.banner ? `<p class="warn">${input.banner}</p>` : ''}
${input.body}
</main>
<footer>${input.footer}</footer>
<script>${scriptForInline(input.library.source)}</script>
<script type="application/json" id="mqbench-data">${jsonForScript({ charts: input.charts })}</script>
<script>${scriptForInline(loadClientScript())}</script>
</body>
</html>
`;
}
