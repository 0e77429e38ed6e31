import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClusterError, EXIT_USAGE } from '../errors.js';
import { ManagementClient, waitForManagement } from '../management.js';
import { formatLayout, sameLayout, validateLayout } from './layout.js';
import { bootError, ctl, prepareNode, startNode, stopNode, waitForBoot, type NodeContext } from './node.js';
import { assertPortsFree, DEFAULT_BASE_PORT, validateBasePort } from './ports.js';
import { killHard, listClusterProcesses } from './procs.js';
import { findRabbitmqBinaries, type RabbitmqBinaries } from './rabbitmqBinaries.js';
import { checkHealth, ctlClusterStatus } from './status.js';
import { defaultStateDir, planNodes, readState, STATE_FILE, writeState, type ClusterState } from './state.js';
import { withLock } from './lock.js';
import { sleep } from './exec.js';
import { maskUri } from '../../util/mask.js';
import {
  DEFAULT_NET_TICKTIME_S,
  DEFAULT_PARTITION_HANDLING,
  PARTITION_HANDLINGS,
  type DownOptions,
  type LocalCluster,
  type LocalNodeInfo,
  type NodeSettings,
  type UpOptions,
} from './types.js';
import { inspectFaults, removeLeftovers } from '../../faults/cleanup.js';
import type { LeftoverFault } from '../../faults/types.js';

export const DEFAULT_BOOT_TIMEOUT_MS = 90_000;

/**
 * Start a local cluster, or return the one already running in stateDir if it has the same
 * layout, basePort, partition handling and net_ticktime (reused: true, ~0.1 s). Faults a
 * crashed run left on it are removed first. Anything else found in stateDir is torn down
 * first; a *different* running cluster only with `force`. If start-up fails midway every
 * process we started is killed; the logs stay in stateDir for diagnosis.
 */
export async function clusterUp(opts: UpOptions): Promise<LocalCluster> {
  validateLayout(opts.layout);
  const layout = [...opts.layout];
  const basePort = opts.basePort ?? DEFAULT_BASE_PORT;
  validateBasePort(basePort, layout.length);
  const settings = nodeSettings(opts);
  const { partitionHandling, netTicktime } = settings;
  const stateDir = resolve(opts.stateDir ?? defaultStateDir());
  const bins = findRabbitmqBinaries(opts.binDir);
  const ctx: NodeContext = { stateDir, bins };
  const timeoutMs = opts.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  const progress = opts.onProgress ?? ((): void => undefined);

  // Other processes may be booting the same cluster: wait for them, then reuse their work.
  return withLock(stateDir, 4 * timeoutMs, async () => {
    const existing = readState(stateDir);
    if (existing) {
      // An earlier run killed mid-experiment may have left a partition or paused nodes behind.
      await removeFaultLeftovers(stateDir, progress, { spareLiveOwner: true });
      const sameShape = existing.basePort === basePort && sameLayout(existing.layout, layout);
      const sameSettings =
        existing.partitionHandling === partitionHandling &&
        existing.netTicktime === netTicktime &&
        JSON.stringify(existing.extraConfig ?? []) === JSON.stringify(settings.extraConfig ?? []);
      // Started by an mqbench that could not partition nodes (no per-node source addresses) nor
      // choose these settings: not a deliberately different cluster, just an outdated one.
      const outdated = !existing.sourceAddresses;
      const health = await checkHealth(ctx, existing);
      if (health.healthy && sameShape && sameSettings && !outdated) {
        progress(`reusing running cluster in ${stateDir} (${describeCluster(layout, settings)}, basePort ${basePort})`);
        return { stateDir, layout, basePort, nodes: existing.nodes, partitionHandling, netTicktime, reused: true };
      }
      const different = !sameShape || (!sameSettings && !outdated);
      if (different && health.alive.length > 0 && !opts.force) {
        throw new ClusterError(
          `a different cluster is running in ${stateDir}: ${describeCluster(existing.layout, existing)} on basePort ` +
            `${existing.basePort} (requested ${describeCluster(layout, settings)} on basePort ${basePort}). ` +
            'Take it down first (cluster down) or pass force to replace it.',
        );
      }
      progress(
        different
          ? `replacing cluster ${describeCluster(existing.layout, existing)}@${existing.basePort} in ${stateDir}`
          : outdated
            ? `cluster in ${stateDir} was started by an older mqbench (no per-node distribution addresses, needed for partition faults): starting afresh`
            : `cluster in ${stateDir} is not healthy (${health.reason ?? 'unknown'}): starting afresh`,
      );
    }
    // Its data is about to be deleted, so no graceful stop (which costs ~6 s per node).
    await teardown({ stateDir, bins: undefined }, existing?.nodes ?? [], progress);
    return startFresh(ctx, layout, basePort, settings, timeoutMs, progress);
  });
}

