import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import yargs from 'yargs';
import { reportCommand } from '../../src/cli/commands/report.js';
import { UserError } from '../../src/util/userError.js';
import { renderReport } from '../../src/report/html/renderReport.js';
import { tempDir } from '../helpers/cli.js';
import { matrixFromRuns, syntheticRun, TWO_CELL_MATRIX_CHART_IDS } from './fixtures.js';

/** The report command as main.ts mounts it, parsed in-process; errors are thrown, not printed (it prints the output path). */
async function report(args: string[]): Promise<void> {
  await yargs().command(reportCommand).strict().fail(false).exitProcess(false).parseAsync(['report', ...args]);
}

function assertUserError(err: unknown, pattern: RegExp): boolean {
  assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
  assert.equal(err.exitCode, 2);
  assert.doesNotMatch(err.message, /\n/);
  assert.match(err.message, pattern);
  return true;
}

describe('mqbench report', () => {
  test('writes the report beside the result by default, or where -o says', async () => {
    const dir = tempDir('report-cmd');
    const input = join(dir, 'smoke-20260101T000000Z.json');
    writeFileSync(input, JSON.stringify(syntheticRun({ name: 'smoke' })));
    await report([input]);
    const html = readFileSync(join(dir, 'smoke-20260101T000000Z.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    await report([input, '-o', join(dir, 'sub', 'other.html')]);
    assert.ok(existsSync(join(dir, 'sub', 'other.html')));
  });

  test('a missing file, a non-JSON file and a JSON that is not a result are one-line errors with exit code 2', async () => {
    const dir = tempDir('report-err');
    await assert.rejects(report([join(dir, 'nope.json')]), (err) => assertUserError(err, /cannot read result .*nope\.json: ENOENT/));
    writeFileSync(join(dir, 'bad.json'), '{"kind": ');
    await assert.rejects(report([join(dir, 'bad.json')]), (err) => assertUserError(err, /bad\.json: not a JSON file/));
    writeFileSync(join(dir, 'other.json'), '{"name": "something else"}');
    await assert.rejects(report([join(dir, 'other.json')]), (err) => assertUserError(err, /other\.json: not an mqbench result/));
    assert.ok(!existsSync(join(dir, 'other.html')));
  });

  test('the page is self-contained: Chart.js and data inline, nothing loaded from elsewhere', () => {
    const { html, charts } = renderReport({ kind: 'run', result: syntheticRun() }, { source: 'x.json' });
    assert.match(html, /Chart\.js v4/);
    assert.doesNotMatch(html, /<script[^>]+src=/i);
    assert.doesNotMatch(html, /<link[^>]+href=/i);
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.deepEqual(charts.map((c) => c.id), ['run-throughput', 'run-depth', 'run-latency-e2e', 'run-latency-confirm']);
    assert.ok(charts.every((c) => c.points > 0));
    assert.match(html, /rabbit-1@host → rabbit-2@host/);
    assert.match(html, /<details><summary>profile JSON<\/summary><pre>\{/);
  });

  test('a matrix page has the bars, latency by cell and per-cell charts', () => {
    const m = matrixFromRuns('m', [
      { id: 'a', label: 'classic', values: { 'queues.type': 'classic' }, runs: [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2, rate: 800 })] },
      { id: 'b', label: 'quorum', values: { 'queues.type': 'quorum' }, runs: [syntheticRun({ seed: 3 })] },
    ]);
    const { html, charts } = renderReport({ kind: 'matrix', result: m }, { source: 'm.json' });
    assert.deepEqual(charts.map((c) => c.id), TWO_CELL_MATRIX_CHART_IDS);
    assert.match(html, /<h2>Cell 2: quorum<\/h2>/);
    assert.match(html, /×0\.\d\d/);
  });
});
