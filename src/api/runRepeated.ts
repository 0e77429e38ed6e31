import { resolve } from 'node:path';
import { localLayout } from '../cluster/target.js';
import type { PlannedCell } from '../matrix/expand.js';
import { MatrixRunner, type RunFailure } from '../matrix/runner.js';
import { formatDurationMs } from '../profile/duration.js';
import type { Profile } from '../profile/schema.js';
import type { RepeatedResult } from '../results/model.js';
import { buildRepeatedResult } from '../results/repeated.js';
import { environmentInfo, loadAverage } from '../results/environment.js';
import { saveResult, type SavedFiles } from '../results/save.js';
import { resultBaseName } from '../results/writer.js';
import { maskProfile } from '../util/mask.js';
import { EXIT, UserError } from '../util/userError.js';
import { localClusterOf, teardown } from './runBenchmark.js';
import { resolveProfile, type ProfileArgument } from './profileInput.js';
import { onAbort, RunHandle } from './runHandle.js';

export interface RunRepeatedOptions {
  /** Repetitions of each profile (default 3). */
  repeat?: number;
  /** A second profile whose repetitions alternate with the first's (A, B, A, B, …): a fair baseline on the same machine state. */
  baseline?: ProfileArgument;
  signal?: AbortSignal;
  force?: boolean;
  /** Write each repeated result (and with `csv`, its CSV files) into this directory; paths in `run.files`. */
  out?: string;
  csv?: boolean;
  /** Stop the local clusters the profiles started once all is over. */
  teardown?: boolean;
  /** Where the profile and the baseline came from, as the results record it. */
  source?: string;
  baselineSource?: string;
}

export interface RepeatedRunEvents {
  /** Progress in words, one line each: which repetition, about how long is left, what each measured. */
  status: [message: string];
}

/** Running repetitions: progress lines as events, and a promise of one repeated result per profile (the profile's first). */
export class RepeatedRun extends RunHandle<RepeatedResult[], RepeatedRunEvents> {
  /** The files written (with `out`), one entry per result. */
  files: SavedFiles[] = [];
}

/**
 * Why the two profiles cannot keep their local clusters up side by side, or null. The same cluster
 * (same state directory, ports and settings) is shared; different clusters need their own state
 * directory and ports, else every alternation would replace the other's nodes.
 */
export function clusterConflict(a: Profile, b: Profile): string | null {
  const la = localClusterOf(a);
  const lb = localClusterOf(b);
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

/**
 * Runs a profile `repeat` times (with `baseline`, alternating with it) through the matrix's
 * interleaving runner, one cell per profile, so a local cluster starts once; resolves with one
 * repeated result per profile (every repetition and their summary). Rejects with a UserError when
 * the first repetition of a profile cannot start (bad input, as for a single run).
 */
export function runRepeated(profile: ProfileArgument, opts: RunRepeatedOptions = {}): RepeatedRun {
  const run: RepeatedRun = new RepeatedRun(async (signal) => {
    const repeat = opts.repeat ?? 3;
    if (!Number.isInteger(repeat) || repeat < 1) throw new UserError(`repeat: expected a whole number >= 1, got ${String(repeat)}`);
    const main = await resolveProfile(profile, opts.source, 'runRepeated()');
    const baseline = opts.baseline === undefined ? undefined : await resolveProfile(opts.baseline, opts.baselineSource, 'runRepeated() baseline');
    try {
      const conflict = baseline ? clusterConflict(main.profile, baseline.profile) : null;
      if (conflict) throw new UserError(conflict);
      return await repetitions(run, main, baseline, repeat, signal, opts);
    } finally {
      if (opts.teardown) await teardown([main.profile, ...(baseline ? [baseline.profile] : [])]);
    }
  }, opts.signal);
  return run;
}

interface Side {
  profile: Profile;
  source: string;
}

async function repetitions(run: RepeatedRun, main: Side, baseline: Side | undefined, repeat: number, signal: AbortSignal, opts: RunRepeatedOptions): Promise<RepeatedResult[]> {
  const sameName = baseline?.profile.name === main.profile.name;
  // Distinct ids even when the same file is its own baseline (measuring the noise).
  const cell = (index: number, id: string, s: Side, label: string): PlannedCell => ({ index, id, label, values: {}, overrides: {}, profile: s.profile, skipped: null, source: s.source });
  const planned = [cell(0, 'profile', main, main.profile.name)];
  if (baseline) planned.push(cell(1, 'baseline-profile', baseline, sameName ? `${baseline.profile.name} (baseline)` : baseline.profile.name));

  const say = (s: string): void => void run.emit('status', s);
  const runner = new MatrixRunner(planned, repeat, main.source, { force: opts.force });
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
    // layout differs without force …): bad input, as for a single run. The others would fail alike.
    const code = (failure.error as { exitCode?: unknown } | undefined)?.exitCode;
    if (!signal.aborted && !measuredCells.has(c.id) && (failure.kind === 'notStarted' || code === EXIT.badInput)) {
      badInput ??= new UserError(`${c.label}: ${detail.replace(/^worker \d+: /, '')}`, EXIT.badInput);
      runner.abort(badInput.message);
    }
  });
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const undo = onAbort(signal, (reason) => runner.abort(reason));
  try {
    const cells = await runner.run();
    if (badInput && !signal.aborted) throw badInput;
    const endedAt = new Date();
    const sources = planned.map((c) => c.source!);
    const results: RepeatedResult[] = [];
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
      results.push(result);
      // The same profile as its own baseline (to measure the noise) must not overwrite its result.
      const base = resultBaseName(i === 1 && sameName ? `${result.name}-baseline` : result.name, startedAt);
      if (opts.out) run.files.push(await saveResult(result, opts.out, opts.csv ?? false, base));
    }
    return results;
  } finally {
    undo();
  }
}
