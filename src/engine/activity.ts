import { RangeSet, type Ranges } from '../metrics/rangeSet.js';

/** Width of an activity slot. Availability (gaps with no confirms or deliveries) is known to this resolution. */
export const ACTIVITY_SLOT_MS = 10;
const SLOT_US = ACTIVITY_SLOT_MS * 1000;

/**
 * Which 10 ms slots since the start barrier saw at least one event. Recording is a division
 * and a comparison per event; the slots cross the thread boundary as a few ranges per second.
 */
export class ActivityRecorder {
  private set = new RangeSet();
  private lastSlot = -1;
  private startUs = Number.POSITIVE_INFINITY;

  start(startUs: number): void {
    this.startUs = startUs;
  }

  record(nowUs: number): void {
    if (nowUs < this.startUs) return;
    const slot = Math.floor((nowUs - this.startUs) / SLOT_US);
    if (slot === this.lastSlot) return;
    this.lastSlot = slot;
    this.set.add(slot);
  }

  /** Slots recorded since the last take. */
  take(): Ranges {
    const ranges = this.set.toRanges();
    this.set = new RangeSet();
    this.lastSlot = -1;
    return ranges;
  }
}
