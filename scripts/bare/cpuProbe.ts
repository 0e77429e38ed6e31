/**
 * Preloaded into the mqbench child by scripts/bench-overhead.ts
 * (`node --import <this file> bin/mqbench.js run …`) to measure its resource use the same way
 * the bare client measures its own (usage.ts: getrusage of the whole process, worker threads
 * included, and /proc/self/io).
 *
 * It takes three readings and writes them as JSON to $MQBENCH_CPU_PROBE_OUT on 'exit':
 *  - windowStart: when the measured window opens, startAtUs + warm-up ($MQBENCH_CPU_PROBE_WARMUP_MS).
 *    startAtUs is the start barrier the coordinator sends its workers in the "start" message;
 *  - windowEnd: when the coordinator sends its first "stopPublishing", which it does on the
 *    tick that closes the measured window ("stop" counts too when a run is cut short);
 *  - exit: the whole process, start-up and result writing included.
 * It sees those messages by wrapping Worker.prototype.postMessage in the main thread only;
 * nothing else in mqbench changes, and the wrapper runs a few times a second.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread, Worker } from 'node:worker_threads';
import type { ToWorker } from '../../src/engine/protocol.js';
import { nowUs, takeUsage, type UsageReading } from './usage.js';

export interface CpuProbeOutput {
  windowStart: UsageReading | null;
  windowEnd: UsageReading | null;
  exit: UsageReading;
}

const outPath = process.env.MQBENCH_CPU_PROBE_OUT;
const warmupMs = Number(process.env.MQBENCH_CPU_PROBE_WARMUP_MS ?? '0');

// --import is inherited by worker threads: only the main thread (the coordinator) installs the probe.
if (isMainThread && outPath) {
  let windowStart: UsageReading | null = null;
  let windowEnd: UsageReading | null = null;
  let startTimer: NodeJS.Timeout | undefined;

  const observe = (msg: ToWorker): void => {
    switch (msg.type) {
      case 'start':
        if (startTimer === undefined) {
          const delayMs = Math.max(0, (msg.startAtUs - nowUs()) / 1000 + warmupMs);
          startTimer = setTimeout(() => {
            windowStart ??= takeUsage();
          }, delayMs);
          startTimer.unref();
        }
        return;
      case 'stopPublishing':
      case 'stop':
        windowEnd ??= takeUsage();
        return;
      case 'tick':
        return;
    }
  };

  const original = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function postMessage(this: Worker, value: unknown, transferList?: Parameters<Worker['postMessage']>[1]): void {
    if (typeof value === 'object' && value !== null && 'type' in value) observe(value as ToWorker);
    original.call(this, value, transferList);
  };

  process.once('exit', () => {
    const out: CpuProbeOutput = { windowStart, windowEnd, exit: takeUsage() };
    writeFileSync(outPath, `${JSON.stringify(out)}\n`);
  });
}
