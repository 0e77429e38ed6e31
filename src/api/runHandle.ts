import { EventEmitter } from 'node:events';

/**
 * What the library's run functions return: an event emitter of the work's progress that is also a
 * promise of its result (`await runBenchmark(...)` works, like autocannon's instance). The work
 * starts on the next turn of the event loop, so listeners attached right after the call see every
 * event. `abort(reason)` (or the caller's AbortSignal) ends it early; what was measured is kept.
 */
export class RunHandle<Result, Events extends Record<keyof Events, unknown[]>> extends EventEmitter<Events> implements PromiseLike<Result> {
  readonly result: Promise<Result>;
  private readonly controller = new AbortController();

  constructor(start: (signal: AbortSignal) => Promise<Result>, signal?: AbortSignal) {
    super();
    const fromCaller = (): void => this.abort(`aborted: ${String(signal?.reason ?? 'AbortSignal')}`);
    if (signal?.aborted) fromCaller();
    signal?.addEventListener('abort', fromCaller, { once: true });
    this.result = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => start(this.controller.signal))
      .finally(() => signal?.removeEventListener('abort', fromCaller));
  }

  /** Ends the work early with this reason (recorded in the result); the first reason wins. */
  abort(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Whether abort() was called (or the caller's signal fired). */
  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  then<A = Result, B = never>(onFulfilled?: ((r: Result) => A | PromiseLike<A>) | null, onRejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.result.then(onFulfilled, onRejected);
  }
}

/** Calls `abort(reason)` once when the signal fires (at once if it already has); returns the undo. */
export function onAbort(signal: AbortSignal, abort: (reason: string) => void): () => void {
  const listener = (): void => abort(String(signal.reason));
  if (signal.aborted) listener();
  else signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
