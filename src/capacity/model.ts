import type { ProfileResultHeader } from '../results/model.js';

/** A latency bound a sustainable rate must also meet, e.g. `e2e.p99<50ms`. */
export interface Slo {
  source: string;
  latency: 'e2e' | 'confirm';
  percentile: number;
  maxMs: number;
}

/** What one step measured at one total publish rate (0 = full speed, the probe). */
export interface StepMeasurement {
  targetMsgsPerS: number;
  publishedMsgsPerS: number;
  consumedMsgsPerS: number;
  /** Least-squares growth of the queues' depth, msgs/s; null without depth readings. */
  backlogGrowthMsgsPerS: number | null;
  backlogGrowing: boolean;
  nacked: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  confirmP50Ms: number;
  confirmP99Ms: number;
  /** The SLOs' percentiles as measured, in the order given. */
  sloMs: number[];
  /** The run's own verdict (ok, lost, failed, interrupted). */
  runVerdict: string;
}

export interface CapacityStep extends StepMeasurement {
  /** probe: full speed; search: the bisection; curve: at a fraction of the capacity found; common: a matrix's rate every cell is measured at. */
  phase: 'probe' | 'search' | 'curve' | 'common';
  /** Did the cluster sustain this rate (judged by the search's rules for every step but the probe)? null for the probe. */
  sustainable: boolean | null;
  /** Why (not) sustainable, and for curve and common steps what the step was for. */
  reason: string;
  /** Curve steps: the fraction of the found capacity asked for. */
  fraction: number | null;
}

export interface CapacitySettings {
  /** Relative width of the final bracket [sustainable, not sustainable], e.g. 0.05. */
  precision: number;
  /** Shortfall allowed: a rate counts as sustained when published and consumed reach (1 − tolerance) × target. */
  tolerance: number;
  stepMs: number;
  settleMs: number;
  maxSteps: number;
  startMsgsPerS: number | null;
  slos: Slo[];
  fractions: number[];
}

/** The profile in the header is the one searched (masked); its publishers.rate is what the search varies. */
export interface CapacityResult extends ProfileResultHeader {
  kind: 'capacity';
  settings: CapacitySettings;
  capacity: {
    /** Highest total publish rate found sustainable, msgs/s; null when not even the lowest step was. */
    sustainableMsgsPerS: number | null;
    /** The lowest rate found not sustainable (the bracket's top); null when none failed. */
    notSustainableMsgsPerS: number | null;
    steps: CapacityStep[];
  };
}
