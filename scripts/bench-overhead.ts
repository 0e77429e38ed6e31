/**
 * How much throughput and CPU does mqbench itself cost? Runs, on the same broker and with the
 * same settings, a bare single-loop amqplib publisher/consumer (scripts/bare/) and mqbench
 * (`bin/mqbench.js run` on a generated profile), alternating bare, mqbench, bare, mqbench… and
 * prints the consume-rate ratio mqbench/bare and the client CPU time per message of each.
 *
 * Settings (the issue's target: ratio ≥ 0.95): 1 publisher, no rate limit, confirms with at most
 * 100 unconfirmed, 1000-byte persistent messages; 1 consumer, prefetch 100, one ack per message.
 *
 * Both sides run as child processes and are measured the same way (scripts/bare/usage.ts):
 *  - throughput: messages consumed in the measured window (after warm-up) / window seconds;
 *  - CPU µs/msg (window): user + system CPU of the whole client process (getrusage RUSAGE_SELF,
 *    every thread) over the measured window / messages consumed in it; warm-up, start-up and
 *    drain are excluded on both sides. The bare client reads it itself; the mqbench child is
 *    read from inside by scripts/bare/cpuProbe.ts, preloaded with --import (Node has no API for
 *    a child's CPU time);
 *  - CPU µs/msg (process): the same at process exit (Node start-up, connecting, warm-up, drain
 *    and result writing included) / every message consumed in the run.
 * See scripts/README.md for how to read the output.
 *
 * Usage: node dist/scripts/bench-overhead.js [--uri amqp://…] [--duration 15] [--warmup 3]
 *        [--rounds 2] [--queue-types classic,quorum] [--workers n] [--mqbench path] [--help]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import type { ProfileInput } from '../src/profile/schema.js';
import type { RunResult } from '../src/results/model.js';
import { packageRoot } from '../src/util/packageRoot.js';
import type { BareOptions } from './bare/bareClient.js';
import type { BareChildOutput } from './bare/main.js';
import type { CpuProbeOutput } from './bare/cpuProbe.js';
import { usageDelta, type UsageDelta } from './bare/usage.js';

const QUEUE_TYPES = ['classic', 'quorum'] as const;
type QueueType = (typeof QUEUE_TYPES)[number];
type Side = 'bare' | 'mqbench';

const TARGET_RATIO = 0.95;
/** Per-round ratios further apart than this (max/min - 1) make the mean ratio doubtful. */
const NOISY_SPREAD = 0.1;
const QUEUE_NAME = 'mqbench-overhead-1';
const CONNECT_TIMEOUT_MS = 5_000;
/** Extra time a child may take beyond warm-up + duration + drain before it is killed. */
const CHILD_GRACE_MS = 60_000;

/** The workload both sides run; the issue's settings, fixed so the ratio means one thing. */
const WORKLOAD = {
  messageSize: 1000,
  persistent: true,
  mandatory: true, // what mqbench's publisher sends
  maxInFlight: 100,
  prefetch: 100,
} as const;

interface Options {
  uri: string;
  durationS: number;
  warmupS: number;
  rounds: number;
  queueTypes: QueueType[];
  settleS: number;
  drainTimeoutS: number;
  outDir: string;
  workers: number | undefined;
  mqbenchBin: string;
  cpuProfDir: string | undefined;
  keepTmp: boolean;
}

/** One run of one side, reduced to the figures compared. */
interface RunFigures {
  side: Side;
  queueType: QueueType;
  round: number;
  consumedMsgsPerS: number;
  publishedMsgsPerS: number;
  measuredMs: number;
  measuredConsumed: number;
  /** CPU (user + system) of the client process over the measured window / messages consumed in it. */
  windowCpuUsPerMsg: number;
  /** Read + write system calls and context switches of the client process per message, measured window. */
  windowSyscallsPerMsg: number | null;
  windowCtxSwitchesPerMsg: number;
  /** CPU of the client process from its start to its exit / every message consumed in the run. */
  processCpuUsPerMsg: number;
  /** Every message consumed in the run (warm-up and drain included). */
  totalConsumed: number;
  windowUsage: UsageDelta;
  processUsage: UsageDelta;
  /** Wall time of the child process. */
  wallMs: number;
  /** 1-minute load average before and after the run: other work on the machine skews throughput. */
  loadavg1: [number, number];
  /** Lost/duplicate checks of the side (mqbench's delivery report; the bare client's drain). */
  deliveryOk: boolean;
  note: string | null;
}

