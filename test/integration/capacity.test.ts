/**
 * `mqbench capacity` on a real node: with consumers limited by consumers.rate, the search finds
 * that rate (within 5 %), its last sustained step shows no backlog growth, and the result is written.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { CapacityResult } from '../../src/capacity/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

before(async () => {
  await testBroker();
});

test('capacity finds the rate of a consumer limited to 400 msgs/s', { timeout: 150_000 }, async () => {
  const out = tempDir('capacity');
  const profile = writeProfile({
    name: 'cap',
    broker: { uris: [`amqp://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT}/`] },
    queues: { type: 'classic', namePattern: 'mqbench-capacity-<n>' },
    publishers: { count: 1, messageSize: 100 },
    consumers: { count: 1, rate: 400, prefetch: 20 },
    drainTimeout: '1s',
  });
  const r = await runCli(['capacity', profile, '--start-rate', '200', '--step', '3s', '--settle', '1s', '--no-curve', '--out', out, '-q'], { timeoutMs: 140_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /cap: sustainable \d+ msgs\/s in total/);
  const file = readdirSync(out).find((f) => f.endsWith('.json'))!;
  const result = JSON.parse(readFileSync(join(out, file), 'utf8')) as CapacityResult;
  assert.equal(result.kind, 'capacity');
  const found = result.capacity.sustainableMsgsPerS!;
  assert.ok(Math.abs(found - 400) / 400 <= 0.05, `found ${found} msgs/s, the consumer's limit is 400`);
  const last = result.capacity.steps.filter((s) => s.sustainable).at(-1)!;
  assert.equal(last.backlogGrowing, false);
  assert.ok(result.capacity.steps.some((s) => s.sustainable === false), 'a rate above it failed');
  assert.ok(readdirSync(out).some((f) => f.endsWith('.csv')));
});
