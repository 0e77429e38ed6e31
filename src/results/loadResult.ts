import { readFile } from 'node:fs/promises';
import type { CapacityResult } from '../capacity/model.js';
import type { MatrixResult } from '../matrix/model.js';
import type { RepeatedResult, RunResult } from './model.js';
import { UserError } from '../util/userError.js';

/** A result file of any kind mqbench writes. */
export type LoadedResult =
  | { kind: 'run'; result: RunResult }
  | { kind: 'repeated'; result: RepeatedResult }
  | { kind: 'matrix'; result: MatrixResult }
  | { kind: 'capacity'; result: CapacityResult };

/** Tells the kinds apart by `kind` (and what each must carry); anything else is not ours. */
export function detectResult(parsed: unknown, path: string): LoadedResult {
  const r = parsed as { kind?: unknown; series?: unknown; cells?: unknown; runs?: unknown; capacity?: { steps?: unknown } | null } | null;
  if (r !== null && typeof r === 'object') {
    if (r.kind === 'run' && Array.isArray(r.series)) return { kind: 'run', result: parsed as RunResult };
    if (r.kind === 'repeated' && Array.isArray(r.runs)) return { kind: 'repeated', result: parsed as RepeatedResult };
    if (r.kind === 'matrix' && Array.isArray(r.cells)) return { kind: 'matrix', result: parsed as MatrixResult };
    if (r.kind === 'capacity' && typeof r.capacity === 'object' && r.capacity !== null && Array.isArray(r.capacity.steps)) return { kind: 'capacity', result: parsed as CapacityResult };
  }
  throw new UserError(`${path}: not an mqbench result (expected "kind": "run", "repeated", "matrix" or "capacity")`);
}

/** Reads a result JSON written by `mqbench run` (once or --repeat), `mqbench matrix` or `mqbench capacity`; problems become one-line UserErrors (exit 2). */
export async function loadResult(path: string): Promise<LoadedResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read result ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not a JSON file (${(err as Error).message})`);
  }
  return detectResult(parsed, path);
}
