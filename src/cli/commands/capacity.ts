import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { capacityRows } from '../../capacity/csv.js';
import type { CapacityResult, CapacitySettings, CapacityStep } from '../../capacity/model.js';
import { StepRunner } from '../../capacity/runStep.js';
import { measureCurve, parseSlo, searchCapacity } from '../../capacity/search.js';
import { parseDurationMs } from '../../profile/duration.js';
import { loadProfile } from '../../profile/load.js';
import { renderCapacity } from '../../report/capacityTable.js';
import { toCsv } from '../../results/csv.js';
import { environmentInfo, loadAverage } from '../../results/environment.js';
import { RESULT_FORMAT_VERSION } from '../../results/model.js';
import { resultBaseName, writeJson } from '../../results/writer.js';
import { maskProfile } from '../../util/mask.js';
import { EXIT, UserError } from '../fail.js';
import { StopSignals } from '../stopSignals.js';

interface CapacityArgs {
  profile: string;
  out: string;
  quiet: boolean;
  force: boolean;
  'start-rate': number | undefined;
  precision: number;
  tolerance: number;
  step: string;
  settle: string;
  'max-steps': number;
  slo: string[] | undefined;
  curve: boolean;
  fractions: string;
}

export const capacityCommand: CommandModule<object, CapacityArgs> = {
  command: 'capacity <profile>',
  describe: 'Find the highest total publish rate the setup sustains (no backlog, no nacks, SLOs met), then measure latency at fractions of it',
  builder: (y) =>
    y
      .positional('profile', { type: 'string', demandOption: true, describe: 'Profile JSON: its publishers, consumers, queues and cluster; the search sets the rate' })
      .option('out', { type: 'string', default: 'results', describe: 'Directory for the capacity result (JSON + CSV)' })
      .option('start-rate', { type: 'number', describe: 'First total rate to try, msgs/s (default: half of a full-speed probe\'s consume rate)' })
      .option('precision', { type: 'number', default: 5, describe: 'Stop when the bracket [sustained, not sustained] is narrower than this % of its lower end' })
      .option('tolerance', { type: 'number', default: 3, describe: 'A rate is sustained when published and consumed reach (100 − tolerance) % of it' })
      .option('step', { type: 'string', default: '10s', describe: 'Measured time per step' })
      .option('settle', { type: 'string', default: '3s', describe: 'Warm-up before each step (excluded)' })
      .option('max-steps', { type: 'number', default: 20, describe: 'Search steps at most (the probe and the curve not counted)' })
      .option('slo', { type: 'string', array: true, describe: 'Latency bound a sustained rate must meet, e.g. e2e.p99<50ms (repeatable)' })
      .option('curve', { type: 'boolean', default: true, describe: 'Measure latency at --fractions of the capacity found (--no-curve: skip)' })
      .option('fractions', { type: 'string', default: '10,25,50,75,90,100', describe: 'Percentages of the capacity for the latency curve' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace a running local cluster whose layout differs from the profile\'s' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only the final tables' })
      .example('$0 capacity profiles/quorum-3node.json', 'Sustainable rate of quorum queues on 3 local nodes, and the latency curve')
      .example("$0 capacity profiles/quorum-3node.json --slo 'e2e.p99<50ms' --no-curve", 'The highest rate whose e2e p99 stays under 50 ms')
      .epilogue(
        'Each step deletes and re-creates the queues (the profile\'s queues.onStart "delete"), settles, then measures. A rate is sustained when the ' +
          'publishers reach it, the consumers keep up, the queues do not grow, nothing is nacked and every --slo holds. Method: a full-speed probe, ' +
          'then doubling/halving from half its consume rate until one sustained and one unsustained rate are found, then bisection to --precision. ' +
          'Exit codes: 0 a capacity was found; 1 none (not even the lowest step) or the search failed; 2 bad input; 130 Ctrl-C; 143 SIGTERM.',
      ),
  handler: async (args) => {
    process.exitCode = await runCapacity(args);
  },
};

async function runCapacity(args: CapacityArgs): Promise<number> {
  const profile = await loadProfile(args.profile);
  const stepMs = parseDurationMs(args.step);
  const settleMs = parseDurationMs(args.settle);
  if (stepMs === undefined || stepMs < 3000) throw new UserError(`--step ${args.step}: expected a duration of at least 3s (backlog detection needs 3 depth readings)`);
  if (settleMs === undefined) throw new UserError(`--settle ${args.settle}: expected a duration such as 3s`);
  if (!(args.precision > 0 && args.precision < 100)) throw new UserError(`--precision ${args.precision}: expected a percentage between 0 and 100`);
  if (!(args.tolerance >= 0 && args.tolerance < 100)) throw new UserError(`--tolerance ${args.tolerance}: expected a percentage between 0 and 100`);
  if (profile.publishers.count === 0 || profile.consumers.count === 0) throw new UserError(`${args.profile}: capacity needs publishers and consumers`);
  if (profile.queues.onStart !== 'delete') throw new UserError(`${args.profile}: queues.onStart must be "delete" so every step starts from empty queues`);
  const fractions = args.fractions.split(',').map((f) => Number(f) / 100);
  if (fractions.some((f) => !(f > 0 && f <= 2))) throw new UserError(`--fractions ${args.fractions}: expected percentages such as 10,50,100`);
  let slos;
  try {
    slos = (args.slo ?? []).map(parseSlo);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const settings: CapacitySettings = {
    precision: args.precision / 100,
    tolerance: args.tolerance / 100,
    stepMs,
    settleMs,
    maxSteps: args['max-steps'],
    startMsgsPerS: args['start-rate'] ?? null,
    slos,
    fractions,
  };
  const say = (s: string): void => {
    if (!args.quiet) process.stderr.write(`mqbench: ${s}\n`);
  };
  const runner = new StepRunner(profile, args.profile, { stepMs, settleMs, slos, force: args.force });
  let aborted: string | undefined;
  const signals = new StopSignals((reason) => {
    aborted ??= reason;
    runner.abort(reason);
  });
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const steps: CapacityStep[] = [];
  const onStep = (s: CapacityStep): void => {
    steps.push(s);
    say(`${s.phase} ${s.targetMsgsPerS === 0 ? 'full speed' : `${Math.round(s.targetMsgsPerS)} msgs/s`}: published ${Math.round(s.publishedMsgsPerS)}, consumed ${Math.round(s.consumedMsgsPerS)} msgs/s, e2e p99 ${s.e2eP99Ms.toFixed(1)} ms — ${s.reason}`);
  };
  let found: number | null = null;
  let notSustained: number | null = null;
  let error: string | null = null;
  try {
    const outcome = await searchCapacity(runner.measure, settings, onStep, () => aborted !== undefined);
    found = outcome.sustainableMsgsPerS;
    notSustained = outcome.notSustainableMsgsPerS;
    if (found !== null && args.curve && !aborted) await measureCurve(runner.measure, found, fractions, onStep, () => aborted !== undefined);
  } catch (err) {
    error = aborted ?? (err instanceof Error ? err.message : String(err));
  } finally {
    signals.dispose();
  }
  const result: CapacityResult = {
    formatVersion: RESULT_FORMAT_VERSION,
    kind: 'capacity',
    name: profile.name,
    profileSource: args.profile,
    profile: maskProfile(profile),
    environment: environmentInfo(loadBefore),
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    interrupted: aborted !== undefined,
    error: error ?? aborted ?? null,
    settings,
    capacity: { sustainableMsgsPerS: found, notSustainableMsgsPerS: notSustained, steps },
  };
  const base = resultBaseName(`${profile.name}-capacity`, startedAt);
  const json = await writeJson(args.out, base, result);
  const csv = join(args.out, `${base}.csv`);
  await writeFile(csv, toCsv(capacityRows(result)));
  process.stdout.write(`${renderCapacity(result)}\n\nresult: ${json}, ${csv}\n`);
  if (signals.exitCode !== undefined) return signals.exitCode;
  if (error) {
    process.stderr.write(`mqbench: capacity search failed: ${error}\n`);
    return EXIT.runFailed;
  }
  return found === null ? EXIT.runFailed : EXIT.ok;
}

/** The step table moved to src/report/capacityTable.ts (the HTML report shares its facts); re-exported for existing importers. */
export { renderCapacity };
