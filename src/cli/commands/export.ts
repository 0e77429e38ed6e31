import { basename, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { loadResult } from '../../results/loadResult.js';
import { writeCsvFiles } from '../../results/save.js';
import { UserError } from '../fail.js';

interface ExportArgs {
  result: string;
  csv: boolean;
  out: string | undefined;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <result>',
  describe: 'Write a result JSON as CSV files (per-second series and a summary: one row, or one per repetition plus the summary)',
  builder: (y) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'Result JSON written by mqbench run (with or without --repeat)' })
      .option('csv', { type: 'boolean', default: true, describe: 'Write CSV (the only format for now)' })
      .option('out', { type: 'string', describe: 'Directory for the CSV files (default: beside the result)' })
      .example('$0 export results/smoke-20261129T104512Z.json --csv', 'Writes …-series.csv and …-summary.csv')
      .example('$0 export results/smoke-20261129T104512Z.json --csv --out csv/', 'A repeated run: the series of every repetition (column repetition), one summary row per repetition plus a summary row')
      .epilogue(
        'For a repeated result (run --repeat N) the summary CSV has one row per repetition (row = repetition) and then one row = summary: ' +
          'rates are the mean across repetitions with their standard deviation in the …_stddev_across_runs_… columns, latencies come from the merged histograms, the account is summed.',
      ),
  handler: async (args) => {
    const loaded = await loadResult(args.result);
    if (loaded.kind === 'matrix') throw new UserError(`${args.result}: a matrix result; its summary CSV is already written beside it by mqbench matrix`);
    if (loaded.kind === 'capacity') throw new UserError(`${args.result}: a capacity result; its CSV (one row per step) is already written beside it by mqbench capacity`);
    const result = loaded.result;
    const files = await writeCsvFiles(result, args.out ?? dirname(args.result), basename(args.result).replace(/\.json$/, ''));
    process.stdout.write(`${files.seriesCsv}\n${files.summaryCsv}\n`);
  },
};
