import { resolve } from 'node:path';
import { clusterDown } from '../cluster/local/cluster.js';
import type { RunEvent } from '../engine/coordinator.js';
import type { DepthSample } from '../engine/depthSampler.js';
import { Benchmark } from '../engine/runBenchmark.js';
import type { TickRecord } from '../engine/ticks.js';
import { LiveThresholds } from '../gate/liveThresholds.js';
import { thresholdsOfProfile } from '../gate/loadThresholds.js';
import type { Threshold } from '../gate/model.js';
import type { Profile } from '../profile/schema.js';
import { PrometheusExporter } from '../report/prometheus.js';
import { buildResult } from '../results/buildResult.js';
import type { RunResult } from '../results/model.js';
import { saveResult, type SavedFiles } from '../results/save.js';
import { maskProfile } from '../util/mask.js';
import { EXIT, UserError } from '../util/userError.js';
import { resolveProfile, type ProfileArgument } from './profileInput.js';
import { onAbort, RunHandle } from './runHandle.js';

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
  /** The same rates per node the agents' connections were on (RabbitMQ node name on a local cluster, else host:port). */
  nodes: Array<{ node: string; publishedPerS: number; confirmedPerS: number; consumedPerS: number }>;
}

/** Where live metrics are served (OpenMetrics on http://host:port/metrics). */
export interface MetricsEndpoint {
  /** 0: any free port (the one chosen is in `run.metricsUrl`). */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** What errors call the setting (default "metrics port"; the CLI says --metrics-port). */
  setting?: string;
}

export interface RunBenchmarkOptions {
  /** Aborting ends the run early: what was measured is kept and the promise resolves with it. */
  signal?: AbortSignal;
  /** Replace a running local cluster of another layout (the CLI's --force). */
  force?: boolean;
  /** Also write the result JSON (and with `csv`, its CSV files) into this directory; the paths are in `run.files`. */
  out?: string;
  csv?: boolean;
  /** Where the profile came from, as the result records it (default: the path given, else "runBenchmark()"). */
  source?: string;
  /** Serve live metrics for Prometheus while the run goes; default: the profile's metrics.prometheus; false: none. */
  metrics?: MetricsEndpoint | false;
  /**
   * Thresholds checked every measured second (k6's abortOnFail): the first one crossed ends the run
   * and its line is in `run.thresholdCrossed`. Default: the profile's thresholds that set abortOnFail.
   */
  abortOn?: Threshold[];
  /** Stop the local cluster the profile started once the run is over (also when it failed). */
  teardown?: boolean;
}

export interface BenchmarkRunEvents {
  tick: [tick: Tick];
  /** Slow steps in words: starting a cluster, declaring queues, connecting agents. */
  status: [message: string];
  phase: [phase: 'connecting' | 'warmup' | 'measure' | 'drain'];
  /** The live metrics endpoint is listening at this URL. */
  metrics: [url: string];
  /** Something happened to an agent's connection or channel (lost, reconnected, blocked, stalled …), as in the result's `events`. */
  agent: [event: RunEvent];
  /** The run's queues held this many ready messages (about once a second; not for streams nor above 100 queues). */
  backlog: [sample: DepthSample];
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
    nodes: [...(r.byNode ?? [])].map(([node, c]) => ({
      node,
      publishedPerS: perS(c.published, r.intervalMs),
      confirmedPerS: perS(c.confirmed, r.intervalMs),
      consumedPerS: perS(c.consumed, r.intervalMs),
    })),
  };
}

/** A running benchmark: ticks, status and phases as events, and a promise of its result. */
export class BenchmarkRun extends RunHandle<RunResult, BenchmarkRunEvents> {
  /** The files written (with `out`), once the result is. */
  files: SavedFiles | undefined;
  /** The line of the threshold that ended the run early (abortOn), if one did. */
  thresholdCrossed: string | undefined;
  /** Where live metrics are served, once listening. */
  metricsUrl: string | undefined;
}

