/**
 * `mqbench capacity` and a capacity-mode matrix on a real node. On a classic queue at full speed the
 * search lands at or below the full-speed run's consume rate (its probe) with no backlog growth at
 * the rate it reports; with consumers limited by consumers.rate, a capacity matrix finds each cell's
 * limit within 5 % and compares the cells.
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

test('capacity of a classic queue: at most the full-speed consume rate (+15 %), at least half of it, no backlog at the answer', { timeout: 150_000 }, async () => {
  const out = tempDir('capacity');
  const profile = writeProfile({
    name: 'cap',
    broker: BROKER,
    queues: { type: 'classic', namePattern: 'mqbench-capacity-<n>' },
    publishers: { count: 1, messageSize: 100 },
    consumers: { count: 1, prefetch: 200 },
    drainTimeout: '2s',
  });
  const r = await runCli(['capacity', profile, '--step', '3s', '--settle', '1s', '--precision', '10', '--fractions', '50', '--out', out, '-q'], { timeoutMs: 140_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /cap: sustainable \d+ msgs\/s in total/);
  const file = readdirSync(out).find((f) => f.endsWith('.json'))!;
  const result = JSON.parse(readFileSync(join(out, file), 'utf8')) as CapacityResult;
  assert.equal(result.kind, 'capacity');
  const probe = result.capacity.steps[0]!;
  assert.equal(probe.phase, 'probe');
  const found = result.capacity.sustainableMsgsPerS!;
  const ratio = found / probe.consumedMsgsPerS;
  assert.ok(ratio >= 0.5 && ratio <= 1.15, `found ${found} msgs/s, full speed consumed ${Math.round(probe.consumedMsgsPerS)}`);
  const atAnswer = result.capacity.steps.find((s) => s.phase === 'search' && s.targetMsgsPerS === found)!;
  assert.equal(atAnswer.sustainable, true);
  assert.equal(atAnswer.backlogGrowing, false);
  assert.ok(result.capacity.steps.some((s) => s.phase === 'search' && s.sustainable === false), 'a rate above it failed');
  const curve = result.capacity.steps.filter((s) => s.phase === 'curve');
  assert.deepEqual(curve.map((s) => s.targetMsgsPerS), [Math.round(found / 2)]);
  assert.ok(readdirSync(out).some((f) => f.endsWith('.csv')));
});

test('a capacity matrix finds each cell\'s consumer limit within 5 % and compares the cells', { timeout: 200_000 }, async () => {
  const out = tempDir('capacity-matrix');
  const matrix = writeProfile({
    name: 'capm',
    mode: 'capacity',
    repeat: 1,
    capacity: { step: '3s', settle: '1s', startRate: 100, curve: false, commonRate: 80 },
    base: {
      broker: BROKER,
      queues: { type: 'classic', namePattern: 'mqbench-capacity-m-<n>' },
      publishers: { count: 1, messageSize: 100 },
      consumers: { count: 1, prefetch: 20 },
      drainTimeout: '1s',
    },
    axes: { 'consumers.rate': [100, 200] },
  });
  const r = await runCli(['matrix', matrix, '--out', out], { timeoutMs: 190_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /\[1\/4\] consumers\.rate=100 — search 1\/1/);
  assert.match(r.stderr, /\[4\/4\] consumers\.rate=200 — common rate/);
  const file = readdirSync(out).find((f) => f.endsWith('.json'))!;
  const m = JSON.parse(readFileSync(join(out, file), 'utf8')) as MatrixResult;
  assert.equal(m.mode, 'capacity');
  assert.equal(m.capacity!.commonRateMsgsPerS, 80);
  const [slow, fast] = m.cells;
  for (const [cell, limit] of [[slow!, 100], [fast!, 200]] as const) {
    const found = cell.capacity!.sustainable!.mean;
    assert.ok(Math.abs(found - limit) / limit <= 0.05, `${cell.label}: found ${found} msgs/s, the consumer's limit is ${limit}`);
    assert.equal(cell.capacity!.common!.targetMsgsPerS, 80);
    assert.equal(cell.capacity!.common!.sustainable, true);
  }
  assert.equal(m.baselineCellId, slow!.id);
  const ratio = fast!.capacity!.relative!.mean;
  assert.ok(ratio > 1.8 && ratio < 2.2, `× baseline ${ratio}`);
  assert.match(r.stdout, /consumers\.rate=200 +1\/1 +\d+ +\d\.\d\d ± 0\.00/);
  const csv = parse(readFileSync(join(out, file.replace(/\.json$/, '-summary.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(csv[1]!['relative_capacity'], String(Math.round(ratio * 1000) / 1000));
  const steps = parse(readFileSync(join(out, file.replace(/\.json$/, '-steps.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(steps.length, slow!.capacity!.searches[0]!.steps.length + fast!.capacity!.searches[0]!.steps.length + 2);
});
