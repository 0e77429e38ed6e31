import { fmtMs, fmtRate } from '../../src/report/html/template.js';

/** Formatting shared by the README tables: mqbench's own (fmtMs, fmtRate from the HTML report), plus Markdown. */
export { fmtMs, fmtRate };

/** Latency in ms as the report shows it, with a thousands separator from 1,000 ms: 3.73, 34.3, 520, 3,926. */
export const fmtMsGrouped = (x: number): string => (x >= 100 ? fmtRate(x) : fmtMs(x));

/** Seconds from milliseconds, one decimal: 14620 → "14.6". */
export const sec = (ms: number): string => (ms / 1000).toFixed(1);

/** A count with thousands separators: 65000 → "65,000". */
export const count = (x: number): string => x.toLocaleString('en-US');

/** A signed percentage with a true minus sign, one decimal below 20 %, whole from there: −14.7, −5.9, −33. */
export const signedPercent = (x: number): string => {
  const s = Math.abs(x) < 20 ? Math.abs(x).toFixed(1) : Math.abs(x).toFixed(0);
  return `${x < 0 ? '−' : '+'}${s}`;
};

/** "**x**" when `on`. */
export const bold = (s: string, on: boolean): string => (on ? `**${s}**` : s);

/** A Markdown table in the README's style: `| a | b |`, `|---|---|`. */
export function mdTable(head: string[], rows: string[][]): string {
  for (const r of rows) if (r.length !== head.length) throw new Error(`table row has ${r.length} cells, the head ${head.length}: ${r.join(' | ')}`);
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
