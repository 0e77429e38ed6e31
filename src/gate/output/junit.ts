import type { GateReport, ThresholdOutcome } from '../model.js';
import { baselineCell, counts, formatQuantity, headlineText, sideText, statusLabel, thresholdSignificance, SINGLE_RUN } from './format.js';

export interface JunitOptions {
  /** The testsuite's timestamp; default: now. */
  timestamp?: Date;
}

/**
 * The gate as JUnit XML, one test case per threshold, so any CI lists them: a crossed threshold is
 * a <failure>, a relative threshold on a single run is <skipped> (no verdict), a pass or "no
 * significant change" passes with its detail in <system-out>. The shape is the one Jenkins,
 * GitLab, GitHub test reporters and Surefire read: testsuites > testsuite > testcase.
 */
export function renderGateJunit(report: GateReport, options: JunitOptions = {}): string {
  const c = counts(report);
  const timestamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites ${attrs({ name: 'mqbench gate', tests: c.tests, failures: c.failures, errors: 0, skipped: c.skipped, time: 0 })}>`);
  out.push(`  <testsuite ${attrs({ name: report.subject.name, tests: c.tests, failures: c.failures, errors: 0, skipped: c.skipped, time: 0, timestamp })}>`);
  out.push('    <properties>');
  const props: [string, string][] = [
    ['verdict', report.verdict],
    ['headline', report.headline],
    ['subject', sideText(report.subject)],
    ['baseline', report.baseline ? sideText(report.baseline) : 'none'],
    ['alpha', String(report.alpha)],
  ];
  for (const [name, value] of props) out.push(`      <property ${attrs({ name, value })}/>`);
  out.push('    </properties>');
  for (const t of report.thresholds) out.push(...testcase(t));
  const suiteOut = [`${report.verdict.toUpperCase()}: ${headlineText(report)}`, ...report.notes.map((n) => `note: ${n}`)];
  out.push(`    <system-out>${text(suiteOut.join('\n'))}</system-out>`);
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

function testcase(t: ThresholdOutcome): string[] {
  const open = `    <testcase ${attrs({ classname: `mqbench.gate.${t.metric}`, name: `${t.metric} ${t.expression}`, time: 0 })}>`;
  const facts = [
    `${t.metric} ${t.expression}: ${statusLabel(t.status)}`,
    `value ${formatQuantity(t.value, t.unit)}, limit ${formatQuantity(t.limit, t.unit)}, baseline ${baselineCell(t)}`,
    thresholdSignificance(t),
    t.detail,
  ].filter(Boolean);
  switch (t.status) {
    case 'fail':
      return [
        open,
        `      <failure ${attrs({ message: t.detail || `${t.metric} ${t.expression} crossed`, type: 'threshold' })}>${text(facts.join('\n'))}</failure>`,
        '    </testcase>',
      ];
    case 'inconclusive':
      return [open, `      <skipped ${attrs({ message: t.detail ? `${SINGLE_RUN}: ${t.detail}` : SINGLE_RUN })}/>`, '    </testcase>'];
    case 'pass':
    case 'noChange':
      return [open, `      <system-out>${text(facts.join('\n'))}</system-out>`, '    </testcase>'];
  }
}

/**
 * Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF):
 * removed, since not even a character reference may name them.
 */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element content: &, <, > escaped (> too, so "]]>" never appears), \r kept as a reference. */
export function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"'\r]/g, (ch) => ENTITIES[ch]!);
}

/** An attribute value: as text, plus tab and newline as references so attribute normalisation keeps them. */
export function attr(s: string): string {
  return text(s).replace(/[\t\n]/g, (ch) => ENTITIES[ch]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\t': '&#9;', '\n': '&#10;' };

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${attr(String(v))}"`)
    .join(' ');
}
