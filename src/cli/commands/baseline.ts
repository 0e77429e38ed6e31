import Table from 'cli-table3';
import type { Argv, CommandModule } from 'yargs';
import {
  baselineFile,
  DEFAULT_BASELINE_DIR,
  DEFAULT_BASELINE_NAME,
  describeBaseline,
  listBaselines,
  resolveBaseline,
  saveBaseline,
  type BaselineInfo,
} from '../../gate/baselineStore.js';
import { PLAIN_TABLE } from '../../report/plainTable.js';
import { measuredRuns, repetitionNumbers } from '../../results/repeated.js';
import type { LatencySummaryMs } from '../../metrics/histogram.js';

interface Common {
  dir: string;
}
interface SaveArgs extends Common {
  result: string;
  name: string;
}
interface ShowArgs extends Common {
  name: string | undefined;
}

const dirOption = <T>(y: Argv<T>): Argv<T & Common> =>
  y.option('dir', { type: 'string', default: DEFAULT_BASELINE_DIR, describe: 'Directory holding the baselines (commit it with your code)' });

const rate = (x: number): string => x.toFixed(0);
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const consumedText = (i: BaselineInfo): string => (i.runs === 0 ? '–' : i.runs === 1 ? rate(i.consumed.mean) : `${rate(i.consumed.mean)} ± ${rate(i.consumed.stddev)}`);
const runsText = (i: BaselineInfo): string => (i.kind === 'repeated' && i.runs !== i.repeat ? `${i.runs} of ${i.repeat}` : String(i.runs));
const problemsText = (i: BaselineInfo): string => [i.interrupted ? 'interrupted' : '', ...i.problems].filter(Boolean).join(', ');

/** One line: what a baseline is. */
export function baselineLine(i: BaselineInfo): string {
  const problems = problemsText(i);
  return (
    `${i.name}: ${i.kind}, ${runsText(i)} run${i.runs === 1 ? '' : 's'} of ${i.profileSource} (${i.resultName}), ` +
    `consumed ${consumedText(i)} msgs/s, e2e p99 ${i.e2eP99Ms === null ? '–' : `${ms(i.e2eP99Ms)} ms`}, measured ${i.measuredAt}` +
    (problems ? `; not ok: ${problems}` : '')
  );
}

const save: CommandModule<object, SaveArgs> = {
  command: 'save <result>',
  describe: 'Keep a run or repeated result as a named baseline (<dir>/<name>.json)',
  builder: (y) =>
    dirOption(y)
      .positional('result', { type: 'string', demandOption: true, describe: 'Result JSON of mqbench run (with or without --repeat)' })
      .option('name', { type: 'string', default: DEFAULT_BASELINE_NAME, describe: 'Name of the baseline (letters, digits, . _ -); an existing one is replaced' })
      .example('$0 baseline save results/quorum-3node-20261201T025920Z.json', 'Saves baselines/main.json')
      .example('$0 baseline save results/quorum-3node-20261201T025920Z.json --name rabbitmq-3.13 --dir ci/baselines', 'Another name and directory')
      .epilogue('The gate reads it back with --baseline main (a name in --dir) or --baseline <path>. Exit codes: 0 saved; 2 not a run or repeated result, nothing measured, or a bad name.'),
  handler: async (args) => {
    const { file, info, replaced } = await saveBaseline(args.result, args.name, args.dir);
    process.stdout.write(`${replaced ? 'replaced' : 'saved'} baseline ${file}\n${baselineLine(info)}\n`);
    const problems = problemsText(info);
    if (problems) process.stderr.write(`mqbench: warning: the saved result is not a clean run (${problems}); a gate against it compares with that\n`);
  },
};

const show: CommandModule<object, ShowArgs> = {
  command: 'show',
  describe: 'List the baselines in a directory, or show one in detail',
  builder: (y) =>
    dirOption(y)
      .option('name', { type: 'string', describe: 'Show this baseline in detail (default: a table of all)' })
      .example('$0 baseline show', 'Every baseline in baselines/')
      .example('$0 baseline show --name main', 'baselines/main.json in detail: every run, rates, latency, verdicts')
      .epilogue('Exit codes: 0 shown; 2 the directory or the named baseline does not exist, or it is not a run or repeated result.'),
  handler: async (args) => {
    if (args.name !== undefined) {
      const { file, loaded } = await resolveBaseline(args.name, args.dir);
      process.stdout.write(`${baselineDetail(describeBaseline(loaded, file, args.name), loaded)}\n`);
      return;
    }
    const all = await listBaselines(args.dir);
    if (all.length === 0) {
      process.stdout.write(`no baselines in ${args.dir}/\n`);
      return;
    }
    const t = new Table({ ...PLAIN_TABLE, head: ['name', 'kind', 'runs', 'profile', 'measured at', 'consumed msgs/s', 'e2e p99 ms', 'not ok'] });
    for (const b of all) {
      if (!b.info) {
        t.push([b.name, '–', '–', '–', '–', '–', '–', `not a baseline: ${b.error ?? ''}`]);
        continue;
      }
      const i = b.info;
      t.push([i.name, i.kind, runsText(i), i.profileSource, i.measuredAt, consumedText(i), i.e2eP99Ms === null ? '–' : ms(i.e2eP99Ms), problemsText(i)]);
    }
    process.stdout.write(`${t.toString().replace(/[ \t]+$/gm, '')}\n`);
  },
};

