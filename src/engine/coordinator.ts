import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { BrokerInfo } from '../amqp/client.js';
import { nowUs } from './clock.js';
import { CONNECT_TIMEOUT_MS, type RunPlan } from './plan.js';
import type { ConsumerFinal, FromWorker, PublisherFinal, ToWorker, WorkerInit } from './protocol.js';
import { TickCollector, type Phase, type TickRecord } from './ticks.js';

const TICK_MS = 1000;
/** Grace for workers to answer "stop" or exit before they are terminated. */
const STOP_GRACE_MS = 10_000;
/** Delay between the "start" message and the common start instant, so every worker receives it first. */
const START_DELAY_MS = 50;

/** Everything measured during one run, before it is turned into a result. */
export interface RunOutcome {
  startedAt: Date;
  endedAt: Date;
  brokers: BrokerInfo[];
  ticks: TickRecord[];
  publisherFinals: PublisherFinal[];
  consumerFinals: ConsumerFinal[];
  interrupted: boolean;
  error: string | undefined;
  warmupMs: number;
  /** false when the run failed before the start barrier (agents never all connected). */
  started: boolean;
  measureEndMs: number | undefined;
  endMs: number;
}

export interface CoordinatorEvents {
  phase: [phase: Phase | 'connecting'];
  tick: [record: TickRecord, elapsedMs: number];
}

interface WorkerState {
  worker: Worker;
  hasPublishers: boolean;
  ready: boolean;
  publishersDone: boolean;
  final: boolean;
  exited: boolean;
}

/**
 * The main-thread side of a run: starts workers, holds the start barrier, drives the
 * one-second ticks, moves the run through warm-up, measurement and drain, and collects
 * everything measured. Rendering (spinner, tables) listens to its events.
 */
