import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { capacityRows } from '../capacity/csv.js';
import type { CapacityResult, CapacityStep } from '../capacity/model.js';
import { StepRunner } from '../capacity/runStep.js';
import { searchThenCurve } from '../capacity/search.js';
import { capacityOptionsSchema, capacitySettings, type CapacityOptions } from '../capacity/settings.js';
import { formatIssues } from '../profile/format.js';
import { issueLine } from '../profile/path.js';
import { toCsv } from '../results/csv.js';
import { environmentInfo, loadAverage } from '../results/environment.js';
import { RESULT_FORMAT_VERSION } from '../results/model.js';
import { resultBaseName, writeJson } from '../results/writer.js';
import { maskProfile } from '../util/mask.js';
import { UserError } from '../util/userError.js';
import { resolveProfile, type ProfileArgument } from './profileInput.js';
import { onAbort, RunHandle } from './runHandle.js';

export interface RunCapacityOptions {
  /** The search's options as a matrix profile's `capacity` block takes them (step, settle, precision, tolerance, slo, fractions …); defaults as `mqbench capacity`. */
  search?: Partial<CapacityOptions>;
  signal?: AbortSignal;
  force?: boolean;
  /** Write the capacity result JSON and its CSV into this directory; paths in `run.files`. */
  out?: string;
  /** Where the profile came from, as the result records it. */
  source?: string;
}

export interface CapacityRunEvents {
  /** A step measured: its rate, what was reached, whether it was sustained and why not. */
  step: [step: CapacityStep];
}

/** A running capacity search: every measured step as an event, and a promise of the capacity result. */
export class CapacityRun extends RunHandle<CapacityResult, CapacityRunEvents> {
  /** The files written (with `out`): the JSON, then the CSV. */
  files: string[] = [];
}

function searchOptions(input: Partial<CapacityOptions> | undefined): CapacityOptions {
  const parsed = capacityOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new UserError(`capacity options: ${formatIssues(parsed.error.issues, input, capacityOptionsSchema).map(issueLine).join('; ')}`);
  return parsed.data;
}

/**
 * Searches the highest total publish rate the profile's setup sustains, then measures latency at
 * fractions of it (`mqbench capacity`). Resolves with the capacity result, also when the search
 * failed part-way (`result.error`); rejects with a UserError for bad input (profile, options).
 */
export function runCapacity(profile: ProfileArgument, opts: RunCapacityOptions = {}): CapacityRun {
  const run: CapacityRun = new CapacityRun(async (signal) => {
    const { profile: p, source } = await resolveProfile(profile, opts.source, 'runCapacity()');
    const settings = capacitySettings(searchOptions(opts.search));
    if (p.publishers.count === 0 || p.consumers.count === 0) throw new UserError(`${source}: capacity needs publishers and consumers`);
    if (p.queues.onStart !== 'delete') throw new UserError(`${source}: queues.onStart must be "delete" so every step starts from empty queues`);
    const runner = new StepRunner(p, source, { stepMs: settings.stepMs, settleMs: settings.settleMs, slos: settings.slos, force: opts.force ?? false });
    const undo = onAbort(signal, (reason) => runner.abort(reason));
    const startedAt = new Date();
    const loadBefore = loadAverage();
    const found = await searchThenCurve(runner.measure, settings, (s) => run.emit('step', s), () => signal.aborted).finally(undo);
    const aborted = signal.aborted ? String(signal.reason) : undefined;
    const result: CapacityResult = {
      formatVersion: RESULT_FORMAT_VERSION,
      kind: 'capacity',
      name: p.name,
      profileSource: source,
      profile: maskProfile(p),
      environment: environmentInfo(loadBefore),
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      interrupted: aborted !== undefined,
      error: (found.error === null ? null : (aborted ?? found.error)) ?? aborted ?? null,
      settings,
      capacity: { sustainableMsgsPerS: found.sustainableMsgsPerS, notSustainableMsgsPerS: found.notSustainableMsgsPerS, steps: found.steps },
    };
    if (opts.out) {
      const base = resultBaseName(`${p.name}-capacity`, startedAt);
      const csv = join(opts.out, `${base}.csv`);
      run.files.push(await writeJson(opts.out, base, result));
      await writeFile(csv, toCsv(capacityRows(result)));
      run.files.push(csv);
    }
    return result;
  }, opts.signal);
  return run;
}
