/**
 * mqbench as a library:
 *
 *   import { runBenchmark } from 'mqbench';
 *   const run = runBenchmark('profiles/quorum-3node.json', { signal: AbortSignal.timeout(120_000) });
 *   run.on('tick', (t) => console.log(t.tMs, t.consumedPerS, t.e2eP99Ms));
 *   const result = await run;
 */
export { runBenchmark, BenchmarkRun, type Tick, type RunBenchmarkOptions, type BenchmarkRunEvents } from './api/runBenchmark.js';
export { loadProfile, parseProfile } from './profile/load.js';
export type { Profile, ProfileInput } from './profile/schema.js';
export type { RunResult } from './results/model.js';
export type { DeliveryAccount } from './metrics/accounting.js';
export { UserError, EXIT } from './util/userError.js';
