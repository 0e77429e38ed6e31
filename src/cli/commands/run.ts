import type { CommandModule } from 'yargs';
import { runBenchmark } from '../../api/runBenchmark.js';
import { runRepeated } from '../../api/runRepeated.js';
import { EXIT_THRESHOLD_CROSSED } from '../../gate/errors.js';
import { LiveThresholds } from '../../gate/liveThresholds.js';
import { loadThresholdsFile, thresholdsOfProfile } from '../../gate/loadThresholds.js';
import type { Threshold } from '../../gate/model.js';
import { resolveBaseline } from '../../gate/baselineStore.js';
import { gateAfterRun } from '../../gate/runGate.js';
import { loadProfile } from '../../profile/load.js';
import type { Profile } from '../../profile/schema.js';
import { timings } from '../../profile/timings.js';
import { renderRepeated } from '../../report/repeatedTable.js';
import { renderSummary } from '../../report/summaryTable.js';
import type { RepeatedResult, RunResult, RunVerdict } from '../../results/model.js';
import { repeatedExitCode } from '../../results/repeated.js';
import { attachProgress } from '../progress.js';
import { EXIT, reportError, UserError } from '../fail.js';
import { StopSignals } from '../stopSignals.js';

export interface RunArgs {
  profile: string;
  out: string;
  csv: boolean;
  quiet: boolean;
  force: boolean;
  teardown: boolean;
  'metrics-port'?: number | undefined;
  repeat: number;
  'baseline-profile': string | undefined;
  gate: boolean;
  thresholds: string | undefined;
  baseline: string | undefined;
  'summary-md': string | undefined;
  junit: string | undefined;
  json: boolean | undefined;
}

/** A result file `run` wrote, with the result in it and the CSV files beside it (--csv). */
export interface WrittenResult {
  file: string;
  result: RunResult | RepeatedResult;
  csv: string[];
}

/** What `run` did: its own exit code (before any gate) and the results it wrote. */
export interface RunCommandOutcome {
  /** 0 ok, 1 failed / interrupted / nothing measured, 3 confirmed messages lost, 130 Ctrl-C, 143 SIGTERM. */
  exitCode: number;
  /** The profile's result first; with --baseline-profile the baseline profile's second. */
  written: WrittenResult[];
  /** The profile as loaded. */
  profile: Profile;
}

