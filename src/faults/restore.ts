import type { ManagementClient } from '../cluster/management.js';
import { sleep } from '../cluster/local/exec.js';
import type { NodeContext } from '../cluster/local/node.js';
import type { LocalCluster, LocalNodeInfo } from '../cluster/local/types.js';
import { activeFaults, updateActive } from './guard.js';
import { removeChain, type IptablesTools } from './iptables.js';
import { bootNode, killNode, resumeNode, startApp, stopApp } from './nodeActions.js';
import { chainName } from './rules.js';
import type { RestoreAction } from './types.js';

/**
 * Making a cluster whole again after a fault experiment: undo in the order that lets each step
 * succeed (heal first, so restarted nodes can reach their peers; resume before start, so a
 * paused peer does not block a boot), then wait until every node runs and no node reports a
 * partition. With cluster_partition_handling = ignore, nodes that noticed a partition (it
 * lasted longer than net_ticktime) stay split after the rules are gone, each side calling the
 * other "not running"; restarting the app of the nodes on the side we cut (RabbitMQ's
 * documented recovery) reunites them.
 */

export const WHOLE_TIMEOUT_MS = 120_000;
const VIEW_TIMEOUT_MS = 3000;
const POLL_MS = 1000;
/** Consecutive whole views needed: right after a heal every node may look fine for a moment before the partition is flagged. */
const STABLE_POLLS = 3;
/** pause_minority and autoheal recover by themselves; give them this long before stepping in. */
const SELF_HEAL_GRACE_MS = 60_000;
/** Not running, without a partition flag, for this long: restart it too. */
const STUCK_MS = 30_000;
/** After a restart, partition flags take a few seconds (~7 s measured) to clear on the other nodes. */
const AFTER_RESTART_GRACE_MS = 20_000;

export interface RestoreInput {
  cluster: LocalCluster;
  management: readonly ManagementClient[];
  ctx: () => NodeContext;
  tools: () => IptablesTools;
  cut: string[];
  paused: Array<{ node: string; pids: number[] }>;
  down: Array<{ node: string; killed: boolean }>;
  /** Nodes any fault touched: the candidates for a restart when the cluster stays split. */
  disturbed: string[];
  onProgress?: ((msg: string) => void) | undefined;
  wholeTimeoutMs?: number;
}

export async function restoreCluster(inp: RestoreInput): Promise<RestoreAction[]> {
  const { cluster } = inp;
  const actions: RestoreAction[] = [];
  const say = (m: string): void => inp.onProgress?.(m);
  const byName = (name: string): LocalNodeInfo => cluster.nodes.find((n) => n.name === name)!;

  if (inp.cut.length > 0 || activeFaults(cluster.stateDir)?.chain) {
    say(`restore: healing ${inp.cut.join(', ') || 'the partition'}`);
    let error: string | null;
    try {
      error = (await removeChain(inp.tools(), chainName(cluster.basePort))) ?? null;
      if (error === null) {
        updateActive(cluster.stateDir, cluster.basePort, (a) => {
          a.chain = null;
          a.cuts = [];
        });
      }
    } catch (err) {
      error = message(err);
    }
    actions.push({ action: 'heal', nodes: inp.cut, error });
  }

  if (inp.paused.length > 0) {
    say(`restore: resuming ${inp.paused.map((p) => p.node).join(', ')}`);
    const errors = await settle(
      inp.paused.map(async ({ node, pids }) => {
        await resumeNode(inp.ctx(), byName(node), pids);
        updateActive(cluster.stateDir, cluster.basePort, (a) => a.paused.delete(node));
      }),
      inp.paused.map((p) => p.node),
    );
    actions.push({ action: 'resume', nodes: inp.paused.map((p) => p.node), error: errors });
  }

  if (inp.down.length > 0) {
    say(`restore: starting ${inp.down.map((d) => d.node).join(', ')}`);
    const errors = await settle(
      inp.down.map(({ node, killed }) => (killed ? bootNode(inp.ctx(), byName(node)) : startOrReboot(inp.ctx(), byName(node)))),
      inp.down.map((d) => d.node),
    );
    actions.push({ action: 'start', nodes: inp.down.map((d) => d.node), error: errors });
  }

  if (inp.disturbed.length === 0 && actions.length === 0) return actions;
  const whole = await waitWhole(inp, say);
  if (whole.restarted.length > 0 || whole.error) actions.push({ action: 'start', nodes: whole.restarted, error: whole.error });
  return actions;
}

