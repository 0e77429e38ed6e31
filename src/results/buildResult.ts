import type { BrokerInfo } from '../amqp/client.js';
import type { TickRecord } from '../engine/ticks.js';
import { addCounters, zeroCounters, type Counters } from '../metrics/counters.js';
import { deliveryReport } from '../metrics/delivery.js';
import { summarize } from '../metrics/histogram.js';
import { addSet, createLatencySet, destroySet, encodeSet } from '../metrics/latencySet.js';
import { rateStats } from '../metrics/rateStats.js';
import type { Profile } from '../profile/schema.js';
import type { BenchmarkArtifacts } from '../engine/runBenchmark.js';
import { clusterSection } from './clusterSection.js';
import { environmentInfo } from './environment.js';
import { RESULT_FORMAT_VERSION, type BrokerSummary, type RunResult, type SeriesPoint } from './model.js';

function sumCounters(ticks: TickRecord[]): Counters {
  const c = zeroCounters();
  for (const t of ticks) addCounters(c, t.counters);
  return c;
}

function seriesPoint(t: TickRecord): SeriesPoint {
  const perS = (n: number): number => (t.intervalMs > 0 ? Math.round((n * 1e4) / t.intervalMs) / 10 : 0);
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    tick: t.tick,
    phase: t.phase,
    tSeconds: Math.round(t.endMs) / 1000,
    intervalMs: Math.round(t.intervalMs * 10) / 10,
    ...t.counters,
    publishRateMsgsPerS: perS(t.counters.published),
    confirmRateMsgsPerS: perS(t.counters.confirmed),
    consumeRateMsgsPerS: perS(t.counters.consumed),
    e2eP50Ms: ms(t.latencies.e2eCorrected.getValueAtPercentile(50)),
    e2eP99Ms: ms(t.latencies.e2eCorrected.getValueAtPercentile(99)),
    confirmP99Ms: ms(t.latencies.confirmCorrected.getValueAtPercentile(99)),
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

/** Turns what the coordinator measured into the complete, documented result. */
export function buildResult(artifacts: BenchmarkArtifacts, profile: Profile, profileSource: string): RunResult {
  const { outcome } = artifacts;
  const ticks = outcome.ticks;
  const measuredTicks = ticks.filter((t) => t.phase === 'measure');
  // Latency of messages received after publishing stopped still belongs to the measured messages.
  const latencyTicks = ticks.filter((t) => t.phase !== 'warmup');
  const latencies = createLatencySet();
  for (const t of latencyTicks) addSet(latencies, t.latencies);
  const runTotals = sumCounters(ticks);
  const samples = (key: keyof Counters) => measuredTicks.map((t) => ({ count: t.counters[key], intervalMs: t.intervalMs }));
  const measuredMs = measuredTicks.reduce((n, t) => n + t.intervalMs, 0);
  const warmupMs = ticks.filter((t) => t.phase === 'warmup').reduce((n, t) => n + t.intervalMs, 0);
  const drainMs = ticks.filter((t) => t.phase === 'drain').reduce((n, t) => n + t.intervalMs, 0);
  const corrected = profile.publishers.rate > 0;

  const result: RunResult = {
    formatVersion: RESULT_FORMAT_VERSION,
    kind: 'run',
    name: profile.name,
    profileSource,
    profile,
    environment: environmentInfo(),
    broker: brokerSummary([...artifacts.brokers, ...outcome.brokers]),
    cluster: clusterSection(artifacts, profile.queues.type),
    startedAt: outcome.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    interrupted: outcome.interrupted,
    error: outcome.error ?? null,
    timing: { warmupMs: Math.round(warmupMs), measuredMs: Math.round(measuredMs), drainMs: Math.round(drainMs), totalMs: Math.round(outcome.endMs) },
    series: ticks.map(seriesPoint),
    measured: sumCounters(measuredTicks),
    runTotals,
    rates: { published: rateStats(samples('published')), confirmed: rateStats(samples('confirmed')), consumed: rateStats(samples('consumed')) },
    delivery: deliveryReport(outcome.publisherFinals, outcome.consumerFinals, profile.publishers.confirms.enabled, runTotals),
    latency: {
      e2e: { corrected: summarize(latencies.e2eCorrected), raw: summarize(latencies.e2eRaw) },
      confirm: { corrected: summarize(latencies.confirmCorrected), raw: summarize(latencies.confirmRaw) },
      coordinatedOmissionCorrection: corrected,
    },
    histograms: encodeSet(latencies),
  };
  destroySet(latencies);
  return result;
}
