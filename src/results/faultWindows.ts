import type { AppliedStep } from '../faults/types.js';
import { UNDO_OF } from '../profile/faultSchema.js';
import type { FaultWindow } from './model.js';

const TAKE_DOWN = new Set(['stop', 'kill', 'pause', 'partition']);

/**
 * When each node was faulted: from the step that took it away (requested) to the step that brought
 * it back (done), or to the end of the run when mqbench restored it then.
 */
export function faultWindows(steps: AppliedStep[], endMs: number): FaultWindow[] {
  const open = new Map<string, { fromMs: number; label: string; action: string }>();
  const windows: FaultWindow[] = [];
  for (const step of steps) {
    if (step.error?.startsWith('not applied')) continue;
    if (TAKE_DOWN.has(step.action)) {
      for (const node of step.nodes) if (!open.has(node)) open.set(node, { fromMs: step.requestedMs, label: `${step.action} ${node}`, action: step.action });
      continue;
    }
    const undoes = UNDO_OF[step.action] ?? [];
    for (const node of step.nodes) {
      const o = open.get(node);
      if (!o || !undoes.includes(o.action as never)) continue;
      windows.push({ fromMs: o.fromMs, toMs: step.doneMs, label: o.label });
      open.delete(node);
    }
  }
  for (const o of open.values()) windows.push({ fromMs: o.fromMs, toMs: endMs, label: `${o.label} (restored at the end)` });
  return windows.sort((a, b) => a.fromMs - b.fromMs);
}
