import { ACTIVITY_SLOT_MS } from '../engine/activity.js';
import type { RunActivity } from '../engine/activityMerge.js';
import type { ConsumerFinal, PublisherFinal } from '../engine/protocol.js';
import type { TickRecord } from '../engine/ticks.js';
import type { AppliedStep, MembershipChange } from '../faults/types.js';
import { firstActivityAfter, gaps, longestGapOverlapping, type Gap } from './availability.js';
import { expectedSets, notConsumedSets, publisherOfRoute, receivedSets } from './accounting.js';
import type { RoutingTable } from '../engine/routing.js';
import { sumCounters, type Counters } from './counters.js';
import type { RangeSet } from './rangeSet.js';

/** What one fault step did to availability and to the messages published while it was the latest step. */
export interface StepReport extends AppliedStep {
  /** Until the next step was requested, or publishing ended. */
  windowEndMs: number;
  /** The first leader different from the one before the step, and when the watch saw it. */
  newLeader: string | null;
  newLeaderAtMs: number | null;
  /** The longest stretch without a confirm overlapping the window (whole, even if it began before), within publishing. */
  confirmGap: Gap | null;
  /** The same for deliveries, within the run. */
  deliveryGap: Gap | null;
  /** From the step's request to the end of that confirm gap; null when confirms did not resume before publishing ended. */
  confirmsResumedAfterMs: number | null;
  deliveriesResumedAfterMs: number | null;
  /** Messages published in the window, and those of them consumers should have received but did not. */
  publishedInWindow: number;
  notConsumedInWindow: number;
}

/** Counts before the first fault, while faults were being applied, and after the last step completed. */
export interface PhaseReport {
  name: 'before' | 'during' | 'after';
  fromMs: number;
  toMs: number;
  /** Event counts of the intervals in the phase. */
  counters: Counters;
  /** Messages published in the phase (by sequence number), expected ones of them not consumed, and of those the lost. */
  published: number;
  notConsumed: number;
  /** Equal to notConsumed when the run proved every not-consumed message gone; null when only part was proven. */
  lost: number | null;
}

export interface FaultReport {
  steps: StepReport[];
  phases: PhaseReport[];
  /** Over the measurement: the longest stretches with no confirm and with no delivery. */
  longestConfirmGap: Gap | null;
  longestDeliveryGap: Gap | null;
}

export interface FaultAnalysisInput {
  steps: AppliedStep[];
  membership: MembershipChange[];
  activity: RunActivity;
  ticks: TickRecord[];
  publishers: PublisherFinal[];
  consumers: ConsumerFinal[];
  confirms: boolean;
  measureStartMs: number;
  measureEndMs: number;
  endMs: number;
  /** Every not-consumed message was proven gone (the run's lost equals its notConsumed). */
  allNotConsumedLost: boolean;
  /** The run's routing: a message is expected once per queue it reaches. */
  routing?: RoutingTable;
}

/** Each publisher's next sequence number at `ms`: from the last tick ending then (ticks are cut at every step). */
function sequencesAt(ticks: TickRecord[], ms: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of ticks) {
    if (t.endMs > ms + 0.5) break;
    for (const [id, seq] of t.publisherSeqs) out.set(id, seq);
  }
  return out;
}

function countBetween(sets: Map<number, RangeSet>, from: Map<number, number>, to: Map<number, number>): number {
  let n = 0;
  for (const [route, set] of sets) {
    const id = publisherOfRoute(route);
    n += set.countIn(from.get(id) ?? 0, to.get(id) ?? 0);
  }
  return n;
}

function publishedBetween(from: Map<number, number>, to: Map<number, number>): number {
  let n = 0;
  for (const [id, seq] of to) n += Math.max(0, seq - (from.get(id) ?? 0));
  return n;
}

/** Availability per step and the account per phase, from the run's activity slots, ticks and sequence sets. */
export function analyzeFaults(input: FaultAnalysisInput): FaultReport {
  const ticks = [...input.ticks].sort((a, b) => a.endMs - b.endMs);
  const missing = notConsumedSets(expectedSets(input.publishers, input.confirms, input.routing), receivedSets(input.consumers, input.routing).sets);
  const confirmGaps = gaps(input.activity.confirm, ACTIVITY_SLOT_MS, input.measureStartMs, input.measureEndMs);
  const deliveryGaps = gaps(input.activity.delivery, ACTIVITY_SLOT_MS, input.measureStartMs, input.endMs);
  const applied = input.steps.filter((s) => !s.error?.startsWith('not applied'));

  const steps: StepReport[] = input.steps.map((step, i) => {
    const next = input.steps[i + 1];
    const windowEndMs = Math.max(step.requestedMs, Math.min(next ? next.requestedMs : input.measureEndMs, input.measureEndMs));
    const change = input.membership.find((m) => m.tMs >= step.requestedMs && m.leader !== null && m.leader !== step.leaderBefore);
    const confirmGap = longestGapOverlapping(confirmGaps, step.requestedMs, windowEndMs) ?? null;
    const deliveryGap = longestGapOverlapping(deliveryGaps, step.requestedMs, Math.max(windowEndMs, step.requestedMs + 1)) ?? null;
    const resumed = (gap: Gap | null, limitMs: number, active: RunActivity['confirm']): number | null => {
      if (gap && gap.toMs >= limitMs) return null;
      const at = gap ? gap.toMs : firstActivityAfter(active, ACTIVITY_SLOT_MS, step.requestedMs);
      return at === undefined ? null : Math.max(0, at - step.requestedMs);
    };
    const from = sequencesAt(ticks, step.requestedMs);
    const to = sequencesAt(ticks, windowEndMs);
    return {
      ...step,
      windowEndMs,
      newLeader: change?.leader ?? null,
      newLeaderAtMs: change?.tMs ?? null,
      confirmGap,
      deliveryGap,
      confirmsResumedAfterMs: resumed(confirmGap, input.measureEndMs, input.activity.confirm),
      deliveriesResumedAfterMs: resumed(deliveryGap, input.endMs, input.activity.delivery),
      publishedInWindow: publishedBetween(from, to),
      notConsumedInWindow: countBetween(missing, from, to),
    };
  });

  const first = applied[0];
  const last = applied[applied.length - 1];
  const bounds: Array<[PhaseReport['name'], number, number]> = first && last
    ? [
        ['before', 0, first.requestedMs],
        ['during', first.requestedMs, last.doneMs],
        ['after', last.doneMs, input.endMs],
      ]
    : [['before', 0, input.endMs]];
  const phases = bounds.map(([name, fromMs, toMs]): PhaseReport => {
    const inPhase = ticks.filter((t) => t.endMs > fromMs + 0.5 && t.endMs <= toMs + 0.5);
    const from = sequencesAt(ticks, fromMs);
    const to = name === 'after' || !first ? sequencesAt(ticks, Number.POSITIVE_INFINITY) : sequencesAt(ticks, toMs);
    const notConsumed = countBetween(missing, from, to);
    return {
      name,
      fromMs,
      toMs,
      counters: sumCounters(inPhase),
      published: publishedBetween(from, to),
      notConsumed,
      lost: input.allNotConsumedLost ? notConsumed : null,
    };
  });

  const longest = (all: Gap[]): Gap | null => all.reduce<Gap | null>((best, g) => (!best || g.durationMs > best.durationMs ? g : best), null);
  return { steps, phases, longestConfirmGap: longest(confirmGaps), longestDeliveryGap: longest(deliveryGaps) };
}