/** `baseline show --name`: where it came from, the figures, and every run. */
function baselineDetail(i: BaselineInfo, loaded: Parameters<typeof describeBaseline>[0]): string {
  const r = loaded.result;
  const lines = [`baseline ${i.name} (${i.file})`];
  const env = r.environment;
  lines.push(`  ${i.kind}: ${runsText(i)} measured run${i.runs === 1 ? '' : 's'} of ${i.profileSource} (${i.resultName})`);
  if (loaded.kind === 'repeated' && loaded.result.interleavedWith) lines.push(`  alternating with ${loaded.result.interleavedWith}`);
  lines.push(`  measured ${r.startedAt} → ${r.endedAt}${env ? ` on ${env.hostname} (${env.cpu.count} × ${env.cpu.model}), mqbench ${env.mqbenchVersion}` : ''}`);
  const latency = (label: string, s: LatencySummaryMs): string => `  ${label}: p50 ${ms(s.p50Ms)} / p99 ${ms(s.p99Ms)} / p99.9 ${ms(s.p999Ms)} / max ${ms(s.maxMs)} ms`;
  if (loaded.kind === 'run') {
    const run = loaded.result;
    lines.push(`  broker ${run.broker.versions.join(', ') || 'unknown'}, ${run.profile.queues.type} queue(s)`);
    lines.push(`  consumed ${rate(run.rates.consumed.overallMsgsPerS)} msgs/s, published ${rate(run.rates.published.overallMsgsPerS)}, confirmed ${rate(run.rates.confirmed.overallMsgsPerS)}`);
    lines.push(latency('e2e', run.latency.e2e.corrected), latency('confirm', run.latency.confirm.corrected));
    lines.push(`  verdict ${run.verdict.status}: ${run.verdict.message}`);
    lines.push('  a single run: relative thresholds against it have no run-to-run noise to judge by (repeat with mqbench run --repeat N)');
    return lines.join('\n');
  }
  const rep = loaded.result;
  const s = rep.summary;
  const first = rep.runs[0];
  if (first) lines.push(`  broker ${first.broker.versions.join(', ') || 'unknown'}, ${rep.profile.queues.type} queue(s)`);
  if (s) {
    const pm = (m: { mean: number; stddev: number }): string => `${rate(m.mean)} ± ${rate(m.stddev)}`;
    lines.push(`  consumed ${pm(s.consumeRate)} msgs/s, published ${pm(s.publishRate)}, confirmed ${pm(s.confirmRate)} (mean ± stddev across runs)`);
    lines.push(latency('e2e (runs merged)', s.e2e), latency('confirm (runs merged)', s.confirm));
    lines.push(`  lost ${s.lost === null ? `n/a (${s.accountingIncomplete} incomplete)` : s.lost}, duplicates ${s.duplicates}`);
  }
  const t = new Table({ ...PLAIN_TABLE, head: ['repetition', 'consumed msgs/s', 'e2e p99 ms', 'confirm p99 ms', 'verdict'] });
  const measured = new Set(measuredRuns(rep.runs));
  const reps = repetitionNumbers(rep);
  rep.runs.forEach((run, k) =>
    t.push([
      String(reps[k]),
      measured.has(run) ? rate(run.rates.consumed.overallMsgsPerS) : '–',
      ms(run.latency.e2e.corrected.p99Ms),
      ms(run.latency.confirm.corrected.p99Ms),
      run.verdict.status === 'ok' ? 'ok' : `${run.verdict.status}: ${run.verdict.message}`,
    ]),
  );
  lines.push(t.toString().replace(/^/gm, '  '));
  for (const f of rep.failures) lines.push(`  repetition ${f.repetition} failed: ${f.error}`);
  return lines.join('\n').replace(/[ \t]+$/gm, '');
}

export const baselineCommand: CommandModule = {
  command: 'baseline <command>',
  describe: 'Keep named baselines for the gate: save a result as one, show them',
  builder: (y) =>
    y
      .command(save)
      .command(show)
      .demandCommand(1, 'Name a baseline command: save, show')
      .example('$0 baseline save results/my-run-20261201T025920Z.json --name main', `Saves ${baselineFile('main')}`)
      .example('$0 baseline show', 'A table of every saved baseline'),
  handler: () => undefined,
};
