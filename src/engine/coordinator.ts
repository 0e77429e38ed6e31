import { EventEmitter } from 'node:events';
import type { BrokerInfo } from '../amqp/client.js';
import { expectedSets, notConsumedSets, receivedSets, sizeOf } from '../metrics/accounting.js';
import type { RangeSet } from '../metrics/rangeSet.js';
import { ActivityMerge, type RunActivity } from './activityMerge.js';
import { nowUs } from './clock.js';
import type { RunPlan } from './plan.js';
import type { AgentEvent, ConsumerFinal, FromWorker, PublisherFinal, WorkerInit } from './protocol.js';
import { TickClock } from './tickClock.js';
import { TickCollector, type Phase, type TickRecord } from './ticks.js';
import { WorkerPool } from './workerPool.js';

/** Grace for workers to answer "stop" (their final report is sent before anything slow) before they are terminated. */
const STOP_GRACE_MS = 10_000;
/** Delay between the "start" message and the common start instant, so every worker receives it first. */
const START_DELAY_MS = 50;

/** An agent event on the run clock. */
export type RunEvent = Omit<AgentEvent, 'atUs'> & { tMs: number };

/** How the drain ended. */
export type DrainEnd = 'complete' | 'timeout' | 'not-needed' | 'skipped';

/** Everything measured during one run, before it is turned into a result. */
export interface RunOutcome {
  runId: number;
  startedAt: Date;
  endedAt: Date;
  brokers: BrokerInfo[];
  ticks: TickRecord[];
  publisherFinals: PublisherFinal[];
  consumerFinals: ConsumerFinal[];
  /** Workers that ended without their final report: their agents' messages are not accounted for. */
  accountingIssues: string[];
  events: RunEvent[];
  activity: RunActivity;
  interrupted: boolean;
  error: string | undefined;
  warmupMs: number;
  /** false when the run failed before the start barrier (agents never all connected). */
  started: boolean;
  /** The start (connecting every agent) took longer than its limit: a run failure, not bad input. */
  startTimedOut: boolean;
  measureEndMs: number | undefined;
  endMs: number;
  drain: DrainEnd;
}

export interface CoordinatorEvents {
  phase: [phase: Phase | 'connecting'];
  /** While agents connect (after the first second): agents with a working channel, of all. */
  connectProgress: [agentsUp: number, agents: number];
  tick: [record: TickRecord, elapsedMs: number];
  /** The start barrier passed: clockMs() now runs. */
  started: [];
  agentEvent: [event: RunEvent];
}

/**
 * The main-thread side of a run: starts the worker pool, holds the start barrier, moves the run
 * through warm-up, measurement and drain on the tick clock, and collects everything measured.
 * The drain ends when every expected message was consumed — checked exactly, from the consumers'
 * sequence sets, not estimated from counts — or at drainTimeout. Rendering listens to its events.
 */
export class Coordinator extends EventEmitter<CoordinatorEvents> {
  private readonly pool: WorkerPool;
  private readonly collector = new TickCollector();
  private readonly clock: TickClock;
  private readonly outcome: RunOutcome;
  private phase: Phase | 'connecting' | 'stopping' = 'connecting';
  private phaseAtStop: Phase = 'drain';
  private startUs = 0;
  private tickNo = 0;
  private lastTickMs = 0;
  private drainDeadlineMs = Infinity;
  private resolveDone: (() => void) | undefined;
  private connectLimit: NodeJS.Timeout | undefined;
  private markers: string[] = [];
  private readonly ready = new Set<number>();
  private readonly agentsUp = new Map<number, number>();
  private connectStartedAt = Date.now();
  private lastProgressAt = 0;
  private readonly publisherWorkers: Set<number>;
  private readonly consumerWorkers: Set<number>;
  private readonly limitReached = new Set<number>();
  private readonly publishersDone = new Set<number>();
  private readonly finalsFrom = new Set<number>();
  private readonly publisherFinals = new Map<number, PublisherFinal>();
  private readonly consumerFinals = new Map<number, ConsumerFinal>();
  private readonly rawEvents: AgentEvent[] = [];
  private readonly activity = new ActivityMerge();
  private readonly tail: Array<Extract<FromWorker, { type: 'final' }>> = [];
  private expected: Map<number, RangeSet> | undefined;
  private snapshot: { waiting: Set<number>; consumers: ConsumerFinal[] } | undefined;
  private finalAtMs: number | undefined;

