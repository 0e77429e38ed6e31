import Table from 'cli-table3';
import type { GateReport } from '../model.js';
import { PLAIN_TABLE } from '../../report/plainTable.js';
import {
  baselineCell,
  formatChange,
  formatQuantity,
  headlineText,
  keyFigureSignificance,
  sideText,
  statusLabel,
  thresholdSignificance,
} from './format.js';

/**
 * The gate on the terminal: the verdict line first, then every threshold, why the ones that did
 * not simply pass did not, the key figures next to the baseline, and the notes.
 */
export function renderGateTable(report: GateReport): string {
  const lines: string[] = [];
  lines.push(`gate: ${report.verdict.toUpperCase()} — ${oneLine(headlineText(report))}`);
  lines.push(`subject: ${oneLine(sideText(report.subject))}; baseline: ${report.baseline ? oneLine(sideText(report.baseline)) : 'none'}`, '');

  if (report.thresholds.length === 0) {
    lines.push('no thresholds configured');
  } else {
    // The noise column only when some threshold is relative (absolute ones are not judged against noise).
    const noise = report.thresholds.some((o) => thresholdSignificance(o) !== '');
    const head = ['metric', 'threshold', 'value', 'limit', 'baseline', 'verdict'];
    const t = new Table({ ...PLAIN_TABLE, head: noise ? [...head, 'noise'] : head });
    for (const o of report.thresholds) {
      const row = [o.metric, o.expression, formatQuantity(o.value, o.unit), formatQuantity(o.limit, o.unit), baselineCell(o), statusLabel(o.status)];
      if (noise) row.push(thresholdSignificance(o));
      t.push(row.map(oneLine));
    }
    lines.push(trimLines(t.toString()));
    const why = report.thresholds.filter((o) => o.status !== 'pass' && o.detail);
    if (why.length > 0) {
      lines.push('', ...why.map((o) => `  ${statusLabel(o.status)} ${oneLine(o.metric)} ${oneLine(o.expression)}: ${oneLine(o.detail)}`));
    }
  }

  if (report.keyFigures.length > 0) {
    const withBaseline = report.baseline !== null;
    const head = withBaseline ? ['key figures', 'value', 'baseline', 'change', 'noise'] : ['key figures', 'value'];
    const k = new Table({ ...PLAIN_TABLE, head });
    for (const f of report.keyFigures) {
      const row = [f.label, formatQuantity(f.value, f.unit)];
      if (withBaseline) {
        row.push(f.baselineValue === null ? '–' : formatQuantity(f.baselineValue, f.unit), formatChange(f.changePercent), keyFigureSignificance(f, report));
      }
      k.push(row.map(oneLine));
    }
    lines.push('', trimLines(k.toString()));
  }

  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `note: ${oneLine(n)}`));
  if (report.thresholds.some((o) => o.significance)) {
    lines.push('', `noise: Mann–Whitney U on the per-run values, two-sided, significant below alpha = ${report.alpha}.`);
  }
  return lines.join('\n');
}

/** Without the padding cli-table3 leaves after the last column. */
function trimLines(s: string): string {
  return s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** Table cells and lines stay on one line: newlines and other control characters become spaces. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