export class Coordinator extends EventEmitter<CoordinatorEvents> {
  private readonly workers = new Map<number, WorkerState>();
  private readonly collector = new TickCollector();
  private readonly outcome: RunOutcome;
  private phase: Phase | 'connecting' | 'stopping' = 'connecting';
  private startUs = 0;
  private tickNo = 0;
  private lastTickMs = 0;
  /** The boundary the last tick was scheduled for; timers may fire a little early or late. */
  private lastBoundaryMs = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private drainDeadlineMs = Infinity;
  private deliveryTarget: number | undefined;
  private consumedUnique = 0;
  private resolveDone: (() => void) | undefined;
  private stopTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly plan: RunPlan,
    private readonly workerUrl: URL = defaultWorkerUrl(),
    private readonly connectLimitMs = CONNECT_TIMEOUT_MS * 3,
  ) {
    super();
    this.outcome = {
      startedAt: new Date(),
      endedAt: new Date(),
      brokers: [],
      ticks: [],
      publisherFinals: [],
      consumerFinals: [],
      interrupted: false,
      error: undefined,
      warmupMs: plan.warmupMs,
      started: false,
      measureEndMs: undefined,
      endMs: 0,
    };
  }

  /** Runs to the end (or to the first fatal error) and returns what was measured. Never rejects. */
  run(): Promise<RunOutcome> {
    if (this.phase === 'stopping') return Promise.resolve(this.outcome); // aborted before it began
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.emit('phase', 'connecting');
    this.plan.workers.forEach((agents, workerIndex) => this.spawn(workerIndex, agents));
    this.connectLimit = setTimeout(
      () => this.abort(`agents did not connect within ${this.connectLimitMs / 1000}s`),
      this.connectLimitMs,
    );
    return done.then(() => {
      clearTimeout(this.connectLimit);
      this.outcome.endedAt = new Date();
      this.outcome.ticks.sort((a, b) => a.tick - b.tick);
      return this.outcome;
    });
  }

  /** Ends the run early (Ctrl-C, a fatal error): what was measured so far is kept. */
  abort(reason: string): void {
    if (this.phase === 'stopping') return;
    this.outcome.interrupted = true;
    this.outcome.error ??= reason;
    this.stopAll();
  }

  private spawn(workerIndex: number, agents: RunPlan['workers'][number]): void {
    const init: WorkerInit = {
      workerIndex,
      agents,
      publisher: this.plan.publisher,
      consumer: this.plan.consumer,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      recordCorrected: this.correcting,
    };
    const worker = new Worker(this.workerUrl, { workerData: init });
    const state: WorkerState = {
      worker,
      hasPublishers: agents.some((a) => a.kind === 'publisher'),
      ready: false,
      publishersDone: false,
      final: false,
      exited: false,
    };
    this.workers.set(workerIndex, state);
    worker.on('message', (msg: FromWorker) => this.onMessage(state, msg));
    worker.on('error', (err) => this.abort(`worker ${workerIndex} crashed: ${err.message}`));
    worker.on('exit', (code) => {
      state.exited = true;
      if (!state.final && this.phase !== 'stopping') this.abort(`worker ${workerIndex} exited with code ${code} before the run ended`);
      for (const r of this.collector.forget(workerIndex)) this.onTickComplete(r);
      this.maybeFinish();
    });
  }

  private send(state: WorkerState, msg: ToWorker): void {
    if (!state.exited) state.worker.postMessage(msg);
  }

  private onMessage(state: WorkerState, msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        state.ready = true;
        this.outcome.brokers.push(...msg.brokers);
        if ([...this.workers.values()].every((w) => w.ready)) this.startMeasuring();
        return;
      case 'tick': {
        const r = this.collector.add(msg.tick, msg.workerIndex, msg.counters, msg.latencies);
        if (r) this.onTickComplete(r);
        return;
      }
      case 'publishersDone':
        state.publishersDone = true;
        this.outcome.publisherFinals.push(...msg.publishers);
        this.onPublishersMaybeDone();
        return;
      case 'final':
        state.final = true;
        this.outcome.consumerFinals.push(...msg.consumers);
        this.tail.push(msg);
        return;
      case 'fatal':
        this.abort(`worker ${msg.workerIndex}: ${msg.message}`);
        return;
    }
  }

  /** Final messages keep their latencies until the run ends, then become one last tick. */
  private readonly tail: Array<Extract<FromWorker, { type: 'final' }>> = [];

  private connectLimit: NodeJS.Timeout | undefined;

  private startMeasuring(): void {
    clearTimeout(this.connectLimit);
    this.startUs = nowUs() + START_DELAY_MS * 1000;
    this.outcome.started = true;
    for (const w of this.workers.values()) this.send(w, { type: 'start', startAtUs: this.startUs });
    this.phase = this.plan.warmupMs > 0 ? 'warmup' : 'measure';
    this.emit('phase', this.phase);
    this.scheduleTick();
  }

  private elapsedMs(): number {
    return (nowUs() - this.startUs) / 1000;
  }

  /** Ticks fall on every whole second and on phase boundaries, so no interval straddles two phases. */
  private nextBoundaryMs(): number {
    const candidates = [(Math.floor(this.lastBoundaryMs / TICK_MS) + 1) * TICK_MS];
    if (this.phase === 'warmup') candidates.push(this.plan.warmupMs);
    if (this.phase === 'measure' && this.plan.durationMs !== undefined) candidates.push(this.plan.warmupMs + this.plan.durationMs);
    return Math.min(...candidates.filter((c) => c > this.lastBoundaryMs));
  }

  private scheduleTick(): void {
    const at = this.nextBoundaryMs();
    this.tickTimer = setTimeout(() => this.onTickTimer(at), Math.max(0, at - this.elapsedMs()));
  }

  private onTickTimer(boundaryMs: number): void {
    if (this.phase === 'stopping' || this.phase === 'connecting') return;
    const endMs = this.elapsedMs();
    const tick = ++this.tickNo;
    const live = [...this.workers].filter(([, w]) => !w.exited).map(([i]) => i);
    this.collector.open(tick, this.phase, endMs, endMs - this.lastTickMs, live);
    for (const i of live) this.send(this.workers.get(i)!, { type: 'tick', tick });
    this.lastTickMs = endMs;
    this.lastBoundaryMs = boundaryMs;

    if (this.phase === 'warmup' && boundaryMs >= this.plan.warmupMs) {
      this.phase = 'measure';
      this.emit('phase', 'measure');
    }
    if (this.phase === 'measure' && this.plan.durationMs !== undefined && boundaryMs >= this.plan.warmupMs + this.plan.durationMs) {
      this.beginDrain();
    }
    if (this.phase === 'drain' && endMs >= this.drainDeadlineMs) {
      this.outcome.error ??= `drain timeout: consumers did not receive every message within ${this.plan.drainTimeoutMs / 1000}s`;
      this.stopAll();
      return;
    }
    this.scheduleTick();
  }

  private beginDrain(): void {
    if (this.phase === 'drain') return;
    this.outcome.measureEndMs = this.elapsedMs();
    this.phase = 'drain';
    this.emit('phase', 'drain');
    this.drainDeadlineMs = this.elapsedMs() + this.plan.drainTimeoutMs;
    for (const w of this.workers.values()) this.send(w, { type: 'stopPublishing' });
  }

  private onPublishersMaybeDone(): void {
    const all = [...this.workers.values()].filter((w) => w.hasPublishers);
    if (!all.every((w) => w.publishersDone)) return;
    // Message-count runs end measuring when the last publisher sent its last message.
    if (this.phase === 'measure' || this.phase === 'warmup') this.beginDrain();
    const finals = this.outcome.publisherFinals;
    this.deliveryTarget = this.plan.publisher.confirms
      ? finals.reduce((n, f) => n + f.confirmed.reduce((m, [s, e]) => m + e - s, 0), 0)
      : finals.reduce((n, f) => n + f.published, 0);
    this.checkDrained();
  }

  /** Without a rate the intended send time is the actual one: workers record raw latency only. */
  private get correcting(): boolean {
    return this.plan.publisher.rateMsgsPerS > 0;
  }

  private onTickComplete(record: TickRecord): void {
    if (!this.correcting) {
      // Corrected equals raw; fill it here once a second instead of twice per message in workers.
      record.latencies.e2eCorrected.add(record.latencies.e2eRaw);
      record.latencies.confirmCorrected.add(record.latencies.confirmRaw);
    }
    this.outcome.ticks.push(record);
    this.consumedUnique += record.counters.consumed - record.counters.duplicates;
    this.emit('tick', record, record.endMs);
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.phase !== 'drain' || this.deliveryTarget === undefined) return;
    if (this.plan.consumerCount === 0 || this.consumedUnique >= this.deliveryTarget) this.stopAll();
  }

  private stopAll(): void {
    if (this.phase === 'stopping') return;
    if (this.phase === 'measure' || this.phase === 'warmup') this.outcome.measureEndMs = this.elapsedMs();
    this.phase = 'stopping';
    if (this.tickTimer) clearTimeout(this.tickTimer);
    for (const w of this.workers.values()) this.send(w, { type: 'stop' });
    // Workers still connecting hold no measurements worth waiting for.
    const grace = this.startUs > 0 ? STOP_GRACE_MS : 2_000;
    this.stopTimer = setTimeout(() => {
      for (const w of this.workers.values()) if (!w.exited) void w.worker.terminate();
    }, grace);
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.phase !== 'stopping') return;
    if (![...this.workers.values()].every((w) => w.exited)) return;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.outcome.endMs = this.startUs > 0 ? this.elapsedMs() : 0;
    for (const r of this.collector.flush()) this.outcome.ticks.push(r);
    this.appendTail();
    this.resolveDone?.();
  }

  /** Counts and latencies after the last tick become one short final drain interval. */
  private appendTail(): void {
    if (this.tail.length === 0 || this.startUs === 0) return;
    const tick = ++this.tickNo;
    const endMs = this.outcome.endMs;
    this.collector.open(tick, 'drain', endMs, endMs - this.lastTickMs, this.tail.map((t) => t.workerIndex));
    for (const t of this.tail) {
      const r = this.collector.add(tick, t.workerIndex, t.counters, t.latencies);
      if (r) this.outcome.ticks.push(r);
    }
  }
}

function defaultWorkerUrl(): URL {
  // Compiled and source layouts both keep worker.* next to this file.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker${ext}`, import.meta.url);
}
