/**
 * How often does the gate cry wolf, and what does it catch? Runs one small profile many times on a
 * local 1-node cluster — unchanged, and with the publisher capped at fractions of the unchanged
 * rate (a real regression produced by a profile change) — interleaved round by round, then gates
 * random groups of repetitions against each other exactly as `mqbench gate` would:
 *  - false alarms: 2 disjoint random groups of `--repeat` unchanged runs, one the baseline → how
 *    often the gate fails (target: under 1 in 20);
 *  - detection: `--repeat` unchanged runs as baseline, `--repeat` capped runs as subject → how often
 *    it fails (target: a 20 % loss caught in at least 9 of 10 gates).
 * Groups are drawn from one pool of runs, so draws share runs: the rates estimate how the gate
 * treats this machine's run-to-run spread, not independent trials. Writes every run's key figures
 * and the rates to `<out>/bench-gate-<UTC>.json`.
 *
 * Usage: node dist/scripts/bench-gate.js [--rounds 24] [--repeat 5] [--caps 0.8,0.9] [--draws 1000]
 *        [--duration 4s] [--warmup 1s] [--thresholds examples/ci/thresholds.json] [--base-port 7400] [--out results] [--keep-cluster]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { clusterDown } from '../src/cluster/local/cluster.js';
import { Benchmark } from '../src/engine/runBenchmark.js';
import { evaluateGate } from '../src/gate/evaluate.js';
import { loadThresholdsFile } from '../src/gate/loadThresholds.js';
import type { GateSubject } from '../src/gate/metrics.js';
import type { Threshold } from '../src/gate/model.js';
import { summarizeRuns } from '../src/matrix/summarize.js';
import { meanStd } from '../src/metrics/meanStd.js';
import { parseProfile } from '../src/profile/load.js';
import type { Profile } from '../src/profile/schema.js';
import { buildResult } from '../src/results/buildResult.js';
import { environmentInfo } from '../src/results/environment.js';
import type { RunResult } from '../src/results/model.js';
import { resultBaseName, writeJson } from '../src/results/writer.js';
import { maskProfile } from '../src/util/mask.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '24' },
    repeat: { type: 'string', default: '5' },
    caps: { type: 'string', default: '0.8,0.9' },
    draws: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '4s' },
    warmup: { type: 'string', default: '1s' },
    thresholds: { type: 'string', default: 'examples/ci/thresholds.json' },
    'base-port': { type: 'string', default: '7400' },
    out: { type: 'string', default: 'results' },
    'keep-cluster': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  process.stdout.write('node dist/scripts/bench-gate.js [--rounds 24] [--repeat 5] [--caps 0.8,0.9] [--draws 1000] [--duration 4s] [--warmup 1s] [--thresholds file] [--base-port 7400] [--out results] [--keep-cluster]\n');
  process.exit(0);
}
const rounds = Number(opts.rounds);
const repeat = Number(opts.repeat);
const caps = opts.caps.split(',').map(Number);
const draws = Number(opts.draws);
const basePort = Number(opts['base-port']);
const stateDir = join('.mqbench', `bench-gate-${basePort}`);
if (rounds < 2 * repeat) throw new Error(`--rounds ${rounds}: need at least 2 × --repeat (${2 * repeat}) unchanged runs for the false-alarm draws`);

function profile(name: string, rate: number): Profile {
  return parseProfile(
    {
      name,
      cluster: { local: { nodes: 1, basePort, stateDir } },
      queues: { type: 'classic', namePattern: 'mqbench-gate-<n>' },
      publishers: { count: 1, rate, messageSize: 1000, confirms: { maxInFlight: 100 } },
      consumers: { count: 1, prefetch: 100 },
      duration: opts.duration,
      warmup: opts.warmup,
      drainTimeout: '30s',
    },
    'bench-gate',
    {},
  );
}

let aborted = false;
let current: Benchmark | undefined;
process.on('SIGINT', () => {
  aborted = true;
  current?.abort('interrupted by Ctrl-C (SIGINT)');
});

async function runOnce(p: Profile): Promise<RunResult> {
  const bench = new Benchmark(p, { force: true });
  current = bench;
  try {
    const artifacts = await bench.run();
    if (!artifacts.outcome.started) throw new Error(artifacts.outcome.error ?? 'did not start');
    return buildResult(artifacts, maskProfile(p), 'bench-gate');
  } finally {
    current = undefined;
  }
}

const consumed = (r: RunResult): number => r.rates.consumed.overallMsgsPerS;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function subjectOf(runs: RunResult[], name: string): GateSubject {
  return { file: `${name}.json`, name, kind: 'repeated', runs, histograms: summarizeRuns(runs)!.histograms, capacity: null };
}

/** Deterministic shuffle (so a rerun of the analysis on the same runs gives the same rates). */
function shuffled<T>(xs: readonly T[], seed: { s: number }): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    seed.s = (seed.s * 48271) % 2147483647;
    const j = seed.s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Rate {
  gates: number;
  failed: number;
  /** Which thresholds made the failing gates fail (metric + expression → count). */
  failedBy: Record<string, number>;
}

