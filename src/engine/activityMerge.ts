import { RangeSet, type Ranges } from '../metrics/rangeSet.js';
import type { ActivitySlots } from './protocol.js';

/** The run's activity: 10 ms slots (since the start barrier) with at least one confirm / delivery, all workers merged. */
export interface RunActivity {
  confirm: Ranges;
  delivery: Ranges;
}

export class ActivityMerge {
  private readonly confirm = new RangeSet();
  private readonly delivery = new RangeSet();

  add(slots: ActivitySlots): void {
    for (const [s, e] of slots.confirm) this.confirm.addRange(s, e);
    for (const [s, e] of slots.delivery) this.delivery.addRange(s, e);
  }

  result(): RunActivity {
    return { confirm: this.confirm.toRanges(), delivery: this.delivery.toRanges() };
  }
}
