import type { Counters } from '../metrics/counters.js';
import type { DeliveryAccount } from '../metrics/accounting.js';
import type { BacklogSummary } from '../metrics/backlog.js';
import type { FaultReport } from '../metrics/faultAnalysis.js';
import type { AgentEventType } from '../engine/protocol.js';
import type { DrainEnd, RunEvent } from '../engine/coordinator.js';
import type { MembershipChange, RestoreAction } from '../faults/types.js';
import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { EncodedLatencySet } from '../metrics/latencySet.js';
import type { RateStats } from '../metrics/rateStats.js';
import type { Phase } from '../engine/ticks.js';
import type { Profile } from '../profile/schema.js';
import type { ClusterTopology } from '../cluster/topology.js';
import type { NodeType } from '../cluster/local/layout.js';
import type { CellSummary } from '../matrix/model.js';
import type { RoutingSection } from './routingSection.js';

/** Bumped when a field changes meaning or disappears; documented in results/README.md. */
export const RESULT_FORMAT_VERSION = 2;

export interface EnvironmentInfo {
  mqbenchVersion: string;
  nodeVersion: string;
  os: { platform: string; release: string; arch: string };
  hostname: string;
  cpu: { count: number; model: string };
  memoryBytes: number;
  /** The host's 1/5/15-minute load averages when the work started (null when not taken) and when the result was written. */
  loadAverage?: { before: number[] | null; after: number[] };
}

export interface BrokerSummary {
  product: string;
  /** Every distinct version reported by the nodes the agents connected to. */
  versions: string[];
  clusterNames: string[];
  platform: string;
}

/** One interval of the per-second series. Rates are counts divided by the interval. */
export interface SeriesPoint extends Counters {
  tick: number;
  phase: Phase;
  /** Interval end, seconds since the start barrier. */
  tSeconds: number;
  intervalMs: number;
  publishRateMsgsPerS: number;
  /**
   * What the rate schedule asked of all publishers together over the interval (msgs/s); null when the
   * rate is unlimited or publishers do not send (drain). mqbench always writes it; results written
   * before it existed lack it, hence optional.
   */
  targetMsgsPerS?: number | null;
  confirmRateMsgsPerS: number;
  consumeRateMsgsPerS: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  confirmP99Ms: number;
  /** A fault was in effect (some node stopped, killed, paused or cut off) during the interval. */
  faultActive: boolean;
  /** What ended the interval early: fault steps requested or done at its end. */
  markers: string[];
  /** Ready messages in the benchmark queues at the last reading in the interval (about one a second); null without one. */
  queueDepth: number | null;
}

export interface LatencyPair {
  /** From the intended send time (coordinated-omission corrected); equals raw when no rate is set. */
  corrected: LatencySummaryMs;
  /** From the actual send time. */
  raw: LatencySummaryMs;
}

/** The cluster the run used, and its topology before and after the run. */
export interface ClusterSection {
  kind: 'local' | 'external';
  /** Local clusters: the layout mqbench started (or reused). */
  local: { layout: NodeType[]; basePort: number; reused: boolean } | null;
  /** AMQP URIs of the nodes (passwords masked). */
  amqpUris: string[];
  nodeCount: number;
  ramNodeCount: number;
  queueType: string;
  /** Leader (or master) of the first queue before the run; null when unknown. */
  leaderNode: string | null;
  before: ClusterTopology | null;
  after: ClusterTopology | null;
  /** Why some of the topology is missing (management API unreachable), else null. */
  error: string | null;
  /** Where each publisher and consumer connected (placement.connect decides). */
  agents: Array<{ kind: 'publisher' | 'consumer'; id: number; queue: string; worker: number; uri: string }>;
}

/** When a fault was in effect: from a step taking nodes away until the step that brought them back (or the end). */
export interface FaultWindow {
  fromMs: number;
  toMs: number;
  label: string;
}

/** The fault timeline of a run and what it did. */
export interface FaultSection extends FaultReport {
  /** What mqbench undid at the end so the cluster is whole again. */
  restoredAtEnd: RestoreAction[];
  /** Every change of the first queue's leader, members or online members the watch saw (about every 500 ms). */
  membership: MembershipChange[];
  windows: FaultWindow[];
}

/** How the run ended, as the exit code tells it (see results/README.md). */
export interface RunVerdict {
  status: 'ok' | 'lost' | 'failed' | 'interrupted';
  /** One line for a person. */
  message: string;
}

export interface RunResult {
  formatVersion: number;
  kind: 'run';
  name: string;
  /** Random per run, in every message header (hex). */
  runId: string;
  profileSource: string;
  /** The profile as run, with every default filled in and passwords masked. */
  profile: Profile;
  environment: EnvironmentInfo;
  broker: BrokerSummary;
  cluster: ClusterSection;
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  error: string | null;
  verdict: RunVerdict;
  /** How the drain ended: every expected message consumed, drainTimeout, not needed (no publishers or no consumers), or skipped (interrupted). */
  drain: DrainEnd;
  timing: { warmupMs: number; measuredMs: number; drainMs: number; totalMs: number };
  series: SeriesPoint[];
  /** Counts over the measurement window (warm-up and drain excluded). */
  measured: Counters;
  /** Counts over the whole run, warm-up and drain included. */
  runTotals: Counters;
  rates: { published: RateStats; confirmed: RateStats; consumed: RateStats };
  delivery: DeliveryAccount;
  /** Where the messages went (exchange, keys, queues reached). mqbench always writes it; results written before it existed lack it. */
  routing?: RoutingSection;
  /** Connection, channel and flow events of every agent, on the run clock. */
  events: RunEvent[];
  /** How many of each event type. */
  eventCounts: Record<AgentEventType, number>;
  /** Did the queues grow during the measurement (depth readings); null without 3 readings (more than 100 queues are not read). */
  backlog: BacklogSummary | null;
  /** The fault timeline and availability; null when the profile has no faults. */
  faults: FaultSection | null;
  latency: { e2e: LatencyPair; confirm: LatencyPair; coordinatedOmissionCorrection: boolean };
  /** HdrHistogram V2 compressed base64, µs; measurement and drain intervals. Merge or re-plot them later. */
  histograms: EncodedLatencySet;
}

/** What every result built from one profile starts with (repeated runs, capacity searches). */
export interface ProfileResultHeader {
  formatVersion: number;
  name: string;
  profileSource: string;
  /** The profile as run (every default filled in, passwords masked). */
  profile: Profile;
  environment: EnvironmentInfo;
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  error: string | null;
}

/**
 * `mqbench run --repeat N`: every repetition of one profile (interleaved with a baseline profile's
 * when one was given) and their summary, with the repetitions' histograms merged exactly.
 */
export interface RepeatedResult extends ProfileResultHeader {
  kind: 'repeated';
  /** Repetitions asked for. */
  repeat: number;
  /** The profile whose repetitions alternated with these (--baseline-profile), else null. */
  interleavedWith: string | null;
  /** Every repetition that produced a result, in order (interrupted ones included, flagged there). */
  runs: RunResult[];
  /** Repetitions that failed before measuring anything. */
  failures: Array<{ repetition: number; error: string }>;
  /** Rates mean ± stddev across repetitions, latency from the merged histograms, the account summed. */
  summary: CellSummary | null;
}