  constructor(
    private readonly plan: RunPlan,
    workerUrl: URL = defaultWorkerUrl(),
    private readonly connectLimitMs = plan.startTimeoutMs,
  ) {
    super();
    const inits: WorkerInit[] = plan.workers.map((agents, workerIndex) => ({
      workerIndex,
      runId: plan.runId,
      recordCorrected: this.correcting,
      agents,
      connections: plan.workerConnections[workerIndex] ?? [],
      connectConcurrency: plan.connectConcurrency,
      nodeUris: plan.nodeUris,
      publisher: plan.publisher,
      consumer: plan.consumer,
      connection: plan.connection,
    }));
    this.pool = new WorkerPool(workerUrl, inits);
    this.publisherWorkers = new Set(inits.filter((w) => w.agents.some((a) => a.kind === 'publisher')).map((w) => w.workerIndex));
    this.consumerWorkers = new Set(inits.filter((w) => w.agents.some((a) => a.kind === 'consumer')).map((w) => w.workerIndex));
    this.clock = new TickClock(() => this.clockMs(), (after) => this.phaseBoundaryAfter(after), (b) => this.onTick(b));
    this.outcome = {
      runId: plan.runId,
      startedAt: new Date(),
      endedAt: new Date(),
      brokers: [],
      ticks: [],
      publisherFinals: [],
      consumerFinals: [],
      accountingIssues: [],
      events: [],
      activity: { confirm: [], delivery: [] },
      interrupted: false,
      error: undefined,
      warmupMs: plan.warmupMs,
      started: false,
      startTimedOut: false,
      measureEndMs: undefined,
      endMs: 0,
      drain: 'skipped',
    };
  }

