import { resolve } from 'node:path';
import Table from 'cli-table3';
import type { CommandModule } from 'yargs';
import { clusterDown } from '../../cluster/local/cluster.js';
import { localLayout } from '../../cluster/target.js';
import { loadProfile } from '../../profile/load.js';
import { formatDurationMs } from '../../profile/duration.js';
import type { Profile } from '../../profile/schema.js';
import { maskProfile } from '../../util/mask.js';
import { Benchmark } from '../../engine/runBenchmark.js';
import { timings } from '../../profile/timings.js';
import type { PlannedCell } from '../../matrix/expand.js';
import { MatrixRunner, type RunFailure } from '../../matrix/runner.js';
import { buildResult } from '../../results/buildResult.js';
import { buildRepeatedResult, repeatedExitCode, repetitionNumbers } from '../../results/repeated.js';
import { environmentInfo, loadAverage } from '../../results/environment.js';
import { saveResult } from '../../results/save.js';
import { resultBaseName } from '../../results/writer.js';
import { attachProgress } from '../../report/progress.js';
import { PLAIN_TABLE } from '../../report/plainTable.js';
import { renderSummary } from '../../report/summaryTable.js';
import type { RepeatedResult, RunResult, RunVerdict } from '../../results/model.js';
import { EXIT_THRESHOLD_CROSSED } from '../../gate/errors.js';
import { LiveThresholds } from '../../gate/liveThresholds.js';
import { loadThresholdsFile, thresholdsOfProfile } from '../../gate/loadThresholds.js';
import type { Threshold } from '../../gate/model.js';
import { resolveBaseline } from '../../gate/baselineStore.js';
import { gateAfterRun } from '../../gate/runGate.js';
import { EXIT, reportError, UserError } from '../fail.js';
import { PrometheusExporter } from '../../report/prometheus.js';
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
    return runRepeated(args, profile, repeat);
  }
  return runOnce(args, profile, LiveThresholds.select(thresholds));
}

async function runOnce(args: RunArgs, profile: Profile, abortThresholds: Threshold[]): Promise<RunCommandOutcome> {
  const exporter = args['metrics-port'] === undefined ? undefined : await startExporter(profile, args['metrics-port'], args.quiet);
  const bench = new Benchmark(profile, { force: args.force });
  if (exporter) bench.on('tick', (record) => exporter.onTick(record));
  if (exporter) bench.on('depth', (sample) => exporter.onDepth(sample));
  // k6's abortOnFail: a threshold already crossed stops the run; what was measured is written.
  let crossed: string | undefined;
  const live = abortThresholds.length > 0 ? new LiveThresholds(abortThresholds, (reason) => bench.abort((crossed = reason))) : undefined;
  if (live) bench.on('tick', (record) => live.onTick(record));
  const signals = new StopSignals((reason) => bench.abort(reason));
  const t = timings(profile);
  const stopProgress = attachProgress(bench, t.run.kind === 'duration' ? t.warmupMs + t.run.durationMs : undefined, args.quiet);
  try {
    const artifacts = await bench.run();
    stopProgress();
    const { outcome } = artifacts;
    if (!outcome.started && outcome.error && !signals.signal) {
      // Nothing was measured: an agent could not connect (bad input), or the start took too long (a failed run).
      throw new UserError(outcome.error.replace(/^worker \d+: /, ''), outcome.startTimedOut ? EXIT.runFailed : EXIT.badInput);
    }
    const result = buildResult(artifacts, maskProfile(profile), args.profile);
    const files = await saveResult(result, args.out, args.csv);
    const csv = [files.seriesCsv, files.summaryCsv].filter((f): f is string => f !== undefined);
    summaryStream(args).write(`${renderSummary(result)}\n\nresult: ${[files.json, ...csv].join(', ')}\n`);
    if (crossed && !signals.signal) process.stderr.write(`mqbench: ${crossed}\n`);
    const exitCode = signals.exitCode ?? (crossed ? EXIT_THRESHOLD_CROSSED : exitCodeOf(result.verdict));
    return { exitCode, written: [{ file: files.json, result, csv }], profile };
  } finally {
    live?.close();
    await exporter?.close();
    stopProgress();
    signals.dispose();
    if (args.teardown) await teardown([profile]);
  }
}

/** --metrics-port: the Prometheus endpoint, listening before anything runs (a busy port is bad input). */
async function startExporter(profile: Profile, port: number, quiet: boolean): Promise<PrometheusExporter> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UserError(`--metrics-port: expected a port number (0-65535), got ${String(port)}`);
  const exporter = new PrometheusExporter({ run: profile.name, queue_type: profile.queues.type }, profile.publishers.confirms.enabled);
  const bound = await exporter.listen(port).catch((err: unknown) => {
    throw new UserError(err instanceof Error ? err.message : String(err));
  });
  if (!quiet) process.stderr.write(`mqbench: metrics on http://127.0.0.1:${bound}/metrics\n`);
  return exporter;
}

