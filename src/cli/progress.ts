import ora, { type Ora } from 'ora';
import type { BenchmarkRun } from '../api/runBenchmark.js';
import { formatDurationMs } from '../profile/duration.js';

/**
 * A spinner on stderr with elapsed/total time, live rates and the current p99.
 * Silent when stderr is not a TTY or with --quiet, so CI logs and pipes stay clean.
 */
export function attachProgress(run: BenchmarkRun, totalMs: number | undefined, quiet: boolean): () => void {
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
  run.on('tick', (t) => {
    const rate = (x: number): string => x.toFixed(0);
    const p99 = t.e2eP99Ms === null ? '–' : `${t.e2eP99Ms.toFixed(1)} ms`;
    const total = totalMs !== undefined ? ` / ${formatDurationMs(totalMs)}` : '';
    spinner.text = `${phase} ${formatDurationMs(Math.round(t.tMs / 1000) * 1000)}${total}  pub ${rate(t.publishedPerS)}/s  conf ${rate(t.confirmedPerS)}/s  cons ${rate(t.consumedPerS)}/s  e2e p99 ${p99}`;
  });
  return () => spinner.stop();
}
