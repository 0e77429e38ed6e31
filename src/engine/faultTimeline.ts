import type { AppliedStep } from '../faults/types.js';
import { parseDurationMs } from '../profile/duration.js';
import type { FaultStep } from '../profile/faultSchema.js';

/** Applies one step (the fault injector). Never rejects: failures come back in AppliedStep.error. */
export interface StepApplier {
  apply(step: FaultStep, index: number): Promise<AppliedStep>;
}

/** The run clock and the tick cut, from the coordinator. */
export interface TimelineClock {
  clockMs(): number;
  cutTick(marker: string): void;
}

export function describeStep(step: FaultStep): string {
  const target = typeof step.target === 'number' ? `node ${step.target}` : step.target;
  return `${step.action} ${target}${step.count !== undefined ? ` (${step.count})` : ''}`;
}

/**
 * Runs a profile's fault steps at their times (relative to the start of measurement), one after
 * the other: a step that takes longer than the gap to the next delays it, and the delay shows in
 * the requested times. Each step ends the current tick when it is requested and when it is done,
 * so the per-second series and the per-phase account split exactly there.
 */
export class FaultTimeline {
  private readonly applied: AppliedStep[] = [];
  private stopped = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly steps: FaultStep[],
    private readonly applier: StepApplier,
    private readonly clock: TimelineClock,
    private readonly measureStartMs: number,
  ) {}

  /** Starts at the run's start barrier. */
  start(): void {
    this.running ??= this.runSteps();
  }

  /** No step starts after this; waits for the one in progress. Steps never reached are returned with the reason. */
  async stop(): Promise<AppliedStep[]> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    for (let i = this.applied.length; i < this.steps.length; i++) {
      const step = this.steps[i]!;
      const now = Math.round(this.clock.clockMs());
      this.applied.push({
        index: i,
        at: step.at,
        action: step.action,
        target: step.target,
        count: step.count ?? null,
        nodes: [],
        leaderBefore: null,
        requestedMs: now,
        doneMs: now,
        error: `not applied: the run ended before ${step.at}`,
      });
    }
    return this.applied;
  }

  private async runSteps(): Promise<void> {
    for (const [index, step] of this.steps.entries()) {
      const dueMs = this.measureStartMs + (parseDurationMs(step.at) ?? 0);
      await this.sleepUntil(dueMs);
      if (this.stopped) return;
      const what = describeStep(step);
      this.clock.cutTick(what);
      const applied = await this.applier.apply(step, index);
      this.applied.push(applied);
      this.clock.cutTick(`${what} done${applied.error ? ` (${applied.error})` : ''}`);
    }
  }

  private sleepUntil(dueMs: number): Promise<void> {
    const waitMs = dueMs - this.clock.clockMs();
    if (waitMs <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, waitMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
