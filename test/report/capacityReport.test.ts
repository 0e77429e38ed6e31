import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stepCells } from '../../src/capacity/stepTable.js';
import { renderCapacity } from '../../src/report/capacityTable.js';
import { escapeHtml } from '../../src/report/html/escape.js';
import { renderReport } from '../../src/report/html/renderReport.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { capacityMatrix, REFERENCE_CAPACITY, referenceCapacity } from './capacityFixtures.js';
import { matrixFromRuns, syntheticRun } from './fixtures.js';

/** The rows of the table that follows `<section id="…">`'s first <tbody>. */
function tableRows(html: string, sectionId: string): string[] {
  const section = html.slice(html.indexOf(`<section id="${sectionId}">`));
  const body = section.slice(section.indexOf('<tbody>'), section.indexOf('</tbody>'));
  return body.split('<tr').slice(1);
}

const cellText = (row: string): string[] => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);

describe('report of a capacity result', () => {
  const r = referenceCapacity();
  const { html, charts } = renderReport({ kind: 'capacity', result: r }, { source: REFERENCE_CAPACITY });

  test('the headline: sustainable rate and bracket, the setup and the settings', () => {
    assert.match(html, /<title>mqbench capacity: quorum-3node<\/title>/);
    assert.match(html, /Sustainable: <b>4,246 msgs\/s<\/b> in total; not 4,379 msgs\/s — the capacity lies in \[4,246, 4,379\)/);
    assert.match(html, /2 publishers \(1,000-byte messages, confirms on\), 2 consumers, 1 quorum queue; 8 search steps, 6 curve steps/);
    assert.match(html, /<td>tolerance<\/td><td>3 %: a rate is sustained when published and consumed reach 97 % of it/);
    assert.match(html, /latency at 10 %, 25 %, 50 %, 75 %, 90 %, 100 % of the rate found/);
  });

  test('the latency curve chart is on the page, with every curve step and the faint search points', () => {
    assert.deepEqual(charts, [{ id: 'capacity-curve', type: 'capacity', points: 4 * 6 + 9, bands: 0, markers: 0 }]);
    assert.match(html, /<canvas id="capacity-curve"/);
    assert.match(html, /"type":"logarithmic"/);
    assert.doesNotMatch(html, /id="capacity-curve-metric"/, 'one result: every figure at once, no selector');
  });

  test('the steps table holds every step with the same facts as the terminal table', () => {
    const rows = tableRows(html, 'steps');
    assert.equal(rows.length, r.capacity.steps.length);
    r.capacity.steps.forEach((s, i) => assert.deepEqual(cellText(rows[i]!), stepCells(s, i + 1).map(escapeHtml), `step ${i + 1}`));
    // The terminal prints the same cells.
    const terminal = renderCapacity(r);
    for (const s of r.capacity.steps) for (const cell of stepCells(s, r.capacity.steps.indexOf(s) + 1)) assert.ok(terminal.includes(cell.split(';')[0]!), cell);
    assert.match(rows[3]!, /class="failed"/, 'a rate not sustained is highlighted');
    assert.match(cellText(rows[3]!).at(-1)!, /^NOT: publishers reached only 4664 msgs\/s/);
    assert.equal(cellText(rows[0]!)[1], 'full speed');
  });

  test('no sustainable rate, or an interrupted search: said plainly', () => {
    const none = { ...r, capacity: { ...r.capacity, sustainableMsgsPerS: null, notSustainableMsgsPerS: null } };
    assert.match(renderReport({ kind: 'capacity', result: none }, { source: 'x.json' }).html, /No sustainable rate found: not even the lowest rate tried was sustained/);
    const stopped = { ...none, interrupted: true, error: 'SIGINT' };
    const page = renderReport({ kind: 'capacity', result: stopped }, { source: 'x.json' }).html;
    assert.match(page, /Interrupted: SIGINT/);
    assert.match(page, /No sustainable rate found: SIGINT/);
  });
});

describe('report of a capacity matrix', () => {
  const m = capacityMatrix();
  const { html, charts } = renderReport({ kind: 'matrix', result: m }, { source: 'm.json' });
  const quorum = m.cells[1]!.capacity!;

  test('one chart of the cells’ curves, with a selector of the latency figure', () => {
    assert.match(html, /<title>mqbench capacity matrix: capacity-matrix<\/title>/);
    assert.deepEqual(charts, [{ id: 'capacity-matrix-curves', type: 'capacity', points: 2 * 3, bands: 0, markers: 0 }]);
    assert.match(html, /<select id="capacity-matrix-curves-metric"><option value="0" selected>e2e p99<\/option><option value="1">e2e p50<\/option><option value="2">confirm p99<\/option><option value="3">confirm p50<\/option><\/select>/);
    assert.doesNotMatch(html, /id="matrix-throughput"/, 'not the throughput page');
  });

  test('the cell table: capacity mean ± stddev, × baseline, latency at the table fraction and at the common rate', () => {
    const rows = tableRows(html, 'overview');
    assert.equal(rows.length, 3);
    const q = cellText(rows[1]!);
    assert.match(q[0]!, /quorum, 3 nodes/);
    assert.equal(q[1], '2 of 2');
    assert.equal(q[2], '2,900 ± 141');
    assert.equal(q[3], `×${quorum.relative!.mean.toFixed(2)} ± ${quorum.relative!.stddev.toFixed(2)}`);
    const half = quorum.curve.find((s) => s.fraction === 0.5)!;
    const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
    assert.equal(q[5], `${ms(half.e2eP50Ms)} / ${ms(half.e2eP99Ms)}`, 'at 50 % of its own capacity');
    assert.equal(q[8], `${ms(quorum.common!.e2eP50Ms)} / ${ms(quorum.common!.e2eP99Ms)}`, 'at the common rate');
    assert.match(html, /<th>at 50 %: e2e p50 \/ p99 ms<\/th>/);
    assert.match(html, /<th>at 1,000 msgs\/s: e2e p50 \/ p99 ms<\/th>/);
    assert.match(cellText(rows[2]!).join(''), /skipped: quorum on 1 node has no replicas to measure/);
    assert.match(cellText(rows[0]!)[0]!, /\(baseline\)/);
  });

  test('per-cell sections: every search’s steps, the curve and the common-rate step, collapsed', () => {
    assert.equal((html.match(/<details><summary>Search \d: every step<\/summary>/g) ?? []).length, 4);
    assert.equal((html.match(/<details><summary>Curve: 3 steps at fractions of/g) ?? []).length, 2);
    assert.equal((html.match(/<details><summary>At the common rate, 1,000 msgs\/s<\/summary>/g) ?? []).length, 2);
    assert.match(html, /<h2>Cell 3: quorum, 1 node<\/h2>[\s\S]*?Skipped: quorum on 1 node/);
  });
});

