import type { BrokerInfo } from '../amqp/client.js';
import type { TickRecord } from '../engine/ticks.js';
import type { BenchmarkArtifacts } from '../engine/runBenchmark.js';
import { AGENT_EVENT_TYPES, type AgentEventType } from '../engine/protocol.js';
import { sumCounters, type Counters } from '../metrics/counters.js';
import { analyzeFaults } from '../metrics/faultAnalysis.js';
import { backlogSummary } from '../metrics/backlog.js';
import type { DepthSample } from '../engine/depthSampler.js';
import { summarize } from '../metrics/histogram.js';
import { addSet, createLatencySet, destroySet, encodeSet } from '../metrics/latencySet.js';
import { rateStats } from '../metrics/rateStats.js';
import type { Profile } from '../profile/schema.js';
import { clusterSection } from './clusterSection.js';
import { environmentInfo } from './environment.js';
import { faultWindows } from './faultWindows.js';
import { RESULT_FORMAT_VERSION, type BrokerSummary, type FaultSection, type FaultWindow, type RunResult, type SeriesPoint } from './model.js';
import { disconnectedAtEnd, runVerdict } from './verdict.js';
import { targetRateOf } from './targetRate.js';
import { routingSection } from './routingSection.js';
import { isRateLimited } from '../profile/rateSchema.js';
import { expiryNote } from './expiryNote.js';

/** The last depth reading inside the interval, or null. */
function depthIn(samples: DepthSample[], fromMs: number, toMs: number): number | null {
  let depth: number | null = null;
  for (const s of samples) if (s.tMs > fromMs && s.tMs <= toMs) depth = s.depth;
  return depth;
}

type TargetRate = ReturnType<typeof targetRateOf>;

function seriesPoint(t: TickRecord, windows: FaultWindow[], samples: DepthSample[], target: TargetRate): SeriesPoint {
  const perS = (n: number): number => (t.intervalMs > 0 ? Math.round((n * 1e4) / t.intervalMs) / 10 : 0);
  const ms = (us: number): number => Math.round(us) / 1000;
  const startMs = t.endMs - t.intervalMs;
  return {
    tick: t.tick,
    phase: t.phase,
    tSeconds: Math.round(t.endMs) / 1000,
    intervalMs: Math.round(t.intervalMs * 10) / 10,
    ...t.counters,
    publishRateMsgsPerS: perS(t.counters.published),
    targetMsgsPerS: target(t.phase, startMs, t.endMs),
    confirmRateMsgsPerS: perS(t.counters.confirmed),
    consumeRateMsgsPerS: perS(t.counters.consumed),
    e2eP50Ms: ms(t.latencies.e2eCorrected.getValueAtPercentile(50)),
    e2eP99Ms: ms(t.latencies.e2eCorrected.getValueAtPercentile(99)),
    confirmP99Ms: ms(t.latencies.confirmCorrected.getValueAtPercentile(99)),
    faultActive: windows.some((w) => w.fromMs < t.endMs && w.toMs > startMs),
    markers: t.markers,
    queueDepth: depthIn(samples, startMs, t.endMs),
  };
}

function brokerSummary(brokers: BrokerInfo[]): BrokerSummary {
  const distinct = (xs: string[]): string[] => [...new Set(xs.filter((x) => x !== ''))].sort();
  return {
    product: brokers[0]?.product ?? '',
    versions: distinct(brokers.map((b) => b.version)),
    clusterNames: distinct(brokers.map((b) => b.clusterName)),
    platform: brokers[0]?.platform ?? '',
  };
}

function faultSection(a: BenchmarkArtifacts, profile: Profile): FaultSection | null {
  const { outcome, faults, account } = a;
  if (!faults) return null;
  const measureEndMs = outcome.measureEndMs ?? outcome.endMs;
  const report = analyzeFaults({
    steps: faults.steps,
    membership: faults.membership,
    activity: outcome.activity,
    ticks: outcome.ticks,
    publishers: outcome.publisherFinals,
    consumers: outcome.consumerFinals,
    confirms: profile.publishers.confirms.enabled,
    measureStartMs: outcome.warmupMs,
    measureEndMs,
    endMs: outcome.endMs,
    allNotConsumedLost: account.lost !== null && account.lost === account.notConsumed,
    routing: a.plan.routing,
  });
  return { ...report, restoredAtEnd: faults.restoredAtEnd, membership: faults.membership, windows: faultWindows(faults.steps, outcome.endMs) };
}

