import type { CellSummary, MatrixCell, MatrixResult } from '../../src/matrix/model.js';
import type { Source } from './generator.js';
import { expectKind } from './generator.js';

/** A cell that was measured, with its summary. */
export interface MeasuredCell extends MatrixCell {
  summary: CellSummary;
}

/** The matrix result a marker names, and its measured cells in the file's order (skipped and failed cells are not rows). */
export function matrixOf(source: Source): { matrix: MatrixResult; cells: MeasuredCell[] } {
  const matrix = expectKind<MatrixResult>(source, 'matrix');
  if (!Array.isArray(matrix.cells)) throw new Error(`${source.path}: a matrix result without cells`);
  return { matrix, cells: matrix.cells.filter((c): c is MeasuredCell => c.summary !== null) };
}

/** The cell label as the README writes it: the all-disk layout is the default and not named; "one-ram" reads "one RAM". */
export function readmeLabel(cell: MatrixCell): string {
  return cell.label
    .split(', ')
    .filter((part) => part !== 'all-disk')
    .map((part) => (part === 'one-ram' ? 'one RAM' : part))
    .join(', ');
}

/**
 * Replicas of the cell's (first) queue: its members in the topology read before each run. One
 * number when every run agrees, else every distinct count ("3/5"); "?" when no run has a topology.
 */
export function replicas(cell: MatrixCell): string {
  const counts = [...new Set(cell.runs.map((r) => r.cluster.before?.queues[0]?.members.length).filter((x): x is number => x !== undefined))];
  return counts.length === 0 ? '?' : counts.sort((a, b) => a - b).join('/');
}

/** The head of a "× baseline" column: "× classic 1 node". */
export const timesHead = (baseline: MatrixCell | undefined): string => `× ${baseline ? readmeLabel(baseline).replaceAll(',', '') : 'baseline'}`;

/** Is this the matrix's baseline cell (its relative figures read "1")? */
export const isBaseline = (matrix: MatrixResult, cell: MatrixCell): boolean => cell.id === matrix.baselineCellId;
