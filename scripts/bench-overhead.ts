/**
 * How much throughput and CPU does mqbench itself cost? Runs, on the same broker and with the
 * same settings, a bare single-loop amqplib publisher/consumer (scripts/bare/) and mqbench
 * (`bin/mqbench.js run` on a generated profile), alternating bare, mqbench, bare, mqbench… and
 * prints the consume-rate ratio mqbench/bare and the client CPU time per message of each.
 *
 * Settings (the target: ratio ≥ 0.95): 1 publisher, no rate limit, confirms with at most
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
 * The pieces are in scripts/overhead/ (options, the two sides, the summary). See scripts/README.md
 * for how to read the output.
 *
 * Usage: node dist/scripts/bench-overhead.js [--uri amqp://…] [--duration 15] [--warmup 3]
 *        [--rounds 2] [--queue-types classic,quorum] [--workers n] [--mqbench path] [--help]
 */
import { relative } from 'node:path';
import { sleep } from '../src/cluster/local/exec.js';
import { environmentInfo, loadAverage } from '../src/results/environment.js';
import { resultBaseName, writeJson } from '../src/results/writer.js';
import { maskUri } from '../src/util/mask.js';
import { EXIT, UserError } from '../src/util/userError.js';
import { runBareSide } from './overhead/bareSide.js';
import type { RunFigures } from './overhead/figures.js';
import { runMqbenchSide } from './overhead/mqbenchSide.js';
import { HELP, parseOptions, type Options } from './overhead/options.js';
import { describeRun, isNoisy, NOISY_SPREAD, renderSummary, summarize, TARGET_RATIO, type QueueTypeSummary } from './overhead/summary.js';
import { WORKLOAD } from './overhead/workload.js';

const log = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/** Every run, per queue type, per round: bare then mqbench, a settle pause after each. */
async function runAll(o: Options): Promise<{ runs: RunFigures[]; brokerVersions: Set<string> }> {
  const runs: RunFigures[] = [];
  const brokerVersions = new Set<string>();
  for (const queueType of o.queueTypes) {
    for (let round = 1; round <= o.rounds; round++) {
      runs.push(await runBareSide(o, { side: 'bare', queueType, round }));
      log(describeRun(runs.at(-1)!));
      await sleep(o.settleS * 1000);
      const mq = await runMqbenchSide(o, { side: 'mqbench', queueType, round });
      runs.push(mq.figures);
      mq.brokerVersions.forEach((v) => brokerVersions.add(v));
      log(describeRun(mq.figures));
      await sleep(o.settleS * 1000);
    }
  }
  return { runs, brokerVersions };
}

/** The summary table and its notes, as printed on stdout. */
function summaryText(summaries: QueueTypeSummary[], runs: RunFigures[]): string {
  let text =
    `${renderSummary(summaries)}\n` +
    '\nmsgs/s: consumed in the measured window, mean over rounds; ratio: mqbench/bare (per round in brackets).\n' +
    'CPU µs/msg: client process CPU (user+system) over the measured window / messages consumed in it.\n' +
    'process µs/msg: whole client process, start-up to exit / every message consumed in the run.\n';
  const noisy = summaries.filter(isNoisy);
  if (noisy.length > 0) {
    text +=
      `\nNOISY: the rounds of ${noisy.map((s) => s.queueType).join(', ')} disagree by more than ${NOISY_SPREAD * 100}%; ` +
      'something else used the machine (see the load on each run line). Re-run with more --rounds, or when the machine is idle.\n';
  }
  const problems = runs.filter((r) => !r.deliveryOk).length;
  if (problems > 0) text += `\nWARNING: ${problems} run(s) with delivery problems; see the JSON.\n`;
  return text;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (!o) {
    process.stdout.write(HELP);
    return;
  }
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const perRunS = o.warmupS + o.durationS + o.settleS + 3;
  log(
    `bench-overhead: ${o.queueTypes.join(', ')} × ${o.rounds} round(s) × (bare, mqbench), ${o.warmupS} s warm-up + ${o.durationS} s measured each; ` +
      `about ${Math.ceil((o.queueTypes.length * o.rounds * 2 * perRunS) / 60)} min`,
  );
  const { runs, brokerVersions } = await runAll(o);
  const summaries = o.queueTypes.map((q) => summarize(q, runs));
  process.stdout.write(summaryText(summaries, runs));

  const report = {
    kind: 'bench-overhead',
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    settings: {
      uri: maskUri(o.uri),
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
    environment: { ...environmentInfo(loadBefore), broker: [...brokerVersions] },
    targetRatio: TARGET_RATIO,
    summary: summaries.map((s) => ({ ...s, noisy: isNoisy(s) })),
    runs,
  };
  const file = await writeJson(o.outDir, resultBaseName('bench-overhead', startedAt), report);
  process.stdout.write(`\nresult: ${relative(process.cwd(), file) || file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-overhead: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof UserError ? err.exitCode : EXIT.runFailed;
});
