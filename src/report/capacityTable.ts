import Table from 'cli-table3';
import type { CapacityResult } from '../capacity/model.js';
import { capacityHeadline, STEP_COLUMNS, stepCells } from '../capacity/stepTable.js';
import { PLAIN_TABLE } from './plainTable.js';

/** `mqbench capacity` on the terminal: the outcome, then every step (probe, search, curve). */
export function renderCapacity(r: CapacityResult): string {
  if (r.capacity.steps.length === 0) return capacityHeadline(r);
  const t = new Table({ ...PLAIN_TABLE, head: [...STEP_COLUMNS] });
  r.capacity.steps.forEach((s, i) => t.push(stepCells(s, i + 1)));
  return `${capacityHeadline(r)}\n${t.toString()}`;
}
