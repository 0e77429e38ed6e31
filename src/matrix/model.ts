import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { EncodedLatencySet } from '../metrics/latencySet.js';
import type { EnvironmentInfo, RunResult, RunVerdict } from '../results/model.js';
import type { MeanStd } from '../metrics/meanStd.js';
import type { CapacitySettings, CapacityStep } from '../capacity/model.js';

export type { MeanStd };

/** One combination of axis values. */
export interface MatrixCell {
  /** Stable id, e.g. "queues.type=quorum,cluster.local.nodes=3". */
  id: string;
  /** For people: "quorum, 3 nodes, all-disk". */
  label: string;
  /** Axis path → value for this cell (an override of an axis path shows here). */
  values: Record<string, string | number | boolean>;
  /** Profile path → value the matrix profile's overrides set on this cell ({} when none applied). */
  overrides: Record<string, unknown>;
  /** Why the cell was not run (invalid combination), else null. */
  skipped: string | null;
  /** Every repetition that produced a result (interrupted ones included, flagged there). */
  runs: RunResult[];
  /** Repetitions that failed before measuring anything. */
  failures: Array<{ repetition: number; error: string }>;
  summary: CellSummary | null;
  /** Capacity mode only (`"mode": "capacity"`): the searches and the curve; absent in throughput mode. */
  capacity?: CellCapacity | null;
}

/** One sustainable-rate search of a cell (one per repetition). */
export interface CapacitySearch {
  repetition: number;
  /** Highest total publish rate found sustained, msgs/s; null when none was (or the search failed). */
  sustainableMsgsPerS: number | null;
  notSustainableMsgsPerS: number | null;
  steps: CapacityStep[];
  /** Why the search stopped early (a step did not start, the run was interrupted); null when it ran to the end. */
  error: string | null;
}

/** What capacity mode measured in one cell. */
export interface CellCapacity {
  searches: CapacitySearch[];
  /** Mean ± stddev of the sustainable rates of the searches that ran to the end (no `error`; n = those that found one); null when none did. */
  sustainable: MeanStd | null;
  /** Latency at fractions of `sustainable.mean`, measured once after the last search (phase "curve"). */
  curve: CapacityStep[];
  /** One step at the matrix's common absolute rate (MatrixResult.capacity.commonRateMsgsPerS); null when not measured. */
  common: CapacityStep | null;
  /** sustainable / the baseline cell's sustainable (errors in quadrature); null for the baseline or without figures. */
  relative: MeanStd | null;
}

/** Capacity mode's settings and the rate every cell was also measured at. */
export interface MatrixCapacity {
  settings: CapacitySettings;
  /** The curve fraction whose latency the summary table shows (e.g. 0.5: each cell at half its own capacity). */
  tableFraction: number;
  /** A total rate every cell sustained (a fraction of the lowest capacity), measured in every cell; null when not measured. */
  commonRateMsgsPerS: number | null;
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
  /**
   * Sum of the runs' `delivery.lost` (confirmed messages proven gone); null when some run could not
   * tell (account incomplete, or no publishers or consumers): those runs are counted in accountingIncomplete.
   */
  lost: number | null;
  /** Runs whose loss was not computed (`delivery.lost` null). */
  accountingIncomplete: number;
  /** Sum of `delivery.unresolved` (neither consumed nor proven lost); null under the same condition as lost. */
  unresolved: number | null;
  duplicates: number;
  /** Sum of `delivery.unconfirmedAtLoss`: messages in flight when a connection or channel was lost. */
  unconfirmedAtLoss: number;
  /** Sums of `delivery.nacked` and `delivery.returned`: messages the broker refused or could not route (a classic queue whose node is down). */
  nacked: number;
  returned: number;
  /** Verdict of every run of the cell, in repetition order (interrupted runs included). */
  verdicts: Array<RunVerdict['status']>;
  /**
   * Measured runs whose queues grew (result `backlog.growing`): the publishers outran the consumers,
   * so their e2e latency is mostly time spent queueing, not what the broker costs per message.
   * Absent in results written before backlog detection.
   */
  backlogRuns?: number;
  /** Runs whose verdict is not ok. A run that lost messages is still measured: loss is a result. */
  notOk: number;
  /** Availability under the profile's fault timeline, across repetitions; null when no run had faults. */
  faults: CellFaultSummary | null;
  /** Relative to the baseline cell; null for the baseline itself or when it has no summary. */
  relative: { throughput: MeanStd; e2eP99: number; confirmP99: number } | null;
}

/** Mean ± stddev across repetitions, and the largest. */
export interface SpreadMs extends MeanStd {
  max: number;
}

/** What the faults did, across the cell's repetitions that had a fault timeline. */
export interface CellFaultSummary {
  /** Repetitions with a fault section (the n of the figures below, unless they say otherwise). */
  runs: number;
  /** Longest time without a confirm (the queue unavailable to publishers), ms; a run with no such gap counts 0. */
  longestConfirmGapMs: SpreadMs;
  /** Longest time without a delivery, ms. */
  longestDeliveryGapMs: SpreadMs;
  /**
   * From the first applied step's request until confirms resumed (`confirmsResumedAfterMs` of
   * that step), over the runs where they did (n); runs where they never did are publishNotResumed.
   */
  publishResumedAfterMs: SpreadMs;
  publishNotResumed: number;
  /** The same for deliveries (`deliveriesResumedAfterMs`). */
  consumeResumedAfterMs: SpreadMs;
  consumeNotResumed: number;
}

export interface MatrixResult {
  formatVersion: number;
  kind: 'matrix';
  /** "throughput": every repetition runs the profile as given; "capacity": every repetition is a sustainable-rate search. Absent in older results: throughput. */
  mode?: 'throughput' | 'capacity';
  /** Capacity mode only. */
  capacity?: MatrixCapacity;
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
