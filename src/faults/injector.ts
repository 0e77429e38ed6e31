import type { ManagementClient } from '../cluster/management.js';
import type { NodeContext } from '../cluster/local/node.js';
import { nodeSourceAddress } from '../cluster/local/nodeAddress.js';
import { findRabbitmqBinaries } from '../cluster/local/rabbitmqBinaries.js';
import type { LocalCluster, LocalNodeInfo } from '../cluster/local/types.js';
import { UNDO_OF, type FaultStep } from '../profile/faultSchema.js';
import { activeFaults, updateActive } from './guard.js';
import { findIptables, removeChain, setChain, type IptablesTools } from './iptables.js';
import { readMembership } from './membership.js';
import { bootNode, killNode, pauseNode, resumeNode, startApp, stopApp } from './nodeActions.js';
import { runPreflight } from './preflight.js';
import { restoreCluster } from './restore.js';
import { chainName, partitionRules, type Cut, type RuleNode } from './rules.js';
import { resolveTargets, type NodeFaultState, type TakeDown } from './targets.js';
import type { AppliedStep, RestoreAction } from './types.js';

export interface FaultInjectorOptions {
  cluster: LocalCluster;
  /** One client per node, same order as cluster.nodes. */
  management: ManagementClient[];
  vhost: string;
  /** The benchmark queue the targets refer to. */
  queue: string;
  /** Run clock (ms since the start barrier) for requestedMs/doneMs. */
  clockMs: () => number;
  onProgress?: (message: string) => void;
}

/**
 * Reading the membership before a step. A word target of a take-down step needs it: wait as long
 * as it takes a node to answer while a peer is silent. Other steps only record leaderBefore and
 * must not be held up by it.
 */
const TARGET_READ = { timeoutMs: 5000, budgetMs: 15_000 };
const LEADER_BEFORE_READ = { timeoutMs: 2500, budgetMs: 3000 };

/**
 * Applies fault steps to a local cluster mqbench started, one at a time, and undoes them all at
 * the end. Keeps the fault state of every node, so start/resume/heal know what to bring back
 * and a step on a node in the wrong state is reported instead of attempted. What would outlive
 * the process (iptables rules, paused pids) goes through guard.ts first.
 */
export class FaultInjector {
  private readonly opts: FaultInjectorOptions;
  private readonly cluster: LocalCluster;
  private readonly states = new Map<string, Set<NodeFaultState>>();
  private readonly history: TakeDown[] = [];
  private readonly pausedPids = new Map<string, number[]>();
  /** Nodes any fault touched during the run: the ones to restart if the cluster stays partitioned. */
  private readonly disturbed = new Set<string>();
  private cuts: Cut[] = [];
  private ctxCache: NodeContext | undefined;
  private tools: IptablesTools | undefined;
  private inFlight: Promise<unknown> | undefined;

  constructor(opts: FaultInjectorOptions) {
    if (opts.management.length !== opts.cluster.nodes.length) {
      throw new Error(`FaultInjector: ${opts.management.length} management clients for ${opts.cluster.nodes.length} nodes`);
    }
    this.opts = opts;
    this.cluster = opts.cluster;
  }

  /**
   * Before the run: checks that every action the steps need can run here and that the cluster is
   * one mqbench started; throws a one-line Error (exitCode 2) naming what is missing and how to
   * install it. Also removes leftovers of an earlier crashed run on this cluster.
   */
  async preflight(steps: FaultStep[]): Promise<void> {
    const { tools } = await runPreflight(this.cluster, steps, this.opts.onProgress);
    this.tools = tools;
  }

  /** Resolves the target now and applies the step; never throws (failures go into AppliedStep.error). */
  async apply(step: FaultStep, index: number): Promise<AppliedStep> {
    const run = this.applyNow(step, index);
    this.inFlight = run;
    try {
      return await run;
    } finally {
      if (this.inFlight === run) this.inFlight = undefined;
    }
  }

