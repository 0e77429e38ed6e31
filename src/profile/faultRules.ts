import type { z } from 'zod';
import { parseDurationMs } from './duration.js';
import { UNDO_OF, type FaultAction, type FaultStep, type FaultTarget } from './faultSchema.js';

/** The parts of a profile the fault rules look at. */
export interface FaultContext {
  faults: FaultStep[];
  local: boolean;
  nodes: number | undefined;
  queueType: 'classic' | 'quorum' | 'classic-mirrored' | 'stream';
  initialGroupSize: number | undefined;
  mirroring: { mode: 'all' | 'exactly'; params?: number | undefined };
  durationMs: number | undefined;
  byMessageCount: boolean;
}

/** How many nodes hold a replica of the benchmark queue: what leader/follower/minority/majority choose from. */
export function queueMembers(ctx: Pick<FaultContext, 'nodes' | 'queueType' | 'initialGroupSize' | 'mirroring'>): number | undefined {
  const nodes = ctx.nodes;
  if (nodes === undefined) return undefined;
  switch (ctx.queueType) {
    case 'classic':
      return 1;
    case 'quorum':
    case 'stream':
      return Math.min(ctx.initialGroupSize ?? nodes, nodes);
    case 'classic-mirrored':
      return ctx.mirroring.mode === 'all' ? nodes : Math.min(ctx.mirroring.params ?? nodes, nodes);
  }
}

/** Size of the minority side of m members: the leader plus followers, fewer than half. */
export function minoritySize(members: number): number {
  return Math.floor((members - 1) / 2);
}

/** How many nodes a target stands for, when that is known before the run. */
export function targetSize(target: FaultTarget, members: number): number {
  if (typeof target === 'number') return 1;
  switch (target) {
    case 'leader':
    case 'follower':
      return 1;
    case 'all-but-leader':
      return members - 1;
    case 'minority':
      return minoritySize(members);
    case 'majority':
      return members - minoritySize(members);
  }
}

const FAMILY: Record<FaultAction, 'down' | 'paused' | 'cut'> = {
  stop: 'down',
  kill: 'down',
  start: 'down',
  pause: 'paused',
  resume: 'paused',
  partition: 'cut',
  heal: 'cut',
};

const show = (t: FaultTarget): string => (typeof t === 'number' ? `node ${t}` : `"${t}"`);

/**
 * Checks a fault timeline before anything starts, so a mistake is reported with its field path
 * instead of surfacing 20 s into a run: local clusters only, steps inside the measured time and in
 * order, targets the layout can have, and every start/resume/heal undoing an earlier step.
 */
export function checkFaults(ctx: FaultContext, addIssue: (path: (string | number)[], message: string) => void): void {
  if (ctx.faults.length === 0) return;
  if (!ctx.local) {
    addIssue(['faults'], 'faults are only allowed on a local cluster mqbench starts itself ("cluster": {"local": {...}}); mqbench never harms a cluster it did not start');
    return;
  }
  if (ctx.byMessageCount) {
    addIssue(['faults'], 'faults need a run with a duration (their times are relative to it), not messagesPerPublisher');
    return;
  }
  const nodes = ctx.nodes ?? 1;
  const members = queueMembers(ctx) ?? nodes;
  const membersText = `the ${ctx.queueType} queue has ${members} member${members === 1 ? '' : 's'} on ${nodes} node${nodes === 1 ? '' : 's'}`;
  /** Nodes taken down and not yet brought back, per family and target. */
  const open = new Map<string, number>();
  let previousAtMs = 0;
  ctx.faults.forEach((step, i) => {
    const at = (field: string): (string | number)[] => ['faults', i, field];
    const atMs = parseDurationMs(step.at);
    if (atMs !== undefined) {
      if (ctx.durationMs !== undefined && atMs >= ctx.durationMs) {
        addIssue(at('at'), `${step.at} is not before the end of the measurement (duration ${ctx.durationMs / 1000}s)`);
      }
      if (atMs < previousAtMs) addIssue(at('at'), `${step.at} is earlier than the step before it: list steps in time order`);
      previousAtMs = Math.max(previousAtMs, atMs);
    }
    if (step.clients !== undefined && step.action !== 'partition') addIssue(at('clients'), 'only applies to partition steps');
    if (step.action === 'partition' && nodes < 2) addIssue(at('action'), `a partition needs at least 2 nodes: the cluster has ${nodes}`);

    const target = step.target;
    if (typeof target === 'number') {
      if (target > nodes) {
        addIssue(at('target'), `node ${target} does not exist: the cluster has ${nodes} node${nodes === 1 ? '' : 's'}`);
        return;
      }
    } else if ((target === 'follower' || target === 'all-but-leader') && members < 2) {
      addIssue(at('target'), `"${target}" needs a replicated queue: ${membersText}`);
      return;
    } else if ((target === 'minority' || target === 'majority') && members < 3) {
      addIssue(at('target'), `"${target}" needs a queue with at least 3 members: ${membersText}`);
      return;
    }
    const size = targetSize(target, members);
    if (step.count !== undefined && step.count > size) {
      addIssue(at('count'), `${show(target)} stands for ${size} node${size === 1 ? '' : 's'} here, fewer than count ${step.count}`);
    }
    const acting = Math.min(step.count ?? size, size);
    const family = FAMILY[step.action];
    const key = `${family}:${String(target)}`;
    const undoes = UNDO_OF[step.action];
    if (!undoes) {
      open.set(key, (open.get(key) ?? 0) + acting);
      return;
    }
    const down = open.get(key) ?? 0;
    // A node number may stand for a node an earlier step chose by word: only the run can tell.
    const anyOpen = [...open].some(([k, n]) => k.startsWith(`${family}:`) && n > 0);
    if (down === 0 && !(typeof target === 'number' && anyOpen)) {
      addIssue(at('target'), `${step.action} of ${show(target)}, but no earlier ${undoes.join(' or ')} step of ${show(target)} is still in effect`);
      return;
    }
    if (down > 0) open.set(key, Math.max(0, down - acting));
  });
}

/** Adapter for zod's superRefine. */
export function faultIssueAdder(ctx: z.RefinementCtx): (path: (string | number)[], message: string) => void {
  return (path, message) => ctx.addIssue({ code: 'custom', path, message, params: { showValue: false } });
}
