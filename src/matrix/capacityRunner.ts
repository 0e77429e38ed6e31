import { EventEmitter } from 'node:events';
import type { CapacitySettings, CapacityStep } from '../capacity/model.js';
import { StepRunner } from '../capacity/runStep.js';
import { measureAt, measureCurve, searchThenCurve, type Measure } from '../capacity/search.js';
import { meanStd, ratio } from '../metrics/meanStd.js';
import type { Profile } from '../profile/schema.js';
import { emptyCells } from './runner.js';
import type { PlannedCell } from './expand.js';
import type { CapacitySearch, MatrixCell } from './model.js';

/** Connecting, declaring, draining and deleting the queues around every step, beyond settle + step; refined by measurement. */
const STEP_OVERHEAD_MS = 4_000;
/** A first guess of a search's length in steps (probe + doubling/halving + bisection to 5 %). */
const FIRST_GUESS_STEPS = 9;

export interface CapacityMatrixProgress {
  cell: PlannedCell;
  /** 1..repeat for searches; "curve" and "common" for the measurements after them. */
  what: number | 'curve' | 'common';
  repeat: number;
  /** Which of `total` searches/measurements this is. */
  number: number;
  total: number;
  etaMs: number;
}

export interface CapacityMatrixEvents {
  progress: [p: CapacityMatrixProgress];
  step: [cell: PlannedCell, step: CapacityStep];
  status: [message: string];
  /** One search ended: the rate it found (null: none) or why it stopped. */
  searchDone: [cell: PlannedCell, search: CapacitySearch];
}

/** Measures steps on one cell; `abort` stops the current step. */
export interface CellMeasurer {
  measure: Measure;
  abort(reason: string): void;
}

export interface CapacityMatrixOptions {
  /** Total msgs/s measured in every cell after the searches; default: half the lowest capacity found. */
  commonRateMsgsPerS?: number;
  /** How a cell's steps are measured (default: runs on the cell's profile, see StepRunner); tests pass a model. */
  measurer?: (cell: PlannedCell, onStatus: (m: string) => void) => CellMeasurer;
}

export interface CapacityMatrixOutcome {
  cells: MatrixCell[];
  commonRateMsgsPerS: number | null;
}

/**
 * Capacity mode of a matrix: every repetition is a sustainable-rate search per cell, interleaved
 * (A, B, C, A, B, C, ...) so drift on the machine spreads over all cells. The first search of a cell
 * starts from a full-speed probe (or the configured start rate); later ones start from the rate the
 * cell's earlier searches found. Then, once per cell, the latency curve at fractions of the mean
 * capacity, and one step at a common absolute rate every cell sustained.
 */
export class CapacityMatrixRunner extends EventEmitter<CapacityMatrixEvents> {
  private current: CellMeasurer | undefined;
  private abortReason: string | undefined;
  private spentMs = 0;
  private stepsDone = 0;

  constructor(
    private readonly planned: PlannedCell[],
    private readonly repeat: number,
    private readonly source: string,
    private readonly settings: CapacitySettings,
    private readonly opts: CapacityMatrixOptions = {},
  ) {
    super();
  }

  get aborted(): string | undefined {
    return this.abortReason;
  }

  abort(reason: string): void {
    this.abortReason ??= reason;
    this.current?.abort(reason);
  }

