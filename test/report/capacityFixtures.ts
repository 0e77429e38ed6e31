import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CapacityResult, CapacitySettings, CapacityStep } from '../../src/capacity/model.js';
import type { CapacitySearch, CellCapacity, MatrixCell, MatrixResult } from '../../src/matrix/model.js';
import { meanStd, ratio } from '../../src/metrics/meanStd.js';
import { packageRoot } from '../../src/util/packageRoot.js';

/** The capacity result committed as a reference (quorum queue, 3 local nodes): 1 probe, 8 search and 6 curve steps. */
export const REFERENCE_CAPACITY = join(packageRoot(), 'results', 'reference', 'quorum-3node-capacity-20261201T062236Z.json');

export function referenceCapacity(): CapacityResult {
  return JSON.parse(readFileSync(REFERENCE_CAPACITY, 'utf8')) as CapacityResult;
}

/** The reference result with another outcome: its sustainable rate (and bracket top) replaced. */
export function capacityWith(sustainable: number | null, opts: { name?: string; error?: string | null; interrupted?: boolean } = {}): CapacityResult {
  const r = referenceCapacity();
  return {
    ...r,
    name: opts.name ?? r.name,
    error: opts.error ?? null,
    interrupted: opts.interrupted ?? false,
    capacity: { ...r.capacity, sustainableMsgsPerS: sustainable, notSustainableMsgsPerS: sustainable === null ? null : Math.round(sustainable * 1.04) },
  };
}

export const SETTINGS: CapacitySettings = {
  precision: 0.05,
  tolerance: 0.03,
  stepMs: 5000,
  settleMs: 2000,
  maxSteps: 12,
  startMsgsPerS: null,
  slos: [],
  fractions: [0.1, 0.5, 1],
};

/** One step: achieved rates as given, latency growing with load (`load` = consumed / capacity), times `scale`. */
export function step(phase: CapacityStep['phase'], target: number, consumed: number, capacity: number, extra: Partial<CapacityStep> = {}, scale = 1): CapacityStep {
  const load = consumed / capacity;
  const e2eP50 = scale * (2 + 40 * load ** 4);
  return {
    targetMsgsPerS: target,
    publishedMsgsPerS: Math.max(consumed, target === 0 ? consumed * 1.05 : Math.min(target, consumed * 1.05)),
    consumedMsgsPerS: consumed,
    backlogGrowthMsgsPerS: consumed < target * 0.97 ? target - consumed : 0,
    backlogGrowing: consumed < target * 0.97,
    nacked: 0,
    e2eP50Ms: e2eP50,
    e2eP99Ms: e2eP50 * 4,
    confirmP50Ms: e2eP50 * 0.8,
    confirmP99Ms: e2eP50 * 3,
    sloMs: [],
    runVerdict: 'ok',
    phase,
    sustainable: phase === 'search' ? consumed >= target * 0.97 : null,
    reason: phase === 'search' ? (consumed >= target * 0.97 ? 'sustained' : `consumers took only ${Math.round(consumed)} msgs/s`) : phase === 'probe' ? 'full speed: the first guess is half its consume rate' : '',
    fraction: null,
    ...extra,
  };
}

/** A search that finds `found` msgs/s: a probe, a sustained half, a failed double, a sustained `found`. */
function search(repetition: number, found: number, scale: number): CapacitySearch {
  const cap = found * 1.03;
  return {
    repetition,
    sustainableMsgsPerS: found,
    notSustainableMsgsPerS: Math.round(found * 1.04),
    steps: [
      step('probe', 0, cap, cap, {}, scale),
      step('search', Math.round(found / 2), found / 2, cap, {}, scale),
      step('search', found * 2, cap, cap, {}, scale),
      step('search', found, found, cap, {}, scale),
      step('search', Math.round(found * 1.04), cap * 0.99, cap, { sustainable: false, reason: `consumers took only ${Math.round(cap * 0.99)} msgs/s`, backlogGrowing: true, backlogGrowthMsgsPerS: 80 }, scale),
    ],
    error: null,
  };
}

/** A cell's searches (one per sustainable rate in `found`), its curve at SETTINGS.fractions and the common-rate step; latency × scale. */
function cellCapacity(found: number[], baseline: CellCapacity | null, scale: number): CellCapacity {
  const searches = found.map((f, i) => search(i + 1, f, scale));
  const sustainable = meanStd(found);
  const cap = sustainable.mean;
  return {
    searches,
    sustainable,
    curve: SETTINGS.fractions.map((f) => step('curve', Math.round(f * cap), f === 1 ? cap * 0.95 : f * cap, cap * 1.03, { fraction: f, reason: `${f * 100} % of capacity` }, scale)),
    common: step('curve', 1000, 1000, cap * 1.03, { reason: 'common rate: 1000 msgs/s' }, scale),
    relative: baseline?.sustainable ? ratio(sustainable, baseline.sustainable) : null,
  };
}

/**
 * A capacity-mode matrix made by hand from the types (no such result file exists yet): classic on
 * 1 node (the baseline, 2 searches), quorum on 3 nodes (2 searches, 3 × the latency), and a skipped cell.
 */
export function capacityMatrix(): MatrixResult {
  const classic = cellCapacity([7000, 7400], null, 1);
  const quorum = cellCapacity([2800, 3000], classic, 3);
  const cell = (id: string, label: string, values: MatrixCell['values'], capacity: CellCapacity | null, skipped: string | null = null): MatrixCell => ({
    id,
    label,
    values,
    overrides: {},
    skipped,
    runs: [],
    failures: [],
    summary: null,
    capacity,
  });
  const env = referenceCapacity().environment;
  return {
    formatVersion: 2,
    kind: 'matrix',
    mode: 'capacity',
    capacity: { settings: SETTINGS, tableFraction: 0.5, commonRateMsgsPerS: 1000 },
    name: 'capacity-matrix',
    profileSource: 'profiles/capacity-matrix.json',
    matrix: { name: 'capacity-matrix', mode: 'capacity' },
    environment: env,
    startedAt: '2026-12-01T00:00:00.000Z',
    endedAt: '2026-12-01T00:20:00.000Z',
    interrupted: false,
    error: null,
    repeat: 2,
    baselineCellId: 'queues.type=classic,cluster.local.nodes=1',
    cells: [
      cell('queues.type=classic,cluster.local.nodes=1', 'classic, 1 node', { 'queues.type': 'classic', 'cluster.local.nodes': 1 }, classic),
      cell('queues.type=quorum,cluster.local.nodes=3', 'quorum, 3 nodes', { 'queues.type': 'quorum', 'cluster.local.nodes': 3 }, quorum),
      cell('queues.type=quorum,cluster.local.nodes=1', 'quorum, 1 node', { 'queues.type': 'quorum', 'cluster.local.nodes': 1 }, null, 'quorum on 1 node has no replicas to measure'),
    ],
  };
}
