import { meanStd } from '../../src/metrics/meanStd.js';
import type { Source, TableGenerator } from './generator.js';
import { expectKind } from './generator.js';
import { bold, count, fmtRate, mdTable, signedPercent } from './format.js';

/** What scripts/bench-gate.ts writes (the parts the table reads). */
export interface BenchGateResult {
  kind: 'bench-gate';
  command: string;
  /** The gate's thresholds, "metric expression" (e.g. "rate.consumed mean >= baseline - 10%"). */
  settings: { thresholds: string[] };
  falseAlarms: GateRate;
  detection: Array<{ cap: number; rate: GateRate }>;
  runs: { unchanged: RunFigures[]; capped: Record<string, RunFigures[]> };
}

interface GateRate {
  gates: number;
  failed: number;
  /** "metric expression" → failing gates it failed. */
  failedBy: Record<string, number>;
}

interface RunFigures {
  consumedMsgsPerS: number;
  e2eP99Ms: number;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** "rate" or "e2e p99" (p99.9 …): the threshold's metric in a word. */
function shortName(threshold: string): string {
  if (threshold.startsWith('rate.consumed ')) return 'rate';
  const latency = /^latency\.(\w+) p\(([\d.]+)\)/.exec(threshold);
  return latency ? `${latency[1]} p${latency[2]}` : threshold;
}
/** "by the rate threshold", "by e2e p99". */
const byName = (threshold: string): string => (shortName(threshold) === 'rate' ? 'the rate threshold' : shortName(threshold));

const percent = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 0);
const failedPercent = (r: GateRate): string => {
  const p = percent(r.failed, r.gates);
  return `${p === 100 ? '100' : p.toFixed(1)} %`;
};
const mean = (xs: number[]): number => meanStd(xs).mean;

/** Consumed msgs/s over the runs and their coefficient of variation: "8,062 (7.5 %)". */
function spread(runs: RunFigures[]): { mean: number; text: string } {
  const m = meanStd(runs.map((r) => r.consumedMsgsPerS));
  return { mean: m.mean, text: `${fmtRate(m.mean)} (${percent(m.stddev, m.mean).toFixed(1)} %)` };
}

/** The rate threshold's allowed loss, e.g. 10 for "rate.consumed mean >= baseline - 10%"; detection rows beyond it are the ones the gate must catch (bold). */
function allowedLossPercent(file: BenchGateResult): number {
  const t = file.settings.thresholds.map((x) => /^rate\.consumed mean >= baseline - ([\d.]+)%$/.exec(x)).find((m) => m !== null);
  return t ? Number(t[1]) : Number.POSITIVE_INFINITY;
}

/** The thresholds that failed in every failing gate. */
const failedEvery = (r: GateRate): string[] => Object.keys(r.failedBy).filter((k) => r.failed > 0 && r.failedBy[k] === r.failed);

function falseAlarmRow(file: BenchGateResult, i: number): string[] {
  const fa = file.falseAlarms;
  const by = Object.entries(fa.failedBy).sort((a, b) => b[1] - a[1]);
  const why = fa.failed === 1 && by.length === 1 ? `1, by ${byName(by[0]![0])}` : by.map(([t, k]) => `${count(k)} by the ${shortName(t)} threshold`).join(', ');
  const label = i === 0 ? 'unchanged (false alarms)' : `unchanged, ${ORDINALS[i] ?? `${i + 1}th`} run (false alarms)`;
  return [label, spread(file.runs.unchanged).text, `${bold(failedPercent(fa), i === 0)} of ${count(fa.gates)} gates${why ? ` (${why})` : ''}`];
}

function detectionRow(file: BenchGateResult, d: BenchGateResult['detection'][number], first: boolean, headlineGates: number): string[] {
  const capped = file.runs.capped[String(d.cap)] ?? [];
  const unchanged = spread(file.runs.unchanged);
  const s = spread(capped);
  const loss = percent(s.mean - unchanged.mean, unchanged.mean);
  const capPercent = Math.round(d.cap * 100);
  const label = `publisher capped at ${capPercent} %${first ? ' of full speed' : ''}: ${signedPercent(loss)} % consumed`;

  const r = d.rate;
  const every = failedEvery(r);
  const rateKey = file.settings.thresholds.find((t) => shortName(t) === 'rate');
  const e2eKey = file.settings.thresholds.find((t) => shortName(t) === 'e2e p99');
  const notes: string[] = [];
  if (rateKey && !every.includes(rateKey)) notes.push(`the rate threshold alone: ${percent(r.failedBy[rateKey] ?? 0, r.gates).toFixed(0)} %`);
  if (e2eKey && !every.includes(e2eKey)) {
    // The e2e p99 threshold failed in most gates: say by how much the runs' e2e p99 rose; else how often it failed alone.
    const rose = mean(capped.map((x) => x.e2eP99Ms)) / mean(file.runs.unchanged.map((x) => x.e2eP99Ms));
    const e2eFailed = percent(r.failedBy[e2eKey] ?? 0, r.gates);
    notes.push(e2eFailed >= 50 ? `e2e p99 rose ${rose.toFixed(0)} ×` : `the e2e p99 threshold alone: ${e2eFailed.toFixed(0)} %`);
  }
  const failed =
    bold(failedPercent(r), -loss > allowedLossPercent(file)) +
    (r.gates !== headlineGates ? ` of ${count(r.gates)}` : '') +
    (every.length > 0 ? `, all by ${every.map(byName).join(' and ')}` : '') +
    (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  return [label, s.text, failed];
}

/**
 * "Performance CI": how often the gate fails, from `scripts/bench-gate.ts` results (one or more
 * files: a row of false alarms per file, then every capped setup). Consumed msgs/s are the mean over
 * the setup's runs with their coefficient of variation; the loss is against the same file's
 * unchanged runs. Bold: the first file's false-alarm rate, and detection of losses beyond what the
 * rate threshold allows (the regressions the gate is there to catch).
 */
export const benchGate: TableGenerator = {
  describe: 'gate false alarms and detection (node dist/scripts/bench-gate.js): consumed msgs/s (CV), how often the gate failed and by which threshold',
  files: 'many',
  render(sources: Source[]) {
    const files = sources.map((s) => expectKind<BenchGateResult>(s, 'bench-gate'));
    const headlineGates = files[0]!.falseAlarms.gates;
    const rows = files.map((f, i) => falseAlarmRow(f, i));
    let first = true;
    for (const f of files) {
      for (const d of f.detection) {
        rows.push(detectionRow(f, d, first, headlineGates));
        first = false;
      }
    }
    return mdTable(['setup against an unchanged baseline', 'consumed msgs/s (CV between runs)', 'gate failed'], rows);
  },
};
