/** The figures of scripts/bench-overhead.ts per queue type, and how they are printed. */
import Table from 'cli-table3';
import { meanStd } from '../../src/metrics/meanStd.js';
import { PLAIN_TABLE } from '../../src/report/plainTable.js';
import type { RunFigures, Side } from './figures.js';
import type { QueueType } from './options.js';

export const TARGET_RATIO = 0.95;
/** Per-round ratios further apart than this (max/min - 1) make the mean ratio doubtful. */
export const NOISY_SPREAD = 0.1;

export interface QueueTypeSummary {
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

const mean = (xs: number[]): number => meanStd(xs).mean;

export function summarize(queueType: QueueType, runs: RunFigures[]): QueueTypeSummary {
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

/** Whether the rounds of a queue type disagree by more than NOISY_SPREAD. */
export function isNoisy(s: QueueTypeSummary): boolean {
  return s.roundRatios.length > 1 && Math.max(...s.roundRatios) / Math.min(...s.roundRatios) - 1 > NOISY_SPREAD;
}

export function renderSummary(summaries: QueueTypeSummary[]): string {
  const t = new Table({
    ...PLAIN_TABLE,
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

/** The stderr line of one finished run. */
export function describeRun(r: RunFigures): string {
  return (
    `${r.queueType} round ${r.round} ${r.side.padEnd(7)}: ${r.consumedMsgsPerS.toFixed(0)} msgs/s consumed ` +
    `(${r.measuredConsumed} in ${(r.measuredMs / 1000).toFixed(2)} s), CPU ${r.windowCpuUsPerMsg.toFixed(1)} µs/msg window, ` +
    `${r.processCpuUsPerMsg.toFixed(1)} µs/msg process; per msg ${r.windowSyscallsPerMsg?.toFixed(2) ?? '?'} syscalls, ` +
    `${r.windowCtxSwitchesPerMsg.toFixed(2)} ctx switches; load ${r.loadavg1.map((l) => l.toFixed(1)).join('→')}` +
    `${r.deliveryOk ? '' : ', DELIVERY PROBLEM'}${r.note ? ` [${r.note}]` : ''}`
  );
}
