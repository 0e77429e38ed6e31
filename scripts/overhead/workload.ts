/** What both sides of scripts/bench-overhead.ts run: the settings, fixed so the ratio means one thing. */
export const WORKLOAD = {
  messageSize: 1000,
  persistent: true,
  mandatory: true, // what mqbench's publisher sends
  maxInFlight: 100,
  prefetch: 100,
} as const;

/** The one queue both sides use, deleted and declared afresh by each run. */
export const QUEUE_NAME = 'mqbench-overhead-1';
