import type { ClusterTopology } from '../../src/cluster/topology.js';
import type { MatrixCell, MatrixResult, MeanStd } from '../../src/matrix/model.js';
import { addRelative, summarizeRuns } from '../../src/matrix/summarize.js';
import { summarize } from '../../src/metrics/histogram.js';
import { createLatencySet, destroySet, encodeSet, recordLatency } from '../../src/metrics/latencySet.js';
import { rateStats } from '../../src/metrics/rateStats.js';
import { zeroCounters } from '../../src/metrics/counters.js';
import { deliveryAccount } from '../../src/metrics/accounting.js';
import { AGENT_EVENT_TYPES } from '../../src/engine/protocol.js';
import { faultWindows } from '../../src/results/faultWindows.js';
import type { AppliedStep } from '../../src/faults/types.js';
import type { StepReport } from '../../src/metrics/faultAnalysis.js';
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
      faultActive: false,
      markers: [],
      queueDepth: phase === 'measure' ? 10 * i : null,
    };
  });
  const measured = series.filter((p) => p.phase === 'measure');
  const sum = (k: 'published' | 'consumed'): number => measured.reduce((n, p) => n + p[k], 0);
  const counters = (published: number, consumed: number): RunResult['measured'] => ({ ...zeroCounters(), published, confirmed: published, consumed });
  const total = (k: 'published' | 'consumed'): number => series.reduce((n, p) => n + p[k], 0);
  const name = opts.name ?? 'synthetic';
  return {
    formatVersion: 2,
    kind: 'run',
    name,
    runId: '0000abcd',
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
    verdict: { status: 'ok', message: 'every expected message was consumed' },
    drain: 'complete',
    timing: { warmupMs: 2000, measuredMs: 5000, drainMs: 1400, totalMs: 8400 },
    series,
    measured: counters(sum('published'), sum('consumed')),
    runTotals: counters(total('published'), total('consumed')),
    rates: {
      published: rateStats(measured.map((p) => ({ count: p.published, intervalMs: p.intervalMs }))),
      confirmed: rateStats(measured.map((p) => ({ count: p.confirmed, intervalMs: p.intervalMs }))),
      consumed: rateStats(measured.map((p) => ({ count: p.consumed, intervalMs: p.intervalMs }))),
    },
    delivery: deliveryAccount({
      publishers: [{ publisherId: 0, published: total('published'), republished: 0, confirmed: [[0, total('published')]], nacked: [], returned: [], inFlightAtLoss: [], unconfirmedAtEnd: 0 }],
      // Every message consumed: the synthetic per-interval counts are noise, not an account.
      consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, total('published')]] }] }],
      confirms: true,
      publisherCount: 1,
      consumerCount: 1,
      counts: { duplicates: 0, redelivered: 0, outOfOrder: 0, foreign: 0 },
      issues: [],
      queueDepthAtEnd: null,
    }),
    events: [],
    eventCounts: Object.fromEntries(AGENT_EVENT_TYPES.map((t) => [t, 0])) as RunResult['eventCounts'],
    backlog: null,
    faults: null,
    latency: { e2e, confirm, coordinatedOmissionCorrection: true },
    histograms,
  };
}

export interface FaultRunOptions {
  name?: string;
  rate?: number;
  seed?: number;
  /** Longest time without a confirm (the queue unavailable), ms; the first step's publishing resumes after it. */
  confirmGapMs?: number;
  /** Confirmed messages proven lost (default 100). */
  lost?: number;
  /** A worker ended without its final report: loss not computed. */
  incomplete?: boolean;
  /** The profile allows loss (the verdict stays ok). */
  allowLoss?: boolean;
  /** Publishing never resumed after the first step. */
  neverResumed?: boolean;
  /** Connection events to record (default 6; more to test the cap). */
  events?: number;
}

/**
 * syntheticRun with a fault timeline: 1 s into the measurement (run clock 3 s) the leader
 * rabbit-1@host is stopped, rabbit-2@host takes over, at 3 s (run clock 5 s) rabbit-1 is started
 * again; a third step (kill at 10 s) was not applied because the run ended first. Confirms stop for
 * `confirmGapMs`, publishers and a consumer lose their connections and recover, and `lost`
 * confirmed messages are gone (verdict "lost" unless allowLoss).
 */
