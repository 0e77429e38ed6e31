import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { throughputChart } from '../../src/report/html/chartData.js';
import { EVENTS_SHOWN } from '../../src/report/html/faultTimeline.js';
import { renderReport } from '../../src/report/html/renderReport.js';
import type { MatrixResult } from '../../src/matrix/model.js';
import type { RunResult } from '../../src/results/model.js';
import { faultRun, matrixFromRuns, syntheticRun } from './fixtures.js';

/** The rows of the table with this id, as arrays of cell texts (tags removed, entities kept). */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `no table #${id}`);
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

const rowClasses = (html: string, id: string): Array<string | undefined> => {
  const start = html.indexOf(`id="${id}"`);
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr(?: class="([^"]*)")?>/g)].map((m) => m[1]);
};

const render = (r: RunResult): ReturnType<typeof renderReport> => renderReport({ kind: 'run', result: r }, { source: 'fault.json' });

describe('throughput chart with faults', () => {
  test('every fault window is a shaded band; every applied step a line where it was requested', () => {
    const r = faultRun();
    const chart = throughputChart('t', 'title', r.series, r.faults);
    assert.deepEqual(
      chart.bands.map((b) => [b.kind, b.from, b.to, b.label]),
      [
        ['warmup', 0, 2, 'warm-up (excluded)'],
        ['drain', 7, 8.4, 'drain'],
        ['fault', 3, 5.6, 'stop rabbit-1@host'],
      ],
    );
    // The third step was not applied (the run ended first): no line for it.
    assert.deepEqual(chart.markers, [
      { at: 3, label: 'stop leader', failed: false },
      { at: 5, label: 'start leader', failed: false },
    ]);
    assert.deepEqual(throughputChart('t', 'title', r.series).markers, [], 'no faults, no markers');
  });

  test('nodes faulted together share one band; a node restored only at the end is shaded to the end', () => {
    const windows = [
      { fromMs: 3000, toMs: 6000, label: 'partition mqbench-1@localhost' },
      { fromMs: 3000, toMs: 6000, label: 'partition mqbench-2@localhost' },
      { fromMs: 4000, toMs: 8400, label: 'pause mqbench-3@localhost (restored at the end)' },
    ];
    const chart = throughputChart('t', 'title', syntheticRun().series, { windows, steps: [] });
    assert.deepEqual(
      chart.bands.filter((b) => b.kind === 'fault').map((b) => [b.from, b.to, b.label]),
      [
        [3, 6, 'partition mqbench-1, partition mqbench-2'],
        [4, 8.4, 'pause mqbench-3 (restored at the end)'],
      ],
    );
  });
});

