import { minoritySize } from '../profile/faultRules.js';
import { UNDO_OF, type FaultAction, type FaultStep } from '../profile/faultSchema.js';
import type { QueueMembership } from './types.js';

/**
 * Which nodes a fault step acts on, decided when the step runs. Pure: the injector passes in
 * the cluster's node order, the queue's membership read a moment ago and what earlier steps did.
 */

/** The state a fault leaves a node in. A node can be cut and, at the same time, stopped or paused. */
export type NodeFaultState = 'app-stopped' | 'killed' | 'paused' | 'cut';

/** A step that took nodes down, remembered so a later start/resume/heal with the same word can undo it. */
export interface TakeDown {
  action: FaultAction;
  target: FaultStep['target'];
  nodes: string[];
}

export interface TargetContext {
  /** Node names of the cluster in layout order (node 1 first). */
  clusterNodes: readonly string[];
  /** The benchmark queue's membership now; undefined when no node answered. */
  membership: QueueMembership | undefined;
  /** Current fault states per node (absent: healthy). */
  states: ReadonlyMap<string, ReadonlySet<NodeFaultState>>;
  /** Earlier take-down steps, in the order they ran. */
  history: readonly TakeDown[];
}

export type TargetResolution = { nodes: string[] } | { error: string };

/** The fault states an undo action ends: start ends app-stopped and killed, and so on. */
export const UNDONE_STATES: Partial<Record<FaultAction, readonly NodeFaultState[]>> = {
  start: ['app-stopped', 'killed'],
  resume: ['paused'],
  heal: ['cut'],
};

export function resolveTargets(step: Pick<FaultStep, 'action' | 'target' | 'count'>, ctx: TargetContext): TargetResolution {
  const r = resolveAll(step, ctx);
  if ('error' in r) return r;
  if (r.nodes.length === 0) return { error: `${describe(step)} resolved to no node` };
  return { nodes: step.count === undefined ? r.nodes : r.nodes.slice(0, step.count) };
}

function resolveAll(step: Pick<FaultStep, 'action' | 'target'>, ctx: TargetContext): TargetResolution {
  const { target } = step;
  if (typeof target === 'number') {
    const node = ctx.clusterNodes[target - 1];
    return node === undefined ? { error: `node ${target} does not exist: the cluster has ${ctx.clusterNodes.length} node(s)` } : { nodes: [node] };
  }
  const undoes = UNDO_OF[step.action];
  if (undoes) return undoTargets(step.action, target, undoes, ctx);
  return membershipTargets(target, ctx);
}

/** start/resume/heal of a word: what earlier steps with that word took down and is still down. */
function undoTargets(action: FaultAction, word: string, undoes: readonly FaultAction[], ctx: TargetContext): TargetResolution {
  const states = UNDONE_STATES[action] ?? [];
  const nodes: string[] = [];
  for (const t of ctx.history) {
    if (t.target !== word || !undoes.includes(t.action)) continue;
    for (const n of t.nodes) {
      const s = ctx.states.get(n);
      if (!nodes.includes(n) && s && states.some((x) => s.has(x))) nodes.push(n);
    }
  }
  if (nodes.length === 0) return { error: `${action} "${word}": no node taken down by an earlier ${undoes.join('/')} of "${word}" is still down` };
  return { nodes };
}

/** leader, follower, minority, majority, all-but-leader of the queue's membership, in cluster order. */
function membershipTargets(word: string, ctx: TargetContext): TargetResolution {
  const m = ctx.membership;
  if (!m) return { error: `"${word}": the queue's membership could not be read from any node` };
  const leader = m.leader;
  if (leader === undefined || leader === '') return { error: `"${word}": the queue has no known leader right now` };
  const order = (n: string): number => {
    const i = ctx.clusterNodes.indexOf(n);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const members = [...new Set([...m.members, ...(m.members.includes(leader) ? [] : [leader])])].sort((a, b) => order(a) - order(b));
  const others = members.filter((n) => n !== leader);
  switch (word) {
    case 'leader':
      return { nodes: [leader] };
    case 'follower': {
      const f = others.find((n) => (ctx.states.get(n)?.size ?? 0) === 0);
      return f === undefined ? { error: `"follower": the queue has no follower that is not already faulted (members: ${members.join(', ')})` } : { nodes: [f] };
    }
    case 'all-but-leader':
      return others.length === 0 ? { error: `"all-but-leader": the queue has no member besides its leader ${leader}` } : { nodes: others };
    case 'minority':
    case 'majority': {
      if (members.length < 3) return { error: `"${word}" needs at least 3 members; the queue has ${members.length} (${members.join(', ')})` };
      const minority = [leader, ...others.slice(0, minoritySize(members.length) - 1)];
      return { nodes: word === 'minority' ? minority : members.filter((n) => !minority.includes(n)) };
    }
    default:
      return { error: `unknown target "${word}"` };
  }
}

function describe(step: Pick<FaultStep, 'action' | 'target'>): string {
  return `${step.action} ${typeof step.target === 'number' ? `node ${step.target}` : `"${step.target}"`}`;
}
