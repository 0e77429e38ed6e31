import ora, { type Ora } from 'ora';
import type { Benchmark } from '../engine/runBenchmark.js';
import type { TickRecord } from '../engine/ticks.js';
import { formatDurationMs } from '../profile/duration.js';

/**
 * A spinner on stderr with elapsed/total time, live rates and the current p99.
 * Silent when stderr is not a TTY or with --quiet, so CI logs and pipes stay clean.
 */
export function attachProgress(run: Benchmark, totalMs: number | undefined, quiet: boolean): () => void {
  if (quiet) return () => undefined;
  if (process.stderr.isTTY !== true) {
    // No spinner in logs, but slow steps (starting a cluster) still say what they are doing.
    const onStatus = (m: string): void => void process.stderr.write(`mqbench: ${m}\n`);
    run.on('status', onStatus);
    return () => run.off('status', onStatus);
  }
  const spinner: Ora = ora({ text: 'connecting…', stream: process.stderr }).start();
  let phase = 'connecting';
  run.on('status', (m) => {
    spinner.text = m;
  });
  run.on('phase', (p) => {
    phase = p;
    spinner.text = `${p}…`;
  });
  run.on('tick', (t: TickRecord, elapsedMs: number) => {
    const perS = (n: number): string => (t.intervalMs > 0 ? ((n * 1000) / t.intervalMs).toFixed(0) : '0');
    const p99 = t.latencies.e2eCorrected.totalCount > 0 ? `${(t.latencies.e2eCorrected.getValueAtPercentile(99) / 1000).toFixed(1)} ms` : '–';
    const total = totalMs !== undefined ? ` / ${formatDurationMs(totalMs)}` : '';
    spinner.text = `${phase} ${formatDurationMs(Math.round(elapsedMs / 1000) * 1000)}${total}  pub ${perS(t.counters.published)}/s  conf ${perS(t.counters.confirmed)}/s  cons ${perS(t.counters.consumed)}/s  e2e p99 ${p99}`;
  });
  return () => spinner.stop();
}
