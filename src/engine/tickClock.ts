/** Length of a regular interval of the per-second series. */
export const TICK_MS = 1000;

/**
 * Fires a tick on every whole second of the run clock and on the boundaries the run asks for
 * (end of warm-up, end of measurement), so no interval straddles two phases; `cut()` ends the
 * current interval at once (a fault step, the last message of a message-count run). Timers may
 * fire a little early or late: each tick reports the real elapsed time, and the boundary it was
 * scheduled for decides the phase.
 */
export class TickClock {
  private lastBoundaryMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly elapsedMs: () => number,
    /** Extra boundaries after `afterMs` that must end an interval (phase ends); undefined if none. */
    private readonly phaseBoundaryAfter: (afterMs: number) => number | undefined,
    private readonly onTick: (boundaryMs: number) => void,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Ends the current interval now. */
  cut(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.fire(this.elapsedMs());
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }

  private nextBoundaryMs(): number {
    const second = (Math.floor(this.lastBoundaryMs / TICK_MS) + 1) * TICK_MS;
    const phase = this.phaseBoundaryAfter(this.lastBoundaryMs);
    return phase !== undefined && phase > this.lastBoundaryMs ? Math.min(second, phase) : second;
  }

  private schedule(): void {
    const at = this.nextBoundaryMs();
    this.timer = setTimeout(() => this.fire(at), Math.max(0, at - this.elapsedMs()));
  }

  private fire(boundaryMs: number): void {
    if (!this.running) return;
    this.lastBoundaryMs = Math.max(this.lastBoundaryMs, boundaryMs);
    this.onTick(boundaryMs);
    if (this.running) this.schedule();
  }
}
