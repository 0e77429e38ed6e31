import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lexer, type Token, type Tokens } from 'marked';
import { SaxesParser } from 'saxes';
import type { GateReport, KeyFigure, Significance, ThresholdOutcome } from '../../src/gate/model.js';
import { renderGateJson } from '../../src/gate/output/json.js';
import { renderGateJunit } from '../../src/gate/output/junit.js';
import { renderGateMarkdown } from '../../src/gate/output/markdown.js';
import { renderGateTable } from '../../src/gate/output/table.js';

// ---------------------------------------------------------------------------------------------
// Reports built by hand: every status, with and without a baseline, and text that needs escaping.

const sig = (pValue: number, ratioOfMedians: number, runs = 5): Significance => ({
  method: 'mann-whitney-u',
  pValue,
  alpha: 0.05,
  significant: pValue < 0.05,
  ratioOfMedians,
  currentRuns: runs,
  baselineRuns: runs,
});

/** An expression and a detail with every character Markdown and XML care about, and a control character. */
const NASTY_EXPRESSION = 'p(99) < 5ms | max & <b>*x*</b> `y` [z](u) ~~s~~ $m$ "q" \'a\'\u0001';
const NASTY_DETAIL = 'crossed: 6.2 ms > 5 ms & <script>alert("x")</script> | \'quoted\'\u0002';

const outcome = (o: Partial<ThresholdOutcome> & Pick<ThresholdOutcome, 'metric' | 'expression' | 'status'>): ThresholdOutcome => ({
  value: 1,
  limit: 1,
  baselineValue: null,
  unit: '',
  significance: null,
  detail: '',
  ...o,
});

/** Repeated subject against a repeated baseline: fail, pass (relative and absolute), noChange, and a nasty fail. */
function repeatedReport(): GateReport {
  const thresholds: ThresholdOutcome[] = [
    outcome({
      metric: 'rate.consumed', expression: 'mean >= baseline - 10%', status: 'fail', unit: 'msgs/s',
      value: 20512.4, limit: 21600, baselineValue: 24000, significance: sig(0.0079, 0.855),
      detail: '14.5% below the baseline, beyond the noise',
    }),
    outcome({
      metric: 'latency.e2e', expression: 'p(99) <= baseline + 25%', status: 'pass', unit: 'ms',
      value: 13.42, limit: 15, baselineValue: 12, significance: sig(0.31, 1.1), detail: 'within the limit',
    }),
    outcome({ metric: 'latency.e2e', expression: 'p(99.9) < 500ms', status: 'pass', unit: 'ms', value: 40.51, limit: 500, detail: 'within the limit' }),
    outcome({ metric: 'delivery.lost', expression: 'count == 0', status: 'pass', unit: 'messages', value: 0, limit: 0, detail: 'no message lost' }),
    outcome({
      metric: 'latency.confirm', expression: 'p(99) <= baseline + 5%', status: 'noChange', unit: 'ms',
      value: 9.8, limit: 9.45, baselineValue: 9, significance: sig(0.42, 1.08), detail: 'above the limit, but within the noise',
    }),
    outcome({ metric: 'latency.e2e', expression: NASTY_EXPRESSION, status: 'fail', unit: 'ms', value: 6.2, limit: 5, detail: NASTY_DETAIL }),
  ];
  const keyFigures: KeyFigure[] = [
    { metric: 'rate.consumed', label: 'consumed', unit: 'msgs/s', value: 20512.4, baselineValue: 24000, changePercent: -14.53, significance: sig(0.0079, 0.855) },
    { metric: 'latency.e2e', label: 'e2e p99 | corrected', unit: 'ms', value: 13.42, baselineValue: 12, changePercent: 11.83, significance: sig(0.31, 1.1) },
    { metric: 'delivery.lost', label: 'lost', unit: 'messages', value: 1234, baselineValue: 0, changePercent: null, significance: null },
  ];
  return {
    verdict: 'failed',
    headline: 'failed: 2 of 6 thresholds crossed (rate.consumed mean >= baseline - 10%, …)',
    subject: { file: 'results/quorum-3node-20261201T025920Z.json', name: 'quorum-3node', kind: 'repeated', runs: 5 },
    baseline: { file: 'baselines/main.json', name: 'quorum-3node', kind: 'repeated', runs: 5 },
    alpha: 0.05,
    thresholds,
    keyFigures,
    notes: ['the subject\'s repetition 3 lost messages: LOST — 12 confirmed messages were lost', '1. not a list, - nor *emphasis* #'],
  };
}