describe('queue depth and backlog in run reports', () => {
  test('a run page draws the depth chart and gives the backlog figures; a growing backlog is a warning under the verdict', () => {
    const run = syntheticRun();
    run.backlog = { samples: 5, startDepth: 30, endDepth: 2030, maxDepth: 2030, growthMsgsPerS: 500, growing: true, message: 'backlog grew by 2,000 messages (500 msgs/s): consumers did not keep up' };
    const { html, charts } = renderReport({ kind: 'run', result: run }, { source: 'r.json' });
    assert.deepEqual(charts.map((c) => c.id), ['run-throughput', 'run-depth', 'run-latency-e2e', 'run-latency-confirm']);
    assert.equal(charts[1]!.points, run.series.filter((p) => p.queueDepth !== null).length);
    assert.match(html, /<p class="warn"><b>Backlog:<\/b> backlog grew by 2,000 messages/);
    assert.ok(html.indexOf('<b>Backlog:</b>') < html.indexOf('Warm-up 2.0 s'), 'the warning stands under the verdict');
    assert.match(html, /Queue depth over the measurement \(5 readings\): 30 → 2,030 ready messages, at most 2,030; growth \+500 msgs\/s/);
  });

  test('no depth readings: no chart, and the page says why', () => {
    const run = { ...syntheticRun(), series: syntheticRun().series.map((p) => ({ ...p, queueDepth: null })) };
    const { html, charts } = renderReport({ kind: 'run', result: run }, { source: 'r.json' });
    assert.ok(!charts.some((c) => c.id === 'run-depth'));
    assert.match(html, /The queues’ depth was not read/);
    assert.match(html, /Queue depth: fewer than 3 readings/);
  });

  test('matrix and repeated pages: each repetition’s backlog, and a column when some run’s queues grew', () => {
    const grew = syntheticRun({ seed: 2 });
    grew.backlog = { samples: 5, startDepth: 0, endDepth: 4000, maxDepth: 4000, growthMsgsPerS: 800, growing: true, message: 'grew' };
    const flat = syntheticRun({ seed: 3 });
    flat.backlog = { samples: 5, startDepth: 10, endDepth: 12, maxDepth: 40, growthMsgsPerS: 0.4, growing: false, message: 'flat' };
    const m = matrixFromRuns('m', [{ id: 'a', label: 'classic', values: { 'queues.type': 'classic' }, runs: [grew, flat] }]);
    const { html } = renderReport({ kind: 'matrix', result: m }, { source: 'm.json' });
    assert.match(html, /<th>backlog grew \(runs\)<\/th>/);
    assert.match(cellText(tableRows(html, 'overview')[0]!).join('|'), /\|1 of 2\|/);
    assert.match(html, /Repetition 1: .*?; <b>backlog grew<\/b> \+800 msgs\/s to 4,000 messages<\/li>/);
    assert.match(html, /Repetition 2: .*?; queue depth at most 40 \(growth \+0\.4 msgs\/s\)<\/li>/);
    const quiet = matrixFromRuns('m', [{ id: 'a', label: 'classic', values: { 'queues.type': 'classic' }, runs: [flat] }]);
    assert.doesNotMatch(renderReport({ kind: 'matrix', result: quiet }, { source: 'm.json' }).html, /backlog grew \(runs\)/);
  });
});

describe('the CLI with capacity results', () => {
  test('mqbench report writes the capacity page; mqbench export points at the CSV capacity already wrote', async () => {
    const dir = tempDir('capacity-report');
    const input = join(dir, 'cap.json');
    writeFileSync(input, readFileSync(REFERENCE_CAPACITY));
    const r = await runCli(['report', input]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(dir, 'cap.html'));
    assert.match(readFileSync(join(dir, 'cap.html'), 'utf8'), /<h1>mqbench capacity: quorum-3node<\/h1>/);
    const e = await runCli(['export', input, '--csv']);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /cap\.json: a capacity result; its CSV \(one row per step\) is already written beside it by mqbench capacity/);
    assert.ok(!existsSync(join(dir, 'cap-series.csv')));
  });
});
