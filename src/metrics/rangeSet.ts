/**
 * A set of non-negative integers kept as sorted, disjoint, half-open ranges [start, end).
 * Sequence numbers arrive almost in order, so adding is O(1) in the common case and the
 * whole set of a run's sequence numbers crosses the thread boundary as a handful of numbers.
 */
export type Ranges = Array<[number, number]>;

export class RangeSet {
  private readonly ranges: Ranges = [];
  private count = 0;

  static from(ranges: Ranges): RangeSet {
    const set = new RangeSet();
    for (const [start, end] of ranges) set.addRange(start, end);
    return set;
  }

  get size(): number {
    return this.count;
  }

  /** Adds one value; returns false when it was already present. */
  add(value: number): boolean {
    return this.addRange(value, value + 1) === 1;
  }

  has(value: number): boolean {
    const i = this.indexAfter(value) - 1;
    const r = this.ranges[i];
    return r !== undefined && value < r[1];
  }

  /** Adds [start, end); returns how many values were new. */
  addRange(start: number, end: number): number {
    if (end <= start) return 0;
    const last = this.ranges[this.ranges.length - 1];
    if (last === undefined || start > last[1]) {
      this.ranges.push([start, end]);
      this.count += end - start;
      return end - start;
    }
    if (start >= last[0] && start <= last[1]) {
      const added = Math.max(0, end - last[1]);
      last[1] = Math.max(last[1], end);
      this.count += added;
      return added;
    }
    return this.insertSlow(start, end);
  }

  /** Values in this set that are not in `other`. */
  countMissingFrom(other: RangeSet): number {
    let missing = 0;
    for (const [start, end] of this.ranges) missing += end - start - other.countIn(start, end);
    return missing;
  }

  /** How many values of [start, end) are in this set. */
  countIn(start: number, end: number): number {
    let n = 0;
    for (let i = Math.max(0, this.indexAfter(start) - 1); i < this.ranges.length; i++) {
      const r = this.ranges[i]!;
      if (r[0] >= end) break;
      n += Math.max(0, Math.min(end, r[1]) - Math.max(start, r[0]));
    }
    return n;
  }

  /** The values of this set that are not in `other`, as a new set. */
  difference(other: RangeSet): RangeSet {
    const out = new RangeSet();
    const theirs = other.ranges;
    let j = 0;
    for (const [start, end] of this.ranges) {
      let from = start;
      while (j < theirs.length && theirs[j]![1] <= from) j++;
      let k = j;
      while (from < end && k < theirs.length && theirs[k]![0] < end) {
        const [os, oe] = theirs[k]!;
        if (os > from) out.addRange(from, os);
        from = Math.max(from, oe);
        k++;
      }
      if (from < end) out.addRange(from, end);
    }
    return out;
  }

  toRanges(): Ranges {
    return this.ranges.map(([s, e]) => [s, e]);
  }

  /** Index of the first range whose start is > value. */
  private indexAfter(value: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranges[mid]![0] <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertSlow(start: number, end: number): number {
    const before = this.countIn(start, end);
    let i = Math.max(0, this.indexAfter(start) - 1);
    if (this.ranges[i] && this.ranges[i]![1] < start) i++;
    let newStart = start;
    let newEnd = end;
    let j = i;
    while (j < this.ranges.length && this.ranges[j]![0] <= end) {
      newStart = Math.min(newStart, this.ranges[j]![0]);
      newEnd = Math.max(newEnd, this.ranges[j]![1]);
      j++;
    }
    this.ranges.splice(i, j - i, [newStart, newEnd]);
    const added = end - start - before;
    this.count += added;
    return added;
  }
}