describe('HTML report of a fault run', () => {
  test('the throughput chart carries the fault bands and step lines the page will draw', () => {
    const { charts, html } = render(faultRun());
    assert.deepEqual(charts[0], { id: 'run-throughput', type: 'throughput', points: 27, bands: 3, markers: 2 });
    assert.match(html, /Red: a fault was in effect/);
    assert.match(html, /<a href="#faults">Fault timeline<\/a>/);
  });

  test('the steps table has one row per step, times from the start of measurement', () => {
    const r = faultRun();
    const { html } = render(r);
    assert.match(html, /<section id="faults"><h2>Fault timeline<\/h2>/);
    const rows = tableRows(html, 'run-faults-steps');
    assert.equal(rows.length, r.faults!.steps.length);
    const [stop, start, kill] = rows;
    // #, step, nodes, requested, done, leader before, new leader, publishing resumed, consuming resumed, gaps, published, not consumed, error
    assert.deepEqual(stop!.slice(0, 9), ['1', 'stop leader', 'rabbit-1@host', '1.0', '1.4', 'rabbit-1@host', 'rabbit-2@host at 1.9', '1.2', '1.5']);
    assert.deepEqual(stop!.slice(9), ['1.2 (1.0–2.2)', '1.5 (1.0–2.5)', '2,000', '100', '']);
    assert.deepEqual(start!.slice(1, 7), ['start leader', 'rabbit-1@host', '3.0', '3.6', 'rabbit-2@host', '—']);
    assert.equal(start![9], 'none');
    assert.equal(kill![13], 'not applied: the run ended before 10s');
    // A step that failed or was not applied did nothing to measure.
    assert.deepEqual(kill!.slice(6, 13), ['—', '—', '—', '—', '—', '—', '—']);
    const never = tableRows(render(faultRun({ neverResumed: true })).html, 'run-faults-steps')[0]!;
    assert.deepEqual(never.slice(7, 9), ['did not resume before publishing ended', 'did not resume before the run ended']);
    assert.deepEqual(rowClasses(html, 'run-faults-steps'), [undefined, undefined, 'failed']);
    assert.match(html, /Longest time without a confirm over the measurement: 1\.2 <small>\(1\.0–2\.2\)<\/small> s; without a delivery: 1\.5/);
  });

  test('account by phase, leader changes and connection events', () => {
    const { html } = render(faultRun());
    assert.deepEqual(tableRows(html, 'run-faults-phases'), [
      ['before', '-2.0', '1.0', '3,000', '3,000', '2,950', '0', '0'],
      ['during', '1.0', '3.6', '2,600', '2,400', '2,300', '100', '100'],
      ['after', '3.6', '6.4', '2,800', '3,000', '3,100', '0', '0'],
    ]);
    const membership = tableRows(html, 'run-faults-membership');
    assert.deepEqual(membership.map((r) => [r[0], r[2], r[4]]), [
      ['-2.0', 'rabbit-1@host', 'rabbit-1@host, rabbit-2@host, rabbit-3@host'],
      ['1.5', 'none', 'rabbit-2@host, rabbit-3@host'],
      ['1.9', 'rabbit-2@host', 'rabbit-2@host, rabbit-3@host'],
      ['3.8', 'rabbit-2@host', 'rabbit-1@host, rabbit-2@host, rabbit-3@host'],
    ]);
    assert.deepEqual(rowClasses(html, 'run-faults-membership'), [undefined, 'changed', 'changed', undefined]);
    const events = tableRows(html, 'run-faults-events');
    assert.equal(events.length, 6);
    assert.deepEqual(events[0], ['1.1', 'publisher 0', 'connectionLost', '127.0.0.1:5700', 'CONNECTION_FORCED - broker forced connection closure with reason &#39;shutdown&#39;']);
    assert.equal(events[5]![4], 'sending what the schedule owes (250 messages)');
    assert.match(html, /By type: 2 connectionLost, 1 recoveryFailed, 2 recovered, 1 catchUp\./);
    assert.doesNotMatch(html, /left out/);
  });

  test('connection events are capped, saying how many were left out', () => {
    const { html } = render(faultRun({ events: 250 }));
    assert.equal(tableRows(html, 'run-faults-events').length, EVENTS_SHOWN);
    assert.match(html, /The first 200 of 250 are shown; 50 left out \(all are in the result JSON\)\./);
  });

  test('the delivery account and the verdict', () => {
    const { html } = render(faultRun());
    assert.match(html, /<p class="verdict verdict-lost">Verdict: <b>LOST<\/b> — 100 confirmed messages of \d+ lost<\/p>/);
    assert.match(html, /Delivery: <b>100 lost<\/b> of [\d,]+ confirmed; [\d,]+ consumed, 3 duplicates, 0 out of order\. Drain: complete\./);
    const account = html.slice(html.indexOf('<th>delivery account</th>'));
    for (const [name, value] of [
      ['re-published', '20'],
      ['unconfirmed at connection loss', '20'],
      ['not consumed', '100'],
      ['lost', '100'],
      ['unresolved', '0'],
      ['redelivered', '7'],
      ['foreign', '0'],
      ['nacked', '0'],
      ['returned', '0'],
    ]) {
      assert.match(account, new RegExp(`<tr(?: class="failed")?><td>${name}</td><td>${value}</td>`), name);
    }
    assert.match(html, /Not consumed, by sequence number \(up to 20 ranges per publisher\): publisher 0: 2000–2099/);
  });

  test('an incomplete account says loss was not computed, with the issues, instead of 0', () => {
    const { html } = render(faultRun({ incomplete: true }));
    assert.match(html, /Delivery: <b>loss not computed: accounting incomplete<\/b> — worker 1 ended without its final report/);
    assert.match(html, /<tr class="failed"><td>lost<\/td><td>not computed<\/td>/);
    assert.match(html, /verdict-failed/);
    assert.match(html, /<td>lost<\/td><td><small>not proven<\/small><\/td>|<td>during<\/td>(?:<td>[^<]*<\/td>){6}<td><small>not proven<\/small><\/td>/);
  });

  test('text from the result is escaped in the timeline', () => {
    const r = faultRun();
    r.faults!.steps[0]!.error = '<img src=x onerror=alert(1)>';
    r.events[0]!.detail = '</script><b>x</b>';
    r.faults!.restoredAtEnd = [{ action: 'start', nodes: ['<i>n</i>@localhost'], error: 'boom & <b>' }];
    const { html } = render(r);
    assert.doesNotMatch(html, /<img src=x|<b>x<\/b>|<i>n<\/i>|boom & <b>/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /FAILED: boom &amp; &lt;b&gt;/);
  });

  test('a run without faults has no fault section; its events (if any) get their own', () => {
    const plain = render(syntheticRun()).html;
    assert.doesNotMatch(plain, /id="faults"|id="events"/);
    assert.match(plain, /verdict-ok/);
    const withEvents = { ...syntheticRun(), events: faultRun().events };
    const { html } = render(withEvents);
    assert.match(html, /<section id="events"><h2>Connection events<\/h2>/);
    assert.equal(tableRows(html, 'run-events').length, 6);
  });
});

