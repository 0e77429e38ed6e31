/**
 * How far does mqbench scale on one host? For each agent count N it runs N publishers and N
 * consumers on N classic queues of a local 1-node cluster, every publisher at --rate msgs/s, and
 * prints and records:
 *  - declare s: declaring the N queues; connect s: connecting every agent and setting up its channel
 *    (the start, before the barrier);
 *  - published / consumed ÷ target: the measured rates against N × rate (held: both within 2 %,
 *    nothing lost, every expected message consumed, start under 60 s, e2e p99 at most 1 s — above
 *    100 queues no depth is read, so a queue falling behind shows as latency);
 *  - client CPU µs/msg: user + system CPU of this process (main thread and every worker thread)
 *    during the measured window ÷ messages consumed in it; broker CPU µs/msg: the same for the
 *    node's Erlang VM (/proc/<pid>/stat);
 *  - client / broker RSS MiB: the largest resident size seen during the run.
 * Writes `<out>/bench-scale-<UTC>.json` (kind "bench-scale", every run's key figures).
 * The ceiling is the largest N that held; run on a machine doing nothing else.
 *
 * Usage: node dist/scripts/bench-scale.js [--agents 100,300,1000] [--rate 5] [--duration 30s] [--warmup 5s]
 *        [--publishers-per-connection 1] [--consumers-per-connection 1] [--transient] [--base-port 5740] [--out results] [--keep-cluster]
 * Messages are persistent on durable queues unless --transient (non-persistent, non-durable queues).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { clusterDown } from '../src/cluster/local/cluster.js';
import { listClusterProcesses } from '../src/cluster/local/procs.js';
import { Benchmark } from '../src/engine/runBenchmark.js';
import { parseProfile } from '../src/profile/load.js';
import type { Profile } from '../src/profile/schema.js';
import { buildResult } from '../src/results/buildResult.js';
import { environmentInfo, loadAverage } from '../src/results/environment.js';
import { resultBaseName, writeJson } from '../src/results/writer.js';
import { maskProfile } from '../src/util/mask.js';
import type { BenchScaleResult, ScaleRun } from './readme/benchScale.js';

const { values: opts } = parseArgs({
  options: {
    agents: { type: 'string', default: '100,300,1000' },
    rate: { type: 'string', default: '5' },
    duration: { type: 'string', default: '30s' },
    warmup: { type: 'string', default: '5s' },
    'publishers-per-connection': { type: 'string', default: '1' },
    'consumers-per-connection': { type: 'string', default: '1' },
    transient: { type: 'boolean', default: false },
    'base-port': { type: 'string', default: '5740' },
    out: { type: 'string', default: 'results' },
    'keep-cluster': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  process.stdout.write(
    'node dist/scripts/bench-scale.js [--agents 100,300,1000] [--rate 5] [--duration 30s] [--warmup 5s] [--publishers-per-connection 1] [--consumers-per-connection 1] [--transient] [--base-port 5740] [--out results] [--keep-cluster]\n',
  );
  process.exit(0);
}
const agentCounts = opts.agents.split(',').map(Number);
const rate = Number(opts.rate);
const basePort = Number(opts['base-port']);
const stateDir = resolve('.mqbench', `bench-scale-${basePort}`);
const perConnection = { publishersPerConnection: Number(opts['publishers-per-connection']), consumersPerConnection: Number(opts['consumers-per-connection']) };
/** Both rates within this fraction of the target, and the start within START_LIMIT_MS: the bar. */
const RATE_TOLERANCE = 0.02;
const START_LIMIT_MS = 60_000;
/**
 * And no queue falling behind: above 100 queues a run reads no queue depth, so a backlog shows as
 * latency — consumers draining what piled up can even exceed the target rate for a while.
 */
const E2E_P99_LIMIT_MS = 1_000;