  /**
   * End of run (also after errors and Ctrl-C): heal every cut, resume every paused node, start
   * every stopped/killed node, then wait (bounded, ~120 s) until all nodes run again, restarting
   * nodes left partitioned (cluster_partition_handling = ignore never heals by itself). Never throws.
   */
  async restoreAll(): Promise<RestoreAction[]> {
    try {
      await this.inFlight?.catch(() => undefined);
      const actions = await restoreCluster({
        cluster: this.cluster,
        management: this.opts.management,
        ctx: () => this.ctx(),
        tools: () => this.iptables(),
        cut: this.nodesIn('cut'),
        paused: this.nodesIn('paused').map((n) => ({ node: n, pids: this.pausedPids.get(n) ?? [] })),
        down: this.cluster.nodes.filter((n) => this.has(n.name, 'app-stopped') || this.has(n.name, 'killed')).map((n) => ({ node: n.name, killed: this.has(n.name, 'killed') })),
        disturbed: [...this.disturbed],
        onProgress: (m) => this.progress(m),
      });
      this.states.clear();
      this.pausedPids.clear();
      this.cuts = [];
      this.history.length = 0;
      return actions;
    } catch (err) {
      return [{ action: 'start', nodes: [], error: `restore failed: ${message(err)}` }];
    }
  }

  /** Nodes currently faulted, by name and state (a node may appear twice: cut and paused). */
  faulted(): Array<{ node: string; state: NodeFaultState }> {
    return this.cluster.nodes.flatMap((n) => [...(this.states.get(n.name) ?? [])].map((state) => ({ node: n.name, state })));
  }

  /** Indexes of faulted nodes: pass to LeaderWatch's askLast so their (stale or absent) views are asked last. */
  faultedIndexes(): Set<number> {
    return new Set(this.cluster.nodes.filter((n) => (this.states.get(n.name)?.size ?? 0) > 0).map((n) => n.index));
  }

  private async applyNow(step: FaultStep, index: number): Promise<AppliedStep> {
    const requestedMs = this.clock();
    let leaderBefore: string | null = null;
    let nodes: string[] = [];
    let error: string | null;
    try {
      const needed = typeof step.target !== 'number' && UNDO_OF[step.action] === undefined;
      const read = needed ? TARGET_READ : LEADER_BEFORE_READ;
      const reading = readMembership(this.opts.management, this.opts.vhost, this.opts.queue, read.timeoutMs, {
        askLast: this.faultedIndexes(),
        budgetMs: read.budgetMs,
      }).catch(() => undefined);
      // Only a word target of a take-down step needs the membership first; any other step acts at
      // once (a resume held up by a slow read would lengthen the fault) and records leaderBefore
      // from the read made meanwhile.
      const membership = needed ? await reading : undefined;
      const r = resolveTargets(step, { clusterNodes: this.cluster.nodes.map((n) => n.name), membership, states: this.states, history: this.history });
      if ('error' in r) {
        error = r.error;
      } else {
        nodes = r.nodes;
        this.progress(`fault ${index + 1} at ${step.at}: ${step.action} ${String(step.target)} → ${nodes.join(', ')}`);
        error = await this.act(step, nodes);
      }
      leaderBefore = (await reading)?.leader ?? null;
    } catch (err) {
      error = message(err);
    }
    if (error !== null) this.progress(`fault ${index + 1} at ${step.at} (${step.action} ${String(step.target)}): ${error}`);
    return {
      index,
      at: step.at,
      action: step.action,
      target: step.target,
      count: step.count ?? null,
      nodes,
      leaderBefore,
      requestedMs,
      doneMs: this.clock(),
      error,
    };
  }

