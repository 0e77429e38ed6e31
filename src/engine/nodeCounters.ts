import { addCounters, takeCounters, zeroCounters, type Counters } from '../metrics/counters.js';

/**
 * A worker's counts per node. Each connection (session) counts into a Counters object of its own
 * (the hot path is unchanged: one increment). Its counts are moved into the bucket of the node the
 * connection is on when a tick is taken, and also when the connection leaves a node, so counts are
 * always attributed to the node where they happened.
 */
export class NodeTally {
  private readonly buckets = new Map<string, Counters>();

  /** Moves a connection's counts so far into `node`'s bucket (and zeroes them). */
  flush(node: string, counts: Counters): void {
    let bucket = this.buckets.get(node);
    if (!bucket) this.buckets.set(node, (bucket = zeroCounters()));
    addCounters(bucket, takeCounters(counts));
  }

  /** Takes every bucket: the counts per node since the last take, and their sum (the worker's total). */
  take(): { total: Counters; byNode: Array<[node: string, counters: Counters]> } {
    const byNode = [...this.buckets];
    this.buckets.clear();
    const total = zeroCounters();
    for (const [, c] of byNode) addCounters(total, c);
    return { total, byNode };
  }
}