function nodeSettings(opts: UpOptions): NodeSettings {
  const partitionHandling = opts.partitionHandling ?? DEFAULT_PARTITION_HANDLING;
  if (!PARTITION_HANDLINGS.includes(partitionHandling)) {
    throw new ClusterError(`invalid partition handling "${String(partitionHandling)}": expected ${PARTITION_HANDLINGS.join(', ')}`, { exitCode: EXIT_USAGE });
  }
  const netTicktime = opts.netTicktime ?? DEFAULT_NET_TICKTIME_S;
  if (!Number.isInteger(netTicktime) || netTicktime < 1) {
    throw new ClusterError(`invalid net_ticktime ${String(netTicktime)}: expected a whole number of seconds >= 1`, { exitCode: EXIT_USAGE });
  }
  const extraConfig = opts.extraConfig ?? [];
  const bad = extraConfig.find((line) => line.includes('\n'));
  if (bad !== undefined) throw new ClusterError(`invalid extraConfig line ${JSON.stringify(bad)}: one setting per entry, no newlines`, { exitCode: EXIT_USAGE });
  return { partitionHandling, netTicktime, ...(extraConfig.length > 0 ? { extraConfig } : {}) };
}

/** "layout disk,disk,ram", plus the settings that differ from mqbench's defaults. */
function describeCluster(layout: LocalCluster['layout'], s: NodeSettings): string {
  const extra = [
    ...(s.partitionHandling === DEFAULT_PARTITION_HANDLING ? [] : [`partition handling ${s.partitionHandling}`]),
    ...(s.netTicktime === DEFAULT_NET_TICKTIME_S ? [] : [`net_ticktime ${s.netTicktime} s`]),
    ...(s.extraConfig && s.extraConfig.length > 0 ? [`${s.extraConfig.length} extra config line(s)`] : []),
  ];
  return `layout ${formatLayout(layout)}${extra.length > 0 ? ` with ${extra.join(', ')}` : ''}`;
}

/** Remove what a crashed fault experiment left on the cluster (with spareLiveOwner, not faults of a run still in progress). */
async function removeFaultLeftovers(stateDir: string, progress: (msg: string) => void, opts: { spareLiveOwner: boolean }): Promise<LeftoverFault[]> {
  const removed = await removeLeftovers(stateDir, opts);
  for (const f of removed) progress(`removed leftover fault: ${describeLeftover(f)}`);
  const { running } = removed.length === 0 ? await inspectFaults(stateDir) : { running: undefined };
  for (const f of running?.faults ?? []) progress(`warning: fault of the running mqbench pid ${running?.pid ?? '?'} in effect: ${describeLeftover(f)}`);
  return removed;
}

export function describeLeftover(f: LeftoverFault): string {
  return `${f.kind === 'iptables-chain' ? 'iptables chain' : 'paused node'} ${f.what}: ${f.detail}`;
}