  private async act(step: FaultStep, nodes: string[]): Promise<string | null> {
    const errors: string[] = [];
    const valid = nodes.filter((n) => {
      const why = this.refusal(step.action, n);
      if (why) errors.push(why);
      return !why;
    });
    if (valid.length > 0) {
      if (step.action === 'partition') {
        const e = await this.partition(valid, step.clients ?? true);
        if (e) errors.push(e);
        else this.history.push({ action: step.action, target: step.target, nodes: valid });
      } else if (step.action === 'heal') {
        const e = await this.heal(valid);
        if (e) errors.push(e);
      } else {
        const results = await Promise.allSettled(valid.map((n) => this.actOnNode(step.action, this.node(n))));
        const done = valid.filter((_, i) => results[i]?.status === 'fulfilled');
        results.forEach((r, i) => {
          if (r.status === 'rejected') errors.push(`${valid[i]}: ${message(r.reason)}`);
        });
        if (done.length > 0 && (step.action === 'stop' || step.action === 'kill' || step.action === 'pause')) {
          this.history.push({ action: step.action, target: step.target, nodes: done });
        }
      }
    }
    return errors.length > 0 ? errors.join('; ') : null;
  }

  /** Why the action cannot run on the node in its current state, or undefined when it can. */
  private refusal(action: FaultStep['action'], node: string): string | undefined {
    const has = (s: NodeFaultState): boolean => this.has(node, s);
    switch (action) {
      case 'stop':
        if (has('killed')) return `node ${node} is killed`;
        if (has('app-stopped')) return `node ${node} is already stopped`;
        if (has('paused')) return `node ${node} is paused`;
        return undefined;
      case 'kill':
        return has('killed') ? `node ${node} is already killed` : undefined;
      case 'start':
        return has('app-stopped') || has('killed') ? undefined : `node ${node} was not stopped`;
      case 'pause':
        if (has('killed')) return `node ${node} is killed`;
        return has('paused') ? `node ${node} is already paused` : undefined;
      case 'resume':
        return has('paused') ? undefined : `node ${node} was not paused`;
      case 'partition':
        return has('cut') ? `node ${node} is already cut off` : undefined;
      case 'heal':
        return has('cut') ? undefined : `node ${node} was not cut off`;
    }
  }

  private async actOnNode(action: FaultStep['action'], node: LocalNodeInfo): Promise<void> {
    const ctx = this.ctx();
    this.disturbed.add(node.name);
    switch (action) {
      case 'stop':
        await stopApp(ctx, node);
        this.setState(node.name, 'app-stopped', true);
        return;
      case 'kill':
        await killNode(ctx, node);
        this.forgetPaused(node.name); // SIGKILL ends stopped processes too
        this.setState(node.name, 'app-stopped', false);
        this.setState(node.name, 'killed', true);
        return;
      case 'start':
        if (this.has(node.name, 'killed')) await bootNode(ctx, node);
        else await startApp(ctx, node);
        this.setState(node.name, 'killed', false);
        this.setState(node.name, 'app-stopped', false);
        return;
      case 'pause':
        try {
          const pids = await pauseNode(ctx, node, (p) => this.rememberPaused(node.name, p));
          this.rememberPaused(node.name, pids);
          this.setState(node.name, 'paused', true);
        } catch (err) {
          // Half-paused is the worst state to leave: undo it before reporting.
          await resumeNode(ctx, node, this.pausedPids.get(node.name) ?? []).catch(() => undefined);
          this.forgetPaused(node.name);
          throw err;
        }
        return;
      case 'resume':
        await resumeNode(ctx, node, this.pausedPids.get(node.name) ?? []);
        this.forgetPaused(node.name);
        this.setState(node.name, 'paused', false);
        return;
      default:
        throw new Error(`${action} is not a per-node action`);
    }
  }

  private async partition(nodes: string[], clients: boolean): Promise<string | undefined> {
    if (nodes.length >= this.cluster.nodes.length) return `cannot cut off every node of the cluster (${nodes.join(', ')})`;
    const before = this.cuts;
    for (const n of nodes) this.disturbed.add(n);
    const e = await this.applyCuts([...before, { cut: nodes, clients }]);
    if (e) return e;
    for (const n of nodes) this.setState(n, 'cut', true);
    return undefined;
  }