function profile(n: number): Profile {
  return parseProfile(
    {
      name: `bench-scale-${n}`,
      cluster: { local: { nodes: 1, basePort, stateDir } },
      queues: { type: 'classic', count: n, namePattern: 'mqbench-scale-<n>', durable: !opts.transient },
      publishers: { count: n, rate, messageSize: 1000, persistent: !opts.transient, confirms: { maxInFlight: 100 } },
      consumers: { count: n, prefetch: 100 },
      connection: perConnection,
      duration: opts.duration,
      warmup: opts.warmup,
      drainTimeout: '60s',
    },
    'bench-scale',
    {},
  );
}

/** CPU µs (user + system) and resident bytes of a process, from /proc. */
async function procUsage(pid: number): Promise<{ cpuUs: number; rssBytes: number } | null> {
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    // Fields after "(comm) ": state is [0], utime [11], stime [12] (clock ticks, 100 per second on Linux).
    const cpuUs = ((Number(stat[11]) + Number(stat[12])) * 1e6) / 100;
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuUs, rssBytes: rssKiB * 1024 };
  } catch {
    return null;
  }
}

async function brokerPid(): Promise<number | undefined> {
  return (await listClusterProcesses(stateDir)).find((p) => p.comm === 'beam.smp')?.pid;
}

let current: Benchmark | undefined;
let aborted = false;
process.on('SIGINT', () => {
  aborted = true;
  current?.abort('interrupted by Ctrl-C (SIGINT)');
});

async function measure(n: number): Promise<ScaleRun> {
  const p = profile(n);
  const bench = new Benchmark(p, { force: true });
  current = bench;
  const marks: Record<string, number> = {};
  let clientCpuAtMeasure = 0;
  let clientCpuAtDrain = 0;
  let brokerAtMeasure: number | null = null;
  let brokerAtDrain: number | null = null;
  let clientRss = 0;
  let brokerRss = 0;
  let pid: number | undefined;
  const cpuNow = (): number => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  bench.on('status', (m) => {
    if (m.startsWith('declaring')) marks.declare ??= Date.now();
    process.stderr.write(`  ${m}\n`);
  });
  bench.on('phase', (phase) => {
    const at = Date.now();
    if (phase === 'connecting') marks.connect = at;
    if (phase === 'warmup' || (phase === 'measure' && marks.started === undefined)) marks.started = at;
    if (phase === 'measure') {
      clientCpuAtMeasure = cpuNow();
      if (pid !== undefined) void procUsage(pid).then((u) => (brokerAtMeasure = u?.cpuUs ?? null));
    }
    if (phase === 'drain') {
      clientCpuAtDrain = cpuNow();
      if (pid !== undefined) void procUsage(pid).then((u) => (brokerAtDrain = u?.cpuUs ?? null));
    }
  });
  bench.on('tick', () => {
    clientRss = Math.max(clientRss, process.memoryUsage().rss);
    if (pid !== undefined) void procUsage(pid).then((u) => (brokerRss = Math.max(brokerRss, u?.rssBytes ?? 0)));
  });
  bench.on('coordinator', () => void brokerPid().then((x) => (pid = x)));
  try {
    const artifacts = await bench.run();
    const r = buildResult(artifacts, maskProfile(p), 'bench-scale');
    const target = n * rate;
    const consumedInWindow = r.rates.consumed.total;
    const connections = artifacts.plan.workerConnections.reduce((k, w) => k + w.length, 0);
    const connectMs = marks.started !== undefined && marks.connect !== undefined ? marks.started - marks.connect : Number.NaN;
    const run: ScaleRun = {
      agents: 2 * n,
      publishers: n,
      consumers: n,
      queues: n,
      connections,
      targetMsgsPerS: target,
      declareS: marks.declare !== undefined && marks.connect !== undefined ? (marks.connect - marks.declare) / 1000 : Number.NaN,
      connectS: connectMs / 1000,
      publishedMsgsPerS: r.rates.published.overallMsgsPerS,
      consumedMsgsPerS: r.rates.consumed.overallMsgsPerS,
      lost: r.delivery.lost,
      notConsumed: r.delivery.notConsumed,
      duplicates: r.delivery.duplicates,
      e2eP50Ms: r.latency.e2e.corrected.p50Ms,
      e2eP99Ms: r.latency.e2e.corrected.p99Ms,
      clientCpuUsPerMsg: consumedInWindow > 0 ? (clientCpuAtDrain - clientCpuAtMeasure) / consumedInWindow : Number.NaN,
      brokerCpuUsPerMsg: brokerAtMeasure !== null && brokerAtDrain !== null && consumedInWindow > 0 ? (brokerAtDrain - brokerAtMeasure) / consumedInWindow : null,
      clientRssMiB: clientRss / 2 ** 20,
      brokerRssMiB: brokerRss > 0 ? brokerRss / 2 ** 20 : null,
      held: false,
      why: '',
    };
    const reasons: string[] = [];
    if (!artifacts.outcome.started || r.interrupted) reasons.push(r.error ?? artifacts.outcome.error ?? 'did not run to the end');
    for (const [what, v] of [
      ['published', run.publishedMsgsPerS],
      ['consumed', run.consumedMsgsPerS],
    ] as const) {
      if (Math.abs(v / target - 1) > RATE_TOLERANCE) reasons.push(`${what} ${v.toFixed(0)} of ${target} msgs/s`);
    }
    if (run.lost !== 0 || run.notConsumed !== 0) reasons.push(`lost ${run.lost}, not consumed ${run.notConsumed}`);
    if (!(connectMs < START_LIMIT_MS)) reasons.push(`start took ${run.connectS.toFixed(1)} s`);
    if (!(run.e2eP99Ms <= E2E_P99_LIMIT_MS)) reasons.push(`e2e p99 ${run.e2eP99Ms.toFixed(0)} ms: the queues fell behind`);
    run.held = reasons.length === 0;
    run.why = reasons.join('; ');
    return run;
  } finally {
    current = undefined;
  }
}

