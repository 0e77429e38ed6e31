import type { Aggregation, Comparison, Limit, ThresholdExpression } from './model.js';

/**
 * Threshold expressions, k6-style: `<statistic> <comparison> <limit>`.
 *   statistic   mean | avg | min | max | med | stddev | count | value | p(<0–100>)
 *   comparison  < | <= | > | >= | == | !=
 *   limit       <number>[unit] | baseline | baseline + <n>% | baseline - <n>% | baseline ± <number>[unit]
 * Units: us, µs, ms, s (durations, converted to ms; a bare number is already in the metric's unit).
 * Parsing checks syntax only; whether a statistic fits a metric is checked against the metric registry.
 */
export class ExpressionError extends Error {}

const COMPARISONS: readonly Comparison[] = ['<=', '>=', '==', '!=', '<', '>'];
const TIME_UNITS_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

export function parseExpression(source: string): ThresholdExpression {
  const text = source.trim();
  if (text === '') throw new ExpressionError('empty threshold: expected e.g. "p(99) < 50ms" or "mean >= baseline - 10%"');
  const { aggregation, rest } = parseStatistic(text);
  const op = COMPARISONS.find((c) => rest.startsWith(c));
  if (!op) throw new ExpressionError(`"${source}": expected a comparison (<, <=, >, >=, ==, !=) after "${text.slice(0, text.length - rest.length).trim()}"`);
  const limitText = rest.slice(op.length).trim();
  if (limitText === '') throw new ExpressionError(`"${source}": nothing after "${op}": expected a limit such as 50ms or baseline - 10%`);
  return { source: text, aggregation, comparison: op, limit: parseLimit(limitText, source) };
}

function parseStatistic(text: string): { aggregation: Aggregation; rest: string } {
  const p = /^p\s*\(/.exec(text);
  if (p) {
    const close = text.indexOf(')', p[0].length);
    const inner = (close < 0 ? text.slice(p[0].length).split(/[<>=!]/)[0]! : text.slice(p[0].length, close)).trim();
    if (close < 0) throw new ExpressionError(`"${text}": "p(" is not closed: expected p(<percentile>), e.g. p(99)`);
    const q = Number(inner);
    if (inner === '' || !Number.isFinite(q) || q < 0 || q > 100) {
      throw new ExpressionError(`"${text}": p(${inner}) is not a percentile: expected a number from 0 to 100, e.g. p(99.9)`);
    }
    return { aggregation: { kind: 'percentile', q }, rest: text.slice(close + 1).trim() };
  }
  const word = /^([a-zA-Z]+)\s*/.exec(text);
  const name = word?.[1] ?? '';
  const rest = text.slice(word?.[0].length ?? 0).trim();
  switch (name) {
    case 'mean':
    case 'avg':
      return { aggregation: { kind: 'mean' }, rest };
    case 'med':
      return { aggregation: { kind: 'percentile', q: 50 }, rest };
    case 'min':
    case 'max':
    case 'stddev':
    case 'count':
    case 'value':
      return { aggregation: { kind: name }, rest };
    default:
      throw new ExpressionError(
        `"${text}": ${name ? `unknown statistic "${name}"` : 'expected a statistic first'}: use mean, min, max, med, stddev, count, value or p(<percentile>)`,
      );
  }
}

function parseLimit(text: string, source: string): Limit {
  const rel = /^baseline\b\s*(?:([+-])\s*(.+))?$/.exec(text);
  if (rel) {
    if (!rel[1]) return { kind: 'relative', percent: 0, delta: null };
    const sign = rel[1] === '-' ? -1 : 1;
    const amount = rel[2]!.trim();
    if (amount.endsWith('%')) {
      const pct = Number(amount.slice(0, -1).trim());
      if (!Number.isFinite(pct) || pct < 0) throw new ExpressionError(`"${source}": "${amount}" is not a percentage`);
      return { kind: 'relative', percent: sign * pct, delta: null };
    }
    return { kind: 'relative', percent: null, delta: sign * parseQuantity(amount, source) };
  }
  if (/^baseline/.test(text)) throw new ExpressionError(`"${source}": after "baseline" expected "+ <n>%", "- <n>%" or "± <amount>"`);
  return { kind: 'absolute', value: parseQuantity(text, source) };
}

/** A number with an optional duration unit, in ms when it has one. */
function parseQuantity(text: string, source: string): number {
  const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zA-Zµ]*)$/.exec(text.replace(/_/g, ''));
  if (!m) throw new ExpressionError(`"${source}": "${text}" is not a number (with an optional unit us, ms or s)`);
  const value = Number(m[1]);
  const unit = m[2]!;
  if (unit === '') return value;
  const factor = TIME_UNITS_MS[unit];
  if (factor === undefined) throw new ExpressionError(`"${source}": unknown unit "${unit}": use us, ms or s (or none)`);
  return value * factor;
}

/** True when a duration unit was written (the metric must then be a duration). */
export function hasTimeUnit(source: string): boolean {
  return /\d\s*(us|µs|ms|s)\b/.test(source);
}

export function describeAggregation(a: Aggregation): string {
  return a.kind === 'percentile' ? `p(${a.q})` : a.kind;
}

export function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}
