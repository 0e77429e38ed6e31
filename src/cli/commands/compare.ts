import type { CommandModule } from 'yargs';
import { matrixEntries, runEntry, type CompareEntry } from '../../compare/entries.js';
import { loadResult } from '../../results/loadResult.js';
import { renderCompare } from '../../report/compareTable.js';
import { UserError } from '../fail.js';

interface CompareArgs {
  results: string[];
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <results..>',
  describe: 'Compare runs or matrix cells side by side: differences in % with the noise, so you see which are real',
  builder: (y) =>
    y
      .positional('results', { type: 'string', array: true, demandOption: true, describe: 'Result JSON files (run or matrix); the first is the reference' })
      .example('$0 compare results/classic-1node-A.json results/quorum-3node-B.json', 'Two runs')
      .example('$0 compare results/replication-matrix-A.json', 'Every cell of a matrix against the first cell'),
  handler: async (args) => {
    const entries: CompareEntry[] = [];
    for (const file of args.results) {
      const loaded = await loadResult(file);
      entries.push(...(loaded.kind === 'run' ? [runEntry(loaded.result, file)] : matrixEntries(loaded.result, file)));
    }
    if (entries.length < 2) throw new UserError('compare needs at least two runs or matrix cells with results');
    process.stdout.write(`${renderCompare(entries)}\n`);
  },
};
