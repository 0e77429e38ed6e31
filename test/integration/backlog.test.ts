/**
 * Queue depth once a second on a real node: a run whose publisher outruns its consumers reports a
 * growing backlog (and the summary says e2e latency then measures queueing); a balanced run does not.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

const broker = { uris: [`amqp://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT}/`] };

async function run(name: string, extra: Record<string, unknown>): Promise<{ stdout: string; r: RunResult }> {
  const out = tempDir(`backlog-${name}`);
  const cli = await runCli(['run', writeProfile({ name, broker, queues: { type: 'classic', namePattern: `mqbench-backlog-${name}-<n>` }, duration: '5s', warmup: '1s', drainTimeout: '15s', ...extra }), '--out', out, '-q'], { timeoutMs: 60_000 });
  const file = readdirSync(out).find((f) => f.endsWith('.json'));
  assert.ok(file, `no result; exit ${cli.code}: ${cli.stderr}`);
  return { stdout: cli.stdout, r: JSON.parse(readFileSync(join(out, file), 'utf8')) as RunResult };
}

before(async () => {
  await testBroker();
});

describe('backlog detection', { timeout: 150_000 }, () => {
  test('publishers with no consumer: the backlog grows at the publish rate, and the summary says so', { timeout: 60_000 }, async () => {
    const { stdout, r } = await run('grow', { publishers: { count: 1, rate: 2000, messageSize: 100 }, consumers: { count: 0 } });
    assert.ok(r.backlog, 'depth was read');
    assert.equal(r.backlog.growing, true, r.backlog.message);
    assert.ok(r.backlog.samples >= 3);
    assert.ok(Math.abs(r.backlog.growthMsgsPerS - 2000) < 400, `growth ${r.backlog.growthMsgsPerS} msgs/s vs 2000 published`);
    const depths = r.series.filter((p) => p.phase === 'measure' && p.queueDepth !== null).map((p) => p.queueDepth!);
    assert.ok(depths.length >= 3 && depths.at(-1)! > depths[0]!, depths.join(' '));
    assert.match(stdout, /WARNING: backlog grew by [\d,]+ messages/);
  });

  test('a consumer limited by consumers.rate: consumes at that rate while the publisher outruns it, and the backlog is detected', { timeout: 60_000 }, async () => {
    const { stdout, r } = await run('slow-consumer', {
      publishers: { count: 1, rate: 1000, messageSize: 100 },
      consumers: { count: 1, rate: 300, prefetch: 20 },
      drainTimeout: '1s',
    });
    const consumed = r.rates.consumed.overallMsgsPerS;
    assert.ok(Math.abs(consumed - 300) < 15, `consumed ${consumed} msgs/s, limit 300`);
    assert.ok(r.backlog?.growing, r.backlog?.message);
    assert.ok(Math.abs(r.backlog.growthMsgsPerS - 700) < 150, String(r.backlog.growthMsgsPerS));
    assert.match(stdout, /end-to-end \(corrected\) \* queueing/, 'the e2e row says it measures queueing');
  });

  test('a consumer that keeps up: no growing backlog', { timeout: 60_000 }, async () => {
    const { stdout, r } = await run('steady', { publishers: { count: 1, rate: 500, messageSize: 100 }, consumers: { count: 1 } });
    assert.ok(r.backlog);
    assert.equal(r.backlog.growing, false, r.backlog.message);
    assert.ok(r.backlog.maxDepth < 1000, String(r.backlog.maxDepth));
    assert.match(stdout, /no growing backlog/);
    assert.doesNotMatch(stdout, /\* queueing/);
  });
});
