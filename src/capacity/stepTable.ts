import type { CapacityResult, CapacityStep } from './model.js';

/**
 * What every capacity step table shows, terminal and HTML alike: the same columns, the same
 * numbers rounded the same way, the same verdict words. Plain text; the renderers lay it out
 * (and the HTML one escapes it).
 */

export const STEP_COLUMNS = ['step', 'target msgs/s', 'published', 'consumed', 'backlog msgs/s', 'e2e p50 / p99 ms', 'confirm p50 / p99 ms', 'verdict'] as const;

/** "sustained", "NOT: consumers took only …" for a search step; what the step was for otherwise. */
export function stepVerdict(s: CapacityStep): string {
  return s.phase === 'search' ? (s.sustainable ? 'sustained' : `NOT: ${s.reason}`) : s.reason;
}

const ms = (x: number, digits: number): string => x.toFixed(digits);

/** One row of STEP_COLUMNS; `number` is the step's position in its table (from 1). */
export function stepCells(s: CapacityStep, number: number): string[] {
  return [
    `${number} ${s.phase}`,
    s.targetMsgsPerS === 0 ? 'full speed' : String(Math.round(s.targetMsgsPerS)),
    String(Math.round(s.publishedMsgsPerS)),
    String(Math.round(s.consumedMsgsPerS)),
    s.backlogGrowthMsgsPerS === null ? '–' : String(Math.round(s.backlogGrowthMsgsPerS)),
    `${ms(s.e2eP50Ms, 2)} / ${ms(s.e2eP99Ms, 1)}`,
    `${ms(s.confirmP50Ms, 2)} / ${ms(s.confirmP99Ms, 1)}`,
    stepVerdict(s),
  ];
}

/** The search's outcome in one line: the sustainable rate and the bracket, or why there is none. */
export function capacityHeadline(r: CapacityResult): string {
  const c = r.capacity;
  if (c.sustainableMsgsPerS === null) return `${r.name}: no sustainable rate found${r.error ? ` (${r.error})` : ''}`;
  return (
    `${r.name}: sustainable ${Math.round(c.sustainableMsgsPerS)} msgs/s in total` +
    (c.notSustainableMsgsPerS === null ? ' (no higher rate failed: raise --max-steps)' : `, not ${Math.round(c.notSustainableMsgsPerS)} msgs/s`) +
    ` (${r.profile.publishers.count} publisher(s), ${r.profile.consumers.count} consumer(s), ${r.profile.queues.type} queue(s))`
  );
}