  async run(): Promise<CapacityMatrixOutcome> {
    const cells: MatrixCell[] = emptyCells(this.planned).map((c) => ({
      ...c,
      capacity: c.skipped === null ? { searches: [], sustainable: null, curve: [], common: null, relative: null } : null,
    }));
    const runnable = this.planned.filter((p) => p.skipped === null && p.profile);
    const withCurve = this.settings.fractions.length > 0;
    const total = runnable.length * (this.repeat + (withCurve ? 1 : 0) + 1);
    let number = 0;
    let searchesDone = 0;
    let searchStepsDone = 0;
    const aborted = (): boolean => this.abortReason !== undefined;
    /** Steps still to come, counting this one: searches at their mean length so far, then the curve and common steps. */
    const stepsLeft = (): number => {
      const searchesLeft = Math.max(0, runnable.length * this.repeat - searchesDone);
      const perSearch = searchesDone > 0 ? searchStepsDone / searchesDone : FIRST_GUESS_STEPS;
      const measurementsLeft = total - Math.max(number, runnable.length * this.repeat);
      const curveLeft = withCurve ? Math.max(0, measurementsLeft - runnable.length) : 0;
      return searchesLeft * perSearch + curveLeft * this.settings.fractions.length + Math.min(runnable.length, measurementsLeft);
    };
    const progress = (cell: PlannedCell, what: CapacityMatrixProgress['what']): void => {
      const etaMs = stepsLeft() * this.perStepMs();
      this.emit('progress', { cell, what, repeat: this.repeat, number: ++number, total, etaMs });
    };

    for (let repetition = 1; repetition <= this.repeat && !aborted(); repetition++) {
      for (const cell of runnable) {
        if (aborted()) break;
        const into = cells[cell.index]!.capacity!;
        progress(cell, repetition);
        const found = into.searches.map((s) => s.sustainableMsgsPerS).filter((x): x is number => x !== null);
        const start = this.settings.startMsgsPerS ?? (found.length > 0 ? Math.round(meanStd(found).mean) : null);
        const search = await this.measuring(cell, async (measure, onStep) => {
          const run = await searchThenCurve(measure, { ...this.settings, startMsgsPerS: start, fractions: [] }, onStep, aborted);
          // A search cut short (a step failed, or Ctrl-C) keeps its steps but says why: its bracket is not to precision.
          const error = run.error !== null ? (this.abortReason ?? run.error) : aborted() ? `interrupted: ${this.abortReason}` : null;
          return { repetition, sustainableMsgsPerS: run.sustainableMsgsPerS, notSustainableMsgsPerS: run.notSustainableMsgsPerS, steps: run.steps, error };
        });
        into.searches.push(search);
        searchesDone++;
        searchStepsDone += search.steps.length;
        if (search.error !== null) cells[cell.index]!.failures.push({ repetition, error: search.error });
        this.emit('searchDone', cell, search);
      }
    }
    for (const c of cells) {
      if (!c.capacity) continue;
      // Only searches that ran to their precision count.
      const found = c.capacity.searches.filter((s) => s.error === null).map((s) => s.sustainableMsgsPerS).filter((x): x is number => x !== null);
      c.capacity.sustainable = found.length > 0 ? meanStd(found) : null;
    }

    if (withCurve) {
      for (const cell of runnable) {
        const into = cells[cell.index]!;
        const capacity = into.capacity!.sustainable?.mean;
        if (aborted() || capacity === undefined) continue;
        progress(cell, 'curve');
        await this.measuring(cell, async (measure, onStep) => {
          try {
            into.capacity!.curve = await measureCurve(measure, capacity, this.settings, onStep, aborted);
          } catch (err) {
            into.failures.push({ repetition: this.repeat, error: `latency curve: ${this.abortReason ?? (err instanceof Error ? err.message : String(err))}` });
          }
        });
      }
    }

    const capacities = cells.map((c) => c.capacity?.sustainable?.mean).filter((x): x is number => x !== undefined);
    const commonRate = this.opts.commonRateMsgsPerS ?? (capacities.length > 0 ? Math.max(1, Math.round(Math.min(...capacities) / 2)) : null);
    if (commonRate !== null) {
      for (const cell of runnable) {
        if (aborted()) break;
        const into = cells[cell.index]!;
        progress(cell, 'common');
        await this.measuring(cell, async (measure, onStep) => {
          try {
            const step = await measureAt(measure, commonRate, this.settings, `common rate ${commonRate} msgs/s`);
            onStep(step);
            into.capacity!.common = step;
          } catch (err) {
            into.failures.push({ repetition: this.repeat, error: `common rate: ${this.abortReason ?? (err instanceof Error ? err.message : String(err))}` });
          }
        });
      }
    }
    return { cells, commonRateMsgsPerS: commonRate };
  }

  /** Runs `body` with a step runner on the cell's profile, timing every step for the ETA. */
  private async measuring<T>(cell: PlannedCell, body: (measure: Measure, onStep: (s: CapacityStep) => void) => Promise<T>): Promise<T> {
    const onStatus = (m: string): void => {
      this.emit('status', m);
    };
    const runner =
      this.opts.measurer?.(cell, onStatus) ??
      new StepRunner(cell.profile as Profile, cell.source ?? this.source, {
        stepMs: this.settings.stepMs,
        settleMs: this.settings.settleMs,
        slos: this.settings.slos,
        force: true,
        onStatus,
      });
    this.current = runner;
    let last = Date.now();
    const onStep = (s: CapacityStep): void => {
      const now = Date.now();
      this.spentMs += now - last;
      this.stepsDone++;
      last = now;
      this.emit('step', cell, s);
    };
    try {
      return await body(runner.measure, onStep);
    } finally {
      this.current = undefined;
    }
  }

  private perStepMs(): number {
    return this.stepsDone > 0 ? this.spentMs / this.stepsDone : this.settings.stepMs + this.settings.settleMs + STEP_OVERHEAD_MS;
  }
}

/** Each cell's sustainable rate relative to the baseline cell's (errors in quadrature). */
export function addCapacityRelative(cells: MatrixCell[], baselineId: string | null): void {
  const base = cells.find((c) => c.id === baselineId)?.capacity?.sustainable;
  if (!base) return;
  for (const c of cells) {
    if (c.id === baselineId || !c.capacity?.sustainable) continue;
    c.capacity.relative = ratio(c.capacity.sustainable, base);
  }
}

/** Why a capacity matrix failed (exit 1): a search or measurement that stopped, or a cell where no rate was sustained. */
export function capacityFailures(cells: MatrixCell[]): string[] {
  const out: string[] = [];
  for (const c of cells) {
    for (const f of c.failures) out.push(`${c.label}, ${/^(latency curve|common rate):/.test(f.error) ? '' : `search ${f.repetition}: `}${f.error}`);
    if (c.capacity && c.capacity.searches.length > 0 && c.capacity.sustainable === null) out.push(`${c.label}: no sustainable rate found (not even the lowest step)`);
  }
  return out;
}
