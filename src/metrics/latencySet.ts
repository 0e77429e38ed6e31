import { createHistogram, decodeHistogram, encodeHistogram, recordUs, type LatencyHistogram } from './histogram.js';

/**
 * The four latency histograms mqbench keeps. "corrected" latencies start at the intended send time
 * (coordinated-omission correction, as wrk2 does); "raw" ones at the actual send time.
 */
export const LATENCY_KINDS = ['e2eCorrected', 'e2eRaw', 'confirmCorrected', 'confirmRaw'] as const;
export type LatencyKind = (typeof LATENCY_KINDS)[number];

export type LatencySet = Record<LatencyKind, LatencyHistogram>;
export type EncodedLatencySet = Record<LatencyKind, string>;

export function createLatencySet(): LatencySet {
  return { e2eCorrected: createHistogram(), e2eRaw: createHistogram(), confirmCorrected: createHistogram(), confirmRaw: createHistogram() };
}

export function recordLatency(set: LatencySet, kind: LatencyKind, us: number): void {
  recordUs(set[kind], us);
}

/** Encodes every histogram and resets it, so the next interval starts empty. */
export function drainEncoded(set: LatencySet): EncodedLatencySet {
  const out = {} as EncodedLatencySet;
  for (const kind of LATENCY_KINDS) {
    out[kind] = encodeHistogram(set[kind]);
    set[kind].reset();
  }
  return out;
}

export function encodeSet(set: LatencySet): EncodedLatencySet {
  const out = {} as EncodedLatencySet;
  for (const kind of LATENCY_KINDS) out[kind] = encodeHistogram(set[kind]);
  return out;
}

/** Exact merge: adds the decoded histograms into `into`. */
export function addEncoded(into: LatencySet, encoded: EncodedLatencySet): void {
  for (const kind of LATENCY_KINDS) {
    const h = decodeHistogram(encoded[kind]);
    into[kind].add(h);
    h.destroy();
  }
}

export function addSet(into: LatencySet, from: LatencySet): void {
  for (const kind of LATENCY_KINDS) into[kind].add(from[kind]);
}

export function destroySet(set: LatencySet): void {
  for (const kind of LATENCY_KINDS) set[kind].destroy();
}
