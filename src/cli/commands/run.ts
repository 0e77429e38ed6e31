import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { clusterDown } from '../../cluster/local/cluster.js';
import { loadProfile } from '../../profile/load.js';
import { maskProfile } from '../../util/mask.js';
import { Benchmark } from '../../engine/runBenchmark.js';
import { timings } from '../../profile/timings.js';
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
  force: boolean;
  teardown: boolean;
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
      .option('force', { type: 'boolean', default: false, describe: 'Replace a running local cluster whose layout differs from the profile\'s' })
      .option('teardown', { type: 'boolean', default: false, describe: 'Stop the local cluster the profile started once the run is over' })
      .example('$0 run profiles/smoke.json', 'A few seconds against a local node')
      .example('$0 run profiles/quorum-3node.json --csv', 'Quorum queues on a local 3-node cluster, with CSV files')
      .example('$0 run profiles/quorum-3node.json --teardown', 'Stop the local cluster afterwards'),
  handler: async (args) => {
    process.exitCode = await runProfile(args);
  },
};

async function runProfile(args: RunArgs): Promise<number> {
  const profile = await loadProfile(args.profile);
  const bench = new Benchmark(profile, { force: args.force });
  let sigint = false;
  const onSigint = (): void => {
    sigint = true;
    bench.abort('interrupted by Ctrl-C (SIGINT)');
  };
  process.on('SIGINT', onSigint);
  const t = timings(profile);
  const stopProgress = attachProgress(bench, t.run.kind === 'duration' ? t.warmupMs + t.run.durationMs : undefined, args.quiet);
  try {
    const artifacts = await bench.run();
    stopProgress();
    const { outcome } = artifacts;
    if (!outcome.started && outcome.error && !sigint) {
      // Nothing was measured: an agent could not connect. That is bad input, not a failed run.
      throw new UserError(outcome.error.replace(/^worker \d+: /, ''), EXIT.badInput);
    }
    const result = buildResult(artifacts, maskProfile(profile), args.profile);
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
    if (args.teardown && profile.cluster && 'local' in profile.cluster) {
      await clusterDown({ stateDir: resolve(profile.cluster.local.stateDir) });
    }
  }
}