/** A single run against a single-run baseline: relative thresholds are inconclusive. */
function singleRunReport(): GateReport {
  return {
    verdict: 'passed',
    headline: 'passed: 1 of 3 thresholds held, 2 without a verdict (single run)',
    subject: { file: 'results/smoke-1.json', name: 'smoke', kind: 'run', runs: 1 },
    baseline: { file: 'baselines/main.json', name: 'smoke', kind: 'run', runs: 1 },
    alpha: 0.05,
    thresholds: [
      outcome({ metric: 'rate.consumed', expression: 'mean >= baseline - 10%', status: 'inconclusive', unit: 'msgs/s', value: 900, limit: 810, baselineValue: 900, detail: 'one run on each side: the between-run noise is unknown' }),
      outcome({ metric: 'latency.e2e', expression: 'p(99) <= baseline + 25%', status: 'inconclusive', unit: 'ms', value: 3, limit: 2.5, baselineValue: 2, detail: 'one run on each side' }),
      outcome({ metric: 'delivery.duplicates', expression: 'count == 0', status: 'pass', unit: 'messages', value: 0, limit: 0, detail: 'none' }),
    ],
    keyFigures: [{ metric: 'rate.consumed', label: 'consumed', unit: 'msgs/s', value: 900, baselineValue: 900, changePercent: 0, significance: null }],
    notes: ['single runs: relative thresholds give no verdict; use --repeat 5'],
  };
}

/** Absolute thresholds only, no baseline. */
function noBaselineReport(): GateReport {
  return {
    verdict: 'passed',
    headline: 'passed: 2 of 2 thresholds held',
    subject: { file: 'results/smoke-2.json', name: 'smoke', kind: 'run', runs: 1 },
    baseline: null,
    alpha: 0.05,
    thresholds: [
      outcome({ metric: 'rate.consumed', expression: 'mean >= 500', status: 'pass', unit: 'msgs/s', value: 912.3, limit: 500 }),
      outcome({ metric: 'latency.e2e', expression: 'p(99) < 50ms', status: 'pass', unit: 'ms', value: 3.21, limit: 50 }),
    ],
    keyFigures: [
      { metric: 'rate.consumed', label: 'consumed', unit: 'msgs/s', value: 912.3, baselineValue: null, changePercent: null, significance: null },
      { metric: 'latency.e2e', label: 'e2e p99', unit: 'ms', value: 3.21, baselineValue: null, changePercent: null, significance: null },
    ],
    notes: [],
  };
}

/** What a threshold's text reads as once control characters are gone (every renderer drops or blanks them). */
// eslint-disable-next-line no-control-regex
const withoutControls = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

// ---------------------------------------------------------------------------------------------
// Markdown, read back with a real GFM parser (marked's lexer).

/** The plain text of a cell or list item, and every token type in it (anything but text/escape is unescaped syntax). */
function cellText(cell: { tokens: Token[] }): { text: string; kinds: string[] } {
  let text = '';
  const kinds: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const t of tokens) {
      kinds.push(t.type);
      if (t.type === 'text' && 'tokens' in t && t.tokens) walk(t.tokens);
      else if (t.type === 'text' || t.type === 'escape') text += (t as Tokens.Text | Tokens.Escape).text;
      else if ('tokens' in t && t.tokens) walk(t.tokens);
    }
  };
  walk(cell.tokens);
  return { text: text.trim(), kinds };
}

