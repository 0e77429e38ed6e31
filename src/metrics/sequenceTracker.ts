import type { Counters } from './counters.js';
import { RangeSet } from './rangeSet.js';
import type { ConsumerFinal } from '../engine/protocol.js';

/**
 * What one consumer saw of each publisher's sequence numbers. A repeated delivery is a
 * duplicate. Order is judged among first deliveries of original sends only: a message the
 * broker redelivered (after another consumer's connection dropped) or a copy re-published
 * after a connection loss comes back late by design and is not "out of order". A queue is
 * FIFO, so with competing consumers each one still sees every publisher's numbers rising.
 */
export class SequenceTracker {
  private readonly received = new Map<number, RangeSet>();
  private readonly highest = new Map<number, number>();

  constructor(private readonly counters: Counters) {}

  /** Returns true when this consumer had not received the message before. */
  record(publisherId: number, sequence: number, redelivered: boolean, republished: boolean): boolean {
    let set = this.received.get(publisherId);
    if (!set) {
      set = new RangeSet();
      this.received.set(publisherId, set);
    }
    if (!set.add(sequence)) {
      this.counters.duplicates++;
      return false;
    }
    if (!redelivered && !republished) {
      const top = this.highest.get(publisherId) ?? -1;
      if (sequence < top) this.counters.outOfOrder++;
      else this.highest.set(publisherId, sequence);
    }
    return true;
  }

  final(consumerId: number): ConsumerFinal {
    return {
      consumerId,
      received: [...this.received].map(([publisherId, set]) => ({ publisherId, ranges: set.toRanges() })),
    };
  }
}
