/**
 * `mqbench gate` as a user runs it, on result files written from fixtures (no broker): exit codes
 * 0 / 99 / 2 and one-line errors that name the metric.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';
import { syntheticRun } from '../report/fixtures.js';

const dir = tempDir('gate-cli');
const resultFile = join(dir, 'run.json');
writeFileSync(resultFile, JSON.stringify(syntheticRun({ rate: 1000 })));

function thresholdsFile(name: string, thresholds: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ thresholds }));
  return path;
}

test('a result that meets its thresholds passes (exit 0); one that crosses them exits 99 with the table', async () => {
  const pass = await runCli(['gate', resultFile, '--thresholds', thresholdsFile('ok', { 'rate.consumed': ['mean >= 500'], 'delivery.lost': ['count == 0'] })]);
  assert.equal(pass.code, 0, pass.stderr);
  assert.match(pass.stdout, /passed/i);
  const fail = await runCli(['gate', resultFile, '--thresholds', thresholdsFile('bad', { 'rate.consumed': ['mean >= 5000'], 'latency.e2e': ['p(99) < 1s'] })]);
  assert.equal(fail.code, 99, fail.stderr);
  assert.match(fail.stdout, /failed/i);
  assert.match(fail.stdout, /rate\.consumed/);
  assert.match(fail.stdout, /latency\.e2e/);
});

test('the same result as its own baseline: single runs get no verdict and the gate passes', async () => {
  const r = await runCli(['gate', resultFile, '--baseline', resultFile, '--thresholds', thresholdsFile('rel', { 'rate.consumed': ['mean >= baseline - 10%'] })]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /single run: no verdict/);
});

test('bad input exits 2 with one line naming the metric', async () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['unknown', { 'rate.consumd': ['mean >= 1'] }, /rate\.consumd.*unknown metric.*did you mean "rate\.consumed"/],
    ['malformed', { 'latency.e2e': ['p(99 < 5'] }, /latency\.e2e.*"p\(" is not closed/],
    ['missing', { 'availability.unavailable': ['max < 5s'] }, /availability\.unavailable: missing in run\.json: the result has no fault timeline/],
    ['nobaseline', { 'rate.consumed': ['mean >= baseline - 10%'] }, /no baseline was given/],
  ];
  for (const [name, thresholds, message] of cases) {
    const r = await runCli(['gate', resultFile, '--thresholds', thresholdsFile(name, thresholds)]);
    assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, name);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const noThresholds = await runCli(['gate', resultFile]);
  assert.equal(noThresholds.code, 2);
  assert.match(noThresholds.stderr, /no thresholds/);
  const notAResult = await runCli(['gate', thresholdsFile('x', {})]);
  assert.equal(notAResult.code, 2);
});

test('--summary-md appends Markdown, --junit writes XML, --json prints the report', async () => {
  const md = join(dir, 'summary.md');
  writeFileSync(md, '# earlier step\n');
  const xml = join(dir, 'gate.xml');
  const t = thresholdsFile('outs', { 'rate.consumed': ['mean >= 5000'] });
  const r = await runCli(['gate', resultFile, '--thresholds', t, '--summary-md', md, '--junit', xml, '--json']);
  assert.equal(r.code, 99);
  const report = JSON.parse(r.stdout) as { verdict: string; thresholds: unknown[] };
  assert.equal(report.verdict, 'failed');
  assert.equal(report.thresholds.length, 1);
  const { readFileSync } = await import('node:fs');
  const mdText = readFileSync(md, 'utf8');
  assert.ok(mdText.startsWith('# earlier step\n'), 'appended, not replaced');
  assert.match(mdText, /\| *rate\.consumed *\|/);
  assert.match(readFileSync(xml, 'utf8'), /<failure /);
});

test('gate --help lists every metric name', async () => {
  const r = await runCli(['gate', '--help']);
  assert.equal(r.code, 0);
  for (const name of ['rate.consumed', 'latency.e2e', 'latency.confirm.raw', 'delivery.lost', 'delivery.duplicates', 'availability.unavailable', 'events.connectionLost', 'runs.notOk']) {
    assert.ok(r.stdout.includes(name), name);
  }
});
