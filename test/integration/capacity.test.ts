/**
 * `mqbench capacity` and a capacity-mode matrix on a real node. In a matrix of two classic queues,
 * one consumed at full speed and one by a consumer limited to 100 msgs/s: the full-speed cell's
 * search lands at or below its full-speed run's consume rate (the probe) with no backlog growth at
 * the rate it reports; the limited cell's finds 100 within 5 %; the cells are compared, measured at
 * a common rate, and their curves drawn. The command itself writes its result and CSV.
 *
 * Not "within 15 % of full speed": on a 2-core host a rate-limited publisher's smooth traffic (a few
 * messages per millisecond) costs the broker more per message than full speed's large bursts, and
 * the same profile sustained 65–100 % of the probe's rate from one search to the next (measured
 * 2026-12-01: probe 13,855 → 9,526; probe 14,466 → 14,466; at 12,000 msgs/s one publisher reached
 * 12,195, 11,069 and 9,248 in three steps). The bound below is what holds every time.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { CapacityResult } from '../../src/capacity/model.js';
import type { MatrixResult } from '../../src/matrix/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

const BROKER = { uris: [`amqp://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT}/`] };

before(async () => {
  await testBroker();
});

test('capacity: one step at a rate a slow consumer sustains writes the result and CSV, exit 0', { timeout: 60_000 }, async () => {
  const out = tempDir('capacity');
  const profile = writeProfile({
    name: 'cap',
    broker: BROKER,
    queues: { type: 'classic', namePattern: 'mqbench-capacity-<n>' },
    publishers: { count: 1, messageSize: 100 },
    consumers: { count: 1, rate: 200, prefetch: 20 },
    drainTimeout: '1s',
  });
  const r = await runCli(['capacity', profile, '--start-rate', '150', '--max-steps', '1', '--no-curve', '--step', '3s', '--settle', '500ms', '--out', out, '-q'], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /cap: sustainable 150 msgs\/s in total \(no higher rate failed: raise --max-steps\)/);
  const file = readdirSync(out).find((f) => f.endsWith('.json'))!;
  const result = JSON.parse(readFileSync(join(out, file), 'utf8')) as CapacityResult;
  assert.equal(result.kind, 'capacity');
  assert.deepEqual(result.capacity.steps.map((s) => [s.phase, s.targetMsgsPerS, s.sustainable]), [['search', 150, true]]);
  assert.equal(result.settings.fractions.length, 0, '--no-curve');
  const csv = parse(readFileSync(join(out, file.replace(/\.json$/, '.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(csv.length, 1);
  assert.equal(csv[0]!['sustainable'], '1');
});

test('a capacity matrix: full speed vs a consumer limited to 100 msgs/s', { timeout: 200_000 }, async () => {
  const out = tempDir('capacity-matrix');
  const matrix = writeProfile({
    name: 'capm',
    mode: 'capacity',
    repeat: 1,
    capacity: { step: '3s', settle: '500ms', fractions: [50], tableFraction: 50, commonRate: 80 },
    base: {
      broker: BROKER,
      queues: { type: 'classic', namePattern: 'mqbench-capacity-m-<n>' },
      publishers: { count: 1, messageSize: 100 },
      consumers: { count: 1, prefetch: 200 },
      drainTimeout: '1s',
    },
    axes: { 'consumers.rate': [0, 100] },
  });
  const r = await runCli(['matrix', matrix, '--out', out], { timeoutMs: 190_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /\[1\/6\] consumers\.rate=0 — search 1\/1/);
  assert.match(r.stderr, /\[6\/6\] consumers\.rate=100 — common rate/);
  const file = readdirSync(out).find((f) => f.endsWith('.json'))!;
  const m = JSON.parse(readFileSync(join(out, file), 'utf8')) as MatrixResult;
  assert.equal(m.mode, 'capacity');
  assert.equal(m.capacity!.commonRateMsgsPerS, 80);
  const [full, slow] = m.cells;

  // Full speed: at or below what the full-speed probe consumed, at least half of it, no backlog at the answer.
  const search = full!.capacity!.searches[0]!;
  const probe = search.steps[0]!;
  assert.equal(probe.phase, 'probe');
  const found = search.sustainableMsgsPerS!;
  const ratio = found / probe.consumedMsgsPerS;
  assert.ok(ratio >= 0.5 && ratio <= 1.15, `found ${found} msgs/s, full speed consumed ${Math.round(probe.consumedMsgsPerS)}`);
  const atAnswer = search.steps.find((s) => s.phase === 'search' && s.targetMsgsPerS === found)!;
  assert.equal(atAnswer.sustainable, true);
  assert.equal(atAnswer.backlogGrowing, false);
  assert.ok(search.steps.some((s) => s.phase === 'search' && s.sustainable === false), 'a rate above it failed');

  // The slow consumer: its limit within 5 %.
  const limited = slow!.capacity!.sustainable!.mean;
  assert.ok(Math.abs(limited - 100) / 100 <= 0.05, `found ${limited} msgs/s, the consumer's limit is 100`);
  for (const cell of [full!, slow!]) {
    assert.equal(cell.capacity!.common!.targetMsgsPerS, 80);
    assert.equal(cell.capacity!.common!.sustainable, true, cell.label);
    assert.deepEqual(cell.capacity!.curve.map((s) => s.targetMsgsPerS), [Math.round(cell.capacity!.sustainable!.mean / 2)]);
  }
  assert.equal(m.baselineCellId, full!.id);
  const relative = slow!.capacity!.relative!.mean;
  assert.ok(Math.abs(relative - limited / found) < 1e-9, `× baseline ${relative}`);
  assert.match(r.stdout, /consumers\.rate=100 +1\/1 +\d+ +0\.\d\d ± 0\.00/);
  const csv = parse(readFileSync(join(out, file.replace(/\.json$/, '-summary.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(csv[1]!['relative_capacity'], String(Math.round(relative * 1000) / 1000));
  const steps = parse(readFileSync(join(out, file.replace(/\.json$/, '-steps.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(steps.length, search.steps.length + slow!.capacity!.searches[0]!.steps.length + 4, 'every search step, then a curve and a common step per cell');
});
