/** Bad gate input (a threshold, a metric missing from a result, no baseline for a relative limit): exit 2, one line. */
export class GateInputError extends Error {
  override readonly name = 'GateInputError';
  readonly exitCode = 2;
}

/** Exit code when a threshold is crossed (as k6). */
export const EXIT_THRESHOLD_CROSSED = 99;
