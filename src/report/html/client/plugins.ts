/**
 * Two small Chart.js plugins for what Chart.js has no built-in for: shaded phase and fault bands with
 * fault-step lines on charts over the run's time, and ± stddev error bars on bar charts.
 */

import type { Plugin } from 'chart.js';
import type { Band, BarChart, Marker } from '../chartSpec.js';

const BAND_FILL: Record<Band['kind'], string> = { warmup: 'rgba(100,116,139,0.18)', drain: 'rgba(234,88,12,0.08)', fault: 'rgba(220,38,38,0.13)' };
const BAND_TEXT: Record<Band['kind'], string> = { warmup: '#475569', drain: '#c2410c', fault: '#991b1b' };

/** Bands and markers the bands plugin drew inside the plot area at its last draw of a chart. */
export interface DrawnDecorations {
  bands: number;
  markers: number;
}

const drawnByChart = new WeakMap<object, DrawnDecorations>();

/** What the bands plugin last drew on a chart (none for a chart without the plugin). */
export function drawnDecorations(chart: object): DrawnDecorations {
  return drawnByChart.get(chart) ?? { bands: 0, markers: 0 };
}

/**
 * Shades the warm-up interval, marks the drain (a tinted band with a dashed line where it starts),
 * shades every fault window and draws a vertical line where each fault step was requested.
 * Counts what it drew inside the plot area (see drawnDecorations).
 */
export function bandsPlugin(bands: readonly Band[], markers: readonly Marker[]): Plugin<'line'> {
  return {
    id: 'mqbenchBands',
    beforeDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const area = chart.chartArea;
      const xs = chart.scales['x']!;
      const drawn = { bands: 0, markers: 0 };
      let faultRow = 0;
      ctx.font = '11px ' + String(window.Chart.defaults.font.family);
      bands.forEach((b) => {
        const x0 = Math.max(area.left, xs.getPixelForValue(b.from));
        const x1 = Math.min(area.right, xs.getPixelForValue(b.to));
        if (!(x1 > x0)) return;
        drawn.bands++;
        ctx.save();
        ctx.fillStyle = BAND_FILL[b.kind];
        ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
        if (b.kind === 'drain') {
          ctx.strokeStyle = 'rgba(234,88,12,0.7)';
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(x0, area.top);
          ctx.lineTo(x0, area.bottom);
          ctx.stroke();
        }
        ctx.setLineDash([]);
        ctx.fillStyle = BAND_TEXT[b.kind];
        ctx.textBaseline = 'top';
        // Overlapping fault windows put their labels on successive rows, so each stays readable.
        const y = area.top + 4 + (b.kind === 'fault' ? 14 * (faultRow++ % 3) : 0);
        // The label, or its first word, centred in the band; if neither fits (a drain of a few ms),
        // the first word outside: right of a warm-up band, left of a drain band; a fault band keeps none.
        const short = b.label.split(' ')[0]!;
        const fits = [b.label, short].find((s) => ctx.measureText(s).width + 8 <= x1 - x0);
        if (fits) {
          ctx.textAlign = 'center';
          ctx.fillText(fits, (x0 + x1) / 2, y);
        } else if (b.kind === 'warmup') {
          ctx.textAlign = 'left';
          ctx.fillText(short, x1 + 4, y);
        } else if (b.kind === 'drain') {
          ctx.textAlign = 'right';
          ctx.fillText(short, x0 - 4, y);
        }
        ctx.restore();
      });
      markers.forEach((m) => {
        const x = xs.getPixelForValue(m.at);
        if (!(x >= area.left - 0.5 && x <= area.right + 0.5)) return;
        drawn.markers++;
        ctx.save();
        ctx.strokeStyle = m.failed ? '#64748b' : '#b91c1c';
        ctx.lineWidth = 1.5;
        ctx.setLineDash(m.failed ? [2, 3] : [6, 3]);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = m.failed ? '#475569' : '#991b1b';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'bottom';
        ctx.fillText(m.label + (m.failed ? ' (failed)' : ''), x + 3, area.bottom - 3);
        ctx.restore();
      });
      drawnByChart.set(chart, drawn);
    },
  };
}

/** Draws mean ± stddev whiskers on each bar of a bar chart (datasets in the order of spec.series). */
export function errorBarsPlugin(spec: BarChart): Plugin<'bar'> {
  return {
    id: 'mqbenchErrorBars',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const ys = chart.scales['y']!;
      const area = chart.chartArea;
      spec.series.forEach((s, i) => {
        if (!chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach((el, j) => {
          const sd = s.stddev[j];
          const mean = s.mean[j];
          if (sd === undefined || mean === undefined || !(sd > 0)) return;
          // Chart.js types the laid-out elements as the base Element; a bar chart's are bars (with a width).
          const bar = el as typeof el & { width: number };
          const top = Math.max(area.top, ys.getPixelForValue(mean + sd));
          const bottom = Math.min(area.bottom, ys.getPixelForValue(mean - sd));
          const cap = Math.min(8, bar.width * 0.3);
          ctx.save();
          ctx.strokeStyle = '#0f172a';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x, top);
          ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - cap, top);
          ctx.lineTo(bar.x + cap, top);
          ctx.moveTo(bar.x - cap, bottom);
          ctx.lineTo(bar.x + cap, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    },
  };
}