  private async heal(nodes: string[]): Promise<string | undefined> {
    // A healed node rejoins the other side: it is no longer cut off from anyone but the nodes still cut.
    const next = this.cuts.map((c) => ({ ...c, cut: c.cut.filter((n) => !nodes.includes(n)) })).filter((c) => c.cut.length > 0);
    const e = await this.applyCuts(next);
    if (e) return e;
    for (const n of nodes) this.setState(n, 'cut', false);
    return undefined;
  }

  /** Make the chain hold exactly the rules of `cuts` (or remove it when there are none). */
  private async applyCuts(cuts: Cut[]): Promise<string | undefined> {
    const tools = this.iptables();
    const chain = chainName(this.cluster.basePort);
    const { stateDir, basePort } = this.cluster;
    try {
      if (cuts.length === 0) {
        const e = await removeChain(tools, chain);
        if (e) return e;
        updateActive(stateDir, basePort, (a) => {
          a.chain = null;
          a.cuts = [];
        });
      } else {
        // Recorded before iptables runs: a crash in between must still find the chain.
        updateActive(stateDir, basePort, (a) => {
          a.chain = chain;
          a.cuts = cuts;
        });
        await setChain(tools, chain, partitionRules(this.ruleNodes(), cuts));
      }
      this.cuts = cuts;
      return undefined;
    } catch (err) {
      return message(err);
    }
  }

  private ruleNodes(): RuleNode[] {
    return this.cluster.nodes.map((n) => ({ name: n.name, sourceAddress: nodeSourceAddress(this.cluster.basePort, n.index), distPort: n.distPort, amqpPort: n.amqpPort }));
  }

  private rememberPaused(node: string, pids: number[]): void {
    const all = [...new Set([...(this.pausedPids.get(node) ?? []), ...pids])];
    this.pausedPids.set(node, all);
    updateActive(this.cluster.stateDir, this.cluster.basePort, (a) => a.paused.set(node, all));
  }

  private forgetPaused(node: string): void {
    this.pausedPids.delete(node);
    this.setState(node, 'paused', false);
    if (activeFaults(this.cluster.stateDir)?.paused.has(node)) updateActive(this.cluster.stateDir, this.cluster.basePort, (a) => a.paused.delete(node));
  }

  private has(node: string, s: NodeFaultState): boolean {
    return this.states.get(node)?.has(s) ?? false;
  }

  private setState(node: string, s: NodeFaultState, on: boolean): void {
    const set = this.states.get(node) ?? new Set<NodeFaultState>();
    if (on) set.add(s);
    else set.delete(s);
    if (set.size > 0) this.states.set(node, set);
    else this.states.delete(node);
  }

  private nodesIn(s: NodeFaultState): string[] {
    return this.cluster.nodes.filter((n) => this.has(n.name, s)).map((n) => n.name);
  }

  private node(name: string): LocalNodeInfo {
    const n = this.cluster.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`${name} is not a node of this cluster`);
    return n;
  }

  private ctx(): NodeContext {
    this.ctxCache ??= { stateDir: this.cluster.stateDir, bins: findRabbitmqBinaries() };
    return this.ctxCache;
  }

  private iptables(): IptablesTools {
    this.tools ??= findIptables();
    if (!this.tools) throw new Error('iptables is not installed: run apt-get install -y iptables');
    return this.tools;
  }

  /** The run clock, or NaN if it fails: apply() must not throw because of it. */
  private clock(): number {
    try {
      return this.opts.clockMs();
    } catch {
      return Number.NaN;
    }
  }

  private progress(msg: string): void {
    try {
      this.opts.onProgress?.(msg);
    } catch {
      // a failing progress printer must not turn a fault step into an exception
    }
  }
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
