/** The bare side of scripts/bench-overhead.ts: scripts/bare/main.js as a child, its JSON line turned into figures. */
import { fileURLToPath } from 'node:url';
import type { BareOptions } from '../bare/bareClient.js';
import type { BareChildOutput } from '../bare/main.js';
import { runClientProcess } from './child.js';
import { perMessage, type RunFigures, type RunId } from './figures.js';
import type { Options } from './options.js';
import { QUEUE_NAME, WORKLOAD } from './workload.js';

const CONNECT_TIMEOUT_MS = 5_000;

function bareOptions(o: Options, queueType: RunId['queueType']): BareOptions {
  return {
    uri: o.uri,
    queue: QUEUE_NAME,
    queueType,
    ...WORKLOAD,
    warmupMs: o.warmupS * 1000,
    durationMs: o.durationS * 1000,
    drainTimeoutMs: o.drainTimeoutS * 1000,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  };
}

export async function runBareSide(o: Options, id: RunId): Promise<RunFigures> {
  const entry = fileURLToPath(new URL('../bare/main.js', import.meta.url));
  const c = await runClientProcess('bare client', o, id, [entry, JSON.stringify(bareOptions(o, id.queueType))]);
  const r = JSON.parse(c.stdout.trim().split('\n').pop() ?? '') as BareChildOutput;
  const lost = r.totals.confirmed - r.totals.consumed;
  return {
    ...id,
    consumedMsgsPerS: r.consumedMsgsPerS,
    publishedMsgsPerS: r.publishedMsgsPerS,
    measuredMs: r.measuredMs,
    measuredConsumed: r.measuredConsumed,
    ...perMessage(r.measuredUsage, r.measuredConsumed, r.processUsage, r.totals.consumed),
    wallMs: c.wallMs,
    loadavg1: c.loadavg1,
    deliveryOk: !r.drainTimedOut && r.totals.nacked === 0 && r.totals.redelivered === 0,
    note: r.drainTimedOut ? `drain timed out: ${lost} confirmed messages not consumed` : null,
  };
}