export function faultRun(opts: FaultRunOptions = {}): RunResult {
  const run = syntheticRun({ name: opts.name ?? 'fault', rate: opts.rate, seed: opts.seed });
  const gap = opts.confirmGapMs ?? 1200;
  const lost = opts.lost ?? 100;
  const published = run.delivery.published;
  const step = (s: Omit<AppliedStep, 'count'> & { count?: number | null }): AppliedStep => ({ count: null, ...s });
  const applied: AppliedStep[] = [
    step({ index: 0, at: '1s', action: 'stop', target: 'leader', nodes: ['rabbit-1@host'], leaderBefore: 'rabbit-1@host', requestedMs: 3000, doneMs: 3400, error: null }),
    step({ index: 1, at: '3s', action: 'start', target: 'leader', nodes: ['rabbit-1@host'], leaderBefore: 'rabbit-2@host', requestedMs: 5000, doneMs: 5600, error: null }),
    step({ index: 2, at: '10s', action: 'kill', target: 'follower', nodes: [], leaderBefore: 'rabbit-2@host', requestedMs: 7000, doneMs: 7000, error: 'not applied: the run ended before 10s' }),
  ];
  const steps: StepReport[] = [
    {
      ...applied[0]!,
      windowEndMs: 5000,
      newLeader: 'rabbit-2@host',
      newLeaderAtMs: 3900,
      confirmGap: { fromMs: 3000, toMs: 3000 + gap, durationMs: gap },
      deliveryGap: { fromMs: 3010, toMs: 3010 + gap + 300, durationMs: gap + 300 },
      confirmsResumedAfterMs: opts.neverResumed ? null : gap,
      deliveriesResumedAfterMs: opts.neverResumed ? null : gap + 310,
      publishedInWindow: 2000,
      notConsumedInWindow: lost,
    },
    {
      ...applied[1]!,
      windowEndMs: 7000,
      newLeader: null,
      newLeaderAtMs: null,
      confirmGap: null,
      deliveryGap: { fromMs: 5100, toMs: 5150, durationMs: 50 },
      confirmsResumedAfterMs: 0,
      deliveriesResumedAfterMs: 150,
      publishedInWindow: 2000,
      notConsumedInWindow: 0,
    },
    { ...applied[2]!, windowEndMs: 7000, newLeader: null, newLeaderAtMs: null, confirmGap: null, deliveryGap: null, confirmsResumedAfterMs: null, deliveriesResumedAfterMs: null, publishedInWindow: 0, notConsumedInWindow: 0 },
  ];
  const windows = faultWindows(applied, run.timing.totalMs);
  const series = run.series.map((p) => {
    const startMs = p.tSeconds * 1000 - p.intervalMs;
    const active = windows.some((w) => w.fromMs < p.tSeconds * 1000 && w.toMs > startMs);
    const markers = applied.filter((a) => a.error === null && Math.abs(a.requestedMs - p.tSeconds * 1000) < 1).map((a) => `${a.action} ${a.target} requested`);
    return { ...p, faultActive: active, markers };
  });
  const issues = opts.incomplete ? ['worker 1 ended without its final report (its agents\' messages are not accounted for)'] : [];
  const delivery = deliveryAccount({
    publishers: [
      { publisherId: 0, published, republished: 20, confirmed: [[0, published]], nacked: [], returned: [], inFlightAtLoss: [[2000, 2020]], unconfirmedAtEnd: 0 },
    ],
    consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 2000], [2000 + lost, published]] }] }],
    confirms: true,
    publisherCount: 1,
    consumerCount: 1,
    counts: { duplicates: 3, redelivered: 7, outOfOrder: 0, foreign: 0 },
    issues,
    queueDepthAtEnd: 0,
  });
  const kinds: Array<[RunResult['events'][number]['agent'], RunResult['events'][number]['type'], string]> = [
    ['publisher', 'connectionLost', 'CONNECTION_FORCED - broker forced connection closure with reason \'shutdown\''],
    ['consumer', 'connectionLost', 'socket closed'],
    ['publisher', 'recoveryFailed', 'ECONNREFUSED 127.0.0.1:5700 (attempt 1)'],
    ['publisher', 'recovered', 'after 3 attempts'],
    ['consumer', 'recovered', 'after 1 attempt'],
    ['publisher', 'catchUp', 'sending what the schedule owes'],
  ];
  const events: RunResult['events'] = Array.from({ length: opts.events ?? kinds.length }, (_, i) => {
    const [agent, type, detail] = kinds[i % kinds.length]!;
    return { tMs: 3050 + i * 10, agent, agentId: 0, type, node: '127.0.0.1:5700', detail, ...(type === 'catchUp' ? { count: 250 } : {}) };
  });
  const eventCounts = Object.fromEntries(AGENT_EVENT_TYPES.map((t) => [t, events.filter((e) => e.type === t).length])) as RunResult['eventCounts'];
  const counters = (published: number, confirmed: number, consumed: number): RunResult['measured'] => ({ ...zeroCounters(), published, confirmed, consumed });
  const allowLoss = opts.allowLoss ?? false;
  const verdict: RunResult['verdict'] = opts.incomplete
    ? { status: 'failed', message: issues[0]! }
    : lost > 0 && !allowLoss
      ? { status: 'lost', message: `${lost} confirmed messages of ${published} lost` }
      : { status: 'ok', message: lost > 0 ? `${lost} confirmed messages lost, as the profile allows (allowLoss)` : 'every expected message was consumed' };
  return {
    ...run,
    profile: { ...run.profile, allowLoss, publishers: { rate: opts.rate ?? 1000, confirms: { enabled: true, maxInFlight: 100 } } } as unknown as RunResult['profile'],
    verdict,
    series,
    delivery,
    events,
    eventCounts,
    faults: {
      steps,
      phases: [
        { name: 'before', fromMs: 0, toMs: 3000, counters: counters(3000, 3000, 2950), published: 3000, notConsumed: 0, lost: 0 },
        { name: 'during', fromMs: 3000, toMs: 5600, counters: counters(2600, 2400, 2300), published: 2600, notConsumed: lost, lost: opts.incomplete ? null : lost },
        { name: 'after', fromMs: 5600, toMs: run.timing.totalMs, counters: counters(2800, 3000, 3100), published: 2800, notConsumed: 0, lost: 0 },
      ],
      longestConfirmGap: { fromMs: 3000, toMs: 3000 + gap, durationMs: gap },
      longestDeliveryGap: { fromMs: 3010, toMs: 3010 + gap + 300, durationMs: gap + 300 },
      restoredAtEnd: [],
      membership: [
        { tMs: 0, queue: 'mqbench-1', leader: 'rabbit-1@host', members: ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'], online: ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'] },
        { tMs: 3500, queue: 'mqbench-1', leader: null, members: ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'], online: ['rabbit-2@host', 'rabbit-3@host'] },
        { tMs: 3900, queue: 'mqbench-1', leader: 'rabbit-2@host', members: ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'], online: ['rabbit-2@host', 'rabbit-3@host'] },
        { tMs: 5800, queue: 'mqbench-1', leader: 'rabbit-2@host', members: ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'], online: ['rabbit-1@host', 'rabbit-2@host', 'rabbit-3@host'] },
      ],
      windows,
    },
  };
}

/** A matrix result from run results grouped into cells; the first cell is the baseline. */
export function matrixFromRuns(name: string, cells: Array<{ id: string; label: string; values: MatrixCell['values']; runs: RunResult[]; overrides?: MatrixCell['overrides'] }>, extra: MatrixCell[] = []): MatrixResult {
  // The matrix command's own summary and relative figures.
  const built: MatrixCell[] = cells.map((c) => ({ overrides: {}, ...c, skipped: null, failures: [], summary: summarizeRuns(c.runs) }));
  addRelative(built, built[0]?.id ?? null);
  const runs = cells.flatMap((c) => c.runs);
  return {
    formatVersion: 2,
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