  /** Runs to the end (or to the first fatal error) and returns what was measured. Never rejects. */
  run(): Promise<RunOutcome> {
    if (this.phase === 'stopping') return Promise.resolve(this.outcome); // aborted before it began
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.emit('phase', 'connecting');
    this.pool.on('message', (msg) => this.onMessage(msg));
    this.pool.on('error', (i, err) => this.abort(`worker ${i} crashed: ${err.message}`));
    this.pool.on('exit', (i, code) => this.onExit(i, code));
    this.connectStartedAt = Date.now();
    this.pool.start();
    this.connectLimit = setTimeout(() => {
      this.outcome.startTimedOut = true;
      this.abort(
        `the start timed out: ${this.agentsUpTotal} of ${this.agentCount} agents connected and set up within ${this.connectLimitMs / 1000} s ` +
          '(raise connection.startTimeout, or share connections with connection.publishersPerConnection / consumersPerConnection)',
      );
    }, this.connectLimitMs);
    return done.then(() => {
      clearTimeout(this.connectLimit);
      this.outcome.endedAt = new Date();
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

  /** Milliseconds since the start barrier (0 before it). */
  clockMs(): number {
    return this.startUs > 0 ? (nowUs() - this.startUs) / 1000 : 0;
  }

  /** Ends the current interval now, marked (a fault step), so what happened before and after it is counted apart. */
  cutTick(marker: string): void {
    if (this.phase === 'connecting' || this.phase === 'stopping') return;
    this.markers.push(marker);
    this.clock.cut();
  }

  /** Without a rate the intended send time is the actual one: workers record raw latency only. */
  private get correcting(): boolean {
    return this.plan.publisher.rate !== null;
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'connecting':
        this.agentsUp.set(msg.workerIndex, msg.agentsUp);
        this.emitConnectProgress();
        return;
      case 'ready':
        this.agentsUp.set(msg.workerIndex, this.plan.workers[msg.workerIndex]?.length ?? 0);
        this.emitConnectProgress();
        this.ready.add(msg.workerIndex);
        this.outcome.brokers.push(...msg.brokers);
        if (this.ready.size === this.pool.indexes.length && this.phase === 'connecting') this.startMeasuring();
        return;
      case 'tick': {
        this.activity.add(msg.activity);
        const r = this.collector.add(msg.tick, msg.workerIndex, msg);
        if (r) this.onTickComplete(r);
        return;
      }
      case 'event': {
        this.rawEvents.push(msg.event);
        const { atUs, ...rest } = msg.event;
        this.emit('agentEvent', { ...rest, tMs: this.startUs > 0 ? (atUs - this.startUs) / 1000 : 0 });
        return;
      }
      case 'limitReached':
        this.limitReached.add(msg.workerIndex);
        // Message-count runs end measuring when the last publisher sent its last message: that instant ends the interval.
        if (this.limitReached.size === this.publisherWorkers.size && (this.phase === 'measure' || this.phase === 'warmup')) {
          this.clock.cut();
          this.beginDrain();
        }
        return;
      case 'publishersDone':
        this.publishersDone.add(msg.workerIndex);
        for (const p of msg.publishers) this.publisherFinals.set(p.publisherId, p);
        this.onPublishersMaybeDone();
        return;
      case 'snapshot':
        this.onSnapshot(msg.workerIndex, msg.consumers);
        return;
      case 'final':
        this.finalsFrom.add(msg.workerIndex);
        // The run ends with the last final report; closing connections afterwards is not measured time.
        if (this.finalsFrom.size === this.pool.indexes.length) this.finalAtMs = this.clockMs();
        for (const p of msg.publishers) this.publisherFinals.set(p.publisherId, p);
        for (const c of msg.consumers) this.consumerFinals.set(c.consumerId, c);
        this.activity.add(msg.activity);
        this.tail.push(msg);
        return;
      case 'fatal':
        this.abort(`worker ${msg.workerIndex}: ${msg.message}`);
        return;
    }
  }

  private onExit(workerIndex: number, code: number): void {
    if (!this.finalsFrom.has(workerIndex)) {
      const agents = this.plan.workers[workerIndex] ?? [];
      const list = (kind: 'publisher' | 'consumer'): string => agents.filter((a) => a.kind === kind).map((a) => a.id).join(', ') || 'none';
      this.outcome.accountingIssues.push(
        `accounting incomplete for worker ${workerIndex}: it ended (code ${code}) without its final report (publishers ${list('publisher')}; consumers ${list('consumer')})`,
      );
      if (this.phase !== 'stopping') this.abort(`worker ${workerIndex} exited with code ${code} before the run ended`);
    }
    for (const r of this.collector.forget(workerIndex)) this.onTickComplete(r);
    this.snapshot?.waiting.delete(workerIndex);
    this.maybeFinish();
  }

  /** Agents with a working channel so far, over every worker. */
  private get agentsUpTotal(): number {
    return [...this.agentsUp.values()].reduce((a, b) => a + b, 0);
  }

  private get agentCount(): number {
    return this.plan.publisherCount + this.plan.consumerCount;
  }

  /** At most once a second, and only once the start takes longer than that. */
  private emitConnectProgress(): void {
    const now = Date.now();
    if (this.phase !== 'connecting' || now - this.lastProgressAt < 1_000 || now - this.connectStartedAt < 1_000) return;
    this.lastProgressAt = now;
    this.emit('connectProgress', this.agentsUpTotal, this.agentCount);
  }

  private startMeasuring(): void {
    clearTimeout(this.connectLimit);
    this.startUs = nowUs() + START_DELAY_MS * 1000;
    this.outcome.started = true;
    this.pool.broadcast({ type: 'start', startAtUs: this.startUs });
    this.phase = this.plan.warmupMs > 0 ? 'warmup' : 'measure';
    this.emit('phase', this.phase);
    this.emit('started');
    this.clock.start();
  }

  /** Interval ends that phases impose: the end of warm-up and of a timed measurement. */
  private phaseBoundaryAfter(afterMs: number): number | undefined {
    if (this.phase === 'warmup') return this.plan.warmupMs;
    if (this.phase === 'measure' && this.plan.durationMs !== undefined) return this.plan.warmupMs + this.plan.durationMs;
    return afterMs < this.drainDeadlineMs ? this.drainDeadlineMs : undefined;
  }

  private onTick(boundaryMs: number): void {
    if (this.phase === 'stopping' || this.phase === 'connecting') return;
    const endMs = this.clockMs();
    const tick = ++this.tickNo;
    const live = this.pool.live();
    this.collector.open(tick, this.phase, endMs, endMs - this.lastTickMs, live, this.markers);
    this.markers = [];
    for (const i of live) this.pool.send(i, { type: 'tick', tick });
    this.lastTickMs = endMs;

    if (this.phase === 'warmup' && boundaryMs >= this.plan.warmupMs) {
      this.phase = 'measure';
      this.emit('phase', 'measure');
    }
    if (this.phase === 'measure' && this.plan.durationMs !== undefined && boundaryMs >= this.plan.warmupMs + this.plan.durationMs) {
      this.beginDrain();
      return;
    }
    if (this.phase === 'drain') {
      if (Math.max(endMs, boundaryMs) >= this.drainDeadlineMs) {
        this.outcome.drain = 'timeout';
        this.stopAll();
        return;
      }
      this.requestSnapshot();
    }
  }

  private beginDrain(): void {
    if (this.phase === 'drain' || this.phase === 'stopping') return;
    this.outcome.measureEndMs = this.clockMs();
    this.phase = 'drain';
    this.emit('phase', 'drain');
    this.drainDeadlineMs = this.clockMs() + this.plan.drainTimeoutMs;
    this.pool.broadcast({ type: 'stopPublishing' });
    if (this.publisherWorkers.size === 0) {
      this.outcome.drain = 'not-needed';
      this.stopAll();
    }
  }

  private onPublishersMaybeDone(): void {
    if (this.publishersDone.size < this.publisherWorkers.size) return;
    this.expected = expectedSets([...this.publisherFinals.values()], this.plan.publisher.confirms, this.plan.routing);
    if (this.consumerWorkers.size === 0) {
      this.outcome.drain = 'not-needed';
      this.stopAll();
      return;
    }
    this.requestSnapshot();
  }

  /** Asks every consumer what it received; the drain is over when nothing expected is missing. */
  private requestSnapshot(): void {
    if (!this.expected || this.snapshot || this.phase !== 'drain') return;
    const waiting = new Set(this.pool.live().filter((i) => this.consumerWorkers.has(i)));
    this.snapshot = { waiting, consumers: [] };
    for (const i of waiting) this.pool.send(i, { type: 'snapshot' });
  }

  private onSnapshot(workerIndex: number, consumers: ConsumerFinal[]): void {
    const s = this.snapshot;
    if (!s || !s.waiting.delete(workerIndex)) return;
    s.consumers.push(...consumers);
    if (s.waiting.size > 0) return;
    this.snapshot = undefined;
    const missing = sizeOf(notConsumedSets(this.expected!, receivedSets(s.consumers, this.plan.routing).sets));
    if (missing === 0 && this.phase === 'drain') {
      this.outcome.drain = 'complete';
      this.stopAll();
    }
  }

  private onTickComplete(record: TickRecord): void {
    if (!this.correcting) {
      // Corrected equals raw; fill it here once a second instead of twice per message in workers.
      record.latencies.e2eCorrected.add(record.latencies.e2eRaw);
      record.latencies.confirmCorrected.add(record.latencies.confirmRaw);
    }
    this.outcome.ticks.push(record);
    this.emit('tick', record, record.endMs);
  }

  private stopAll(): void {
    if (this.phase === 'stopping') return;
    if (this.phase === 'measure' || this.phase === 'warmup') {
      this.outcome.measureEndMs = this.clockMs();
      this.phaseAtStop = this.phase;
    }
    this.phase = 'stopping';
    this.clock.stop();
    this.pool.broadcast({ type: 'stop' });
    // Workers still connecting hold no measurements worth waiting for.
    this.pool.terminateAfter(this.startUs > 0 ? STOP_GRACE_MS : 2_000);
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.phase !== 'stopping' || !this.pool.allExited() || !this.resolveDone) return;
    const o = this.outcome;
    o.endMs = this.finalAtMs ?? this.clockMs();
    for (const r of this.collector.flush()) this.onTickComplete(r);
    this.appendTail();
    o.ticks.sort((a, b) => a.tick - b.tick);
    o.publisherFinals = [...this.publisherFinals.values()].sort((a, b) => a.publisherId - b.publisherId);
    o.consumerFinals = [...this.consumerFinals.values()].sort((a, b) => a.consumerId - b.consumerId);
    o.events = this.rawEvents.map(({ atUs, ...rest }) => ({ ...rest, tMs: this.startUs > 0 ? Math.round(atUs - this.startUs) / 1000 : 0 }));
    o.activity = this.activity.result();
    const resolve = this.resolveDone;
    this.resolveDone = undefined;
    resolve();
  }

  /** Counts and latencies after the last tick become one short final interval, in the phase the run stopped in. */
  private appendTail(): void {
    if (this.tail.length === 0 || this.startUs === 0) return;
    const tick = ++this.tickNo;
    const endMs = this.outcome.endMs;
    this.collector.open(tick, this.phaseAtStop, endMs, endMs - this.lastTickMs, this.tail.map((t) => t.workerIndex));
    for (const t of this.tail) {
      const r = this.collector.add(tick, t.workerIndex, t);
      if (r) this.onTickComplete(r);
    }
  }
}

function defaultWorkerUrl(): URL {
  // Compiled and source layouts both keep worker.* next to this file.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker${ext}`, import.meta.url);
}
