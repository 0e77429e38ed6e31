/** Matrix: mean throughput per cell, ± one stddev over the repetitions as error bars. */

import type { ChartConfiguration } from 'chart.js';
import type { BarChart } from '../chartSpec.js';
import { alpha, axisTitle, fmtRate, RATE_COLORS } from './format.js';
import { errorBarsPlugin } from './plugins.js';

export function barsConfig(spec: BarChart): ChartConfiguration<'bar', number[], string> {
  let top = 0;
  spec.series.forEach((s) => s.mean.forEach((m, j) => (top = Math.max(top, m + (s.stddev[j] ?? 0)))));
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s) => ({
        label: s.key,
        data: s.mean,
        backgroundColor: alpha(RATE_COLORS[s.key], 0.75),
        borderColor: RATE_COLORS[s.key],
        borderWidth: 1,
      })),
    },
    options: {
      scales: {
        x: { title: axisTitle('cell') },
        y: {
          beginAtZero: true,
          suggestedMax: top * 1.05,
          title: axisTitle('msgs/s (mean ± stddev over repetitions)'),
          ticks: { callback: (v) => fmtRate(v) },
        },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) => {
              const s = spec.series[item.datasetIndex]!;
              const j = item.dataIndex;
              return s.key + ': ' + fmtRate(s.mean[j] ?? null) + ' ± ' + fmtRate(s.stddev[j] ?? null) + ' msgs/s (n = ' + s.n[j] + ')';
            },
          },
        },
      },
    },
    plugins: [errorBarsPlugin(spec)],
  };
}
