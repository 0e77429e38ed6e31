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
import type { RunVerdict } from '../../results/model.js';
import { EXIT, UserError } from '../fail.js';

interface RunArgs {
  profile: string;
  out: string;
  csv: boolean;
  quiet: boolean;
  force: boolean;
  teardown: boolean;
}

/** The verdict as an exit code, told on stderr when it is not ok. */
function exitCodeOf(v: RunVerdict): number {
  switch (v.status) {
    case 'ok':
      return EXIT.ok;
    case 'lost':
      process.stderr.write(`mqbench: confirmed messages lost: ${v.message}\n`);
      return EXIT.lost;
    case 'failed':
    case 'interrupted':
      process.stderr.write(`mqbench: run failed: ${v.message}\n`);
      return EXIT.runFailed;
  }
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
      .example('$0 run profiles/quorum-3node.json --teardown', 'Stop the local cluster afterwards')
      .example('$0 run profiles/faults/leader-loss.json', 'Stop the quorum leader mid-run: what was lost, how long the queue was unavailable')
      .epilogue(
        'Exit codes: 0 ok; 1 the run failed (interrupted, accounting incomplete, messages neither consumed nor proven lost); ' +
          '2 bad input; 3 confirmed messages lost (unless the profile sets allowLoss); 130 Ctrl-C; 143 SIGTERM. ' +
          'The result is written in every case.',
      ),
  handler: async (args) => {
    process.exitCode = await runProfile(args);
  },
};

async function runProfile(args: RunArgs): Promise<number> {
  const profile = await loadProfile(args.profile);
  const bench = new Benchmark(profile, { force: args.force });
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (s: 'SIGINT' | 'SIGTERM') => (): void => {
    signal ??= s;
    bench.abort(s === 'SIGINT' ? 'interrupted by Ctrl-C (SIGINT)' : 'terminated (SIGTERM)');
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const t = timings(profile);
  const stopProgress = attachProgress(bench, t.run.kind === 'duration' ? t.warmupMs + t.run.durationMs : undefined, args.quiet);
  try {
    const artifacts = await bench.run();
    stopProgress();
    const { outcome } = artifacts;
    if (!outcome.started && outcome.error && !signal) {
      // Nothing was measured: an agent could not connect. That is bad input, not a failed run.
      throw new UserError(outcome.error.replace(/^worker \d+: /, ''), EXIT.badInput);
    }
    const result = buildResult(artifacts, maskProfile(profile), args.profile);
    const files = await saveResult(result, args.out, args.csv);
    process.stdout.write(`${renderSummary(result)}\n\nresult: ${[files.json, files.seriesCsv, files.summaryCsv].filter(Boolean).join(', ')}\n`);
    if (signal) return signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    return exitCodeOf(result.verdict);
  } finally {
    stopProgress();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    if (args.teardown && profile.cluster && 'local' in profile.cluster) {
      await clusterDown({ stateDir: resolve(profile.cluster.local.stateDir) });
    }
  }
}
