/**
 * Latency against achieved throughput: x = consumed msgs/s, y = latency on a log axis. One curve:
 * a colour per latency figure. Several (matrix cells): a colour per cell, and a selector (when the
 * spec has choices) showing one figure at a time. Data stays in measuring order, so Chart.js parses
 * it (a line may turn back left when less was achieved at a higher target).
 */

import type { Chart, ChartConfiguration, ChartDataset, PointStyle } from 'chart.js';
import { CURVE_METRIC_LABEL, type CapacityChart, type CurveMetric, type CurvePoint, type SearchPoints } from '../chartSpec.js';
import { alpha, axisTitle, color, fmtMs, fmtRate } from './format.js';
import { byDataset } from './legend.js';

const METRIC_COLOR: Record<CurveMetric, string> = { e2eP50: '#60a5fa', e2eP99: '#1d4ed8', confirmP50: '#f59e0b', confirmP99: '#b45309' };
const METRIC_DASH: Record<CurveMetric, number[]> = { e2eP50: [], e2eP99: [], confirmP50: [6, 3], confirmP99: [6, 3] };
const METRIC_WIDTH: Record<CurveMetric, number> = { e2eP50: 1.5, e2eP99: 2.5, confirmP50: 1.5, confirmP99: 2.5 };
const SEARCH_LABEL: Record<SearchPoints['kind'], string> = {
  sustained: 'search: sustained (e2e p99)',
  notSustained: 'search: not sustained (e2e p99)',
  probe: 'probe: full speed (e2e p99)',
};
const SEARCH_STYLE: Record<SearchPoints['kind'], PointStyle> = { sustained: 'circle', notSustained: 'crossRot', probe: 'rectRot' };

/** What the page keeps per dataset of a capacity chart, beside what Chart.js draws. */
export interface CapacityDatasetInfo {
  /** The latency figure drawn (search and probe points: e2e p99). */
  metric: CurveMetric;
  /** Faint search / probe points, drawn in the legend as their marks. */
  search: boolean;
  /** Hidden by the selector (and then left out of the legend). */
  offChoice: boolean;
}

/** Log-axis ticks at 1, 2 and 5 times a power of ten; other ticks unlabelled. */
function logTick(value: number | string): string {
  const v = Number(value);
  const e = Math.pow(10, Math.floor(Math.log10(v)));
  const m = Math.round(v / e);
  return (m === 1 || m === 2 || m === 5) && Math.abs(v - m * e) < 1e-9 * e ? Number(v.toPrecision(1)).toLocaleString('en-US') : '';
}

export function capacityConfig(spec: CapacityChart): { config: ChartConfiguration<'line', CurvePoint[]>; info: CapacityDatasetInfo[] } {
  const many = spec.curves.length > 1;
  const shown = spec.choices ? spec.choices[0]!.metrics : null;
  const hidden = (metric: CurveMetric): boolean => (shown ? shown.indexOf(metric) < 0 : false);
  const prefix = (curve: number): string => (many ? spec.curves[curve] + ': ' : '');
  // One range for every figure (the selector does not rescale), padded so no point sits on the frame.
  let lo = Infinity;
  let hi = 0;
  [...spec.lines, ...spec.searchPoints].forEach((l) =>
    l.points.forEach((p) => {
      lo = Math.min(lo, p.y);
      hi = Math.max(hi, p.y);
    }),
  );
  const datasets: Array<ChartDataset<'line', CurvePoint[]>> = [];
  const info: CapacityDatasetInfo[] = [];
  spec.lines.forEach((l) => {
    const c = many ? color(l.curve) : METRIC_COLOR[l.metric];
    datasets.push({
      label: prefix(l.curve) + CURVE_METRIC_LABEL[l.metric],
      data: l.points,
      borderColor: c,
      backgroundColor: c,
      borderDash: METRIC_DASH[l.metric],
      borderWidth: METRIC_WIDTH[l.metric],
      pointRadius: 3,
      pointHoverRadius: 5,
      hidden: hidden(l.metric),
    });
    info.push({ metric: l.metric, search: false, offChoice: false });
  });
  spec.searchPoints.forEach((g) => {
    const base = many ? color(g.curve) : '#475569';
    datasets.push({
      label: prefix(g.curve) + SEARCH_LABEL[g.kind],
      data: g.points,
      showLine: false,
      pointStyle: SEARCH_STYLE[g.kind],
      pointRadius: 5,
      pointHoverRadius: 6,
      borderWidth: 1.5,
      borderColor: alpha(base, 0.5),
      backgroundColor: alpha(base, 0.18),
      hidden: hidden('e2eP99'),
    });
    info.push({ metric: 'e2eP99', search: true, offChoice: false });
  });
  const config: ChartConfiguration<'line', CurvePoint[]> = {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: { type: spec.axes.x.type, beginAtZero: true, title: axisTitle(spec.axes.x.title), ticks: { callback: (v) => fmtRate(v) } },
        y: { type: spec.axes.y.type, title: axisTitle(spec.axes.y.title), min: lo / 1.5, max: hi * 1.5, ticks: { callback: logTick } },
      },
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            usePointStyle: true,
            // Lines as lines, the faint search points as their marks.
            generateLabels: (chart) =>
              window.Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
                if (!info[item.datasetIndex ?? 0]?.search) item.pointStyle = 'line';
                return item;
              }),
            // With a selector, the legend lists only what is shown.
            filter: (item) => !info[item.datasetIndex ?? 0]?.offChoice,
            sort: byDataset,
          },
        },
        tooltip: {
          callbacks: {
            title: (items) => fmtRate(items[0]?.parsed.x ?? null) + ' msgs/s consumed',
            label: (item) => {
              const p = datasets[item.datasetIndex]!.data[item.dataIndex]!;
              const asked =
                p.target === 0
                  ? 'full speed'
                  : 'target ' + fmtRate(p.target) + ' msgs/s' + (p.fraction !== null ? ' (' + Math.round(p.fraction * 1000) / 10 + ' % of capacity)' : '');
              return item.dataset.label + ': ' + fmtMs(item.parsed.y ?? 0) + ' ms; ' + asked;
            },
          },
        },
      },
    },
  };
  return { config, info };
}

/** The selector of a capacity chart: shows the chosen figures' lines, hides the others. */
export function wireChoices(spec: CapacityChart, chart: Chart<'line', CurvePoint[]>, info: CapacityDatasetInfo[]): void {
  const choices = spec.choices;
  if (!choices) return;
  const select = document.getElementById(spec.id + '-metric');
  if (!(select instanceof HTMLSelectElement)) throw new Error('mqbench report: no selector for chart ' + spec.id);
  const show = (k: number): void => {
    const metrics = choices[k]!.metrics;
    info.forEach((d, i) => {
      const on = metrics.indexOf(d.metric) >= 0;
      d.offChoice = !on;
      chart.setDatasetVisibility(i, on);
    });
    chart.update();
  };
  select.addEventListener('change', () => show(Number(select.value)));
  show(Number(select.value));
}
