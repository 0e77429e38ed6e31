import type { LegendItem } from 'chart.js';

/** Legend entries in dataset order (Chart.js would otherwise follow the datasets' drawing order). */
export function byDataset(a: LegendItem, b: LegendItem): number {
  return (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0);
}

/** The legend of the line charts: at the bottom, each entry drawn as a short line. */
export const LINE_LEGEND = {
  position: 'bottom',
  labels: { usePointStyle: true, pointStyle: 'line', pointStyleWidth: 28, sort: byDataset },
} as const;
