import type { Ranges } from './rangeSet.js';

/** A stretch of time with no event at all, on the run clock. */
export interface Gap {
  fromMs: number;
  toMs: number;
  durationMs: number;
}

/**
 * Empty stretches between activity slots (10 ms each, since the start barrier), within
 * [fromMs, toMs]: the first gap may start at fromMs, the last end at toMs.
 */
export function gaps(active: Ranges, slotMs: number, fromMs: number, toMs: number): Gap[] {
  const out: Gap[] = [];
  let cursor = fromMs;
  for (const [s, e] of active) {
    const startMs = s * slotMs;
    const endMs = e * slotMs;
    if (endMs <= fromMs) continue;
    if (startMs >= toMs) break;
    if (startMs > cursor) out.push({ fromMs: cursor, toMs: startMs, durationMs: startMs - cursor });
    cursor = Math.max(cursor, endMs);
  }
  if (cursor < toMs) out.push({ fromMs: cursor, toMs, durationMs: toMs - cursor });
  return out;
}

/** The longest gap that overlaps [fromMs, toMs] (taken whole, not clipped to it); undefined when there is none. */
export function longestGapOverlapping(all: Gap[], fromMs: number, toMs: number): Gap | undefined {
  let best: Gap | undefined;
  for (const g of all) {
    if (g.toMs <= fromMs || g.fromMs >= toMs) continue;
    if (!best || g.durationMs > best.durationMs) best = g;
  }
  return best;
}

/** Start of the first active slot at or after `fromMs`, or undefined. */
export function firstActivityAfter(active: Ranges, slotMs: number, fromMs: number): number | undefined {
  for (const [s, e] of active) {
    if (e * slotMs <= fromMs) continue;
    return Math.max(fromMs, s * slotMs);
  }
  return undefined;
}
