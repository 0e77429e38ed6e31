/**
 * What a README table generator is: a name in the registry (registry.ts), the result file(s) its
 * marker names, and a function from their parsed JSON to the Markdown table.
 *
 *   <!-- generated: <name> <file> [<file> …] -->
 *   (the table)
 *   <!-- /generated -->
 */

/** One result file a marker names: its path (relative to the repository root, as in the marker) and its parsed JSON. */
export interface Source {
  path: string;
  data: unknown;
}

export interface TableGenerator {
  /** One line for people: what the table shows, from which kind of result. */
  describe: string;
  /** How many files the marker must name: exactly `files`, or at least 1 when 'many'. */
  files: number | 'many';
  /** The table as Markdown lines joined with "\n" (no blank lines around it). */
  render(sources: Source[]): string;
}

/** A result file of the kind a generator expects, or a one-line error naming the file. */
export function expectKind<T>(source: Source, kind: string): T {
  const d = source.data as { kind?: unknown } | null;
  if (d === null || typeof d !== 'object' || d.kind !== kind) {
    throw new Error(`${source.path}: expected a result of kind "${kind}", got ${d !== null && typeof d === 'object' ? JSON.stringify(d.kind) : typeof d}`);
  }
  return source.data as T;
}

/** A worded claim the table makes about the data; when a re-measured file no longer bears it out, regenerating fails with why. */
export function claim(holds: boolean, generator: string, what: string): void {
  if (!holds) throw new Error(`${generator}: the table says ${what}, which the result no longer shows: reword the generator (scripts/readme/)`);
}
