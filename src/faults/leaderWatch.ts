import type { ManagementClient } from '../cluster/management.js';
import { DEFAULT_READ_TIMEOUT_MS, readMembership, sameMembership } from './membership.js';
import type { MembershipChange, QueueMembership } from './types.js';

export interface LeaderWatchOptions {
  /** One client per node, in cluster order. */
  management: readonly ManagementClient[];
  vhost: string;
  queue: string;
  /** The run's clock (ms since the start barrier): the tMs of every change. */
  clockMs: () => number;
  /** Pause between the end of one poll and the start of the next; default 500 ms. */
  intervalMs?: number;
  /** Per node and request; default 1500 ms. */
  readTimeoutMs?: number;
  /**
   * Indexes of nodes to ask last, evaluated at every poll: pass
   * `() => injector.faultedIndexes()` so a cut-off node's stale view is not taken for the truth.
   */
  askLast?: () => ReadonlySet<number>;
}

/**
 * Polls the benchmark queue's membership for the length of a run and records every change of
 * leader, members or online members (the first reading included). The next poll is scheduled
 * only when the previous one finished, so there are never two in flight, and a slow node only
 * makes polls rarer. A poll no node answers records nothing: not knowing is not a change.
 */
export class LeaderWatch {
  private readonly opts: LeaderWatchOptions;
  private readonly recorded: MembershipChange[] = [];
  private last: QueueMembership | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;
  private unanswered = 0;

  constructor(opts: LeaderWatchOptions) {
    this.opts = opts;
  }

  /** Starts polling (the first poll at once). Calling it again while running does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.poll();
  }

  /** The latest membership read (undefined before the first answer). */
  current(): QueueMembership | undefined {
    return this.last && { ...this.last, members: [...this.last.members], online: [...this.last.online] };
  }

  changes(): MembershipChange[] {
    return this.recorded.map((c) => ({ ...c, members: [...c.members], online: [...c.online] }));
  }

  /** Polls in which no node answered. */
  unansweredPolls(): number {
    return this.unanswered;
  }

  /** Stops polling; resolves once a poll in flight has finished, so nothing outlives the watch. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private poll(): void {
    this.timer = undefined;
    this.inFlight = this.readOnce().finally(() => {
      this.inFlight = undefined;
      if (this.running) this.timer = setTimeout(() => this.poll(), this.opts.intervalMs ?? 500);
    });
  }

  private async readOnce(): Promise<void> {
    const { management, vhost, queue, readTimeoutMs, askLast } = this.opts;
    let m: QueueMembership | undefined;
    try {
      m = await readMembership(management, vhost, queue, readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS, { askLast: askLast?.() });
    } catch {
      m = undefined; // askLast threw: treat like no answer
    }
    if (!m) {
      this.unanswered++;
      return;
    }
    if (this.last && sameMembership(this.last, m)) return;
    this.last = m;
    this.recorded.push({ tMs: this.opts.clockMs(), queue, leader: m.leader ?? null, members: [...m.members], online: [...m.online] });
  }
}
