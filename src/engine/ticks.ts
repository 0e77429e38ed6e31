import { addCounters, zeroCounters, type Counters } from '../metrics/counters.js';
import { addEncoded, createLatencySet, type EncodedLatencySet, type LatencySet } from '../metrics/latencySet.js';

export type Phase = 'warmup' | 'measure' | 'drain';

/** One interval of the run, merged across workers. */
export interface TickRecord {
  tick: number;
  phase: Phase;
  /** Interval end, ms since the start barrier. */
  endMs: number;
  intervalMs: number;
  counters: Counters;
  /**
   * The same counts per node the connections were on when they happened (they sum to counters):
   * host:port, or the RabbitMQ node name for a local cluster mqbench started. Set by TickCollector.
   */
  byNode?: Map<string, Counters>;
  latencies: LatencySet;
  /** [publisher id, next sequence number] at the interval's end: messages below it were published by then. */
  publisherSeqs: Array<[number, number]>;
  /** What happened at the interval's end that cut it short (fault steps), for the series. */
  markers: string[];
}

/** One worker's share of a tick. */
export interface TickReport {
  counters: Counters;
  byNode?: Array<[node: string, counters: Counters]>;
  latencies: EncodedLatencySet;
  publisherSeqs?: Array<[number, number]>;
}

/** Collects each worker's report for a tick and merges them exactly (counts add, histograms add). */
export class TickCollector {
  private readonly pending = new Map<number, { record: TickRecord; waitingFor: Set<number> }>();

  open(tick: number, phase: Phase, endMs: number, intervalMs: number, workers: Iterable<number>, markers: string[] = []): void {
    this.pending.set(tick, {
      record: { tick, phase, endMs, intervalMs, counters: zeroCounters(), byNode: new Map(), latencies: createLatencySet(), publisherSeqs: [], markers },
      waitingFor: new Set(workers),
    });
  }

  /** Adds one worker's report; returns the record once every worker has reported. */
  add(tick: number, workerIndex: number, report: TickReport): TickRecord | undefined {
    const entry = this.pending.get(tick);
    if (!entry || !entry.waitingFor.has(workerIndex)) return undefined;
    addCounters(entry.record.counters, report.counters);
    const byNode = (entry.record.byNode ??= new Map());
    for (const [node, counts] of report.byNode ?? []) {
      const into = byNode.get(node);
      if (into) addCounters(into, counts);
      else byNode.set(node, { ...counts });
    }
    addEncoded(entry.record.latencies, report.latencies);
    if (report.publisherSeqs) entry.record.publisherSeqs.push(...report.publisherSeqs);
    entry.waitingFor.delete(workerIndex);
    return this.completeIfDone(tick);
  }

  /** A worker that ended will not report again: stop waiting for it. */
  forget(workerIndex: number): TickRecord[] {
    const done: TickRecord[] = [];
    for (const [tick, entry] of [...this.pending]) {
      entry.waitingFor.delete(workerIndex);
      const r = this.completeIfDone(tick);
      if (r) done.push(r);
    }
    return done;
  }

  /** Whatever is still open (a worker never answered): returned as measured so far. */
  flush(): TickRecord[] {
    const rest = [...this.pending.values()].map((e) => e.record);
    this.pending.clear();
    return rest;
  }

  private completeIfDone(tick: number): TickRecord | undefined {
    const entry = this.pending.get(tick);
    if (!entry || entry.waitingFor.size > 0) return undefined;
    this.pending.delete(tick);
    return entry.record;
  }
}