async function startFresh(
  ctx: NodeContext,
  layout: LocalCluster['layout'],
  basePort: number,
  settings: NodeSettings,
  timeoutMs: number,
  progress: (msg: string) => void,
): Promise<LocalCluster> {
  const { stateDir } = ctx;
  const nodes = planNodes(stateDir, layout, basePort);
  await assertPortsFree(basePort, nodes.length, nodes.map((n) => n.name));

  mkdirSync(stateDir, { recursive: true });
  // Fresh random cookie per cluster; HOME=stateDir makes servers and rabbitmqctl read it.
  // Erlang refuses a cookie file readable by others, hence mode 400.
  writeFileSync(join(stateDir, '.erlang.cookie'), randomBytes(24).toString('hex').toUpperCase(), { mode: 0o400 });
  writeFileSync(join(stateDir, 'rabbitmq-env.conf'), '# intentionally empty: isolates our nodes from /etc/rabbitmq/rabbitmq-env.conf\n');
  const state: ClusterState = {
    version: 1,
    status: 'starting',
    createdAt: new Date().toISOString(),
    basePort,
    layout,
    nodes,
    ...settings,
    sourceAddresses: true,
  };
  writeState(stateDir, state);

  const t0 = Date.now();
  try {
    for (const n of nodes) prepareNode(ctx, n, `mqbench-${basePort}`, settings);
    for (const n of nodes) progress(`starting ${n.name} (${n.type}): amqp ${n.amqpPort}, management ${n.managementPort}, dist ${n.distPort}`);
    await Promise.all(nodes.map((n) => startNode(ctx, n)));
    // allSettled: let every boot finish or fail, then report; no wait loop outlives clusterUp.
    await firstRejection(nodes.map((n) => waitForBoot(ctx, n, timeoutMs)));
    progress(`${nodes.length} node(s) booted in ${secs(t0)}`);
    await joinCluster(ctx, nodes, timeoutMs, progress);
    await waitForManagementAll(ctx, nodes, timeoutMs);
    writeState(stateDir, { ...state, status: 'running' });
    progress(`cluster ${formatLayout(layout)} ready in ${secs(t0)}: ${nodes.map((n) => maskUri(n.amqpUri)).join(' ')}`);
    return { stateDir, layout, basePort, nodes, ...settings, reused: false };
  } catch (err) {
    progress('start-up failed: killing the nodes started so far (logs are kept in the state dir)');
    await killAll(stateDir);
    writeState(stateDir, { ...state, status: 'failed' });
    throw err;
  }
}

/**
 * Nodes 2..N join node 1 (the seed). stop_app and start_app run in parallel; join_cluster
 * runs one node at a time since each one changes the cluster's schema.
 */
async function joinCluster(ctx: NodeContext, nodes: LocalNodeInfo[], timeoutMs: number, progress: (msg: string) => void): Promise<void> {
  const [seed, ...others] = nodes;
  if (!seed) return;
  if (others.length > 0) {
    let t0 = Date.now();
    await Promise.all(others.map((n) => ctl(ctx, n.name, ['stop_app'], timeoutMs)));
    progress(`stop_app on ${others.length} node(s) took ${secs(t0)}`);
    for (const n of others) {
      t0 = Date.now();
      await ctl(ctx, n.name, ['join_cluster', ...(n.type === 'ram' ? ['--ram'] : []), seed.name], timeoutMs);
      progress(`${n.name} joined ${seed.name} as ${n.type} node in ${secs(t0)}`);
    }
    t0 = Date.now();
    await Promise.all(others.map((n) => ctl(ctx, n.name, ['start_app'], timeoutMs)));
    progress(`start_app on ${others.length} node(s) took ${secs(t0)}`);
  }
  // start_app returning does not guarantee the seed already lists the node as running.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cs = await ctlClusterStatus(ctx, seed.name).catch(() => undefined);
    const missing = nodes.filter((n) => !cs?.running_nodes?.includes(n.name)).map((n) => n.name);
    if (missing.length === 0) return;
    if (Date.now() > deadline) {
      throw new ClusterError(`cluster did not form within ${Math.round(timeoutMs / 1000)} s: ${missing.join(', ')} not running according to ${seed.name}`);
    }
    await sleep(500);
  }
}

async function waitForManagementAll(ctx: NodeContext, nodes: LocalNodeInfo[], timeoutMs: number): Promise<void> {
  await firstRejection(
    nodes.map(async (n) => {
      try {
        await waitForManagement(new ManagementClient({ baseUrl: n.managementUrl, timeoutMs: 5000 }), timeoutMs);
      } catch (err) {
        throw bootError(ctx, n, `management API not answering: ${(err as Error).message}`);
      }
    }),
  );
}

