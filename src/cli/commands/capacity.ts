import type { CommandModule } from 'yargs';
import { runCapacity } from '../../api/runCapacity.js';
import { describeStep } from '../../capacity/stepLine.js';
import { CAPACITY_DEFAULTS, capacityOptionsSchema, type CapacityOptions } from '../../capacity/settings.js';
import { renderCapacity } from '../../report/capacityTable.js';
import { maskSecretsInText } from '../../util/mask.js';
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
      .option('precision', { type: 'number', default: CAPACITY_DEFAULTS.precision, describe: 'Stop when the bracket [sustained, not sustained] is narrower than this % of its lower end' })
      .option('tolerance', { type: 'number', default: CAPACITY_DEFAULTS.tolerance, describe: 'A rate is sustained when published and consumed reach (100 − tolerance) % of it' })
      .option('step', { type: 'string', default: CAPACITY_DEFAULTS.step, describe: 'Measured time per step' })
      .option('settle', { type: 'string', default: CAPACITY_DEFAULTS.settle, describe: 'Warm-up before each step (excluded)' })
      .option('max-steps', { type: 'number', default: CAPACITY_DEFAULTS.maxSteps, describe: 'Search steps at most (the probe and the curve not counted)' })
      .option('slo', { type: 'string', array: true, describe: 'Latency bound a sustained rate must meet, e.g. e2e.p99<50ms (repeatable)' })
      .option('curve', { type: 'boolean', default: true, describe: 'Measure latency at --fractions of the capacity found (--no-curve: skip)' })
      .option('fractions', { type: 'string', default: CAPACITY_DEFAULTS.fractions.join(','), describe: 'Percentages of the capacity for the latency curve' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace a running local cluster whose layout differs from the profile\'s' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only the final tables' })
      .example('$0 capacity profiles/quorum-3node.json', 'Sustainable rate of quorum queues on 3 local nodes, and the latency curve')
      .example("$0 capacity profiles/quorum-3node.json --slo 'e2e.p99<50ms' --no-curve", 'The highest rate whose e2e p99 stays under 50 ms')
      .epilogue(
        'Each step runs the profile with its publishers.rate (a number or a schedule) replaced by the step\'s total rate shared by the publishers, ' +
          'without the profile\'s faults and thresholds. Each step deletes and re-creates the queues (the profile\'s queues.onStart "delete"), settles, then measures. A rate is sustained when the ' +
          'publishers reach it, the consumers keep up, the queues do not grow, nothing is nacked and every --slo holds. Method: a full-speed probe, ' +
          'then doubling/halving from half its consume rate until one sustained and one unsustained rate are found, then bisection to --precision. ' +
          'Exit codes: 0 a capacity was found; 1 none (not even the lowest step) or a step failed after others were measured; ' +
          '2 bad input (profile, options, or the first step could not start: broker unreachable, credentials); 130 Ctrl-C; 143 SIGTERM.',
      ),
  handler: async (args) => {
    process.exitCode = await runCapacityCommand(args);
  },
};

/** The flag each option comes from, for error messages. */
const FLAG: Record<string, string> = { step: '--step', settle: '--settle', precision: '--precision', tolerance: '--tolerance', maxSteps: '--max-steps', startRate: '--start-rate', slo: '--slo', fractions: '--fractions', curve: '--curve' };

function optionsFromArgs(args: CapacityArgs): CapacityOptions {
  const fractions = args.fractions.split(',').map((f) => Number(f.trim()));
  const input = {
    step: args.step,
    settle: args.settle,
    precision: args.precision,
    tolerance: args.tolerance,
    maxSteps: args['max-steps'],
    startRate: args['start-rate'],
    slo: args.slo ?? [],
    curve: args.curve,
    fractions,
  };
  const parsed = capacityOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const given = key === 'fractions' ? args.fractions : key === 'slo' ? (args.slo ?? [])[Number(issue.path[1] ?? 0)] : String(input[key as keyof typeof input]);
    // A bad --slo carries its own text in the message.
    throw new UserError(key === 'slo' ? issue.message : `${FLAG[key] ?? key} ${given}: ${issue.message}`);
  }
  return parsed.data;
}

/** The CLI over the library's runCapacity: flags checked first, steps on stderr, the tables on stdout. */
async function runCapacityCommand(args: CapacityArgs): Promise<number> {
  const run = runCapacity(args.profile, { search: optionsFromArgs(args), force: args.force, out: args.out });
  if (!args.quiet) run.on('step', (s) => process.stderr.write(`mqbench: ${describeStep(s)}\n`));
  const signals = new StopSignals((reason) => run.abort(reason));
  const result = await run.result.finally(() => signals.dispose());
  process.stdout.write(`${renderCapacity(result)}\n\nresult: ${run.files.join(', ')}\n`);
  if (signals.exitCode !== undefined) return signals.exitCode;
  if (result.error) {
    // Nothing measured at all: the broker is unreachable, the credentials are wrong, or the cluster
    // did not start — the setup is wrong (2), as for `mqbench run`; a later step failing is a run failure (1).
    const nothingMeasured = result.capacity.steps.length === 0;
    process.stderr.write(`mqbench: ${nothingMeasured ? '' : 'capacity search failed: '}${maskSecretsInText(result.error.replace(/^worker \d+: /, ''))}\n`);
    return nothingMeasured ? EXIT.badInput : EXIT.runFailed;
  }
  return result.capacity.sustainableMsgsPerS === null ? EXIT.runFailed : EXIT.ok;
}