describe('HTML report of a fault matrix', () => {
  const matrix = () =>
    matrixFromRuns('resilience', [
      { id: 'queues.type=quorum', label: 'quorum', values: { 'queues.type': 'quorum' }, runs: [faultRun({ seed: 1, lost: 0 }), faultRun({ seed: 2, lost: 0, confirmGapMs: 1800 })] },
      {
        id: 'queues.type=classic',
        label: 'classic',
        values: { 'queues.type': 'classic' },
        runs: [faultRun({ seed: 3, lost: 120, allowLoss: true, confirmGapMs: 9000, neverResumed: true })],
        overrides: { 'queues.durable': true },
      },
    ]);

  test('the cells table gets the fault columns', () => {
    const { html } = renderReport({ kind: 'matrix', result: matrix() }, { source: 'm.json' });
    assert.match(html, /<th>unresolved<\/th><th>unconfirmed at loss<\/th><th>nacked \/ returned<\/th><th>no confirm s<\/th><th>no delivery s<\/th><th>verdicts<\/th>/);
    const [quorum, classic] = tableRows(html, 'cells');
    assert.deepEqual(quorum!.slice(7, 13), ['0 / 6', '0', '40', '0 / 0', '1.5 ± 0.4 (max 1.8)', '1.8 ± 0.4 (max 2.1)']);
    assert.equal(quorum![13], '2 ok');
    assert.deepEqual(classic!.slice(7, 14), ['120 / 3', '0', '20', '0 / 0', '9.0', '9.3', '1 ok']);
  });

  test('each cell shows its overrides, verdicts and one fault timeline per repetition', () => {
    const { html, charts } = renderReport({ kind: 'matrix', result: matrix() }, { source: 'm.json' });
    assert.match(html, /Overrides: <code>queues\.durable = true<\/code>/);
    assert.match(html, /<li>Repetition 1: <b>OK<\/b> — 120 confirmed messages lost, as the profile allows \(allowLoss\)<\/li>/);
    assert.equal(tableRows(html, 'cell-1-rep-1-faults-steps').length, 3);
    assert.equal(tableRows(html, 'cell-1-rep-2-faults-steps').length, 3);
    assert.equal(tableRows(html, 'cell-2-rep-1-faults-steps').length, 3);
    const perRun = charts.filter((c) => /^cell-\d-rep-\d-throughput$/.test(c.id));
    assert.deepEqual(perRun.map((c) => [c.id, c.bands, c.markers]), [
      ['cell-1-rep-1-throughput', 3, 2],
      ['cell-1-rep-2-throughput', 3, 2],
      ['cell-2-rep-1-throughput', 3, 2],
    ]);
    assert.match(html, /Under faults \(2 repetitions\): longest time without a confirm 1\.5 ± 0\.4 <small>\(max 1\.8\)<\/small> s/);
  });

  test('a matrix without faults has no fault columns', () => {
    const m = matrixFromRuns('m', [{ id: 'a', label: 'a', values: {}, runs: [syntheticRun()] }]);
    const { html } = renderReport({ kind: 'matrix', result: m }, { source: 'm.json' });
    assert.doesNotMatch(html, /no confirm s|verdicts<\/th>/);
  });
});

describe('results written before the fault timeline (format 1)', () => {
  test('still render: no verdict, events or faults; loss a plain number', () => {
    /** A copy without the named fields. */
    const without = <T extends object>(o: T, keys: string[]): T => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as T;
    const old = {
      ...without(syntheticRun(), ['verdict', 'events', 'eventCounts', 'faults', 'drain', 'runId']),
      formatVersion: 1,
      delivery: { tracked: true, published: 10, confirmed: 10, nacked: 0, unconfirmed: 0, consumedUnique: 10, lost: 0, duplicates: 0, outOfOrder: 0 },
    } as unknown as RunResult;
    const { html, charts } = render(old);
    assert.match(html, /Delivery: <b>0 lost<\/b> of 10 confirmed/);
    assert.doesNotMatch(html, /class="verdict/);
    assert.deepEqual(charts[0], { id: 'run-throughput', type: 'throughput', points: 27, bands: 2, markers: 0 });
    const m = matrixFromRuns('m', [{ id: 'a', label: 'a', values: {}, runs: [syntheticRun()] }]);
    const cell = m.cells[0]!;
    const summary = without(cell.summary!, ['verdicts', 'faults', 'accountingIncomplete', 'unresolved', 'unconfirmedAtLoss', 'notOk']);
    const oldMatrix = { ...m, cells: [{ ...cell, overrides: undefined, runs: [old], summary }] } as unknown as MatrixResult;
    assert.match(renderReport({ kind: 'matrix', result: oldMatrix }, { source: 'm.json' }).html, /<h2>Cell 1: a<\/h2>/);
  });
});