function tables(md: string): Tokens.Table[] {
  return Lexer.lex(md, { gfm: true }).filter((t): t is Tokens.Table => t.type === 'table');
}

const rowTexts = (t: Tokens.Table): string[][] => t.rows.map((r) => r.map((c) => cellText(c).text));

test('Markdown: the verdict is the first thing, a heading with the icon and the headline', () => {
  const failed = Lexer.lex(renderGateMarkdown(repeatedReport()), { gfm: true }).filter((t) => t.type !== 'space');
  assert.equal(failed[0]!.type, 'heading');
  const h = failed[0] as Tokens.Heading;
  assert.equal(h.depth, 2);
  assert.match(h.text, /^❌ /);
  assert.match(h.raw, /failed/);
  assert.match(h.raw, /2 of 6 thresholds crossed/);
  const passed = Lexer.lex(renderGateMarkdown(noBaselineReport()), { gfm: true }).filter((t) => t.type !== 'space');
  assert.equal(passed[0]!.type, 'heading');
  assert.match((passed[0] as Tokens.Heading).text, /^✅ .*passed/);
});

test('Markdown: a table of every threshold, then a table of key figures vs baseline, then the notes', () => {
  const report = repeatedReport();
  const md = renderGateMarkdown(report);
  const [thresholds, keys, ...more] = tables(md);
  assert.equal(more.length, 0);
  assert.ok(thresholds && keys, 'two tables');

  assert.deepEqual(thresholds.header.map((c) => cellText(c).text), ['Verdict', 'Metric', 'Threshold', 'Value', 'Limit', 'Baseline', 'Noise', 'Detail']);
  assert.equal(thresholds.rows.length, report.thresholds.length);
  for (const row of thresholds.rows) assert.equal(row.length, 8);
  const rows = rowTexts(thresholds);
  assert.deepEqual(rows.map((r) => r[1]), report.thresholds.map((t) => t.metric));
  // The expressions read back exactly, the one with "|", "<", "*", "`", "[", "~", "$" included.
  assert.deepEqual(rows.map((r) => r[2]), report.thresholds.map((t) => withoutControls(t.expression)));
  assert.deepEqual(rows.map((r) => r[0]), ['❌ FAIL', '✅ pass', '✅ pass', '✅ pass', '➖ no change', '❌ FAIL']);
  assert.deepEqual(rows[0]!.slice(3, 7), ['20512 msgs/s', '21600 msgs/s', '24000 msgs/s', 'p = 0.008 (5 vs 5 runs)']);
  assert.equal(rows[1]![6], 'no significant change (p = 0.310, 5 vs 5 runs)');
  assert.equal(rows[2]![5], '–', 'an absolute threshold has no baseline');
  assert.equal(rows[5]![7], withoutControls(NASTY_DETAIL));
  // Nothing in any cell was read as emphasis, code, a link, HTML, strikethrough…
  for (const row of [...thresholds.rows, ...keys.rows]) {
    for (const cell of row) assert.deepEqual(cellText(cell).kinds.filter((k) => k !== 'text' && k !== 'escape'), [], `cell ${cell.text}`);
  }

  assert.deepEqual(keys.header.map((c) => cellText(c).text), ['Key figure', 'Value', 'Baseline', 'Change', 'Noise']);
  assert.equal(keys.rows.length, report.keyFigures.length);
  assert.deepEqual(rowTexts(keys), [
    ['consumed', '20512 msgs/s', '24000 msgs/s', '-14.5%', 'p = 0.008 (5 vs 5 runs)'],
    ['e2e p99 | corrected', '13.4 ms', '12.0 ms', '+11.8%', 'no significant change (p = 0.310, 5 vs 5 runs)'],
    ['lost', '1,234 messages', '0 messages', '–', '–'],
  ]);

  const notesAt = md.indexOf('### Notes');
  assert.ok(notesAt > md.indexOf('| Key figure'), 'notes after the key figures');
  const list = Lexer.lex(md.slice(notesAt), { gfm: true }).find((t) => t.type === 'list') as Tokens.List | undefined;
  assert.equal(list?.items.length, report.notes.length);
  for (const [i, item] of list.items.entries()) {
    const { text, kinds } = cellText(item);
    assert.equal(text, report.notes[i]);
    assert.deepEqual(kinds.filter((k) => k !== 'text' && k !== 'escape'), [], `note ${i} is plain text, not a nested list or emphasis`);
  }
});

