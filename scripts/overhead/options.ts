/** The command line of scripts/bench-overhead.ts: its options, their defaults and checks. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../src/util/packageRoot.js';
import { maskUri } from '../../src/util/mask.js';
import { UserError } from '../../src/util/userError.js';

export const QUEUE_TYPES = ['classic', 'quorum'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

export interface Options {
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

export const HELP = `Usage: node dist/scripts/bench-overhead.js [options]

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

/** `text` as a number from min to max (an integer when asked), else a UserError naming the option. */
function num(name: string, text: string, min: number, max: number, integer = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UserError(`--${name}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

function queueTypes(list: string): QueueType[] {
  const types = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const t of types) {
    if (!(QUEUE_TYPES as readonly string[]).includes(t)) throw new UserError(`--queue-types: unknown queue type "${t}" (classic, quorum)`);
  }
  if (types.length === 0) throw new UserError('--queue-types: give at least one of classic, quorum');
  return [...new Set(types)] as QueueType[];
}

function parse(argv: string[]) {
  try {
    return parseArgs({
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
    }).values;
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
}

/** The options, checked; null for --help. Bad input throws a UserError (exit 2). */
export function parseOptions(argv: string[]): Options | null {
  const values = parse(argv);
  if (values.help) return null;
  if (!/^amqps?:\/\//.test(values.uri)) throw new UserError(`--uri: expected an amqp:// or amqps:// URI, got "${maskUri(values.uri)}"`);
  return {
    uri: values.uri,
    durationS: num('duration', values.duration, 1, 3600),
    warmupS: num('warmup', values.warmup, 0, 600),
    rounds: num('rounds', values.rounds, 1, 20, true),
    queueTypes: queueTypes(values['queue-types']),
    settleS: num('settle', values.settle, 0, 60),
    drainTimeoutS: num('drain-timeout', values['drain-timeout'], 1, 600),
    outDir: values.out,
    workers: values.workers === undefined ? undefined : num('workers', values.workers, 1, 256, true),
    mqbenchBin: resolve(values.mqbench),
    cpuProfDir: values['cpu-prof-dir'],
    keepTmp: values['keep-tmp'],
  };
}
