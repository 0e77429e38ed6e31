import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { clusterDown, clusterUp } from '../../src/cluster/local/cluster.js';
import type { RunResult } from '../../src/results/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

let uri = '';
const base = (name: string, uris: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  broker: { uris },
  queues: { namePattern: `mqbench-err-${name}-<n>` },
  publishers: { rate: 500 },
  duration: '30s',
  ...extra,
});

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  return lines[0]!;
}

before(async () => {
  uri = (await testBroker()).nodes[0]!.amqpUri;
});

describe('errors a user can act on', () => {
  test('unreachable broker: one line naming the URI and ECONNREFUSED within 10 s, exit 2', async () => {
    const run = await runCli(['run', writeProfile(base('unreachable', ['amqp://guest:s3cret@127.0.0.1:1/'])), '-q']);
    assert.equal(run.code, 2);
    const line = oneLine(run.stderr);
    assert.match(line, /amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1\//);
    assert.match(line, /ECONNREFUSED/);
    assert.doesNotMatch(run.stderr, /s3cret/);
    assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
  });

  test('capacity against an unreachable broker: one line naming the URI, exit 2, the (empty) result written', async () => {
    const out = tempDir('capacity-unreachable');
    const run = await runCli(['capacity', writeProfile(base('cap-unreachable', ['amqp://guest:s3cret@127.0.0.1:1/'])), '-q', '--out', out]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    const line = oneLine(run.stderr);
    assert.match(line, /amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1\/.*ECONNREFUSED/);
    assert.doesNotMatch(run.stdout + run.stderr, /s3cret/);
    assert.ok(readdirSync(out).some((f) => f.endsWith('.json')));
  });

  test('an unreachable second node is named too', async () => {
    const run = await runCli(['run', writeProfile(base('second', [uri, 'amqp://guest:guest@127.0.0.1:2/'])), '-q']);
    assert.equal(run.code, 2);
    assert.match(oneLine(run.stderr), /127\.0\.0\.1:2\/.*ECONNREFUSED/);
    assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
  });

  test('wrong credentials: ACCESS_REFUSED named, exit 2', async () => {
    const wrong = uri.replace('guest:guest@', 'guest:wrong@');
    const run = await runCli(['run', writeProfile(base('creds', [wrong])), '-q']);
    assert.equal(run.code, 2);
    const line = oneLine(run.stderr);
    assert.match(line, /ACCESS_REFUSED/);
    assert.match(line, new RegExp(`127\\.0\\.0\\.1:${TEST_BROKER_BASE_PORT}`));
    assert.doesNotMatch(line, /wrong@/);
  });

  test('missing profile file: clear message, exit 2', async () => {
    const run = await runCli(['run', '/nonexistent/profile.json']);
    assert.equal(run.code, 2);
    assert.match(oneLine(run.stderr), /cannot read profile \/nonexistent\/profile\.json: no such file/);
  });

  test('bad JSON: line and column, exit 2', async () => {
    const dir = tempDir('badjson');
    const path = join(dir, 'p.json');
    writeFileSync(path, '{\n  "name": "x",\n  "broker": {"uris": ["amqp://a"],}\n}\n');
    const run = await runCli(['run', path]);
    assert.equal(run.code, 2);
    assert.match(oneLine(run.stderr), /p\.json:3:\d+: invalid JSON/);
  });

  test('invalid profile: every error at once with its field path, exit 2, nothing connected', async () => {
    const run = await runCli(['run', writeProfile({ name: 'x', broker: { uris: ['amqp://127.0.0.1:1/'] }, publishers: { rate: 'fast' }, consumers: { ack: 'sometimes' } })]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /publishers\.rate: expected a number >= 0 or a schedule \(.+\), got "fast"/);
    assert.match(run.stderr, /consumers\.ack: expected one of/);
    assert.doesNotMatch(run.stderr, /ECONNREFUSED/);
  });

  test('Ctrl-C: stops cleanly, writes what was measured with interrupted: true, exits non-zero', async () => {
    const out = tempDir('sigint');
    const run = await runCli(['run', writeProfile(base('sigint', [uri], { warmup: '0s' })), '--out', out, '-q'], {
      onSpawn: (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 4000),
    });
    assert.equal(run.code, 130, run.stderr);
    const r = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResult;
    assert.equal(r.interrupted, true);
    assert.match(r.error ?? '', /SIGINT/);
    assert.ok(r.series.length >= 2, `series ${r.series.length}`);
    assert.ok(r.delivery.published > 500);
    assert.equal(r.delivery.lost, 0);
  });
});

describe('a node that dies mid-run', () => {
  const stateDir = join(packageRoot(), '.mqbench', 'test-cluster-kill');
  test('the run goes on to its end, agents retry, the result names the node and keeps what was measured; agents left without a connection exit 1', { timeout: 120_000 }, async () => {
    const cluster = await clusterUp({ stateDir, layout: ['disk'], basePort: 5850 });
    const out = tempDir('nodedeath');
    try {
      const run = await runCli(['run', writeProfile(base('nodedeath', [cluster.nodes[0]!.amqpUri], { warmup: '0s', duration: '8s', drainTimeout: '3s' })), '--out', out, '-q'], {
        onSpawn: () => setTimeout(() => void clusterDown({ stateDir }), 3000),
      });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /run failed: no connection at the end of the run for publisher 0 \(127\.0\.0\.1:5850\), consumer 0 \(127\.0\.0\.1:5850\)/);
      const r = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResult;
      assert.equal(r.interrupted, false, 'a dead node does not end the run early');
      const losses = r.events.filter((e) => e.type === 'connectionLost');
      assert.ok(losses.length >= 2, 'publisher and consumer lost their connection');
      assert.ok(losses.every((e) => e.node === '127.0.0.1:5850'), 'the events name the node');
      assert.ok(r.events.some((e) => e.type === 'recoveryFailed' && /ECONNREFUSED/.test(e.detail)), 'and why they could not reconnect');
      assert.ok(r.delivery.published > 500, `published ${r.delivery.published}`);
      assert.equal(r.delivery.lost, 0, 'nothing is proven lost when the queue cannot be read');
      assert.ok(r.timing.totalMs < 15_000, `ended on time: ${r.timing.totalMs} ms`);
    } finally {
      await clusterDown({ stateDir });
    }
  });
});
