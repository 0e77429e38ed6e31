/**
 * mqbench as a library, used the way another project would: a separate directory whose
 * node_modules/mqbench is this package, a script importing "mqbench" by name, a real node.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/util/packageRoot.js';
import { tempDir } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';
before(async () => {
  uri = (await testBroker()).nodes[0]!.amqpUri;
});

const SCRIPT = `
import { runBenchmark, runMatrix, matrixFailuresOf, UserError } from 'mqbench';
const profile = {
  name: 'library',
  broker: { uris: [process.env.MQBENCH_URI] },
  queues: { namePattern: 'mqbench-library-<n>' },
  publishers: { count: 1, rate: 200, messageSize: 100 },
  consumers: { count: 1 },
  duration: '3s',
  drainTimeout: '10s',
};
const ticks = [];
// metrics.prometheus in the profile: served while the run goes, port 0 = any free port.
const run = runBenchmark({ ...profile, metrics: { prometheus: { port: 0 } } });
run.on('tick', (t) => ticks.push(t));
const backlog = [];
run.on('backlog', (b) => backlog.push(b));
let scraped = '';
run.on('phase', (p) => { if (p === 'measure') setTimeout(() => fetch(run.metricsUrl).then((r) => r.text()).then((t) => { scraped = t; }), 1200); });
const result = await run;
const aborted = new AbortController();
const long = runBenchmark({ ...profile, name: 'library-abort', duration: '60s' }, { signal: aborted.signal });
long.on('phase', (p) => { if (p === 'measure') setTimeout(() => aborted.abort('enough'), 1500); });
const cut = await long;
let bad;
try { await runBenchmark({ ...profile, publishers: { count: 1, rate: -5 } }); } catch (e) { bad = { user: e instanceof UserError, code: e.exitCode, message: e.message }; }
const matrix = runMatrix({ name: 'library-matrix', base: { ...profile, name: 'library-matrix', duration: '1s' }, axes: { 'publishers.messageSize': [100, 1000] }, repeat: 1 });
const lines = [];
matrix.on('status', (l) => lines.push(l));
const m = await matrix;
console.log(JSON.stringify({ ticks, scraped, backlog, matrix: { cells: m.cells.map((c) => [c.label, c.runs.length, c.runs[0]?.delivery.lost]), failures: matrixFailuresOf(m), lines: lines.length }, lost: result.delivery.lost, confirmed: result.delivery.confirmed, consumedUnique: result.delivery.consumedUnique, verdict: result.verdict.status,
  cut: { interrupted: cut.interrupted, error: cut.error, measuredMs: cut.timing.measuredMs }, bad }));
`;

describe('the library API', { timeout: 120_000 }, () => {
  test('import { runBenchmark } from "mqbench" in another project: ticks, a result, an AbortSignal, a UserError', async () => {
    const dir = tempDir('library');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(packageRoot(), join(dir, 'node_modules', 'mqbench'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    writeFileSync(join(dir, 'bench.mjs'), SCRIPT);
    const { stdout } = await promisify(execFile)(process.execPath, ['bench.mjs'], { cwd: dir, env: { ...process.env, MQBENCH_URI: uri }, timeout: 100_000 });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      ticks: Array<{ phase: string; consumedPerS: number; e2eP99Ms: number | null; nodes: Array<{ node: string; consumedPerS: number }> }>;
      lost: number;
      confirmed: number;
      consumedUnique: number;
      verdict: string;
      cut: { interrupted: boolean; error: string; measuredMs: number };
      bad: { user: boolean; code: number; message: string };
      scraped: string;
      backlog: Array<{ tMs: number; depth: number }>;
      matrix: { cells: Array<[string, number, number]>; failures: string[]; lines: number };
    };
    assert.equal(out.verdict, 'ok');
    assert.equal(out.lost, 0);
    assert.ok(out.confirmed > 300, `confirmed ${out.confirmed}`);
    assert.equal(out.consumedUnique, out.confirmed);
    const measuring = out.ticks.filter((t) => t.phase === 'measure');
    assert.ok(measuring.length >= 2, `${measuring.length} measuring ticks`);
    assert.ok(measuring.some((t) => t.consumedPerS > 100 && t.e2eP99Ms !== null), JSON.stringify(measuring));
    // Per-node rates: one node here, carrying the whole rate.
    const busy = measuring.find((t) => t.consumedPerS > 0)!;
    assert.deepEqual(busy.nodes.map((n) => n.node), [new URL(uri).host]);
    assert.ok(Math.abs(busy.nodes[0]!.consumedPerS - busy.consumedPerS) < 1e-6);
    assert.ok(out.backlog.length >= 2 && out.backlog.every((b) => Number.isInteger(b.depth) && b.depth >= 0), JSON.stringify(out.backlog));
    assert.match(out.scraped, /^mqbench_published_total\{[^}]*run="library"/m);
    assert.deepEqual(out.matrix.cells.map((c) => [c[1], c[2]]), [[1, 0], [1, 0]], JSON.stringify(out.matrix));
    assert.deepEqual(out.matrix.failures, []);
    assert.ok(out.matrix.lines >= 2, `${out.matrix.lines} progress lines`);
    assert.equal(out.cut.interrupted, true);
    assert.match(out.cut.error, /aborted: enough/);
    assert.ok(out.cut.measuredMs < 10_000, `measured ${out.cut.measuredMs} ms of 60 s`);
    assert.deepEqual([out.bad.user, out.bad.code], [true, 2]);
    assert.match(out.bad.message, /publishers\.rate/);
  });
});
