/**
 * The gate on real runs against a real local RabbitMQ node: a regression produced by a profile
 * change fails it (99); two repeated runs of the same setup pass with "no significant change";
 * abortOnFail stops a run early and still writes its result.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RepeatedResult, RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

const broker = { uris: [`amqp://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT}/`] };

function profile(name: string, rate: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    broker,
    queues: { type: 'classic', namePattern: `mqbench-gate-${name}-<n>` },
    publishers: { count: 1, rate, messageSize: 200 },
    consumers: { count: 1 },
    duration: '2s',
    warmup: '500ms',
    drainTimeout: '15s',
    ...extra,
  };
}

function resultOf(dir: string, name: string): { file: string; json: RepeatedResult | RunResult } {
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}-`) && f.endsWith('.json'));
  assert.ok(file, `no result for ${name} in ${dir}: ${readdirSync(dir).join(', ')}`);
  return { file: join(dir, file), json: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RepeatedResult | RunResult };
}

before(async () => {
  await testBroker();
});

describe('the gate on real repeated runs', { timeout: 400_000 }, () => {
  const out = tempDir('gate-int');
  const thresholds = join(out, 'thresholds.json');
  writeFileSync(thresholds, JSON.stringify({ thresholds: { 'rate.consumed': ['mean >= baseline - 10%'], 'delivery.lost': ['count == 0'] } }));

  test('same setup twice, interleaved: "no significant change", exit 0; a 60 % slower profile: exit 99', { timeout: 300_000 }, async () => {
    const a = writeProfile(profile('same-a', 1000));
    const b = writeProfile(profile('same-b', 1000));
    const pair = await runCli(['run', a, '--repeat', '4', '--baseline-profile', b, '--out', out, '-q'], { timeoutMs: 150_000 });
    assert.equal(pair.code, 0, pair.stderr);
    const sa = resultOf(out, 'same-a');
    const sb = resultOf(out, 'same-b');
    assert.equal(sa.json.kind, 'repeated');
    assert.equal((sa.json as RepeatedResult).runs.length, 4);
    assert.equal((sb.json as RepeatedResult).runs.length, 4);

    // 4 vs 4 runs cannot reach p < 0.01 (the smallest two-sided p is 2/70): the same setup can
    // only be judged "no significant change" here, whatever the machine's noise.
    const same = await runCli(['gate', sa.file, '--baseline', sb.file, '--thresholds', thresholds, '--alpha', '0.01']);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /no significant change/);

    const slow = writeProfile(profile('slow', 400));
    const slowRun = await runCli(['run', slow, '--repeat', '4', '--out', out, '-q'], { timeoutMs: 120_000 });
    assert.equal(slowRun.code, 0, slowRun.stderr);
    const md = join(out, 'summary.md');
    const gate = await runCli(['gate', resultOf(out, 'slow').file, '--baseline', sb.file, '--thresholds', thresholds, '--summary-md', md]);
    assert.equal(gate.code, 99, gate.stdout + gate.stderr);
    assert.match(gate.stdout, /rate\.consumed/);
    assert.match(readFileSync(md, 'utf8'), /rate\.consumed/);
  });

  test('run --gate with abortOnFail: the run stops once the threshold is crossed, writes its result, exits 99', { timeout: 90_000 }, async () => {
    const p = writeProfile(
      profile('abort', 200, {
        duration: '20s',
        warmup: '0s',
        thresholds: { 'rate.consumed': [{ threshold: 'mean >= 100000', abortOnFail: true, delayAbortEval: '2s' }] },
      }),
    );
    const r = await runCli(['run', p, '--gate', '--out', out, '-q'], { timeoutMs: 60_000 });
    assert.equal(r.code, 99, r.stdout + r.stderr);
    assert.ok(r.elapsedMs < 15_000, `stopped early: ${r.elapsedMs} ms`);
    const { json } = resultOf(out, 'abort');
    const run = json as RunResult;
    assert.equal(run.interrupted, true);
    assert.match(run.error ?? '', /threshold crossed \(abortOnFail\): rate\.consumed mean >= 100000/);
    assert.ok(run.timing.measuredMs >= 2000 && run.timing.measuredMs < 6000, String(run.timing.measuredMs));
  });
});
