import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Benchmark } from '../engine/runBenchmark.js';
import { timings } from '../profile/timings.js';
import type { Profile } from '../profile/schema.js';
import { buildResult } from '../results/buildResult.js';
import { maskProfile, maskSecrets } from '../util/mask.js';
import { localLayout } from '../cluster/target.js';
import type { MatrixCell } from './model.js';
import type { PlannedCell } from './expand.js';
import { summarizeRuns } from './summarize.js';

/** Local clusters of a matrix live here, one directory and port block per distinct layout. */
export const MATRIX_CLUSTER_DIR = '.mqbench/matrix';
export const MATRIX_FIRST_BASE_PORT = 6000;
/** Port blocks are this far apart: room for the largest cluster (10 nodes). */
const PORT_BLOCK = 10;
/** Connecting, declaring and draining, beyond warm-up + duration; refined by measurement. */
const FIRST_GUESS_OVERHEAD_MS = 6_000;

const PHASE_WORDS = { connecting: 'connecting publishers and consumers', warmup: 'warming up', measure: 'measuring', drain: 'draining' } as const;

export interface MatrixProgress {
  cell: PlannedCell;
  repetition: number;
  repeat: number;
  runNumber: number;
  totalRuns: number;
  etaMs: number;
}

/** Why a repetition left no measured run: it did not start (an agent could not connect), or the benchmark threw. */
export interface RunFailure {
  kind: 'notStarted' | 'threw';
  /** What was thrown (kind "threw"): a UserError or ClusterError carries its exitCode. */
  error?: unknown;
}

export interface MatrixRunnerEvents {
  run: [progress: MatrixProgress];
  status: [message: string];
  /** failure: set when the repetition measured nothing (an interrupted run was measured until then). */
  runDone: [cell: PlannedCell, ok: boolean, detail: string, failure?: RunFailure];
}

/**
 * Gives every distinct local cluster layout its own state directory and port block, so all of them
 * stay up for the whole matrix and repetitions can be interleaved without restarting nodes.
 */
export function assignClusters(cells: PlannedCell[], baseDir = MATRIX_CLUSTER_DIR, firstPort = MATRIX_FIRST_BASE_PORT): string[] {
  const keys: string[] = [];
  for (const cell of cells) {
    const c = cell.profile?.cluster;
    if (!c || !('local' in c)) continue;
    const layout = localLayout(c.local);
    const key = `${layout.length}-${layout.join('-')}`;
    if (!keys.includes(key)) keys.push(key);
    c.local.layout = layout;
    c.local.stateDir = join(baseDir, key);
    c.local.basePort = firstPort + PORT_BLOCK * keys.indexOf(key);
  }
  return keys.map((k) => join(baseDir, k));
}

export interface MatrixRunnerOptions {
  /**
   * Replace a running local cluster whose layout differs from a cell's (default true: the matrix
   * gives every layout its own cluster, see assignClusters). `run --repeat` passes its --force.
   */
  force?: boolean;
}

/** A result cell for every planned cell, before anything ran (passwords in axis values masked). */
export function emptyCells(planned: PlannedCell[]): MatrixCell[] {
  return planned.map((p) => ({
    id: p.id,
    label: p.label,
    values: maskSecrets(p.values) as MatrixCell['values'],
    overrides: p.overrides,
    skipped: p.skipped,
    runs: [],
    failures: [],
    summary: null,
  }));
}

export class MatrixRunner extends EventEmitter<MatrixRunnerEvents> {
  private current: Benchmark | undefined;
  private abortReason: string | undefined;

  constructor(
    private readonly planned: PlannedCell[],
    private readonly repeat: number,
    private readonly source: string,
    private readonly opts: MatrixRunnerOptions = {},
  ) {
    super();
  }

  get aborted(): string | undefined {
    return this.abortReason;
  }

  abort(reason: string): void {
    this.abortReason ??= reason;
    this.current?.abort(reason);
  }

  /** Runs every repetition of every runnable cell, interleaved: A, B, C, A, B, C, ... */
  async run(): Promise<MatrixCell[]> {
    const cells = emptyCells(this.planned);
    const runnable = this.planned.filter((p) => p.skipped === null && p.profile);
    const totalRuns = runnable.length * this.repeat;
    let runNumber = 0;
    let spentMs = 0;
    for (let repetition = 1; repetition <= this.repeat && !this.abortReason; repetition++) {
      for (const cell of runnable) {
        if (this.abortReason) break;
        const profile = cell.profile!;
        const perRun = runNumber > 0 ? spentMs / runNumber : expectedMs(profile);
        this.emit('run', { cell, repetition, repeat: this.repeat, runNumber: ++runNumber, totalRuns, etaMs: perRun * (totalRuns - runNumber + 1) });
        const started = Date.now();
        await this.runOne(cell, profile, repetition, cells[cell.index]!);
        spentMs += Date.now() - started;
      }
    }
    for (const c of cells) c.summary = summarizeRuns(c.runs);
    return cells;
  }

  private async runOne(cell: PlannedCell, profile: Profile, repetition: number, into: MatrixCell): Promise<void> {
    const bench = new Benchmark(profile, { force: this.opts.force ?? true });
    this.current = bench;
    bench.on('status', (m) => this.emit('status', m));
    bench.on('phase', (phase) => this.emit('status', PHASE_WORDS[phase]));
    try {
      const artifacts = await bench.run();
      const { outcome } = artifacts;
      if (!outcome.started) {
        into.failures.push({ repetition, error: outcome.error ?? 'did not start' });
        this.emit('runDone', cell, false, outcome.error ?? 'did not start', { kind: 'notStarted' });
        return;
      }
      const result = buildResult(artifacts, maskProfile(profile), cell.source ?? this.source);
      into.runs.push(result);
      // A run that lost messages is measured (loss is what a fault experiment finds), not a failure.
      if (result.interrupted) into.failures.push({ repetition, error: result.error ?? 'interrupted' });
      const rate = `${result.rates.consumed.overallMsgsPerS.toFixed(0)} msgs/s`;
      const verdict = result.verdict.status === 'ok' ? '' : `; ${result.verdict.status.toUpperCase()}: ${result.verdict.message}`;
      this.emit('runDone', cell, !result.interrupted, result.interrupted ? (result.error ?? 'interrupted') : `${rate}${verdict}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      into.failures.push({ repetition, error: message });
      this.emit('runDone', cell, false, message, { kind: 'threw', error: err });
    } finally {
      this.current = undefined;
    }
  }
}

function expectedMs(p: Profile): number {
  const t = timings(p);
  return t.warmupMs + (t.run.kind === 'duration' ? t.run.durationMs : 10_000) + FIRST_GUESS_OVERHEAD_MS;
}
