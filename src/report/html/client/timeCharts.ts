/** Charts over the run's time: throughput per interval and queue depth, with phase and fault bands. */

import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { RATE_KEYS, type Band, type DepthChart, type Marker, type RateKey, type ThroughputChart, type XY } from '../chartSpec.js';
import { alpha, axisTitle, fmtRate, RATE_COLORS } from './format.js';
import { LINE_LEGEND } from './legend.js';
import { bandsPlugin } from './plugins.js';

const RATE_DASH: Record<RateKey, number[]> = { published: [], confirmed: [6, 3], consumed: [] };
const RATE_WIDTH: Record<RateKey, number> = { published: 3, confirmed: 2, consumed: 1.5 };
// Lower order is drawn on top: the thin consumed line stays visible where the three coincide.
const RATE_ORDER: Record<RateKey, number> = { published: 3, confirmed: 2, consumed: 1 };

/** Fault windows restored at the end of the run may reach past the last interval: the x axis reaches them. */
function rightEdge(bands: readonly Band[], markers: readonly Marker[]): number {
  let right = 0;
  bands.forEach((b) => (right = Math.max(right, b.to)));
  markers.forEach((m) => (right = Math.max(right, m.at)));
  return right;
}

const timeTitle = (items: Array<TooltipItem<'line'>>): string => 't = ' + (items[0]?.parsed.x ?? 0).toFixed(1) + ' s';

export function throughputConfig(spec: ThroughputChart): ChartConfiguration<'line', XY[]> {
  const datasets: Array<ChartDataset<'line', XY[]>> = RATE_KEYS.map((k) => ({
    label: k,
    data: spec.series[k],
    borderColor: RATE_COLORS[k],
    backgroundColor: RATE_COLORS[k],
    borderDash: RATE_DASH[k],
    borderWidth: RATE_WIDTH[k],
    order: RATE_ORDER[k],
    pointRadius: 2.5,
    pointHoverRadius: 4,
  }));
  if (spec.target) {
    // The rate schedule's target: a thin dashed grey step line behind the measured rates.
    datasets.push({
      label: 'target',
      data: spec.target,
      borderColor: '#888',
      backgroundColor: '#888',
      borderDash: [6, 4],
      borderWidth: 1.5,
      order: 10,
      pointRadius: 0,
      pointHoverRadius: 3,
      stepped: 'middle',
    });
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', min: 0, suggestedMax: rightEdge(spec.bands, spec.markers), title: axisTitle('seconds since start') },
        y: { beginAtZero: true, title: axisTitle('msgs/s'), ticks: { callback: (v) => fmtRate(v) } },
      },
      plugins: {
        legend: LINE_LEGEND,
        tooltip: {
          callbacks: {
            title: timeTitle,
            label: (item) => item.dataset.label + ': ' + fmtRate(item.parsed.y) + ' msgs/s',
          },
        },
      },
    },
    plugins: [bandsPlugin(spec.bands, spec.markers)],
  };
}

export function depthConfig(spec: DepthChart): ChartConfiguration<'line', DepthChart['points']> {
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'ready messages',
          data: spec.points,
          borderColor: '#7c3aed',
          backgroundColor: alpha('#7c3aed', 0.12),
          fill: 'origin',
          borderWidth: 2,
          pointRadius: 2,
          pointHoverRadius: 4,
          spanGaps: false,
        },
      ],
    },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', min: 0, suggestedMax: rightEdge(spec.bands, spec.markers), title: axisTitle('seconds since start') },
        y: { beginAtZero: true, title: axisTitle('messages in the queues'), ticks: { callback: (v) => fmtRate(v) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: timeTitle,
            label: (item) => fmtRate(item.parsed.y) + ' ready messages',
          },
        },
      },
    },
    plugins: [bandsPlugin(spec.bands, spec.markers)],
  };
}
