/**
 * A stepped publisher rate on a real node: the per-second series shows both steps (published near
 * each step's rate, targetMsgsPerS set), schedule time counting from the start of sending
 * (warm-up included), and the CSV carries the target.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

const broker = { uris: [`amqp://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT}/`] };

before(async () => {
  await testBroker();
});

describe('rate schedule against a real node', { timeout: 60_000 }, () => {
  test('two steps, 200 then 600 msgs/s in total for 3 s each: the series shows both', { timeout: 45_000 }, async () => {
    const out = tempDir('rate-steps');
    const profile = {
      name: 'it-rate-steps',
      broker,
      queues: { type: 'classic', namePattern: 'mqbench-it-rate-steps-<n>' },
      // Per publisher: 100 then 300 msgs/s; two publishers make 200 then 600.
      publishers: { count: 2, rate: { steps: [{ rate: 100, for: '3s' }, { rate: 300, for: '3s' }] }, messageSize: 100 },
      consumers: { count: 1 },
      workers: 1,
      // Sending starts with the 1 s warm-up: the second step begins 2 s into the measurement.
      warmup: '1s',
      duration: '5s',
      drainTimeout: '10s',
    };
    const run = await runCli(['run', writeProfile(profile), '--out', out, '--csv', '-q'], { timeoutMs: 40_000 });
    assert.equal(run.code, 0, run.stderr);
    const file = readdirSync(out).find((f) => f.endsWith('.json'));
    assert.ok(file, `no result in ${out}`);
    const r = JSON.parse(readFileSync(join(out, file), 'utf8')) as RunResult;
    assert.equal(r.verdict.status, 'ok', r.verdict.message);
    assert.equal(r.latency.coordinatedOmissionCorrection, true);

    const sending = r.series.filter((p) => p.phase !== 'drain');
    const shown = sending.map((p) => `${p.tSeconds}s ${p.phase}: ${p.publishRateMsgsPerS}/${p.targetMsgsPerS}`).join('; ');
    // Whole intervals (about a second) inside one step: published within 10 % of that step's target.
    const inStep = (fromS: number, toS: number) => sending.filter((p) => p.intervalMs > 900 && p.tSeconds - p.intervalMs / 1000 >= fromS - 0.05 && p.tSeconds <= toS + 0.05);
    const first = inStep(0, 3);
    const second = inStep(3, 6);
    assert.ok(first.length >= 2 && second.length >= 2, `intervals per step: ${shown}`);
    for (const p of first) {
      assert.ok(Math.abs(p.targetMsgsPerS! - 200) <= 2, `step 1 target: ${shown}`);
      assert.ok(Math.abs(p.publishRateMsgsPerS - 200) <= 20, `step 1 published: ${shown}`);
    }
    for (const p of second) {
      assert.ok(Math.abs(p.targetMsgsPerS! - 600) <= 6, `step 2 target: ${shown}`);
      assert.ok(Math.abs(p.publishRateMsgsPerS - 600) <= 60, `step 2 published: ${shown}`);
    }
    assert.ok(r.series.filter((p) => p.phase === 'drain').every((p) => p.targetMsgsPerS === null), 'no target in the drain');
    // Over the whole run the publishers sent what the schedule asked: 200 × 3 + 600 × 3.
    assert.ok(Math.abs(r.delivery.published - 2400) <= 30, `published ${r.delivery.published}, expected 2400`);

    const csv = readdirSync(out).find((f) => f.endsWith('-series.csv'))!;
    const rows = parse(readFileSync(join(out, csv), 'utf8'), { columns: true, cast: true }) as Array<Record<string, number | string>>;
    assert.deepEqual(
      rows.map((row) => row.target_msgs_per_s),
      r.series.map((p) => p.targetMsgsPerS ?? ''),
    );
    const summary = readdirSync(out).find((f) => f.endsWith('-summary.csv'))!;
    const summaryRow = (parse(readFileSync(join(out, summary), 'utf8'), { columns: true }) as Array<Record<string, string>>)[0]!;
    assert.equal(summaryRow.target_rate_msgs_per_s, '', 'a schedule has no single target rate');
  });
});
