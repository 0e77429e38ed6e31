import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import type { RunResult } from '../../results/model.js';
import { writeCsvFiles } from '../../results/save.js';
import { UserError } from '../fail.js';

interface ExportArgs {
  result: string;
  csv: boolean;
  out: string | undefined;
}

export async function readRunResult(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read result ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not a JSON file (${(err as Error).message})`);
  }
  const r = parsed as Partial<RunResult>;
  if (r.kind !== 'run' || !Array.isArray(r.series)) throw new UserError(`${path}: not an mqbench run result (no "kind": "run")`);
  return parsed as RunResult;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <result>',
  describe: 'Write a result JSON as CSV files (per-second series and a one-row summary)',
  builder: (y) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'Result JSON written by mqbench run' })
      .option('csv', { type: 'boolean', default: true, describe: 'Write CSV (the only format for now)' })
      .option('out', { type: 'string', describe: 'Directory for the CSV files (default: beside the result)' })
      .example('$0 export results/smoke-20261129T104512Z.json --csv', 'Writes …-series.csv and …-summary.csv'),
  handler: async (args) => {
    const result = await readRunResult(args.result);
    const files = await writeCsvFiles(result, args.out ?? dirname(args.result), basename(args.result).replace(/\.json$/, ''));
    process.stdout.write(`${files.seriesCsv}\n${files.summaryCsv}\n`);
  },
};
