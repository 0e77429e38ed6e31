import { basename } from 'node:path';
import { addEncoded, createLatencySet, destroySet, encodeSet } from '../metrics/latencySet.js';
import type { LoadedResult } from '../results/loadResult.js';
import { GateInputError } from './errors.js';
import type { GateSubject } from './metrics.js';

/**
 * A result as the gate sees it: its measured runs. A repeated result's interrupted or unmeasured
 * repetitions are left out (they are named in the notes); a single run is taken as it is; a
 * capacity result is its search.
 */
export function gateSubject(loaded: LoadedResult, file: string): GateSubject {
  switch (loaded.kind) {
    case 'run':
      return { file, name: loaded.result.name, kind: 'run', runs: [loaded.result], histograms: loaded.result.histograms, capacity: null };
    case 'repeated': {
      const r = loaded.result;
      const runs = r.runs.filter((x) => !x.interrupted && x.timing.measuredMs > 0);
      if (runs.length === 0) throw new GateInputError(`${basename(file)}: no repetition was measured: nothing to gate`);
      return { file, name: r.name, kind: 'repeated', runs, histograms: r.summary?.histograms ?? mergedHistograms(runs), capacity: null };
    }
    case 'capacity':
      // A search of many short steps, none of them a run: only capacity.* metrics read it.
      return { file, name: loaded.result.name, kind: 'capacity', runs: [], histograms: null, capacity: loaded.result };
    case 'matrix':
      throw new GateInputError(`${basename(file)}: a matrix result cannot be gated as a whole; gate a run, a repeated run (mqbench run --repeat N) or a capacity result`);
  }
}

function mergedHistograms(runs: GateSubject['runs']): NonNullable<GateSubject['histograms']> {
  const merged = createLatencySet();
  try {
    for (const x of runs) addEncoded(merged, x.histograms);
    return encodeSet(merged);
  } finally {
    destroySet(merged);
  }
}
