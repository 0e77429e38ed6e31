import type { Chart } from 'chart.js';

/** What the page script reports per chart, for the browser tests (see main.ts). */
export interface DrawnChart {
  id: string;
  type: string;
  /** Elements Chart.js laid out at a finite position inside the plot area, over the visible datasets. */
  points: number;
  /** Shaded intervals and vertical lines the bands plugin drew inside the plot area. */
  bands: number;
  markers: number;
}

declare global {
  interface Window {
    /** Chart.js's UMD build, inlined in the page before this script (see ../chartLibrary.ts). */
    Chart: typeof Chart;
    __mqbenchCharts?: DrawnChart[];
    __mqbenchRecount?: () => DrawnChart[];
  }
}
