/** Number formats, colours and small option helpers shared by the chart configurations. */

import type { RateKey } from '../chartSpec.js';

export const RATE_COLORS: Record<RateKey, string> = { published: '#2563eb', confirmed: '#d97706', consumed: '#16a34a' };

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#d97706', '#0891b2', '#db2777', '#65a30d', '#475569', '#7c3aed'];

/** The i-th colour of the palette (cycling). */
export function color(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** '#rrggbb' with an alpha, as rgba(). */
export function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
}

/** A whole number with thousands separators (null, a parsed value Chart.js could not read, as 0). */
export function fmtRate(v: number | string | null): string {
  return Math.round(Number(v)).toLocaleString('en-US');
}

export function fmtMs(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** The percentile at x = -log10(1 - p) as text ("99.9"). */
export function percentile(x: number): string {
  if (x <= 0) return '0';
  const p = 100 * (1 - Math.pow(10, -x));
  return p.toFixed(Math.max(1, Math.ceil(x) - 1)).replace(/\.?0+$/, '');
}

export function axisTitle(text: string): { display: true; text: string } {
  return { display: true, text };
}
