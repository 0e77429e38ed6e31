import type { CapacityStep } from './model.js';

/** One line per step for progress output: the rate asked, what was achieved, and the verdict. */
export function describeStep(s: CapacityStep): string {
  const target = s.targetMsgsPerS === 0 ? 'full speed' : `${Math.round(s.targetMsgsPerS)} msgs/s`;
  return `${s.phase} ${target}: published ${Math.round(s.publishedMsgsPerS)}, consumed ${Math.round(s.consumedMsgsPerS)} msgs/s, e2e p99 ${s.e2eP99Ms.toFixed(1)} ms — ${s.reason}`;
}