interface QueueTypeSummary {
  queueType: QueueType;
  bareMsgsPerS: number;
  mqbenchMsgsPerS: number;
  ratio: number;
  /** mqbench/bare of each round's pair, in order. */
  roundRatios: number[];
  meetsTarget: boolean;
  cpuUsPerMsg: { bare: number; mqbench: number };
  processCpuUsPerMsg: { bare: number; mqbench: number };
}

const HELP = `Usage: node dist/scripts/bench-overhead.js [options]

Compares mqbench with a bare single-loop amqplib publisher/consumer on the same broker:
1 publisher (no rate limit, confirms, <= 100 unconfirmed, 1000-byte persistent messages),
1 consumer (prefetch 100, one ack per message), one fresh queue per run.

Options:
  --uri <amqp uri>          broker (default amqp://guest:guest@127.0.0.1:5700/)
  --duration <s>            measured seconds per run (default 15)
  --warmup <s>              warm-up seconds per run, not measured (default 3)
  --rounds <n>              rounds per queue type; each runs bare, then mqbench (default 2)
  --queue-types <list>      classic,quorum (default both)
  --settle <s>              pause between runs (default 2)
  --drain-timeout <s>       bound on the wait for the last messages after a run (default 30)
  --workers <n>             mqbench "workers" in the generated profile (default: mqbench's own)
  --mqbench <path>          mqbench entry to run (default bin/mqbench.js of this package), e.g. a
                            prototype build elsewhere
  --cpu-prof-dir <dir>      run both children with --cpu-prof, profiles under <dir>
  --out <dir>               where bench-overhead-<timestamp>.json goes (default results/)
  --keep-tmp                keep mqbench's temporary profile and result
  -h, --help                this text
`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      uri: { type: 'string', default: 'amqp://guest:guest@127.0.0.1:5700/' },
      duration: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '2' },
      'queue-types': { type: 'string', default: 'classic,quorum' },
      settle: { type: 'string', default: '2' },
      'drain-timeout': { type: 'string', default: '30' },
      workers: { type: 'string' },
      mqbench: { type: 'string', default: join(packageRoot(), 'bin', 'mqbench.js') },
      'cpu-prof-dir': { type: 'string' },
      out: { type: 'string', default: join(packageRoot(), 'results') },
      'keep-tmp': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const num = (name: string, text: string, min: number, max: number, integer = false): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new Error(`--${name}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
    }
    return n;
  };
  if (!/^amqps?:\/\//.test(values.uri)) throw new Error(`--uri: expected an amqp:// or amqps:// URI, got "${values.uri}"`);
  const queueTypes = values['queue-types'].split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const t of queueTypes) {
    if (!(QUEUE_TYPES as readonly string[]).includes(t)) throw new Error(`--queue-types: unknown queue type "${t}" (classic, quorum)`);
  }
  if (queueTypes.length === 0) throw new Error('--queue-types: give at least one of classic, quorum');
  return {
    uri: values.uri,
    durationS: num('duration', values.duration, 1, 3600),
    warmupS: num('warmup', values.warmup, 0, 600),
    rounds: num('rounds', values.rounds, 1, 20, true),
    queueTypes: [...new Set(queueTypes)] as QueueType[],
    settleS: num('settle', values.settle, 0, 60),
    drainTimeoutS: num('drain-timeout', values['drain-timeout'], 1, 600),
    outDir: values.out,
    workers: values.workers === undefined ? undefined : num('workers', values.workers, 1, 256, true),
    mqbenchBin: resolve(values.mqbench),
    cpuProfDir: values['cpu-prof-dir'],
    keepTmp: values['keep-tmp'],
  };
}

