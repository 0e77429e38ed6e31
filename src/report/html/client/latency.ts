/** The latency percentile distribution: x = -log10(1 - p) (one step per "nine"), y = latency in ms. */

import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { LatencyChart, XY } from '../chartSpec.js';
import { alpha, axisTitle, color, fmtMs, percentile } from './format.js';
import { LINE_LEGEND } from './legend.js';

const NINES = ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'];

export function latencyConfig(spec: LatencyChart): ChartConfiguration<'line', XY[]> {
  const datasets: Array<ChartDataset<'line', XY[]>> = [];
  spec.curves.forEach((c, i) => {
    datasets.push({
      label: c.label + (c.raw ? ' (corrected)' : ''),
      data: c.corrected,
      borderColor: color(i),
      backgroundColor: color(i),
      borderWidth: 2,
      pointRadius: 0,
      pointHoverRadius: 3,
    });
    if (c.raw) {
      datasets.push({
        label: c.label + ' (raw)',
        data: c.raw,
        borderColor: alpha(color(i), 0.8),
        backgroundColor: alpha(color(i), 0.8),
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        pointHoverRadius: 3,
      });
    }
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: spec.maxX,
          title: axisTitle('percentile'),
          ticks: { stepSize: 1, callback: (v) => (typeof v === 'number' && Number.isInteger(v) ? NINES[v] : '') },
        },
        y: { beginAtZero: true, title: axisTitle('latency (ms)') },
      },
      plugins: {
        legend: LINE_LEGEND,
        tooltip: {
          callbacks: {
            title: (items) => 'p' + percentile(items[0]?.parsed.x ?? 0),
            label: (item) => item.dataset.label + ': ' + fmtMs(item.parsed.y ?? 0) + ' ms',
          },
        },
      },
    },
  };
}
