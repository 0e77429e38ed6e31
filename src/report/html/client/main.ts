/**
 * The report page's own script, bundled by scripts/build-client.mjs into one classic script that
 * the page inlines after Chart.js (see ../template.ts): reads the embedded chart data (the
 * `#mqbench-data` JSON written from ../chartData.ts) and draws every chart.
 * When done it sets `window.__mqbenchCharts = [{id, type, points, bands, markers}]` (points: elements
 * Chart.js laid out inside the plot area; bands and markers: shaded intervals and vertical lines the
 * bands plugin drew there) so tests can check every chart drew what was computed for it;
 * `window.__mqbenchRecount()` counts again (after a capacity chart's selector changed what it shows).
 */

import type { Chart } from 'chart.js';
import type { ChartSpec } from '../chartSpec.js';
import { barsConfig } from './bars.js';
import { capacityConfig, wireChoices } from './capacity.js';
import type { DrawnChart } from './globals.js';
import { latencyConfig } from './latency.js';
import { drawnDecorations } from './plugins.js';
import { depthConfig, throughputConfig } from './timeCharts.js';

const ChartJs = window.Chart;
ChartJs.defaults.animation = false;
ChartJs.defaults.maintainAspectRatio = false;
ChartJs.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
ChartJs.defaults.color = '#334155';

/** Draws one chart on its canvas (and wires a capacity chart's selector). */
function draw(spec: ChartSpec, canvas: HTMLCanvasElement): Chart {
  switch (spec.type) {
    case 'throughput':
      return new ChartJs(canvas, throughputConfig(spec));
    case 'depth':
      return new ChartJs(canvas, depthConfig(spec));
    case 'latency':
      return new ChartJs(canvas, latencyConfig(spec));
    case 'bars':
      return new ChartJs(canvas, barsConfig(spec));
    case 'capacity': {
      const { config, info } = capacityConfig(spec);
      const chart = new ChartJs(canvas, config);
      wireChoices(spec, chart, info);
      return chart;
    }
  }
}

/** Elements Chart.js laid out at a finite position inside the plot area, over the visible datasets. */
function drawnPoints(chart: Chart): number {
  const area = chart.chartArea;
  let n = 0;
  chart.data.datasets.forEach((_ds, i) => {
    if (!chart.isDatasetVisible(i)) return;
    chart.getDatasetMeta(i).data.forEach((element) => {
      // Chart.js types laid-out elements as the base Element; points and bars carry `skip` when not drawn.
      const el = element as typeof element & { skip?: boolean };
      if (isFinite(el.x) && isFinite(el.y) && !el.skip && el.x >= area.left - 1 && el.x <= area.right + 1 && el.y >= area.top - 1 && el.y <= area.bottom + 1) n++;
    });
  });
  return n;
}

const data = JSON.parse(document.getElementById('mqbench-data')!.textContent ?? '') as { charts: ChartSpec[] };
const charts = data.charts.map((spec) => {
  const canvas = document.getElementById(spec.id);
  if (!(canvas instanceof HTMLCanvasElement)) throw new Error('mqbench report: no canvas for chart ' + spec.id);
  return { spec, chart: draw(spec, canvas) };
});

function count(): DrawnChart[] {
  return charts.map(({ spec, chart }) => {
    const drawn = drawnDecorations(chart);
    return { id: spec.id, type: spec.type, points: drawnPoints(chart), bands: drawn.bands, markers: drawn.markers };
  });
}

window.__mqbenchCharts = count();
window.__mqbenchRecount = () => {
  window.__mqbenchCharts = count();
  return window.__mqbenchCharts;
};
