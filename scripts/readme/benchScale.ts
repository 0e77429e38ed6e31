import type { Source, TableGenerator } from './generator.js';
import { expectKind } from './generator.js';
import { count, fmtMsGrouped, mdTable } from './format.js';

/** One agent count of scripts/bench-scale.ts: N publishers + N consumers on N queues. */
export interface ScaleRun {
  agents: number;
  publishers: number;
  consumers: number;
  queues: number;
  connections: number;
  targetMsgsPerS: number;
  declareS: number;
  connectS: number;
  publishedMsgsPerS: number;
  consumedMsgsPerS: number;
  lost: number | null;
  notConsumed: number | null;
  duplicates: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  clientCpuUsPerMsg: number;
  brokerCpuUsPerMsg: number | null;
  clientRssMiB: number;
  brokerRssMiB: number | null;
  held: boolean;
  /** Why it did not hold, or the run's error. */
  why: string;
}

/** What scripts/bench-scale.ts writes. */
export interface BenchScaleResult {
  kind: 'bench-scale';
  command: string;
  startedAt: string;
  environment: unknown;
  settings: {
    rate: number;
    duration: string;
    warmup: string;
    publishersPerConnection: number;
    consumersPerConnection: number;
    persistent: boolean;
    rateTolerance: number;
    startLimitMs: number;
    e2eP99LimitMs: number;
  };
  runs: ScaleRun[];
}

const ratio = (x: number): string => x.toFixed(3);
const whole = (x: number | null): string => (x === null || Number.isNaN(x) ? '–' : count(Math.round(x)));

/** The setup of a file in words: "50 per connection, transient" / "a connection each, persistent". */
function setup(f: BenchScaleResult): string {
  const s = f.settings;
  const conn = s.publishersPerConnection === 1 && s.consumersPerConnection === 1 ? 'a connection per agent' : `${s.publishersPerConnection} agents per connection`;
  return `${conn}, ${s.persistent ? 'persistent on durable queues' : 'transient'}`;
}

/**
 * "Scale": one row per agent count of `scripts/bench-scale.ts` results (one or more files, one setup
 * each): N publishers + N consumers on N queues at the file's per-publisher rate; held = both rates
 * within 2 % of the target, nothing lost, start under 60 s.
 */
export const benchScale: TableGenerator = {
  describe: 'scale (node dist/scripts/bench-scale.js): start time, achieved rates, latency, CPU per message and memory by agent count',
  files: 'many',
  render(sources: Source[]) {
    const rows: string[][] = [];
    for (const source of sources) {
      const f = expectKind<BenchScaleResult>(source, 'bench-scale');
      for (const r of f.runs) {
        rows.push([
          `${count(r.publishers)} + ${count(r.consumers)}, ${count(r.queues)} queues (${setup(f)})`,
          count(r.connections),
          r.connectS.toFixed(1),
          `${ratio(r.publishedMsgsPerS / r.targetMsgsPerS)} / ${ratio(r.consumedMsgsPerS / r.targetMsgsPerS)} of ${count(r.targetMsgsPerS)}`,
          whole(r.lost),
          fmtMsGrouped(r.e2eP99Ms),
          `${whole(r.clientCpuUsPerMsg)} / ${whole(r.brokerCpuUsPerMsg)}`,
          `${whole(r.clientRssMiB)} / ${whole(r.brokerRssMiB)}`,
          r.held ? '**yes**' : 'no',
        ]);
      }
    }
    return mdTable(
      ['publishers + consumers', 'connections', 'start s', 'published / consumed ÷ target msgs/s', 'lost', 'e2e p99 ms', 'CPU µs/msg client / broker', 'RSS MiB client / broker', 'held'],
      rows,
    );
  },
};
