import type { CommandModule } from 'yargs';
import { loadProfile } from '../../profile/load.js';
import { maskProfile } from '../../util/mask.js';
import { startBenchmark } from '../../engine/runBenchmark.js';
import { buildResult } from '../../results/buildResult.js';
import { saveResult } from '../../results/save.js';
import { attachProgress } from '../../report/progress.js';
import { renderSummary } from '../../report/summaryTable.js';
import { EXIT, UserError } from '../fail.js';

interface RunArgs {
  profile: string;
  out: string;
  csv: boolean;
  quiet: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <profile>',
  describe: 'Run the benchmark a profile describes and write its result to results/',
  builder: (y) =>
    y
      .positional('profile', { type: 'string', demandOption: true, describe: 'Profile JSON file' })
      .option('out', { type: 'string', default: 'results', describe: 'Directory for result files' })
      .option('csv', { type: 'boolean', default: false, describe: 'Also write per-second and summary CSV files' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress spinner' })
      .example('$0 run profiles/smoke.json', 'A few seconds against a local node')
      .example('$0 run profiles/quorum-3node.json --csv', 'Quorum queues on 3 nodes, with CSV files'),
  handler: async (args) => {
    process.exitCode = await runProfile(args);
  },
};

async function runProfile(args: RunArgs): Promise<number> {
  const profile = await loadProfile(args.profile);
  const run = startBenchmark(profile);
  let sigint = false;
  const onSigint = (): void => {
    sigint = true;
    run.coordinator.abort('interrupted by Ctrl-C (SIGINT)');
  };
  process.on('SIGINT', onSigint);
  const stopProgress = attachProgress(run.coordinator, run.plan.durationMs !== undefined ? run.plan.warmupMs + run.plan.durationMs : undefined, args.quiet);
  try {
    const { outcome, setupBroker } = await run.outcome;
    stopProgress();
    if (!outcome.started && outcome.error && !sigint) {
      // Nothing was measured: an agent could not connect. That is bad input, not a failed run.
      throw new UserError(outcome.error.replace(/^worker \d+: /, ''), EXIT.badInput);
    }
    const result = buildResult(outcome, maskProfile(profile), args.profile, [setupBroker]);
    const files = await saveResult(result, args.out, args.csv);
    process.stdout.write(`${renderSummary(result)}\n\nresult: ${[files.json, files.seriesCsv, files.summaryCsv].filter(Boolean).join(', ')}\n`);
    if (sigint) return EXIT.interrupted;
    if (result.interrupted) {
      process.stderr.write(`mqbench: run failed: ${result.error ?? 'interrupted'}\n`);
      return EXIT.runFailed;
    }
    return EXIT.ok;
  } finally {
    stopProgress();
    process.off('SIGINT', onSigint);
  }
}