const localOf = (p: Profile): Extract<NonNullable<Profile['cluster']>, { local: unknown }>['local'] | undefined =>
  p.cluster && 'local' in p.cluster ? p.cluster.local : undefined;

/**
 * Why the two profiles cannot keep their local clusters up side by side, or null. The same cluster
 * (same state directory, ports and settings) is shared; different clusters need their own state
 * directory and ports, else every alternation would replace the other's nodes.
 */
export function clusterConflict(a: Profile, b: Profile): string | null {
  const la = localOf(a);
  const lb = localOf(b);
  if (!la || !lb) return null;
  const describe = (l: NonNullable<typeof la>): string =>
    `${localLayout(l).join(',')} on ports ${l.basePort}…${l.basePort + l.nodes - 1}, partitionHandling ${l.partitionHandling}, netTicktime ${l.netTicktime}`;
  const sameDir = resolve(la.stateDir) === resolve(lb.stateDir);
  if (sameDir && describe(la) === describe(lb)) return null;
  const fix = 'give the baseline profile its own cluster.local.stateDir and basePort (at least 10 ports apart) so both clusters stay up while the repetitions alternate';
  if (sameDir) return `--baseline-profile: the profiles want different local clusters in the same state directory ${la.stateDir} (${describe(la)} vs ${describe(lb)}); ${fix}`;
  const overlap = la.basePort <= lb.basePort + lb.nodes - 1 && lb.basePort <= la.basePort + la.nodes - 1;
  if (overlap) return `--baseline-profile: the profiles' local clusters (${la.stateDir}, ${lb.stateDir}) would share ports (${describe(la)} vs ${describe(lb)}); ${fix}`;
  return null;
}

const BAD_INPUT: number = EXIT.badInput;

/**
 * --repeat N (and --baseline-profile): the matrix's interleaving runner with one cell per profile,
 * so the local cluster is started once and the repetitions alternate; one repeated result per profile.
 */
async function runRepeated(args: RunArgs, profile: Profile, repeat: number): Promise<RunCommandOutcome> {
  const baselineSource = args['baseline-profile'];
  const baselineProfile = baselineSource !== undefined ? await loadProfile(baselineSource) : undefined;
  if (baselineProfile) {
    const conflict = clusterConflict(profile, baselineProfile);
    if (conflict) throw new UserError(conflict);
  }
  const sameName = baselineProfile?.name === profile.name;
  // Distinct ids even when the same file is its own baseline (measuring the noise).
  const cell = (index: number, id: string, p: Profile, source: string, label: string): PlannedCell => ({ index, id, label, values: {}, overrides: {}, profile: p, skipped: null, source });
  const planned = [cell(0, 'profile', profile, args.profile, profile.name)];
  if (baselineProfile && baselineSource !== undefined) {
    planned.push(cell(1, 'baseline-profile', baselineProfile, baselineSource, sameName ? `${baselineProfile.name} (baseline)` : baselineProfile.name));
  }

  const say = (s: string): void => {
    if (!args.quiet) process.stderr.write(`mqbench: ${s}\n`);
  };
  const runner = new MatrixRunner(planned, repeat, args.profile, { force: args.force });
  const signals = new StopSignals((reason) => runner.abort(reason));
  const measuredCells = new Set<string>();
  let badInput: UserError | undefined;
  runner.on('run', (p) => say(`[${p.runNumber}/${p.totalRuns}] ${p.cell.label} — repetition ${p.repetition}/${p.repeat}, about ${formatDurationMs(Math.round(p.etaMs / 1000) * 1000)} left`));
  runner.on('status', (s) => say(`  ${s}`));
  runner.on('runDone', (c, ok, detail, failure?: RunFailure) => {
    say(`  ${ok ? 'done' : 'FAILED'}: ${detail}`);
    if (!failure) {
      measuredCells.add(c.id);
      return;
    }
    // The first repetition of a profile could not start (an agent could not connect, the cluster
    // layout differs without --force …): bad input, as for a single run. The others would fail alike.
    const code = (failure.error as { exitCode?: unknown } | undefined)?.exitCode;
    if (!signals.signal && !measuredCells.has(c.id) && (failure.kind === 'notStarted' || code === BAD_INPUT)) {
      badInput ??= new UserError(`${c.label}: ${detail.replace(/^worker \d+: /, '')}`, EXIT.badInput);
      runner.abort(badInput.message);
    }
  });
  const startedAt = new Date();
  const loadBefore = loadAverage();
  try {
    const cells = await runner.run();
    if (badInput && !signals.signal) throw badInput;
    const endedAt = new Date();
    const sources = planned.map((p) => p.source!);
    const written: WrittenResult[] = [];
    for (const [i, c] of cells.entries()) {
      const result = buildRepeatedResult({
        profile: maskProfile(planned[i]!.profile!),
        profileSource: sources[i]!,
        repeat,
        interleavedWith: sources.length > 1 ? sources[1 - i]! : null,
        runs: c.runs,
        failures: c.failures,
        startedAt,
        endedAt,
        aborted: runner.aborted,
        environment: environmentInfo(loadBefore),
      });
      // The same profile as its own baseline (to measure the noise) must not overwrite its result.
      const base = resultBaseName(i === 1 && sameName ? `${result.name}-baseline` : result.name, startedAt);
      const files = await saveResult(result, args.out, args.csv, base);
      written.push({ file: files.json, result, csv: [files.seriesCsv, files.summaryCsv].filter((f): f is string => f !== undefined) });
    }
    summaryStream(args).write(`${written.map((w, i) => renderRepeated(w.result as RepeatedResult, planned[i]!.label)).join('\n\n')}\n\n`);
    summaryStream(args).write(`result: ${written.map((w) => [w.file, ...w.csv].join(', ')).join('\n        ')}\n`);
    if (signals.exitCode !== undefined) return { exitCode: signals.exitCode, written, profile };
    const { code, lost, failed } = repeatedExitCode(written.map((w) => w.result as RepeatedResult));
    for (const r of lost) process.stderr.write(`mqbench: confirmed messages lost: ${r}\n`);
    for (const r of failed) process.stderr.write(`mqbench: failed: ${r}\n`);
    return { exitCode: code, written, profile };
  } finally {
    signals.dispose();
    if (args.teardown) await teardown([profile, ...(baselineProfile ? [baselineProfile] : [])]);
  }
}

