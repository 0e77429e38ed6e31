import type { Counters } from './counters.js';
import { RangeSet } from './rangeSet.js';
import type { ConsumerFinal } from '../engine/protocol.js';

/**
 * What one consumer saw of each publisher's sequence numbers: duplicates (seen before by this
 * consumer) and out-of-order deliveries (lower than the highest seen). A queue is FIFO, so with
 * competing consumers each one still sees every publisher's numbers rising.
 */
export class SequenceTracker {
  private readonly received = new Map<number, RangeSet>();
  private readonly highest = new Map<number, number>();

  constructor(private readonly counters: Counters) {}

  record(publisherId: number, sequence: number): void {
    let set = this.received.get(publisherId);
    if (!set) {
      set = new RangeSet();
      this.received.set(publisherId, set);
    }
    if (!set.add(sequence)) this.counters.duplicates++;
    const top = this.highest.get(publisherId) ?? -1;
    if (sequence < top) this.counters.outOfOrder++;
    else this.highest.set(publisherId, sequence);
  }

  final(consumerId: number): ConsumerFinal {
    return {
      consumerId,
      received: [...this.received].map(([publisherId, set]) => ({ publisherId, ranges: set.toRanges() })),
    };
  }
}
