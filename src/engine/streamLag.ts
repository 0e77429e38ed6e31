import type { DepthSample } from './depthSampler.js';
import type { TickRecord } from './ticks.js';

/**
 * A stream's "depth" is its consumers' lag, not its size: a stream keeps every message after it
 * is read, and queue.declare does not count them. So for streams the depth series and the
 * backlog are read from the agents' own counts at every tick: messages published so far minus
 * messages consumed so far (first deliveries; a duplicate is not progress), never below 0.
 */
export function streamLagSamples(ticks: readonly TickRecord[]): DepthSample[] {
  let published = 0;
  let consumed = 0;
  return [...ticks]
    .sort((a, b) => a.tick - b.tick)
    .map((t) => {
      published += t.counters.published;
      consumed += t.counters.consumed - t.counters.duplicates;
      return { tMs: Math.round(t.endMs), depth: Math.max(0, published - consumed) };
    });
}
