import { EventEmitter } from 'node:events';
import { Benchmark } from '../engine/runBenchmark.js';
import type { TickRecord } from '../engine/ticks.js';
import { loadProfile, parseProfile } from '../profile/load.js';
import type { Profile, ProfileInput } from '../profile/schema.js';
import { buildResult } from '../results/buildResult.js';
import type { RunResult } from '../results/model.js';
import { saveResult } from '../results/save.js';
import { maskProfile } from '../util/mask.js';
import { EXIT, UserError } from '../util/userError.js';

/** One second of a running benchmark (autocannon's "tick"): rates over the interval and its latency. */
export interface Tick {
  /** End of the interval, ms since the start barrier (warm-up included). */
  tMs: number;
  phase: 'warmup' | 'measure' | 'drain';
  intervalMs: number;
  publishedPerS: number;
  confirmedPerS: number;
  consumedPerS: number;
  /** End-to-end latency (corrected for coordinated omission) in the interval; null without deliveries. */
  e2eP50Ms: number | null;
  e2eP99Ms: number | null;
  /** Publisher-confirm latency (corrected); null without confirms. */
  confirmP99Ms: number | null;
}

export interface RunBenchmarkOptions {
  /** Aborting ends the run early: what was measured is kept and the promise resolves with it. */
  signal?: AbortSignal;
  /** Replace a running local cluster of another layout (the CLI's --force). */
  force?: boolean;
  /** Also write the result JSON (and with `csv`, its CSV files) into this directory. */
  out?: string;
  csv?: boolean;
}

export interface BenchmarkRunEvents {
  tick: [tick: Tick];
  /** Slow steps in words: starting a cluster, declaring queues, connecting agents. */
  status: [message: string];
  phase: [phase: 'connecting' | 'warmup' | 'measure' | 'drain'];
}

const perS = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
const quantileMs = (h: TickRecord['latencies']['e2eCorrected'], q: number): number | null => (h.totalCount > 0 ? h.getValueAtPercentile(q) / 1000 : null);

export function tickOf(r: TickRecord): Tick {
  return {
    tMs: r.endMs,
    phase: r.phase,
    intervalMs: r.intervalMs,
    publishedPerS: perS(r.counters.published, r.intervalMs),
    confirmedPerS: perS(r.counters.confirmed, r.intervalMs),
    consumedPerS: perS(r.counters.consumed, r.intervalMs),
    e2eP50Ms: quantileMs(r.latencies.e2eCorrected, 50),
    e2eP99Ms: quantileMs(r.latencies.e2eCorrected, 99),
    confirmP99Ms: quantileMs(r.latencies.confirmCorrected, 99),
  };
}

/**
 * A running benchmark: an event emitter of ticks, status and phases, and a promise of its result
 * (`await runBenchmark(...)` works). Listeners attached right after the call see every event: the
 * run starts on the next turn of the event loop.
 */
export class BenchmarkRun extends EventEmitter<BenchmarkRunEvents> implements PromiseLike<RunResult> {
  readonly result: Promise<RunResult>;

  constructor(start: (run: BenchmarkRun) => Promise<RunResult>) {
    super();
    this.result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => start(this));
  }

  then<A = RunResult, B = never>(onFulfilled?: ((r: RunResult) => A | PromiseLike<A>) | null, onRejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.result.then(onFulfilled, onRejected);
  }
}

/**
 * Runs one benchmark — a profile file's path, a profile object as written (validated here), or a
 * validated Profile — and resolves with its result (the JSON `mqbench run` writes). Rejects with
 * a UserError (one line, `exitCode`) when it cannot start: an invalid profile, an unreachable
 * broker, wrong credentials. A run that lost messages resolves: read `result.verdict`.
 */
export function runBenchmark(profile: string | ProfileInput | Profile, opts: RunBenchmarkOptions = {}): BenchmarkRun {
  return new BenchmarkRun(async (run) => {
    const p = typeof profile === 'string' ? await loadProfile(profile) : parseProfile(profile, 'runBenchmark()');
    const source = typeof profile === 'string' ? profile : 'runBenchmark()';
    const bench = new Benchmark(p, { force: opts.force });
    bench.on('status', (m) => run.emit('status', m));
    bench.on('phase', (phase) => run.emit('phase', phase));
    bench.on('tick', (record) => run.emit('tick', tickOf(record)));
    const onAbort = (): void => bench.abort(`aborted: ${String(opts.signal?.reason ?? 'AbortSignal')}`);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const artifacts = await bench.run();
      const { outcome } = artifacts;
      if (!outcome.started && outcome.error && !opts.signal?.aborted) {
        throw new UserError(outcome.error.replace(/^worker \d+: /, ''), outcome.startTimedOut ? EXIT.runFailed : EXIT.badInput);
      }
      const result = buildResult(artifacts, maskProfile(p), source);
      if (opts.out) await saveResult(result, opts.out, opts.csv ?? false);
      return result;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  });
}
