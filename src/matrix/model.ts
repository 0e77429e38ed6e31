import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { EncodedLatencySet } from '../metrics/latencySet.js';
import type { EnvironmentInfo, RunResult } from '../results/model.js';
import type { MeanStd } from '../metrics/meanStd.js';

export type { MeanStd };


/** One combination of axis values. */
export interface MatrixCell {
  /** Stable id, e.g. "queues.type=quorum,cluster.local.nodes=3". */
  id: string;
  /** For people: "quorum, 3 nodes, all-disk". */
  label: string;
  /** Axis path → value for this cell. */
  values: Record<string, string | number | boolean>;
  /** Why the cell was not run (invalid combination), else null. */
  skipped: string | null;
  /** Every repetition that produced a result (interrupted ones included, flagged there). */
  runs: RunResult[];
  /** Repetitions that failed before measuring anything. */
  failures: Array<{ repetition: number; error: string }>;
  summary: CellSummary | null;
}

export interface CellSummary {
  repetitions: number;
  publishRate: MeanStd;
  confirmRate: MeanStd;
  consumeRate: MeanStd;
  /** Percentiles from the histograms of all repetitions merged exactly. */
  e2e: LatencySummaryMs;
  confirm: LatencySummaryMs;
  histograms: EncodedLatencySet;
  lost: number;
  duplicates: number;
  /** Relative to the baseline cell; null for the baseline itself or when it has no summary. */
  relative: { throughput: MeanStd; e2eP99: number; confirmP99: number } | null;
}

export interface MatrixResult {
  formatVersion: number;
  kind: 'matrix';
  name: string;
  profileSource: string;
  /** The matrix profile as given (passwords masked). */
  matrix: unknown;
  environment: EnvironmentInfo;
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  error: string | null;
  repeat: number;
  baselineCellId: string | null;
  cells: MatrixCell[];
}
