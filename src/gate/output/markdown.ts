import type { GateReport, ThresholdStatus } from '../model.js';
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

const STATUS_ICON: Record<ThresholdStatus, string> = { pass: '✅', fail: '❌', noChange: '➖', inconclusive: '❔' };

/**
 * The gate as GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY (or a PR comment): the verdict as
 * a heading, every threshold in a table, the key figures next to the baseline, then the notes.
 */
export function renderGateMarkdown(report: GateReport): string {
  const out: string[] = [];
  const icon = report.verdict === 'passed' ? '✅' : '❌';
  out.push(`## ${icon} mqbench gate ${report.verdict}: ${inline(headlineText(report))}`, '');
  out.push(`**Subject:** ${inline(sideText(report.subject))}  `);
  out.push(`**Baseline:** ${report.baseline ? inline(sideText(report.baseline)) : 'none'}`, '');

  out.push('### Thresholds', '');
  if (report.thresholds.length === 0) {
    out.push('No thresholds configured.', '');
  } else {
    out.push(
      ...table(
        ['Verdict', 'Metric', 'Threshold', 'Value', 'Limit', 'Baseline', 'Noise', 'Detail'],
        ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left'],
        report.thresholds.map((t) => [
          `${STATUS_ICON[t.status]} ${statusLabel(t.status)}`,
          t.metric,
          t.expression,
          formatQuantity(t.value, t.unit),
          formatQuantity(t.limit, t.unit),
          baselineCell(t),
          thresholdSignificance(t) || '–',
          t.detail,
        ]),
      ),
      '',
    );
  }

  if (report.keyFigures.length > 0) {
    const withBaseline = report.baseline !== null;
    out.push(withBaseline ? '### Key figures vs baseline' : '### Key figures', '');
    out.push(
      ...table(
        withBaseline ? ['Key figure', 'Value', 'Baseline', 'Change', 'Noise'] : ['Key figure', 'Value'],
        withBaseline ? ['left', 'right', 'right', 'right', 'left'] : ['left', 'right'],
        report.keyFigures.map((k) => {
          const row = [k.label, formatQuantity(k.value, k.unit)];
          if (withBaseline) {
            row.push(k.baselineValue === null ? '–' : formatQuantity(k.baselineValue, k.unit), formatChange(k.changePercent), keyFigureSignificance(k, report));
          }
          return row;
        }),
      ),
      '',
    );
  }

  if (report.notes.length > 0) {
    out.push('### Notes', '', ...report.notes.map((n) => `- ${blockSafe(inline(n))}`), '');
  }
  if (report.thresholds.some((t) => t.significance)) {
    out.push(`<sub>Noise: Mann–Whitney U on the per-run values, two-sided, significant below alpha = ${report.alpha}.</sub>`, '');
  }
  return out.join('\n');
}

type Align = 'left' | 'right';

function table(head: string[], align: Align[], rows: string[][]): string[] {
  const line = (cells: string[]): string => `| ${cells.map(inline).join(' | ')} |`;
  return [line(head), `|${align.map((a) => (a === 'right' ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map(line)];
}

/**
 * Text safe inside a table cell or a heading: one line, and every character Markdown could read as
 * inline syntax backslash-escaped (CommonMark allows that for any ASCII punctuation; GFM tables
 * honour "\|"; GitHub reads "$" as math; a trailing "#" would close a heading). So "p(99) < 50ms", a "|" in an expression or a file name
 * with "*" or "_" stays literal.
 */
export function inline(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .trim()
      .replace(/[\\`*_[\]<>|~&$#]/g, (c) => `\\${c}`)
  );
}

/** Inline text that begins a list item's content: a leading "#", "-", "+", "=" or "1." would start a block. */
function blockSafe(s: string): string {
  return s.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([#+\-=])/, '\\$1');
}