/** Turns what the coordinator measured into the complete, documented result. */
export function buildResult(artifacts: BenchmarkArtifacts, profile: Profile, profileSource: string): RunResult {
  const { outcome, account } = artifacts;
  const ticks = outcome.ticks;
  const measuredTicks = ticks.filter((t) => t.phase === 'measure');
  // Latency of messages received after publishing stopped still belongs to the measured messages.
  const latencyTicks = ticks.filter((t) => t.phase !== 'warmup');
  const latencies = createLatencySet();
  for (const t of latencyTicks) addSet(latencies, t.latencies);
  const samples = (key: keyof Counters) => measuredTicks.map((t) => ({ count: t.counters[key], intervalMs: t.intervalMs }));
  const phaseMs = (phase: TickRecord['phase']): number => ticks.filter((t) => t.phase === phase).reduce((n, t) => n + t.intervalMs, 0);
  const faults = faultSection(artifacts, profile);
  const eventCounts = Object.fromEntries(AGENT_EVENT_TYPES.map((t) => [t, 0])) as Record<AgentEventType, number>;
  for (const e of outcome.events) eventCounts[e.type]++;
  const error = outcome.error ?? null;
  const target = targetRateOf(profile);

  const result: RunResult = {
    formatVersion: RESULT_FORMAT_VERSION,
    kind: 'run',
    name: profile.name,
    runId: outcome.runId.toString(16).padStart(8, '0'),
    profileSource,
    profile,
    environment: environmentInfo(artifacts.loadAverageBefore),
    broker: brokerSummary([...artifacts.brokers, ...outcome.brokers]),
    cluster: clusterSection(artifacts, profile.queues.type),
    startedAt: outcome.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    interrupted: outcome.interrupted,
    error,
    verdict: runVerdict({ interrupted: outcome.interrupted, error, delivery: account, allowLoss: profile.allowLoss, disconnectedAtEnd: disconnectedAtEnd(outcome.events), expiryNote: expiryNote(profile) }),
    drain: outcome.drain,
    timing: {
      warmupMs: Math.round(phaseMs('warmup')),
      measuredMs: Math.round(phaseMs('measure')),
      drainMs: Math.round(phaseMs('drain')),
      totalMs: Math.round(outcome.endMs),
    },
    series: ticks.map((t) => seriesPoint(t, faults?.windows ?? [], artifacts.depthSamples, target)),
    measured: sumCounters(measuredTicks),
    runTotals: sumCounters(ticks),
    rates: { published: rateStats(samples('published')), confirmed: rateStats(samples('confirmed')), consumed: rateStats(samples('consumed')) },
    delivery: account,
    routing: routingSection(artifacts.plan, profile.publishers.exchange, profile.publishers.exchangeType),
    events: outcome.events,
    eventCounts,
    backlog: backlogSummary(
      artifacts.depthSamples.filter((d) => d.tMs >= outcome.warmupMs && d.tMs <= (outcome.measureEndMs ?? outcome.endMs)),
      rateStats(samples('published')).overallMsgsPerS,
      profile.queues.type === 'stream' ? 'consumer lag' : 'queue depth',
    ),
    faults,
    latency: {
      e2e: { corrected: summarize(latencies.e2eCorrected), raw: summarize(latencies.e2eRaw) },
      confirm: { corrected: summarize(latencies.confirmCorrected), raw: summarize(latencies.confirmRaw) },
      coordinatedOmissionCorrection: isRateLimited(profile.publishers.rate),
    },
    histograms: encodeSet(latencies),
  };
  destroySet(latencies);
  return result;
}