test('Markdown: single runs say "single run: no verdict"; without a baseline the key figures have no baseline columns', () => {
  const single = tables(renderGateMarkdown(singleRunReport()));
  assert.equal(single.length, 2);
  const rows = rowTexts(single[0]!);
  assert.deepEqual(rows.map((r) => [r[0], r[6]]), [
    ['❔ inconclusive', 'single run: no verdict'],
    ['❔ inconclusive', 'single run: no verdict'],
    ['✅ pass', '–'],
  ]);
  assert.deepEqual(rowTexts(single[1]!), [['consumed', '900 msgs/s', '900 msgs/s', '+0.0%', 'single run: no verdict']]);

  const md = renderGateMarkdown(noBaselineReport());
  const none = tables(md);
  assert.equal(none.length, 2);
  assert.equal(none[0]!.rows.length, 2);
  assert.deepEqual(none[0]!.rows.map((r) => cellText(r[5]!).text), ['–', '–']);
  assert.deepEqual(none[1]!.header.map((c) => cellText(c).text), ['Key figure', 'Value']);
  assert.deepEqual(rowTexts(none[1]!), [['consumed', '912 msgs/s'], ['e2e p99', '3.21 ms']]);
  assert.doesNotMatch(md, /### Notes/);
  assert.match(md, /\*\*Baseline:\*\* none/);
});

// ---------------------------------------------------------------------------------------------
// JUnit XML, read back with a strict XML 1.0 parser (saxes: rejects "<" or "&" unescaped, bad characters).

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const errors: string[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    if (stack.length === 0) root = el;
    else stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (t) => {
    if (stack.length > 0) stack.at(-1)!.text += t;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  assert.deepEqual(errors, [], 'well-formed XML 1.0');
  assert.ok(root, 'a root element');
  return root;
}

const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

test('JUnit: testsuites > testsuite > one testcase per threshold, with the counts', () => {
  const report = repeatedReport();
  const xml = renderGateJunit(report, { timestamp: new Date('2026-12-01T02:59:20.123Z') });
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  assert.deepEqual(
    { name: root.attributes.name, tests: root.attributes.tests, failures: root.attributes.failures, errors: root.attributes.errors },
    { name: 'mqbench gate', tests: '6', failures: '2', errors: '0' },
  );
  const suites = childrenNamed(root, 'testsuite');
  assert.equal(suites.length, 1);
  const suite = suites[0]!;
  assert.deepEqual(
    ['name', 'tests', 'failures', 'skipped', 'errors', 'time', 'timestamp'].map((a) => suite.attributes[a]),
    ['quorum-3node', '6', '2', '0', '0', '0', '2026-12-01T02:59:20'],
  );
  // The usual schema's order: properties?, testcase*, system-out?
  assert.deepEqual(suite.children.map((c) => c.name), ['properties', ...report.thresholds.map(() => 'testcase'), 'system-out']);
  const cases = childrenNamed(suite, 'testcase');
  assert.equal(cases.length, report.thresholds.length);
  for (const [i, c] of cases.entries()) {
    const t = report.thresholds[i]!;
    assert.equal(c.attributes.classname, `mqbench.gate.${t.metric}`);
    assert.equal(c.attributes.name, withoutControls(`${t.metric} ${t.expression}`));
    assert.equal(c.attributes.time, '0');
  }
  // A <failure> exactly on the crossed thresholds; the others pass with their detail in <system-out>.
  const failed = cases.map((c) => childrenNamed(c, 'failure').length);
  assert.deepEqual(failed, report.thresholds.map((t) => (t.status === 'fail' ? 1 : 0)));
  for (const [i, c] of cases.entries()) {
    const t = report.thresholds[i]!;
    assert.equal(childrenNamed(c, 'skipped').length, 0);
    if (t.status === 'fail') {
      const f = childrenNamed(c, 'failure')[0]!;
      assert.equal(f.attributes.type, 'threshold');
      assert.equal(f.attributes.message, withoutControls(t.detail));
      assert.ok(f.text.includes(withoutControls(t.detail)), 'the detail in the failure body');
    } else {
      assert.deepEqual(c.children.map((x) => x.name), ['system-out']);
      assert.ok(c.children[0]!.text.includes(t.detail));
    }
  }
  assert.match(cases[0]!.children[0]!.text, /p = 0\.008 \(5 vs 5 runs\)/);
  assert.match(childrenNamed(suite, 'system-out')[0]!.text, /^FAILED: 2 of 6 thresholds crossed[^]*note: the subject's repetition 3 lost messages/);
});

test('JUnit: "<", "&", quotes round-trip through attributes and text; characters XML 1.0 forbids are dropped', () => {
  const report = repeatedReport();
  const xml = renderGateJunit(report);
  assert.ok(!xml.includes('\u0001') && !xml.includes('\u0002'), 'control characters dropped');
  const nasty = childrenNamed(childrenNamed(parseXml(xml), 'testsuite')[0]!, 'testcase')[5]!;
  assert.equal(nasty.attributes.name, 'latency.e2e p(99) < 5ms | max & <b>*x*</b> `y` [z](u) ~~s~~ $m$ "q" \'a\'');
  const failure = childrenNamed(nasty, 'failure')[0]!;
  assert.equal(failure.attributes.message, 'crossed: 6.2 ms > 5 ms & <script>alert("x")</script> | \'quoted\'');
  assert.ok(failure.text.includes('<script>alert("x")</script>'));
  assert.equal(failure.children.length, 0, 'the detail stays text, no element sneaks in');
  // A newline in an attribute survives attribute normalisation; a lone surrogate is dropped.
  const odd = { ...report, thresholds: [outcome({ metric: 'x', expression: 'a\nb \uD800c', status: 'fail', detail: 'line 1\nline 2' })] };
  const c = childrenNamed(childrenNamed(parseXml(renderGateJunit(odd)), 'testsuite')[0]!, 'testcase')[0]!;
  assert.equal(c.attributes.name, 'x a\nb c');
  assert.equal(childrenNamed(c, 'failure')[0]!.attributes.message, 'line 1\nline 2');
});

test('JUnit: an inconclusive threshold is <skipped>, and the counts say so', () => {
  const report = singleRunReport();
  const suite = childrenNamed(parseXml(renderGateJunit(report)), 'testsuite')[0]!;
  assert.deepEqual([suite.attributes.tests, suite.attributes.failures, suite.attributes.skipped], ['3', '0', '2']);
  const cases = childrenNamed(suite, 'testcase');
  assert.deepEqual(cases.map((c) => c.children.map((x) => x.name).join(',')), ['skipped', 'skipped', 'system-out']);
  assert.match(childrenNamed(cases[0]!, 'skipped')[0]!.attributes.message!, /^single run: no verdict/);
  const none = childrenNamed(parseXml(renderGateJunit(noBaselineReport())), 'testsuite')[0]!;
  assert.deepEqual([none.attributes.tests, none.attributes.failures, none.attributes.skipped], ['2', '0', '0']);
  assert.equal(childrenNamed(none, 'properties')[0]!.children.find((p) => p.attributes.name === 'baseline')?.attributes.value, 'none');
});

// ---------------------------------------------------------------------------------------------
// The terminal table.

test('table: the verdict line first, then every threshold with its value, limit, baseline, verdict and noise', () => {
  const report = repeatedReport();
  const out = renderGateTable(report);
  const lines = out.split('\n');
  assert.match(lines[0]!, /^gate: FAILED — 2 of 6 thresholds crossed/);
  assert.match(lines[1]!, /^subject: results\/quorum-3node-20261201T025920Z\.json \(quorum-3node, 5 runs\); baseline: baselines\/main\.json/);
  const header = lines.findIndex((l) => /^metric\s+threshold\s+value\s+limit\s+baseline\s+verdict\s+noise/.test(l));
  assert.ok(header > 1, 'a header after the verdict');
  const rows = lines.slice(header + 1, header + 1 + report.thresholds.length);
  for (const [i, t] of report.thresholds.entries()) {
    assert.ok(rows[i]!.startsWith(t.metric), `row ${i} is ${t.metric}: ${rows[i]}`);
    assert.ok(rows[i]!.includes(withoutControls(t.expression).trim()), `row ${i} shows ${t.expression}`);
  }
  assert.match(rows[0]!, /20512 msgs\/s\s+21600 msgs\/s\s+24000 msgs\/s\s+FAIL\s+p = 0\.008 \(5 vs 5 runs\)$/);
  assert.match(rows[1]!, /13\.4 ms\s+15\.0 ms\s+12\.0 ms\s+pass\s+no significant change \(p = 0\.310, 5 vs 5 runs\)$/);
  assert.match(rows[2]!, /40\.5 ms\s+500 ms\s+–\s+pass$/);
  assert.match(rows[4]!, /no change\s+no significant change/);
  // Why the rows that did not simply pass did not, then key figures and notes.
  assert.match(out, /^ {2}FAIL rate\.consumed mean >= baseline - 10%: 14\.5% below the baseline, beyond the noise$/m);
  assert.match(out, /^key figures\s+value\s+baseline\s+change\s+noise$/m);
  assert.match(out, /^consumed\s+20512 msgs\/s\s+24000 msgs\/s\s+-14\.5%\s+p = 0\.008/m);
  assert.match(out, /^lost\s+1,234 messages/m);
  assert.ok(out.indexOf('note: the subject\'s repetition 3') > out.indexOf('key figures'));
  assert.ok(!out.includes('\u0001') && !out.includes('\u0002'), 'control characters blanked');
});

test('table: single runs say so, and a passing gate without a baseline says baseline none', () => {
  const single = renderGateTable(singleRunReport());
  assert.match(single.split('\n')[0]!, /^gate: PASSED — 1 of 3 thresholds held/);
  assert.equal(single.match(/inconclusive\s+single run: no verdict/g)?.length, 2);
  const none = renderGateTable(noBaselineReport());
  assert.match(none.split('\n')[0]!, /^gate: PASSED — 2 of 2 thresholds held$/);
  assert.match(none, /; baseline: none$/m);
  assert.match(none, /^rate\.consumed\s+mean >= 500\s+912 msgs\/s\s+500 msgs\/s\s+–\s+pass/m);
  assert.match(none, /^metric\s+threshold\s+value\s+limit\s+baseline\s+verdict$/m, 'no noise column without relative thresholds');
  assert.match(none, /^key figures\s+value$/m);
  assert.doesNotMatch(none, /note:/);
});

// ---------------------------------------------------------------------------------------------
// JSON.

test('JSON: formatVersion and kind first, the report round-trips, and the text is the same whatever order the report was built in', () => {
  for (const report of [repeatedReport(), singleRunReport(), noBaselineReport()]) {
    const json = renderGateJson(report);
    assert.ok(json.endsWith('}\n'));
    const back = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(back).slice(0, 2), ['formatVersion', 'kind']);
    assert.deepEqual(back, { formatVersion: 1, kind: 'gate', ...report });
    const reversed = reverseKeys(report) as GateReport;
    assert.notDeepEqual(Object.keys(reversed), Object.keys(report));
    assert.equal(renderGateJson(reversed), json);
  }
});

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
}