/** Stop the cluster recorded in stateDir and delete the dir. Safe when nothing is running. */
export async function clusterDown(opts: DownOptions = {}): Promise<{ stopped: string[]; removedFaults: LeftoverFault[] }> {
  const stateDir = resolve(opts.stateDir ?? defaultStateDir());
  const progress = opts.onProgress ?? ((): void => undefined);
  if (!existsSync(stateDir)) {
    // No state, but a node of ours may have outlived its (deleted) dir: the marker finds it.
    const orphans = [...new Set((await listClusterProcesses(stateDir)).map((p) => p.nodeName))];
    await killAll(stateDir);
    return { stopped: orphans, removedFaults: [] };
  }
  let bins: RabbitmqBinaries | undefined;
  try {
    bins = findRabbitmqBinaries(opts.binDir);
  } catch {
    bins = undefined; // cannot stop gracefully, but can still kill
  }
  return withLock(stateDir, 5 * 60_000, async () => {
    const state = readState(stateDir);
    // First undo faults (a paused node cannot stop gracefully; a chain would outlive the cluster).
    // The cluster goes away, so even faults of a run still in progress go with it.
    const removedFaults = await removeFaultLeftovers(stateDir, progress, { spareLiveOwner: false });
    const stopped = await teardown({ stateDir, bins }, state?.nodes ?? [], progress);
    return { stopped, removedFaults };
  });
}

/**
 * Stop the given nodes (gracefully with `rabbitmqctl stop` when bins are given), SIGKILL
 * anything still carrying our marker, and delete the state dir. Returns the names of the
 * nodes that were running.
 */
async function teardown(
  ctx: { stateDir: string; bins: RabbitmqBinaries | undefined },
  nodes: readonly LocalNodeInfo[],
  progress: (msg: string) => void,
): Promise<string[]> {
  const { bins } = ctx;
  const running = new Set((await listClusterProcesses(ctx.stateDir)).map((p) => p.nodeName));
  const known = new Set(nodes.map((n) => n.name));
  // Recorded nodes first, in layout order, then any process of ours the state does not know.
  const stopped = [...nodes.filter((n) => running.has(n.name)).map((n) => n.name), ...[...running].filter((n) => !known.has(n))];
  if (bins && stopped.length > 0) {
    progress(`stopping ${stopped.join(', ')}`);
    const nctx: NodeContext = { stateDir: ctx.stateDir, bins };
    await Promise.all(nodes.filter((n) => running.has(n.name)).map((n) => stopNode(nctx, n, 20_000)));
  }
  if (!bins && stopped.length > 0) progress(`killing ${stopped.join(', ')}`);
  await killAll(ctx.stateDir);
  removeStateDir(ctx.stateDir);
  return stopped;
}

/**
 * rm -rf, but only of a dir that looks like ours: a mistyped stateDir (say, $HOME) must
 * never be wiped. Ours has cluster.json or the cookie we wrote; an empty dir is fine too.
 */
function removeStateDir(stateDir: string): void {
  if (!existsSync(stateDir)) return;
  const ours = [STATE_FILE, '.erlang.cookie'].some((f) => existsSync(join(stateDir, f)));
  if (!ours && readdirSync(stateDir).length > 0) {
    throw new ClusterError(`refusing to delete ${stateDir}: it is not an mqbench cluster state dir (no ${STATE_FILE})`, { exitCode: EXIT_USAGE });
  }
  rmSync(stateDir, { recursive: true, force: true });
}

/** SIGKILL every process carrying our marker and wait (up to 10 s) until they are gone. */
async function killAll(stateDir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const procs = await listClusterProcesses(stateDir);
    if (procs.length === 0) return;
    if (Date.now() > deadline) {
      throw new ClusterError(`could not kill processes of ${stateDir}: pids ${procs.map((p) => p.pid).join(', ')} still alive`);
    }
    for (const p of procs) killHard(p.pid);
    await sleep(100);
  }
}

/** Like Promise.all, but waits for every promise to settle before rejecting with the first error. */
async function firstRejection(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function secs(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