/** 2026-11-29T10:45:12.345Z → 20261129T104512Z, as mqbench names its result files. */
const fileTimestamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const log = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs a child to completion; kills it (by its pid, SIGKILL) after `timeoutMs`. */
function runChild(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[bench-overhead] killed after ${Math.round(timeoutMs / 1000)} s\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

function childTimeoutMs(o: Options): number {
  return (o.warmupS + o.durationS + o.drainTimeoutS) * 1000 + CHILD_GRACE_MS;
}

function profArgs(o: Options, side: Side, queueType: QueueType, round: number): string[] {
  return o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(o.cpuProfDir, `${side}-${queueType}-r${round}`)}`] : [];
}

function childFailure(what: string, c: ChildOutcome): Error {
  const tail = c.stderr.trim().split('\n').slice(-15).join('\n');
  return new Error(`${what} failed (exit ${c.code ?? c.signal}):\n${tail}`);
}

async function runBareSide(o: Options, queueType: QueueType, round: number): Promise<RunFigures> {
  const bareOptions: BareOptions = {
    uri: o.uri,
    queue: QUEUE_NAME,
    queueType,
    messageSize: WORKLOAD.messageSize,
    persistent: WORKLOAD.persistent,
    mandatory: WORKLOAD.mandatory,
    maxInFlight: WORKLOAD.maxInFlight,
    prefetch: WORKLOAD.prefetch,
    warmupMs: o.warmupS * 1000,
    durationMs: o.durationS * 1000,
    drainTimeoutMs: o.drainTimeoutS * 1000,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  };
  const entry = fileURLToPath(new URL('./bare/main.js', import.meta.url));
  const load0 = loadavg()[0]!;
  const c = await runChild([...profArgs(o, 'bare', queueType, round), entry, JSON.stringify(bareOptions)], process.env, childTimeoutMs(o));
  if (c.code !== 0) throw childFailure('bare client', c);
  const line = c.stdout.trim().split('\n').pop() ?? '';
  const r = JSON.parse(line) as BareChildOutput;
  const lost = r.totals.confirmed - r.totals.consumed;
  return {
    side: 'bare',
    queueType,
    round,
    consumedMsgsPerS: r.consumedMsgsPerS,
    publishedMsgsPerS: r.publishedMsgsPerS,
    measuredMs: r.measuredMs,
    measuredConsumed: r.measuredConsumed,
    ...perMessage(r.measuredUsage, r.measuredConsumed, r.processUsage, r.totals.consumed),
    wallMs: c.wallMs,
    loadavg1: [load0, loadavg()[0]!],
    deliveryOk: !r.drainTimedOut && r.totals.nacked === 0 && r.totals.redelivered === 0,
    note: r.drainTimedOut ? `drain timed out: ${lost} confirmed messages not consumed` : null,
  };
}

const brokerVersions: string[] = [];

function perMessage(
  windowUsage: UsageDelta,
  windowConsumed: number,
  processUsage: UsageDelta,
  totalConsumed: number,
): Pick<RunFigures, 'windowCpuUsPerMsg' | 'windowSyscallsPerMsg' | 'windowCtxSwitchesPerMsg' | 'processCpuUsPerMsg' | 'totalConsumed' | 'windowUsage' | 'processUsage'> {
  const syscalls = windowUsage.readSyscalls === null || windowUsage.writeSyscalls === null ? null : windowUsage.readSyscalls + windowUsage.writeSyscalls;
  return {
    windowCpuUsPerMsg: windowUsage.cpuUs / windowConsumed,
    windowSyscallsPerMsg: syscalls === null ? null : syscalls / windowConsumed,
    windowCtxSwitchesPerMsg: (windowUsage.voluntaryCtxSwitches + windowUsage.involuntaryCtxSwitches) / windowConsumed,
    processCpuUsPerMsg: processUsage.cpuUs / totalConsumed,
    totalConsumed,
    windowUsage,
    processUsage,
  };
}

function mqbenchProfile(o: Options, queueType: QueueType): ProfileInput {
  return {
    name: `bench-overhead-${queueType}`,
    description: 'Generated by scripts/bench-overhead.ts: the mqbench side of the overhead comparison.',
    broker: { uris: [o.uri] },
    queues: { type: queueType, count: 1, namePattern: QUEUE_NAME.replace(/1$/, '<n>'), durable: true, onStart: 'delete', onEnd: 'delete' },
    publishers: {
      count: 1,
      rate: 0,
      messageSize: WORKLOAD.messageSize,
      persistent: WORKLOAD.persistent,
      confirms: { enabled: true, maxInFlight: WORKLOAD.maxInFlight },
    },
    consumers: { count: 1, prefetch: WORKLOAD.prefetch, ack: 'manual' },
    duration: `${o.durationS}s`,
    warmup: `${o.warmupS}s`,
    drainTimeout: `${o.drainTimeoutS}s`,
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
  };
}

async function runMqbenchSide(o: Options, queueType: QueueType, round: number): Promise<RunFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'mqbench-overhead-'));
  try {
    const profilePath = join(dir, 'profile.json');
    const outDir = join(dir, 'out');
    const probeOut = join(dir, 'cpu.json');
    await writeFile(profilePath, `${JSON.stringify(mqbenchProfile(o, queueType), null, 2)}\n`);
    const probe = pathToFileURL(fileURLToPath(new URL('./bare/cpuProbe.js', import.meta.url))).href;
    const env = { ...process.env, MQBENCH_CPU_PROBE_OUT: probeOut, MQBENCH_CPU_PROBE_WARMUP_MS: String(o.warmupS * 1000) };
    const args = [`--import=${probe}`, ...profArgs(o, 'mqbench', queueType, round), o.mqbenchBin, 'run', profilePath, '-q', '--out', outDir];
    const load0 = loadavg()[0]!;
    const c = await runChild(args, env, childTimeoutMs(o));
    if (c.code !== 0) throw childFailure('mqbench', c);
    const resultFile = (await readdir(outDir)).find((f) => f.endsWith('.json'));
    if (!resultFile) throw new Error(`mqbench wrote no result JSON in ${outDir}`);
    const r = JSON.parse(await readFile(join(outDir, resultFile), 'utf8')) as RunResult;
    const cpu = JSON.parse(await readFile(probeOut, 'utf8')) as CpuProbeOutput;
    if (!cpu.windowStart || !cpu.windowEnd) throw new Error('mqbench: the CPU probe saw no measured window (run cut short?)');
    const windowUsage = usageDelta(cpu.windowEnd, cpu.windowStart);
    const probeWindowMs = windowUsage.wallMs ?? 0;
    brokerVersions.push(...r.broker.versions);
    const d = r.delivery;
    const notes: string[] = [];
    if (r.error) notes.push(r.error);
    // The probe's window and mqbench's measured ticks should cover the same span.
    if (Math.abs(probeWindowMs - r.timing.measuredMs) > Math.max(50, 0.01 * r.timing.measuredMs)) {
      notes.push(`CPU window ${probeWindowMs.toFixed(0)} ms vs measured ${r.timing.measuredMs.toFixed(0)} ms`);
    }
    if (o.keepTmp) notes.push(`kept ${dir}`);
    return {
      side: 'mqbench',
      queueType,
      round,
      consumedMsgsPerS: r.rates.consumed.overallMsgsPerS,
      publishedMsgsPerS: r.rates.published.overallMsgsPerS,
      measuredMs: r.timing.measuredMs,
      measuredConsumed: r.measured.consumed,
      ...perMessage(windowUsage, r.measured.consumed, usageDelta(cpu.exit), r.runTotals.consumed),
      wallMs: c.wallMs,
      loadavg1: [load0, loadavg()[0]!],
      deliveryOk: !r.error && d.lost === 0 && d.duplicates === 0 && d.nacked === 0,
      note: notes.length > 0 ? notes.join('; ') : null,
    };
  } finally {
    if (!o.keepTmp) await rm(dir, { recursive: true, force: true });
  }
}

function summarize(queueType: QueueType, runs: RunFigures[]): QueueTypeSummary {
  const of = (side: Side): RunFigures[] => runs.filter((r) => r.queueType === queueType && r.side === side);
  const bare = of('bare');
  const mq = of('mqbench');
  const bareRate = mean(bare.map((r) => r.consumedMsgsPerS));
  const mqRate = mean(mq.map((r) => r.consumedMsgsPerS));
  const ratio = mqRate / bareRate;
  return {
    queueType,
    bareMsgsPerS: bareRate,
    mqbenchMsgsPerS: mqRate,
    ratio,
    roundRatios: mq.map((m, i) => m.consumedMsgsPerS / bare[i]!.consumedMsgsPerS),
    meetsTarget: ratio >= TARGET_RATIO,
    cpuUsPerMsg: { bare: mean(bare.map((r) => r.windowCpuUsPerMsg)), mqbench: mean(mq.map((r) => r.windowCpuUsPerMsg)) },
    processCpuUsPerMsg: { bare: mean(bare.map((r) => r.processCpuUsPerMsg)), mqbench: mean(mq.map((r) => r.processCpuUsPerMsg)) },
  };
}

const plain = {
  chars: { 'top': '', 'top-mid': '', 'top-left': '', 'top-right': '', 'bottom': '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', 'left': '', 'left-mid': '', 'mid': '', 'mid-mid': '', 'right': '', 'right-mid': '', 'middle': '  ' },
  style: { 'head': [], 'border': [], 'padding-left': 0, 'padding-right': 0 },
};

function renderSummary(summaries: QueueTypeSummary[]): string {
  const t = new Table({
    ...plain,
    head: ['queue', 'bare msgs/s', 'mqbench msgs/s', 'ratio', `>= ${TARGET_RATIO}`, 'CPU µs/msg bare', 'CPU µs/msg mqbench', 'process µs/msg bare', 'process µs/msg mqbench'],
  });
  for (const s of summaries) {
    t.push([
      s.queueType,
      s.bareMsgsPerS.toFixed(0),
      s.mqbenchMsgsPerS.toFixed(0),
      `${s.ratio.toFixed(3)}${s.roundRatios.length > 1 ? ` (${s.roundRatios.map((r) => r.toFixed(2)).join(', ')})` : ''}`,
      s.meetsTarget ? 'yes' : 'NO',
      s.cpuUsPerMsg.bare.toFixed(1),
      s.cpuUsPerMsg.mqbench.toFixed(1),
      s.processCpuUsPerMsg.bare.toFixed(1),
      s.processCpuUsPerMsg.mqbench.toFixed(1),
    ]);
  }
  return t.toString();
}

function describeRun(r: RunFigures): string {
  return (
    `${r.queueType} round ${r.round} ${r.side.padEnd(7)}: ${r.consumedMsgsPerS.toFixed(0)} msgs/s consumed ` +
    `(${r.measuredConsumed} in ${(r.measuredMs / 1000).toFixed(2)} s), CPU ${r.windowCpuUsPerMsg.toFixed(1)} µs/msg window, ` +
    `${r.processCpuUsPerMsg.toFixed(1)} µs/msg process; per msg ${r.windowSyscallsPerMsg?.toFixed(2) ?? '?'} syscalls, ` +
    `${r.windowCtxSwitchesPerMsg.toFixed(2)} ctx switches; load ${r.loadavg1.map((l) => l.toFixed(1)).join('→')}` +
    `${r.deliveryOk ? '' : ', DELIVERY PROBLEM'}${r.note ? ` [${r.note}]` : ''}`
  );
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const perRunS = o.warmupS + o.durationS + o.settleS + 3;
  log(
    `bench-overhead: ${o.queueTypes.join(', ')} × ${o.rounds} round(s) × (bare, mqbench), ${o.warmupS} s warm-up + ${o.durationS} s measured each; ` +
      `about ${Math.ceil((o.queueTypes.length * o.rounds * 2 * perRunS) / 60)} min`,
  );
  const runs: RunFigures[] = [];
  for (const queueType of o.queueTypes) {
    for (let round = 1; round <= o.rounds; round++) {
      for (const side of ['bare', 'mqbench'] as const) {
        const r = side === 'bare' ? await runBareSide(o, queueType, round) : await runMqbenchSide(o, queueType, round);
        runs.push(r);
        log(describeRun(r));
        await sleep(o.settleS * 1000);
      }
    }
  }
  const summaries = o.queueTypes.map((q) => summarize(q, runs));
  process.stdout.write(`${renderSummary(summaries)}\n`);
  process.stdout.write(
    '\nmsgs/s: consumed in the measured window, mean over rounds; ratio: mqbench/bare (per round in brackets).\n' +
      'CPU µs/msg: client process CPU (user+system) over the measured window / messages consumed in it.\n' +
      'process µs/msg: whole client process, start-up to exit / every message consumed in the run.\n',
  );
  const noisy = summaries.filter((s) => s.roundRatios.length > 1 && Math.max(...s.roundRatios) / Math.min(...s.roundRatios) - 1 > NOISY_SPREAD);
  if (noisy.length > 0) {
    process.stdout.write(
      `\nNOISY: the rounds of ${noisy.map((s) => s.queueType).join(', ')} disagree by more than ${NOISY_SPREAD * 100}%; ` +
        'something else used the machine (see the load on each run line). Re-run with more --rounds, or when the machine is idle.\n',
    );
  }
  const problems = runs.filter((r) => !r.deliveryOk);
  if (problems.length > 0) process.stdout.write(`\nWARNING: ${problems.length} run(s) with delivery problems; see the JSON.\n`);

  const report = {
    kind: 'bench-overhead',
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    settings: {
      uri: o.uri.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@'),
      durationS: o.durationS,
      warmupS: o.warmupS,
      rounds: o.rounds,
      queueTypes: o.queueTypes,
      settleS: o.settleS,
      mqbenchWorkers: o.workers ?? null,
      mqbench: o.mqbenchBin,
      order: 'per queue type, per round: bare then mqbench',
      workload: { publishers: 1, consumers: 1, rate: 0, ...WORKLOAD, ack: 'manual' },
      cpu:
        'getrusage(RUSAGE_SELF) user+system of the client process (all threads). window: measured window / messages consumed in it; ' +
        'process: start to exit / all messages consumed in the run. Syscalls: /proc/self/io syscr+syscw.',
    },
    environment: {
      broker: [...new Set(brokerVersions)],
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      loadavgAtEnd: loadavg(),
    },
    targetRatio: TARGET_RATIO,
    summary: summaries.map((s) => ({ ...s, noisy: noisy.includes(s) })),
    runs,
  };
  await mkdir(o.outDir, { recursive: true });
  const file = join(o.outDir, `bench-overhead-${fileTimestamp(startedAt)}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nresult: ${relative(process.cwd(), file) || file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-overhead: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