/** start_app; when that fails (the node may be wedged after a partition), kill it and boot it on its data. */
async function startOrReboot(ctx: NodeContext, node: LocalNodeInfo): Promise<void> {
  try {
    await startApp(ctx, node);
  } catch {
    await rebootHard(ctx, node);
  }
}

/** Restart the app (stop_app, start_app), or kill and boot the node when that does not work. */
async function restartNode(ctx: NodeContext, node: LocalNodeInfo): Promise<void> {
  try {
    await stopApp(ctx, node);
    await startApp(ctx, node);
  } catch {
    await rebootHard(ctx, node);
  }
}

async function rebootHard(ctx: NodeContext, node: LocalNodeInfo): Promise<void> {
  await killNode(ctx, node).catch(() => undefined); // may already be gone
  await bootNode(ctx, node);
}

/** What the cluster looks like from every node that answers. */
export interface ClusterView {
  /** Nodes that answered. */
  answered: string[];
  /** Nodes some answering node does not see running. */
  notRunning: string[];
  /** Nodes involved in a partition someone reports (reporting or reported). */
  partitioned: string[];
  /** Nodes that report a partition in their own view of themselves. */
  reporting: string[];
}

export async function clusterView(cluster: LocalCluster, management: readonly ManagementClient[]): Promise<ClusterView> {
  const views = await Promise.all(management.map((m) => m.nodePartitions({ timeoutMs: VIEW_TIMEOUT_MS }).catch(() => undefined)));
  const answered: string[] = [];
  const notRunning = new Set<string>();
  const partitioned = new Set<string>();
  const reporting = new Set<string>();
  views.forEach((v, i) => {
    if (!v) return;
    const self = cluster.nodes[i]!.name;
    answered.push(self);
    if ((v.find((x) => x.name === self)?.partitions.length ?? 0) > 0) reporting.add(self);
    for (const n of cluster.nodes) {
      const seen = v.find((x) => x.name === n.name);
      if (!seen?.running) notRunning.add(n.name);
      if (seen && seen.partitions.length > 0) {
        partitioned.add(n.name);
        for (const p of seen.partitions) partitioned.add(p);
      }
    }
  });
  for (const n of cluster.nodes) if (!answered.includes(n.name)) notRunning.add(n.name);
  const order = (n: string): number => cluster.nodes.findIndex((x) => x.name === n);
  const sorted = (s: Set<string>): string[] => [...s].sort((a, b) => order(a) - order(b));
  return { answered: sorted(new Set(answered)), notRunning: sorted(notRunning), partitioned: sorted(partitioned), reporting: sorted(reporting) };
}

/**
 * Poll until every node answers, sees every node running, and no partition is reported, for
 * STABLE_POLLS polls in a row. Restarts the disturbed nodes involved in a partition (at once with
 * `ignore`, after a grace period with the self-healing modes) — then, if the split outlives two
 * restarts of theirs, the other nodes still reporting it — and disturbed nodes stuck as not
 * running; at most twice per node.
 */
