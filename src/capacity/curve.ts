import type { CapacityStep } from './model.js';

/** The step measured at `fraction` of the capacity (a curve step), if any: fractions compared with a tolerance for float noise. */
export function stepAtFraction(steps: readonly CapacityStep[], fraction: number): CapacityStep | undefined {
  return steps.find((s) => s.fraction !== null && Math.abs(s.fraction - fraction) < 1e-9);
}
