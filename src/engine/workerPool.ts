import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

export interface WorkerPoolEvents {
  message: [msg: FromWorker];
  /** A worker ended (normally after its final report, or by crashing). */
  exit: [workerIndex: number, code: number];
  error: [workerIndex: number, err: Error];
}

/** The worker threads of one run: spawned from their init data, addressed by index, terminated if they overstay. */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly workers = new Map<number, { worker: Worker; exited: boolean }>();
  private terminateTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly workerUrl: URL,
    private readonly inits: WorkerInit[],
  ) {
    super();
  }

  start(): void {
    for (const init of this.inits) {
      const worker = new Worker(this.workerUrl, { workerData: init });
      const state = { worker, exited: false };
      this.workers.set(init.workerIndex, state);
      worker.on('message', (msg: FromWorker) => this.emit('message', msg));
      worker.on('error', (err) => this.emit('error', init.workerIndex, err));
      worker.on('exit', (code) => {
        state.exited = true;
        if (this.allExited() && this.terminateTimer) clearTimeout(this.terminateTimer);
        this.emit('exit', init.workerIndex, code);
      });
    }
  }

  get indexes(): number[] {
    return [...this.workers.keys()];
  }

  live(): number[] {
    return [...this.workers].filter(([, w]) => !w.exited).map(([i]) => i);
  }

  allExited(): boolean {
    return [...this.workers.values()].every((w) => w.exited);
  }

  send(workerIndex: number, msg: ToWorker): void {
    const w = this.workers.get(workerIndex);
    if (w && !w.exited) w.worker.postMessage(msg);
  }

  broadcast(msg: ToWorker): void {
    for (const i of this.live()) this.send(i, msg);
  }

  /** Workers still running after `graceMs` are terminated. */
  terminateAfter(graceMs: number): void {
    if (this.terminateTimer) return;
    this.terminateTimer = setTimeout(() => {
      for (const w of this.workers.values()) if (!w.exited) void w.worker.terminate();
    }, graceMs);
  }
}