/** --teardown: stop the local clusters the profiles started (each state directory once). */
async function teardown(profiles: Profile[]): Promise<void> {
  const dirs = new Set(profiles.map(localOf).flatMap((l) => (l ? [resolve(l.stateDir)] : [])));
  for (const stateDir of dirs) await clusterDown({ stateDir });
}

const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const n = (x: number): string => x.toLocaleString('en-US');

/** The stdout summary of a repeated result: every repetition on a line, then mean ± stddev and the merged latency. */
export function renderRepeated(r: RepeatedResult, label = r.name): string {
  const first = r.runs[0];
  const lines: string[] = [];
  const interleaved = r.interleavedWith ? `, alternating with ${r.interleavedWith}` : '';
  const broker = first ? `, broker ${first.broker.versions.join(', ') || 'unknown'}` : '';
  lines.push(`${label}: ${r.runs.length} of ${r.repeat} repetition${r.repeat === 1 ? '' : 's'} measured${interleaved}; ${r.profile.queues.type} queue(s)${broker}`);
  const t = new Table({ ...PLAIN_TABLE, head: ['repetition', 'consumed msgs/s', 'e2e p99 ms', 'lost', 'verdict'] });
  const rows: Array<{ k: number; cells: string[] }> = [];
  const reps = repetitionNumbers(r);
  r.runs.forEach((run, i) => {
    const verdict = run.verdict.status === 'ok' ? 'ok' : `${run.verdict.status.toUpperCase()}: ${run.verdict.message}`;
    rows.push({ k: reps[i]!, cells: [String(reps[i]), run.rates.consumed.overallMsgsPerS.toFixed(0), fmtMs(run.latency.e2e.corrected.p99Ms), run.delivery.lost === null ? 'n/a' : n(run.delivery.lost), verdict] });
  });
  for (const f of r.failures) if (!reps.includes(f.repetition)) rows.push({ k: f.repetition, cells: [String(f.repetition), '–', '–', '–', `FAILED: ${f.error}`] });
  for (const row of rows.sort((a, b) => a.k - b.k)) t.push(row.cells);
  lines.push(t.toString().replace(/[ \t]+$/gm, ''));
  const s = r.summary;
  if (s) {
    const lost = s.lost === null ? `loss not computed (${s.accountingIncomplete} incomplete)` : `${n(s.lost)} lost`;
    lines.push(
      `summary: consumed ${s.consumeRate.mean.toFixed(0)} ± ${s.consumeRate.stddev.toFixed(0)} msgs/s (mean ± stddev of ${s.repetitions} run${s.repetitions === 1 ? '' : 's'}), ` +
        `e2e p50 ${fmtMs(s.e2e.p50Ms)} / p99 ${fmtMs(s.e2e.p99Ms)} ms, confirm p99 ${fmtMs(s.confirm.p99Ms)} ms (histograms merged); ${lost}, ${n(s.duplicates)} duplicates`,
    );
  } else {
    lines.push('summary: no repetition was measured');
  }
  if (r.interrupted) lines.push(`INTERRUPTED: ${r.error ?? ''} — the repetitions above are what finished.`);
  return lines.join('\n');
}
