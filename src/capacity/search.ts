import type { CapacitySettings, CapacityStep, Slo, StepMeasurement } from './model.js';

/**
 * The sustainable-rate search. A rate is sustained when, over a step of at least `stepMs` measured
 * (queues deleted and re-created before each step, so each starts empty): the publishers reached
 * it and the consumers kept up (both at least (1 − tolerance) × the target), the queues did not
 * grow (backlog detection), the broker nacked nothing, and every SLO held.
 *
 * Method: a full-speed probe (unless a start rate is given) gives a first guess of half its consume
 * rate; from there the rate doubles while sustained and halves while not, until one of each is
 * found; then bisection until the bracket is narrower than `precision` of its lower end.
 */
export type Measure = (targetMsgsPerS: number) => Promise<StepMeasurement>;

export function judge(m: StepMeasurement, settings: Pick<CapacitySettings, 'tolerance' | 'slos'>): { sustainable: boolean; reason: string } {
  const floor = (1 - settings.tolerance) * m.targetMsgsPerS;
  const problems: string[] = [];
  if (m.publishedMsgsPerS < floor) problems.push(`publishers reached only ${round(m.publishedMsgsPerS)} msgs/s`);
  if (m.consumedMsgsPerS < floor) problems.push(`consumers took only ${round(m.consumedMsgsPerS)} msgs/s`);
  if (m.backlogGrowing) problems.push(`backlog grew by ${round(m.backlogGrowthMsgsPerS ?? 0)} msgs/s`);
  if (m.nacked > 0) problems.push(`${m.nacked} nacked`);
  settings.slos.forEach((slo, i) => {
    const v = m.sloMs[i];
    if (v === undefined || !(v < slo.maxMs)) problems.push(`${slo.source} not met (${v === undefined ? 'not measured' : `${round(v, 1)} ms`})`);
  });
  if (m.runVerdict !== 'ok' && m.runVerdict !== 'failed') problems.push(`run ${m.runVerdict}`);
  return problems.length === 0 ? { sustainable: true, reason: 'sustained' } : { sustainable: false, reason: problems.join('; ') };
}

export interface SearchOutcome {
  sustainableMsgsPerS: number | null;
  notSustainableMsgsPerS: number | null;
  steps: CapacityStep[];
}

export async function searchCapacity(measure: Measure, settings: CapacitySettings, onStep: (s: CapacityStep) => void = () => undefined, aborted: () => boolean = () => false): Promise<SearchOutcome> {
  const steps: CapacityStep[] = [];
  const record = (s: CapacityStep): void => {
    steps.push(s);
    onStep(s);
  };
  let rate = settings.startMsgsPerS;
  if (rate === null) {
    const probe = await measure(0);
    record({ ...probe, phase: 'probe', sustainable: null, reason: 'full speed: the first guess is half its consume rate', fraction: null });
    rate = Math.max(1, Math.round(probe.consumedMsgsPerS / 2));
  }
  let lo: number | null = null;
  let hi: number | null = null;
  for (let n = 0; n < settings.maxSteps && !aborted(); n++) {
    if (lo !== null && hi !== null && (hi - lo) / lo <= settings.precision) break;
    const m = await measure(rate);
    const verdict = judge(m, settings);
    record({ ...m, phase: 'search', sustainable: verdict.sustainable, reason: verdict.reason, fraction: null });
    if (verdict.sustainable) lo = Math.max(lo ?? 0, rate);
    else hi = Math.min(hi ?? Number.POSITIVE_INFINITY, rate);
    if (lo === null) {
      if (rate <= 1) break; // not even 1 msg/s
      rate = Math.max(1, Math.round(rate / 2));
    } else if (hi === null) {
      rate = Math.round(rate * 2);
    } else {
      rate = Math.round((lo + hi) / 2);
      if (rate === lo || rate === hi) break;
    }
  }
  return { sustainableMsgsPerS: lo, notSustainableMsgsPerS: hi, steps };
}

/**
 * Latency at fixed fractions of the capacity found: the latency-vs-throughput curve. Each step is
 * judged like a search step too, so a curve step at 100 % that did not hold shows the search's
 * answer was at the edge of the noise.
 */
export async function measureCurve(
  measure: Measure,
  capacityMsgsPerS: number,
  settings: Pick<CapacitySettings, 'fractions' | 'tolerance' | 'slos'>,
  onStep: (s: CapacityStep) => void = () => undefined,
  aborted: () => boolean = () => false,
): Promise<CapacityStep[]> {
  const out: CapacityStep[] = [];
  for (const f of settings.fractions) {
    if (aborted()) break;
    const m = await measure(Math.max(1, Math.round(capacityMsgsPerS * f)));
    const verdict = judge(m, settings);
    const step: CapacityStep = { ...m, phase: 'curve', sustainable: verdict.sustainable, reason: `${Math.round(f * 100)} % of capacity: ${verdict.reason}`, fraction: f };
    out.push(step);
    onStep(step);
  }
  return out;
}

/** One measured step at a given rate outside the search (a matrix's common rate), judged like the others. */
export async function measureAt(measure: Measure, msgsPerS: number, settings: Pick<CapacitySettings, 'tolerance' | 'slos'>, why: string): Promise<CapacityStep> {
  const m = await measure(msgsPerS);
  const verdict = judge(m, settings);
  return { ...m, phase: 'common', sustainable: verdict.sustainable, reason: `${why}: ${verdict.reason}`, fraction: null };
}

export interface CapacityRun extends SearchOutcome {
  /** Why the search stopped early (a step failed to start or threw), or null. */
  error: string | null;
}

/** The search, then (when it found a rate and `settings.fractions` is not empty) the curve; a thrown step ends it with `error`. */
export async function searchThenCurve(measure: Measure, settings: CapacitySettings, onStep: (s: CapacityStep) => void, aborted: () => boolean): Promise<CapacityRun> {
  const steps: CapacityStep[] = [];
  const record = (s: CapacityStep): void => {
    steps.push(s);
    onStep(s);
  };
  let found: number | null = null;
  let notSustained: number | null = null;
  try {
    const outcome = await searchCapacity(measure, settings, record, aborted);
    found = outcome.sustainableMsgsPerS;
    notSustained = outcome.notSustainableMsgsPerS;
    if (found !== null && !aborted()) await measureCurve(measure, found, settings, record, aborted);
    return { sustainableMsgsPerS: found, notSustainableMsgsPerS: notSustained, steps, error: null };
  } catch (err) {
    return { sustainableMsgsPerS: found, notSustainableMsgsPerS: notSustained, steps, error: err instanceof Error ? err.message : String(err) };
  }
}

/** `e2e.p99<50ms`, `confirm.p50 < 5ms`, `e2e.p99.9<0.2s`. */
export function parseSlo(text: string): Slo {
  const m = /^(e2e|confirm)\.p(\d+(?:\.\d+)?)\s*<\s*(\d+(?:\.\d+)?)\s*(us|ms|s)?$/.exec(text.trim());
  if (!m) throw new Error(`--slo "${text}": expected e.g. e2e.p99<50ms or confirm.p50<5ms`);
  const q = Number(m[2]);
  if (q <= 0 || q > 100) throw new Error(`--slo "${text}": p${m[2]} is not a percentile`);
  const factor = m[4] === 'us' ? 0.001 : m[4] === 's' ? 1000 : 1;
  return { source: text.trim(), latency: m[1] as Slo['latency'], percentile: q, maxMs: Number(m[3]) * factor };
}

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;
