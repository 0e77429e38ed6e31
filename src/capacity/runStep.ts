import { Benchmark } from '../engine/runBenchmark.js';
import { decodeHistogram } from '../metrics/histogram.js';
import type { Profile } from '../profile/schema.js';
import { buildResult } from '../results/buildResult.js';
import type { RunResult } from '../results/model.js';
import { maskProfile } from '../util/mask.js';
import { formatDurationMs } from '../profile/duration.js';
import type { Slo, StepMeasurement } from './model.js';

/** The profile for one step: the total rate shared by the publishers, a fixed step length, no faults or thresholds. */
export function stepProfile(base: Profile, totalMsgsPerS: number, stepMs: number, settleMs: number): Profile {
  const count = Math.max(1, base.publishers.count);
  return {
    ...base,
    publishers: { ...base.publishers, rate: totalMsgsPerS > 0 ? totalMsgsPerS / count : 0 },
    duration: formatDurationMs(stepMs),
    messagesPerPublisher: undefined,
    warmup: formatDurationMs(settleMs),
    faults: [],
    thresholds: undefined,
  };
}

/** What a step's run measured, in the terms the search judges. */
export function stepMeasurement(r: RunResult, targetMsgsPerS: number, slos: Slo[]): StepMeasurement {
  return {
    targetMsgsPerS,
    publishedMsgsPerS: r.rates.published.overallMsgsPerS,
    consumedMsgsPerS: r.rates.consumed.overallMsgsPerS,
    backlogGrowthMsgsPerS: r.backlog?.growthMsgsPerS ?? null,
    backlogGrowing: r.backlog?.growing ?? false,
    nacked: r.delivery.nacked,
    e2eP50Ms: r.latency.e2e.corrected.p50Ms,
    e2eP99Ms: r.latency.e2e.corrected.p99Ms,
    confirmP50Ms: r.latency.confirm.corrected.p50Ms,
    confirmP99Ms: r.latency.confirm.corrected.p99Ms,
    sloMs: slos.map((s) => percentileMs(r.histograms[s.latency === 'e2e' ? 'e2eCorrected' : 'confirmCorrected'], s.percentile)),
    runVerdict: r.verdict.status,
  };
}

function percentileMs(encoded: string, q: number): number {
  const h = decodeHistogram(encoded);
  try {
    return h.totalCount === 0 ? Number.POSITIVE_INFINITY : h.getValueAtPercentile(q) / 1000;
  } finally {
    h.destroy();
  }
}

/** Runs steps one after another on the profile's broker or local cluster; `abort` stops the current one. */
export class StepRunner {
  private current: Benchmark | undefined;

  constructor(
    private readonly base: Profile,
    private readonly source: string,
    private readonly opts: { stepMs: number; settleMs: number; slos: Slo[]; force: boolean; onStatus?: (m: string) => void },
  ) {}

  abort(reason: string): void {
    this.current?.abort(reason);
  }

  readonly measure = async (totalMsgsPerS: number): Promise<StepMeasurement> => {
    const profile = stepProfile(this.base, totalMsgsPerS, this.opts.stepMs, this.opts.settleMs);
    const bench = new Benchmark(profile, { force: this.opts.force });
    this.current = bench;
    if (this.opts.onStatus) bench.on('status', this.opts.onStatus);
    try {
      const artifacts = await bench.run();
      if (!artifacts.outcome.started) throw new Error(artifacts.outcome.error ?? 'the step did not start');
      return stepMeasurement(buildResult(artifacts, maskProfile(profile), this.source), totalMsgsPerS, this.opts.slos);
    } finally {
      this.current = undefined;
    }
  };
}