/**
 * Runs one benchmark — a profile file's path, a profile object as written (validated here), or a
 * validated Profile — and resolves with its result (the JSON `mqbench run` writes). Rejects with
 * a UserError (one line, `exitCode`) when it cannot start: an invalid profile, an unreachable
 * broker, wrong credentials, a busy metrics port. A run that lost messages resolves: read `result.verdict`.
 */
export function runBenchmark(profile: ProfileArgument, opts: RunBenchmarkOptions = {}): BenchmarkRun {
  const run: BenchmarkRun = new BenchmarkRun(async (signal) => {
    const { profile: p, source } = await resolveProfile(profile, opts.source, 'runBenchmark()');
    try {
      return await measure(run, p, source, signal, opts);
    } finally {
      if (opts.teardown) await teardown([p]);
    }
  }, opts.signal);
  return run;
}

async function measure(run: BenchmarkRun, p: Profile, source: string, signal: AbortSignal, opts: RunBenchmarkOptions): Promise<RunResult> {
  const exporter = await startExporter(run, p, opts.metrics);
  const bench = new Benchmark(p, { force: opts.force });
  bench.on('status', (m) => run.emit('status', m));
  bench.on('phase', (phase) => run.emit('phase', phase));
  bench.on('tick', (record) => run.emit('tick', tickOf(record)));
  bench.on('agentEvent', (e) => run.emit('agent', e));
  bench.on('depth', (sample) => run.emit('backlog', sample));
  if (exporter) {
    bench.on('tick', (record) => exporter.onTick(record));
    bench.on('depth', (sample) => exporter.onDepth(sample));
  }
  const abortOn = opts.abortOn ?? LiveThresholds.select(thresholdsOfProfile(p, source));
  const live = abortOn.length > 0 ? new LiveThresholds(abortOn, (reason) => run.abort((run.thresholdCrossed = reason))) : undefined;
  if (live) bench.on('tick', (record) => live.onTick(record));
  const undo = onAbort(signal, (reason) => bench.abort(reason));
  try {
    const artifacts = await bench.run();
    const { outcome } = artifacts;
    if (!outcome.started && outcome.error && !signal.aborted) {
      // Nothing was measured: an agent could not connect (bad input), or the start took too long (a failed run).
      throw new UserError(outcome.error.replace(/^worker \d+: /, ''), outcome.startTimedOut ? EXIT.runFailed : EXIT.badInput);
    }
    const result = buildResult(artifacts, maskProfile(p), source);
    if (opts.out) run.files = await saveResult(result, opts.out, opts.csv ?? false);
    return result;
  } finally {
    undo();
    live?.close();
    await exporter?.close();
  }
}

/** The metrics endpoint, listening before anything runs (a busy port is bad input). */
async function startExporter(run: BenchmarkRun, p: Profile, asked: MetricsEndpoint | false | undefined): Promise<PrometheusExporter | undefined> {
  const where = asked ?? p.metrics?.prometheus;
  if (!where) return undefined;
  const { port, host = '127.0.0.1' } = where;
  const setting = asked ? (asked.setting ?? 'metrics port') : 'metrics.prometheus.port';
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UserError(`${setting}: expected a port number (0-65535), got ${String(port)}`);
  const exporter = new PrometheusExporter({ run: p.name, queue_type: p.queues.type }, p.publishers.confirms.enabled);
  const bound = await exporter.listen(port, host).catch((err: unknown) => {
    throw new UserError(`${setting} ${port}: ${err instanceof Error ? err.message : String(err)}`);
  });
  run.metricsUrl = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  run.emit('metrics', run.metricsUrl);
  return exporter;
}

/** The local cluster of a profile, if it asks for one. */
export const localClusterOf = (p: Profile): Extract<NonNullable<Profile['cluster']>, { local: unknown }>['local'] | undefined =>
  p.cluster && 'local' in p.cluster ? p.cluster.local : undefined;

/** Stops the local clusters the profiles started (each state directory once). */
export async function teardown(profiles: Profile[]): Promise<void> {
  const dirs = new Set(profiles.map(localClusterOf).flatMap((l) => (l ? [resolve(l.stateDir)] : [])));
  for (const stateDir of dirs) await clusterDown({ stateDir });
}
