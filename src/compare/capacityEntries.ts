import { stepAtFraction } from '../capacity/curve.js';
import { basename } from 'node:path';
import type { CapacityResult, CapacityStep } from '../capacity/model.js';
import type { MatrixResult } from '../matrix/model.js';
import { meanStd, type MeanStd } from '../metrics/meanStd.js';

/**
 * Capacity results side by side: a capacity search (mqbench capacity), or a cell of a capacity
 * matrix with one search per repetition. The samples are the searches' sustainable rates, so two
 * sides with at least two searches each are judged like repeated runs (Mann–Whitney U); a single
 * search has no noise estimate.
 */
export interface CapacityEntry {
  label: string;
  kind: 'capacity' | 'cell';
  /** Sustainable msgs/s of every search that found one. */
  samples: number[];
  /** Searches made (found or not). */
  searches: number;
  /** Mean ± stddev of the samples; null when no search found a sustainable rate. */
  sustainable: MeanStd | null;
  /** A single search's bracket top: the lowest rate found not sustained; null otherwise. */
  notSustainable: number | null;
  /** Curve steps (phase "curve"): latency at fractions of this entry's own capacity. */
  curve: CapacityStep[];
  /** What went wrong: an interrupted search, a search that failed. */
  problems: string[];
}

export function capacityEntry(r: CapacityResult, file: string): CapacityEntry {
  const found = r.capacity.sustainableMsgsPerS;
  return {
    label: `${r.name} (${basename(file)})`,
    kind: 'capacity',
    samples: found === null ? [] : [found],
    searches: 1,
    sustainable: found === null ? null : { mean: found, stddev: 0, n: 1 },
    notSustainable: r.capacity.notSustainableMsgsPerS,
    curve: r.capacity.steps.filter((s) => s.phase === 'curve'),
    problems: [r.interrupted ? 'interrupted' : '', r.error && !r.interrupted ? `error: ${r.error}` : ''].filter(Boolean),
  };
}

/** The cells of a capacity matrix (`mode: "capacity"`) that have a capacity section. */
export function capacityMatrixEntries(m: MatrixResult, file: string): CapacityEntry[] {
  return m.cells.flatMap((c): CapacityEntry[] => {
    const cap = c.capacity;
    if (!cap) return [];
    const samples = cap.searches.flatMap((s) => (s.sustainableMsgsPerS === null ? [] : [s.sustainableMsgsPerS]));
    const single = cap.searches.length === 1 ? cap.searches[0]! : null;
    return [
      {
        label: `${c.label} (${basename(file)})`,
        kind: 'cell',
        samples,
        searches: cap.searches.length,
        sustainable: cap.sustainable ?? (samples.length > 0 ? meanStd(samples) : null),
        notSustainable: single ? single.notSustainableMsgsPerS : null,
        curve: cap.curve.filter((s) => s.phase === 'curve'),
        problems: cap.searches.flatMap((s) => (s.error ? [`search ${s.repetition}: ${s.error}`] : [])),
      },
    ];
  });
}

/** The curve step of an entry at a fraction of its capacity, if it measured one. */
export function curveStepAt(e: CapacityEntry, fraction: number): CapacityStep | undefined {
  return stepAtFraction(e.curve, fraction);
}

/** The fractions every entry's curve has, ascending: where their latency can be set side by side. */
export function commonFractions(entries: readonly CapacityEntry[]): number[] {
  const first = entries[0];
  if (!first) return [];
  const fractions = first.curve.flatMap((s) => (s.fraction === null ? [] : [s.fraction]));
  return [...new Set(fractions)].filter((f) => entries.every((e) => curveStepAt(e, f) !== undefined)).sort((a, b) => a - b);
}
