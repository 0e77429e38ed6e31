import type { GateReport } from '../model.js';

/** Bumped when a field changes meaning or goes away (adding fields does not). */
export const GATE_JSON_FORMAT_VERSION = 1;

/** The order fields appear in, per object: the model's order, so the output is stable to diff. */
const ORDER = [
  // GateReport
  'verdict', 'headline', 'subject', 'baseline', 'alpha', 'thresholds', 'keyFigures', 'notes',
  // subject / baseline
  'file', 'name', 'kind', 'runs',
  // ThresholdOutcome, KeyFigure
  'metric', 'label', 'expression', 'value', 'limit', 'baselineValue', 'changePercent', 'unit', 'status', 'significance', 'detail',
  // Significance
  'method', 'pValue', 'significant', 'ratioOfMedians', 'currentRuns', 'baselineRuns',
];
const RANK = new Map(ORDER.map((k, i) => [k, i]));

/**
 * The gate for machines (--json): the report as pretty JSON with `formatVersion` and
 * `kind: "gate"` first. Keys come in a fixed order whatever order the report was built in
 * (unknown keys last, alphabetically); numbers that are not finite are written as null.
 */
export function renderGateJson(report: GateReport): string {
  const doc = { formatVersion: GATE_JSON_FORMAT_VERSION, kind: 'gate' as const, ...(ordered(report) as GateReport) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v).sort((a, b) => (RANK.get(a) ?? ORDER.length) - (RANK.get(b) ?? ORDER.length) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = ordered((v as Record<string, unknown>)[k]);
  return out;
}
