import type { ClusterTopology } from '../../src/cluster/topology.js';
import type { MatrixCell, MatrixResult, MeanStd } from '../../src/matrix/model.js';
import { addRelative, summarizeRuns } from '../../src/matrix/summarize.js';
import { summarize } from '../../src/metrics/histogram.js';
import { createLatencySet, destroySet, encodeSet, recordLatency } from '../../src/metrics/latencySet.js';
import { rateStats } from '../../src/metrics/rateStats.js';
import { zeroCounters } from '../../src/metrics/counters.js';
import type { RunResult, SeriesPoint } from '../../src/results/model.js';

/** Sample mean ± standard deviation (computed here so the fixture does not depend on the matrix code). */
export function meanStdOf(xs: number[]): MeanStd {
  const n = xs.length;
  const mean = n === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / n;
  const stddev = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, stddev, n };
}

function topology(leader: string, online: string[]): ClusterTopology {
  const nodes = ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'];
  return {
    capturedAt: '2026-01-01T00:00:00.000Z',
    rabbitmqVersion: '3.13.0',
    erlangVersion: '26.2',
    clusterName: 'fixture',
    nodes: nodes.map((name, i) => ({ name, type: i === 2 ? 'ram' : 'disc', running: online.includes(name), memAlarm: false, diskAlarm: false, memUsedBytes: 1e8 })),
    queues: [{ name: 'mqbench-1', type: 'quorum', leader, members: nodes, onlineMembers: online, messages: 0 }],
  };
}

/**
 * A complete, plausible run result without a broker: 2 warm-up, 5 measured and 2 drain intervals
 * at `rate` msgs/s, latencies drawn from a fixed pseudo-random sequence, and a leader that moves.
 */
