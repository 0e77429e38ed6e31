/** Event counts for one interval (or a whole run). */
export interface Counters {
  published: number;
  confirmed: number;
  nacked: number;
  returned: number;
  consumed: number;
  redelivered: number;
  duplicates: number;
  outOfOrder: number;
}

export const COUNTER_NAMES: ReadonlyArray<keyof Counters> = [
  'published',
  'confirmed',
  'nacked',
  'returned',
  'consumed',
  'redelivered',
  'duplicates',
  'outOfOrder',
];

export function zeroCounters(): Counters {
  return { published: 0, confirmed: 0, nacked: 0, returned: 0, consumed: 0, redelivered: 0, duplicates: 0, outOfOrder: 0 };
}

export function addCounters(into: Counters, from: Counters): void {
  for (const name of COUNTER_NAMES) into[name] += from[name];
}

/** Returns the counts so far and starts a new interval. */
export function takeCounters(c: Counters): Counters {
  const snapshot = { ...c };
  for (const name of COUNTER_NAMES) c[name] = 0;
  return snapshot;
}
