import { latencyChart, type ChartSpec, type LatencyChart } from './chartData.js';
import { escapeHtml as esc } from './escape.js';
import { chartFigure, noData } from './template.js';

const LATENCY_NOTE =
  'x: percentile on a log scale of 1/(1 − p), so each step right is one more “nine”; y: latency. ' +
  'Solid: corrected for coordinated omission (from the intended send time of the rate schedule); dashed: raw (from the actual send), drawn only when it differs. ' +
  'Curves end where they reach the maximum.';

/** What a page renderer hands to page(): the body, the navigation and the header line (HTML). */
export interface PageContent {
  body: string;
  nav: Array<{ href: string; text: string }>;
  meta: string;
}

/** Collects chart specs while the body is written, so the page embeds exactly the charts it shows. */
export class Charts {
  readonly all: ChartSpec[] = [];

  figure(spec: ChartSpec | null, fallbackTitle: string, why: string, note?: string): string {
    if (!spec) return noData(fallbackTitle, why);
    this.all.push(spec);
    return chartFigure(spec, note);
  }

  latencyPair(idPrefix: string, titleSuffix: string, entries: Parameters<typeof latencyChart>[2]): string {
    const e2e: LatencyChart | null = latencyChart(`${idPrefix}-e2e`, `End-to-end latency${titleSuffix}`, entries, 'e2e');
    const confirm: LatencyChart | null = latencyChart(`${idPrefix}-confirm`, `Publisher-confirm latency${titleSuffix}`, entries, 'confirm');
    return `<div class="grid">${this.figure(e2e, `End-to-end latency${titleSuffix}`, 'No message was consumed after the warm-up.', esc(LATENCY_NOTE))}${this.figure(
      confirm,
      `Publisher-confirm latency${titleSuffix}`,
      'No confirm was received after the warm-up (confirms off?).',
      esc(LATENCY_NOTE),
    )}</div>`;
  }
}
