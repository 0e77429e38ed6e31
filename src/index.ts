/**
 * mqbench as a library:
 *
 *   import { runBenchmark } from 'mqbench';
 *   const run = runBenchmark('profiles/quorum-3node.json', { signal: AbortSignal.timeout(120_000) });
 *   run.on('tick', (t) => console.log(t.tMs, t.consumedPerS, t.e2eP99Ms));
 *   const result = await run;
 *
 * The CLI is a shell over these functions: `mqbench run` (runBenchmark, runRepeated with --repeat),
 * `mqbench matrix` (runMatrix), `mqbench capacity` (runCapacity).
 */
export { runBenchmark, BenchmarkRun, type Tick, type RunBenchmarkOptions, type BenchmarkRunEvents, type MetricsEndpoint } from './api/runBenchmark.js';
export { runRepeated, RepeatedRun, type RunRepeatedOptions, type RepeatedRunEvents } from './api/runRepeated.js';
export { runMatrix, matrixFailuresOf, MatrixRun, type RunMatrixOptions, type MatrixRunEvents } from './api/runMatrix.js';
export { runCapacity, CapacityRun, type RunCapacityOptions, type CapacityRunEvents } from './api/runCapacity.js';
export { RunHandle } from './api/runHandle.js';
export { loadProfile, parseProfile } from './profile/load.js';
export { loadMatrixProfile, parseMatrixProfile } from './matrix/matrixProfile.js';
export type { Profile, ProfileInput } from './profile/schema.js';
export type { MatrixProfile, MatrixProfileInput } from './matrix/matrixProfile.js';
export type { RunResult, RepeatedResult } from './results/model.js';
export type { MatrixResult, MatrixCell } from './matrix/model.js';
export type { CapacityResult, CapacityStep } from './capacity/model.js';
export type { CapacityOptions } from './capacity/settings.js';
export type { Threshold } from './gate/model.js';
export type { DeliveryAccount } from './metrics/accounting.js';
export type { SavedFiles } from './results/save.js';
export type { RunEvent } from './engine/coordinator.js';
export type { DepthSample } from './engine/depthSampler.js';
export { UserError, EXIT } from './util/userError.js';