function gateRate(thresholds: Threshold[], draw: (seed: { s: number }) => [RunResult[], RunResult[]]): Rate {
  const seed = { s: 12345 };
  const rate: Rate = { gates: 0, failed: 0, failedBy: {} };
  for (let i = 0; i < draws; i++) {
    const [base, cur] = draw(seed);
    const report = evaluateGate(thresholds, subjectOf(cur, 'subject'), subjectOf(base, 'baseline'));
    rate.gates++;
    if (report.verdict === 'failed') {
      rate.failed++;
      for (const t of report.thresholds.filter((x) => x.status === 'fail')) rate.failedBy[`${t.metric} ${t.expression}`] = (rate.failedBy[`${t.metric} ${t.expression}`] ?? 0) + 1;
    }
  }
  return rate;
}

const thresholds = await loadThresholdsFile(opts.thresholds);
const started = new Date();
try {
  process.stderr.write(`calibrating: 3 unchanged runs at full speed on a local node (basePort ${basePort})\n`);
  const calibration: RunResult[] = [];
  for (let i = 0; i < 3 && !aborted; i++) calibration.push(await runOnce(profile('gate-calibrate', 0)));
  const fullRate = median(calibration.map(consumed));
  process.stderr.write(`full speed: median ${fullRate.toFixed(0)} msgs/s; caps: ${caps.map((c) => `${(c * fullRate).toFixed(0)}`).join(', ')} msgs/s\n`);

  const unchanged: RunResult[] = [];
  const capped = new Map<number, RunResult[]>(caps.map((c) => [c, []]));
  for (let round = 0; round < rounds && !aborted; round++) {
    const order: Array<number | null> = [null, ...caps];
    const rotated = order.map((_, i) => order[(i + round) % order.length]!);
    for (const cap of rotated) {
      if (aborted) break;
      const r = await runOnce(cap === null ? profile('gate-unchanged', 0) : profile(`gate-cap-${cap}`, Math.round(cap * fullRate)));
      (cap === null ? unchanged : capped.get(cap)!).push(r);
      process.stderr.write(`round ${round + 1}/${rounds} ${cap === null ? 'unchanged' : `cap ${cap}`}: ${consumed(r).toFixed(0)} msgs/s, e2e p99 ${r.latency.e2e.corrected.p99Ms.toFixed(1)} ms, ${r.verdict.status}\n`);
    }
  }

  const falseAlarms = gateRate(thresholds, (seed) => {
    const pool = shuffled(unchanged, seed);
    return [pool.slice(0, repeat), pool.slice(repeat, 2 * repeat)];
  });
  const detection = caps.map((cap) => ({
    cap,
    rate: gateRate(thresholds, (seed) => [shuffled(unchanged, seed).slice(0, repeat), shuffled(capped.get(cap)!, seed).slice(0, repeat)]),
  }));

  const spread = (rs: RunResult[]) => {
    const { mean, stddev } = meanStd(rs.map(consumed));
    return { meanMsgsPerS: mean, cvPercent: (stddev / mean) * 100 };
  };
  const table = new Table({ head: ['setup', 'runs', 'consumed msgs/s (CV %)', `gates of ${repeat} vs ${repeat}`, 'gate failed'] });
  const u = spread(unchanged);
  table.push(['unchanged vs unchanged (false alarms)', unchanged.length, `${u.meanMsgsPerS.toFixed(0)} (${u.cvPercent.toFixed(1)})`, falseAlarms.gates, `${falseAlarms.failed} (${((falseAlarms.failed / falseAlarms.gates) * 100).toFixed(1)} %)`]);
  for (const d of detection) {
    const s = spread(capped.get(d.cap)!);
    table.push([`capped at ${d.cap * 100} % vs unchanged`, capped.get(d.cap)!.length, `${s.meanMsgsPerS.toFixed(0)} (${s.cvPercent.toFixed(1)})`, d.rate.gates, `${d.rate.failed} (${((d.rate.failed / d.rate.gates) * 100).toFixed(1)} %)`]);
  }
  process.stdout.write(`${table.toString()}\nthresholds: ${opts.thresholds}\n`);

  const figures = (r: RunResult) => ({ consumedMsgsPerS: consumed(r), e2eP99Ms: r.latency.e2e.corrected.p99Ms, e2eP999Ms: r.latency.e2e.corrected.p999Ms, verdict: r.verdict.status });
  const out = {
    kind: 'bench-gate',
    command: `node dist/scripts/bench-gate.js ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: started.toISOString(),
    endedAt: new Date().toISOString(),
    environment: environmentInfo(),
    settings: { rounds, repeat, caps, draws, duration: opts.duration, warmup: opts.warmup, thresholdsFile: opts.thresholds, thresholds: thresholds.map((t) => `${t.metric} ${t.expression.source}`) },
    fullSpeedMsgsPerS: fullRate,
    falseAlarms,
    detection,
    runs: { calibration: calibration.map(figures), unchanged: unchanged.map(figures), capped: Object.fromEntries([...capped].map(([c, rs]) => [String(c), rs.map(figures)])) },
  };
  const file = await writeJson(opts.out, resultBaseName('bench-gate', started), out);
  process.stdout.write(`written: ${file}\n`);
} finally {
  if (!opts['keep-cluster']) await clusterDown({ stateDir });
}