/** Where the run's own summary goes: stdout, unless --json reserves stdout for the gate's JSON report. */
const summaryStream = (args: Pick<RunArgs, 'gate' | 'json'>): NodeJS.WriteStream => (args.gate && args.json ? process.stderr : process.stdout);

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
  describe: 'Run the benchmark a profile describes (once, or --repeat N times) and write its result to results/',
  builder: (y) =>
    y
      .positional('profile', { type: 'string', demandOption: true, describe: 'Profile JSON file' })
      .option('out', { type: 'string', default: 'results', describe: 'Directory for result files' })
      .option('csv', { type: 'boolean', default: false, describe: 'Also write per-second and summary CSV files (with --repeat: one summary row per repetition plus the summary)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress spinner' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace a running local cluster whose layout differs from the profile\'s' })
      .option('teardown', { type: 'boolean', default: false, describe: 'Stop the local cluster the profile started once the run is over' })
      .option('metrics-port', {
        type: 'number',
        describe: 'Serve live metrics for Prometheus (OpenMetrics, mqbench_* names) on http://127.0.0.1:<port>/metrics while the run goes (single runs)',
      })
      .option('repeat', {
        type: 'number',
        default: 1,
        describe: 'Run the profile N times and write one result of kind "repeated" holding every repetition and their summary (rates mean ± stddev, histograms merged); 1: a single run, as without the option',
      })
      .option('baseline-profile', {
        type: 'string',
        describe: 'Also run this profile, its repetitions alternating with the profile\'s (A, B, A, B, …) so both see the same machine state; writes a second repeated result',
      })
      .option('gate', { type: 'boolean', default: false, describe: 'Gate the result against thresholds (from the profile\'s thresholds, --thresholds) and exit 99 when one is crossed' })
      .option('thresholds', { type: 'string', describe: 'Thresholds file for --gate (instead of the profile\'s thresholds)' })
      .option('baseline', {
        type: 'string',
        describe: 'Baseline for --gate\'s relative thresholds: a result JSON or the name of a saved baseline (mqbench baseline save); default with --baseline-profile: its result',
      })
      .option('summary-md', { type: 'string', describe: 'With --gate: write a Markdown summary (e.g. to $GITHUB_STEP_SUMMARY)' })
      .option('junit', { type: 'string', describe: 'With --gate: write JUnit XML, one test case per threshold' })
      .option('json', { type: 'boolean', describe: 'With --gate: print the gate\'s report as JSON on stdout (the run\'s own summary then goes to stderr)' })
      .example('$0 run profiles/smoke.json', 'A few seconds against a local node')
      .example('$0 run profiles/quorum-3node.json --csv', 'Quorum queues on a local 3-node cluster, with CSV files')
      .example('$0 run profiles/quorum-3node.json --teardown', 'Stop the local cluster afterwards')
      .example('$0 run profiles/quorum-3node-steps.json --csv', 'The publishers\' rate in steps (publishers.rate: {"steps": [...]}): target vs published rate and latency per second')
      .example('$0 run profiles/faults/leader-loss.json', 'Stop the quorum leader mid-run: what was lost, how long the queue was unavailable')
      .example('$0 run profiles/quorum-3node.json --metrics-port 9464', 'Scrape live rates and latency from http://127.0.0.1:9464/metrics')
      .example('$0 run profiles/quorum-3node.json --repeat 5', 'Five repetitions in one result: the run-to-run noise, not just one sample')
      .example('$0 run new.json --repeat 5 --baseline-profile old.json', 'new and old alternating five times each; two results to compare (mqbench compare)')
      .epilogue(
        'Exit codes: 0 ok; 1 the run failed (interrupted, accounting incomplete, messages neither consumed nor proven lost; with --repeat: ' +
          'any repetition failed or nothing was measured); 2 bad input; 3 confirmed messages lost (unless the profile sets allowLoss; with --repeat: ' +
          'in any repetition); 99 a --gate threshold was crossed (only when the run itself exited 0); 130 Ctrl-C; 143 SIGTERM. ' +
          'The result is written in every case.',
      ),
  handler: async (args) => {
    const outcome = await runProfile(args);
    process.exitCode = await gateOutcome(outcome, args);
  },
};

/** --gate: the gate's exit code when the run itself was fine, else the run's own (a gate error is then only reported). */
async function gateOutcome(outcome: RunCommandOutcome, args: RunArgs): Promise<number> {
  const subject = outcome.written[0];
  if (!args.gate || !subject) return outcome.exitCode;
  try {
    const code = await gateAfterRun({
      resultFile: subject.file,
      result: subject.result,
      args: {
        thresholds: args.thresholds,
        // The interleaved baseline profile's result is the fairest baseline there is.
        baseline: args.baseline ?? outcome.written[1]?.file,
        summaryMd: args['summary-md'],
        junit: args.junit,
        json: args.json,
      },
    });
    return outcome.exitCode !== EXIT.ok ? outcome.exitCode : code;
  } catch (err) {
    if (outcome.exitCode === EXIT.ok) throw err;
    reportError(err);
    return outcome.exitCode;
  }
}