const started = new Date();
const loadBefore = loadAverage();
const runs: ScaleRun[] = [];
try {
  for (const n of agentCounts) {
    if (aborted) break;
    process.stderr.write(`bench-scale: ${n} publishers + ${n} consumers on ${n} queues at ${rate} msgs/s each\n`);
    runs.push(await measure(n));
  }
} finally {
  if (!opts['keep-cluster']) await clusterDown({ stateDir }).catch(() => undefined);
}

const fmt = (v: number | null, digits = 0): string => (v === null || Number.isNaN(v) ? '–' : v.toFixed(digits));
const table = new Table({
  style: { head: [], border: [] },
  head: ['publishers + consumers', 'queues', 'connections', 'declare s', 'connect s', 'published ÷ target', 'consumed ÷ target', 'lost', 'e2e p99 ms', 'client CPU µs/msg', 'broker CPU µs/msg', 'client RSS MiB', 'broker RSS MiB', 'held'],
});
for (const r of runs) {
  table.push([
    `${r.publishers} + ${r.consumers}`,
    r.queues,
    r.connections,
    fmt(r.declareS, 1),
    fmt(r.connectS, 1),
    fmt(r.publishedMsgsPerS / r.targetMsgsPerS, 3),
    fmt(r.consumedMsgsPerS / r.targetMsgsPerS, 3),
    fmt(r.lost),
    fmt(r.e2eP99Ms, 1),
    fmt(r.clientCpuUsPerMsg),
    fmt(r.brokerCpuUsPerMsg),
    fmt(r.clientRssMiB),
    fmt(r.brokerRssMiB),
    r.held ? 'yes' : `no: ${r.why}`,
  ]);
}
process.stdout.write(`${table.toString()}\n`);
const command = `node dist/scripts/bench-scale.js ${process.argv.slice(2).join(' ')}`.trim();
const output: BenchScaleResult = {
  kind: 'bench-scale',
  command,
  startedAt: started.toISOString(),
  environment: environmentInfo(loadBefore),
  settings: { rate, duration: opts.duration, warmup: opts.warmup, ...perConnection, persistent: !opts.transient, rateTolerance: RATE_TOLERANCE, startLimitMs: START_LIMIT_MS, e2eP99LimitMs: E2E_P99_LIMIT_MS },
  runs,
};
const file = await writeJson(opts.out, resultBaseName('bench-scale', started), output);
process.stdout.write(`written: ${file}\n`);
if (aborted) process.exitCode = 130;