export function syntheticRun(opts: { name?: string; rate?: number; seed?: number; latencyScaleUs?: number } = {}): RunResult {
  const rate = opts.rate ?? 1000;
  let seed = opts.seed ?? 7;
  const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const set = createLatencySet();
  const scale = opts.latencyScaleUs ?? 2000;
  for (let i = 0; i < 20_000; i++) {
    const raw = scale * -Math.log(1 - next() * 0.999999);
    recordLatency(set, 'e2eRaw', raw);
    recordLatency(set, 'e2eCorrected', raw * (1 + next() * 0.3));
    recordLatency(set, 'confirmRaw', raw / 2);
    recordLatency(set, 'confirmCorrected', (raw / 2) * (1 + next() * 0.3));
  }
  const histograms = encodeSet(set);
  const e2e = { corrected: summarize(set.e2eCorrected), raw: summarize(set.e2eRaw) };
  const confirm = { corrected: summarize(set.confirmCorrected), raw: summarize(set.confirmRaw) };
  destroySet(set);

  const phases: Array<SeriesPoint['phase']> = ['warmup', 'warmup', 'measure', 'measure', 'measure', 'measure', 'measure', 'drain', 'drain'];
  const series: SeriesPoint[] = phases.map((phase, i) => {
    const intervalMs = i === phases.length - 1 ? 400 : 1000;
    const published = phase === 'drain' ? 0 : Math.round(rate * (0.95 + next() * 0.1));
    const consumed = phase === 'drain' && i === phases.length - 1 ? 0 : Math.round(rate * (0.9 + next() * 0.1));
    const perS = (n: number): number => Math.round((n * 10_000) / intervalMs) / 10;
    return {
      tick: i + 1,
      phase,
      tSeconds: i + intervalMs / 1000,
      intervalMs,
      ...zeroCounters(),
      published,
      confirmed: published,
      consumed,
      publishRateMsgsPerS: perS(published),
      confirmRateMsgsPerS: perS(published),
      consumeRateMsgsPerS: perS(consumed),
      e2eP50Ms: 2,
      e2eP99Ms: 9,
      confirmP99Ms: 5,
    };
  });
  const measured = series.filter((p) => p.phase === 'measure');
  const sum = (k: 'published' | 'consumed'): number => measured.reduce((n, p) => n + p[k], 0);
  const counters = (published: number, consumed: number): RunResult['measured'] => ({ ...zeroCounters(), published, confirmed: published, consumed });
  const total = (k: 'published' | 'consumed'): number => series.reduce((n, p) => n + p[k], 0);
  const name = opts.name ?? 'synthetic';
  return {
    formatVersion: 1,
    kind: 'run',
    name,
    profileSource: 'profiles/synthetic.json',
    profile: { name, queues: { type: 'quorum' }, publishers: { rate }, broker: { uris: ['amqp://guest:***@127.0.0.1:5672/'] } } as unknown as RunResult['profile'],
    environment: {
      mqbenchVersion: '0.1.0',
      nodeVersion: 'v20.0.0',
      os: { platform: 'linux', release: '6', arch: 'x64' },
      hostname: 'fixture',
      cpu: { count: 2, model: 'CPU' },
      memoryBytes: 1e9,
    },
    broker: { product: 'RabbitMQ', versions: ['3.13.0'], clusterNames: ['fixture'], platform: 'Erlang/OTP 26' },
    cluster: {
      kind: 'local',
      local: { layout: ['disk', 'disk', 'ram'], basePort: 5700, reused: false },
      amqpUris: ['amqp://guest:***@127.0.0.1:5700/'],
      nodeCount: 3,
      ramNodeCount: 1,
      queueType: 'quorum',
      leaderNode: 'rabbit-1@host',
      before: topology('rabbit-1@host', ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host']),
      after: topology('rabbit-2@host', ['rabbit-2@host', 'rabbit-3@host']),
      error: null,
      agents: [],
    },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:09.400Z',
    interrupted: false,
    error: null,
    timing: { warmupMs: 2000, measuredMs: 5000, drainMs: 1400, totalMs: 8400 },
    series,
    measured: counters(sum('published'), sum('consumed')),
    runTotals: counters(total('published'), total('consumed')),
    rates: {
      published: rateStats(measured.map((p) => ({ count: p.published, intervalMs: p.intervalMs }))),
      confirmed: rateStats(measured.map((p) => ({ count: p.confirmed, intervalMs: p.intervalMs }))),
      consumed: rateStats(measured.map((p) => ({ count: p.consumed, intervalMs: p.intervalMs }))),
    },
    delivery: { tracked: true, published: total('published'), confirmed: total('published'), nacked: 0, unconfirmed: 0, consumedUnique: total('consumed'), lost: 0, duplicates: 0, outOfOrder: 0 },
    latency: { e2e, confirm, coordinatedOmissionCorrection: true },
    histograms,
  };
}

/** A matrix result from run results grouped into cells; the first cell is the baseline. */
export function matrixFromRuns(name: string, cells: Array<{ id: string; label: string; values: MatrixCell['values']; runs: RunResult[] }>, extra: MatrixCell[] = []): MatrixResult {
  // The matrix command's own summary and relative figures.
  const built: MatrixCell[] = cells.map((c) => ({ ...c, skipped: null, failures: [], summary: summarizeRuns(c.runs) }));
  addRelative(built, built[0]?.id ?? null);
  const runs = cells.flatMap((c) => c.runs);
  return {
    formatVersion: 1,
    kind: 'matrix',
    name,
    profileSource: 'profiles/fixture-matrix.json',
    matrix: { name, axes: Object.fromEntries(Object.keys(cells[0]?.values ?? {}).map((k) => [k, cells.map((c) => c.values[k])])), repeat: Math.max(...cells.map((c) => c.runs.length)) },
    environment: runs[0]!.environment,
    startedAt: runs[0]!.startedAt,
    endedAt: runs.at(-1)!.endedAt,
    interrupted: false,
    error: null,
    repeat: Math.max(...cells.map((c) => c.runs.length)),
    baselineCellId: built[0]?.id ?? null,
    cells: [...built, ...extra],
  };
}

/** Charts of a matrix with two cells, the first with two repetitions, the second with one: in page order. */
export const TWO_CELL_MATRIX_CHART_IDS = [
  'matrix-throughput',
  'matrix-latency-e2e',
  'matrix-latency-confirm',
  'cell-1-rep-1-throughput',
  'cell-1-rep-2-throughput',
  'cell-1-latency-e2e',
  'cell-1-latency-confirm',
  'cell-2-rep-1-throughput',
];