/** Runs the profile once, or --repeat N times (with --baseline-profile interleaved), writes the result(s), prints the summary. */
export async function runProfile(args: RunArgs): Promise<RunCommandOutcome> {
  const repeat = args.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new UserError(`--repeat: expected a whole number >= 1, got ${String(args.repeat)}`);
  const profile = await loadProfile(args.profile);
  // Gate input is checked before a run that may take minutes, not after it.
  const thresholds = args.thresholds ? await loadThresholdsFile(args.thresholds) : thresholdsOfProfile(profile, args.profile);
  if (args.gate && args.baseline) await resolveBaseline(args.baseline);
  if (repeat > 1 || args['baseline-profile'] !== undefined) {
    if (args['metrics-port'] !== undefined) throw new UserError('--metrics-port serves one run: not with --repeat or --baseline-profile');
    if (profile.metrics?.prometheus && !args.quiet) process.stderr.write('mqbench: metrics.prometheus: not served with --repeat or --baseline-profile (it serves one run)\n');
    return runRepeatedCommand(args, profile, repeat);
  }
  return runOnce(args, profile, LiveThresholds.select(thresholds));
}

async function runOnce(args: RunArgs, profile: Profile, abortOn: Threshold[]): Promise<RunCommandOutcome> {
  const run = runBenchmark(profile, {
    source: args.profile,
    force: args.force,
    out: args.out,
    csv: args.csv,
    teardown: args.teardown,
    abortOn,
    metrics: args['metrics-port'] === undefined ? undefined : { port: args['metrics-port'], host: profile.metrics?.prometheus?.host, setting: '--metrics-port' },
  });
  const signals = new StopSignals((reason) => run.abort(reason));
  if (!args.quiet) run.on('metrics', (url) => process.stderr.write(`mqbench: metrics on ${url}\n`));
  const t = timings(profile);
  const stopProgress = attachProgress(run, t.run.kind === 'duration' ? t.warmupMs + t.run.durationMs : undefined, args.quiet);
  try {
    const result = await run;
    stopProgress();
    const files = run.files!;
    const csv = [files.seriesCsv, files.summaryCsv].filter((f): f is string => f !== undefined);
    summaryStream(args).write(`${renderSummary(result)}\n\nresult: ${[files.json, ...csv].join(', ')}\n`);
    const crossed = run.thresholdCrossed;
    if (crossed && !signals.signal) process.stderr.write(`mqbench: ${crossed}\n`);
    const exitCode = signals.exitCode ?? (crossed ? EXIT_THRESHOLD_CROSSED : exitCodeOf(result.verdict));
    return { exitCode, written: [{ file: files.json, result, csv }], profile };
  } finally {
    stopProgress();
    signals.dispose();
  }
}

/** --repeat N (and --baseline-profile): the library's runRepeated, progress on stderr, the summaries on stdout. */
async function runRepeatedCommand(args: RunArgs, profile: Profile, repeat: number): Promise<RunCommandOutcome> {
  const run = runRepeated(profile, {
    repeat,
    source: args.profile,
    baseline: args['baseline-profile'],
    force: args.force,
    out: args.out,
    csv: args.csv,
    teardown: args.teardown,
  });
  if (!args.quiet) run.on('status', (s) => process.stderr.write(`mqbench: ${s}\n`));
  const signals = new StopSignals((reason) => run.abort(reason));
  try {
    const results = await run;
    const written: WrittenResult[] = results.map((result, i) => {
      const files = run.files[i]!;
      return { file: files.json, result, csv: [files.seriesCsv, files.summaryCsv].filter((f): f is string => f !== undefined) };
    });
    const sameName = results.length > 1 && results[0]!.name === results[1]!.name;
    const label = (r: RepeatedResult, i: number): string => (i === 1 && sameName ? `${r.name} (baseline)` : r.name);
    summaryStream(args).write(`${results.map((r, i) => renderRepeated(r, label(r, i))).join('\n\n')}\n\n`);
    summaryStream(args).write(`result: ${written.map((w) => [w.file, ...w.csv].join(', ')).join('\n        ')}\n`);
    if (signals.exitCode !== undefined) return { exitCode: signals.exitCode, written, profile };
    const { code, lost, failed } = repeatedExitCode(results);
    for (const r of lost) process.stderr.write(`mqbench: confirmed messages lost: ${r}\n`);
    for (const r of failed) process.stderr.write(`mqbench: failed: ${r}\n`);
    return { exitCode: code, written, profile };
  } finally {
    signals.dispose();
  }
}
