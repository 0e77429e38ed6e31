import type { CommandModule } from 'yargs';
import { capacityEntry, capacityMatrixEntries, type CapacityEntry } from '../../compare/capacityEntries.js';
import { DEFAULT_ALPHA, matrixEntries, repeatedEntry, runEntry, type CompareEntry } from '../../compare/entries.js';
import { loadResult } from '../../results/loadResult.js';
import { renderCapacityCompare } from '../../report/capacityCompareTable.js';
import { renderCompare } from '../../report/compareTable.js';
import { UserError } from '../fail.js';

interface CompareArgs {
  results: string[];
  alpha: number;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <results..>',
  describe: 'Compare runs, repeated runs or matrix cells side by side (or capacity results with each other): which differences are beyond the run-to-run noise',
  builder: (y) =>
    y
      .positional('results', { type: 'string', array: true, demandOption: true, describe: 'Result JSON files (run, repeated run or matrix; or capacity results and capacity matrices); the first is the reference' })
      .option('alpha', { type: 'number', default: DEFAULT_ALPHA, describe: 'Significance level of the Mann–Whitney U test on the per-run consume rates' })
      .example('$0 compare results/old-A.json results/new-B.json', 'Two repeated runs (mqbench run --repeat 5): faster, slower or no significant change')
      .example('$0 compare results/replication-matrix-A.json', 'Every cell of a matrix against the first cell')
      .example('$0 compare a.json b.json --alpha 0.01', 'A stricter significance level')
      .example('$0 compare results/q3-capacity-A.json results/q3-capacity-B.json', 'Two capacity results: sustainable rates and latency at the fractions both curves measured')
      .epilogue(
        'Each entry\'s per-run consume rates (one per repetition) are tested against the first entry\'s with a two-sided Mann–Whitney U test: ' +
          '"faster"/"slower" only when p < alpha, else "no significant change"; the change shown is the ratio of the medians. ' +
          'A single run has no run-to-run noise: its difference is shown with "single run: no verdict". ' +
          'With 2 runs per side p can never be below 0.33, with 3 never below 0.1: repeat 4 or more times for a verdict at 0.05. ' +
          'Capacity results (mqbench capacity, matrices with "mode": "capacity") are compared with each other only: the sustainable rate of each search is a sample, ' +
          'and latency is set side by side at the curve fractions all of them measured.',
      ),
  handler: async (args) => {
    if (!(args.alpha > 0 && args.alpha < 1)) throw new UserError(`--alpha ${String(args.alpha)}: expected a significance level between 0 and 1, e.g. 0.05`);
    const entries: CompareEntry[] = [];
    const capacity: CapacityEntry[] = [];
    let runFile: string | undefined;
    let capacityFile: string | undefined;
    for (const file of args.results) {
      const loaded = await loadResult(file);
      if (loaded.kind === 'capacity' || (loaded.kind === 'matrix' && loaded.result.mode === 'capacity')) {
        capacityFile ??= file;
        capacity.push(...(loaded.kind === 'capacity' ? [capacityEntry(loaded.result, file)] : capacityMatrixEntries(loaded.result, file)));
        continue;
      }
      runFile ??= file;
      entries.push(...(loaded.kind === 'run' ? [runEntry(loaded.result, file)] : loaded.kind === 'repeated' ? repeatedEntry(loaded.result, file) : matrixEntries(loaded.result, file)));
    }
    if (runFile !== undefined && capacityFile !== undefined) {
      throw new UserError(
        `cannot compare a capacity result (${capacityFile}) with run results (${runFile}): compare capacity results and capacity matrices with each other (sustainable rates), and runs, repeated runs and matrices with each other (measured rates)`,
      );
    }
    if (capacityFile !== undefined) {
      if (capacity.length < 2) throw new UserError('compare needs at least two capacity results or capacity matrix cells with a capacity section');
      process.stdout.write(`${renderCapacityCompare(capacity, args.alpha)}\n`);
      return;
    }
    if (entries.length < 2) throw new UserError('compare needs at least two runs, repeated runs or matrix cells with results');
    process.stdout.write(`${renderCompare(entries, args.alpha)}\n`);
  },
};
