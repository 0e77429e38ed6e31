import type { ConsumerFinal, PublisherFinal } from '../engine/protocol.js';
import { RangeSet } from './rangeSet.js';

/** Did every message arrive, once, in order? Computed from exact sequence-number sets. */
export interface DeliveryReport {
  /** false when there were no consumers, or no publishers: loss cannot be known. */
  tracked: boolean;
  published: number;
  confirmed: number;
  nacked: number;
  unconfirmed: number;
  consumedUnique: number;
  /** Confirmed (or, without confirms, published) but never consumed. */
  lost: number;
  duplicates: number;
  outOfOrder: number;
}

export function deliveryReport(
  publishers: PublisherFinal[],
  consumers: ConsumerFinal[],
  confirms: boolean,
  perConsumer: { duplicates: number; outOfOrder: number },
): DeliveryReport {
  const received = new Map<number, RangeSet>();
  let receivedTotal = 0;
  for (const c of consumers) {
    for (const { publisherId, ranges } of c.received) {
      let set = received.get(publisherId);
      if (!set) received.set(publisherId, (set = new RangeSet()));
      for (const [s, e] of ranges) {
        set.addRange(s, e);
        receivedTotal += e - s;
      }
    }
  }
  let consumedUnique = 0;
  for (const set of received.values()) consumedUnique += set.size;
  let lost = 0;
  let confirmed = 0;
  for (const p of publishers) {
    const expected = confirms ? RangeSet.from(p.confirmed) : RangeSet.from([[0, p.published]]);
    if (confirms) confirmed += expected.size;
    lost += expected.countMissingFrom(received.get(p.publisherId) ?? new RangeSet());
  }
  return {
    tracked: publishers.length > 0 && consumers.length > 0,
    published: publishers.reduce((n, p) => n + p.published, 0),
    confirmed,
    nacked: publishers.reduce((n, p) => n + p.nacked, 0),
    unconfirmed: publishers.reduce((n, p) => n + p.unconfirmed, 0),
    consumedUnique,
    lost,
    // Seen twice by one consumer, or by two different consumers.
    duplicates: perConsumer.duplicates + (receivedTotal - consumedUnique),
    outOfOrder: perConsumer.outOfOrder,
  };
}