async function waitWhole(inp: RestoreInput, say: (m: string) => void): Promise<{ restarted: string[]; error: string | null }> {
  const { cluster } = inp;
  const started = Date.now();
  const deadline = started + (inp.wholeTimeoutMs ?? WHOLE_TIMEOUT_MS);
  const restarts = new Map<string, number>();
  const restartedAt = new Map<string, number>();
  const notRunningSince = new Map<string, number>();
  let stable = 0;
  let last: ClusterView | undefined;
  for (;;) {
    const view = await clusterView(cluster, inp.management);
    last = view;
    const now = Date.now();
    for (const n of cluster.nodes.map((x) => x.name)) {
      if (view.notRunning.includes(n)) notRunningSince.set(n, notRunningSince.get(n) ?? now);
      else notRunningSince.delete(n);
    }
    if (view.notRunning.length === 0 && view.partitioned.length === 0) {
      if (++stable >= STABLE_POLLS) return { restarted: [...restarts.keys()], error: null };
    } else {
      stable = 0;
      const mayRepair = cluster.partitionHandling === 'ignore' || now - started > SELF_HEAL_GRACE_MS;
      const settled = (n: string): boolean => now - (restartedAt.get(n) ?? 0) > AFTER_RESTART_GRACE_MS;
      // Restarted twice and given time to rejoin: restarting it again would not help.
      const exhausted = [...restarts].filter(([n, k]) => k >= 2 && settled(n)).map(([n]) => n);
      const split = mayRepair ? restartForPartition(view, inp.disturbed, exhausted) : [];
      const stuck = [...notRunningSince].filter(([n, since]) => now - since > STUCK_MS && inp.disturbed.includes(n)).map(([n]) => n);
      const restart = [...new Set([...split, ...stuck])].filter((n) => settled(n) && (restarts.get(n) ?? 0) < 2);
      if (restart.length > 0) {
        say(`restore: restarting ${restart.join(', ')} (${split.length > 0 ? `partitioned: ${view.partitioned.join(', ')}` : 'not running'})`);
        for (const n of restart) restarts.set(n, (restarts.get(n) ?? 0) + 1);
        for (const n of restart) restartedAt.set(n, Date.now());
        const errors = await settle(
          restart.map((n) => restartNode(inp.ctx(), cluster.nodes.find((x) => x.name === n)!)),
          restart,
        );
        if (errors) say(`restore: ${errors}`);
        for (const n of restart) restartedAt.set(n, Date.now());
        for (const n of restart) notRunningSince.delete(n);
      }
    }
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  const problems = [
    ...(last.notRunning.length > 0 ? [`not running: ${last.notRunning.join(', ')}`] : []),
    ...(last.partitioned.length > 0 ? [`partitioned: ${last.partitioned.join(', ')}`] : []),
  ];
  return {
    restarted: [...restarts.keys()],
    error: `cluster not whole after ${Math.round((inp.wholeTimeoutMs ?? WHOLE_TIMEOUT_MS) / 1000)} s (${problems.join('; ') || 'unknown'})`,
  };
}

/**
 * Which nodes to restart so a split cluster reunites: the nodes our faults touched that take
 * part in the partition (the side we cut off or paused; the untouched side is the one to
 * trust); once those were restarted as often as allowed (`exhausted`) and the split is still
 * reported, the other nodes reporting it; when our faults touched none, the nodes that report
 * the partition themselves (all but the first when every node does). Exported for tests.
 */
export function restartForPartition(view: Pick<ClusterView, 'partitioned' | 'reporting'>, disturbed: readonly string[], exhausted: readonly string[] = []): string[] {
  const touched = view.partitioned.filter((n) => disturbed.includes(n));
  const ours = touched.filter((n) => !exhausted.includes(n));
  if (ours.length > 0) return ours;
  // Our nodes were restarted as often as allowed and the others still remember the split: their
  // stale record goes only with a restart of theirs (RabbitMQ with cluster_partition_handling = ignore).
  if (touched.length > 0) return view.reporting.filter((n) => !touched.includes(n) && !exhausted.includes(n));
  if (view.reporting.length > 0 && view.reporting.length === view.partitioned.length) return view.reporting.slice(1);
  return view.reporting;
}

/** Run all, wait for all; the failures as one message (null when none failed). */
async function settle(promises: Promise<unknown>[], names: string[]): Promise<string | null> {
  const results = await Promise.allSettled(promises);
  const errors = results.flatMap((r, i) => (r.status === 'rejected' ? [`${names[i]}: ${message(r.reason)}`] : []));
  return errors.length > 0 ? errors.join('; ') : null;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
