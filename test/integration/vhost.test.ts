import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManagementClient } from '../../src/cluster/management.js';
import type { RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

const VHOST = 'mqbench-test-vhost';
const NO_ACCESS = 'mqbench-test-noaccess';
const amqp = (vhost: string): string => `amqp://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT}/${encodeURIComponent(vhost)}`;
let managementUrl = '';

/** Admin calls mqbench itself never makes: create or delete a vhost, grant guest access. */
async function admin(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${managementUrl}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok && !(method === 'DELETE' && res.status === 404)) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
}

function profile(name: string, vhost: string): Record<string, unknown> {
  return {
    name,
    broker: { uris: [amqp(vhost)], management: [`http://guest:guest@127.0.0.1:${TEST_BROKER_BASE_PORT + 10_000}`] },
    queues: { type: 'quorum', count: 2, namePattern: `mqbench-${name}-<n>`, onEnd: 'keep' },
    publishers: { count: 2, rate: 250, messageSize: 200 },
    consumers: { count: 2 },
    duration: '2s',
    drainTimeout: '10s',
  };
}

before(async () => {
  managementUrl = (await testBroker()).nodes[0]!.managementUrl;
  for (const v of [VHOST, NO_ACCESS]) await admin('DELETE', `/api/vhosts/${encodeURIComponent(v)}`);
  await admin('PUT', `/api/vhosts/${encodeURIComponent(VHOST)}`);
  await admin('PUT', `/api/permissions/${encodeURIComponent(VHOST)}/guest`, { configure: '.*', write: '.*', read: '.*' });
  await admin('PUT', `/api/vhosts/${encodeURIComponent(NO_ACCESS)}`);
  // The management API gives the user creating a vhost full permissions on it: take them back.
  await admin('DELETE', `/api/permissions/${encodeURIComponent(NO_ACCESS)}/guest`);
});

after(async () => {
  for (const v of [VHOST, NO_ACCESS]) await admin('DELETE', `/api/vhosts/${encodeURIComponent(v)}`);
});

describe('a vhost in the URI', { timeout: 90_000 }, () => {
  test('AMQP and every management call use it: queues in that vhost, topology read there, account complete', async () => {
    const out = tempDir('vhost');
    const run = await runCli(['run', writeProfile(profile('vhost', VHOST)), '--out', out, '-q'], { timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResult;
    assert.equal(r.delivery.complete, true);
    assert.ok(r.delivery.published > 200, `published ${r.delivery.published}`);
    assert.equal(r.delivery.consumedUnique, r.delivery.confirmed);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.cluster.error, null);
    assert.deepEqual(r.cluster.before?.queues.map((q) => [q.name, q.type]), [['mqbench-vhost-1', 'quorum'], ['mqbench-vhost-2', 'quorum']], 'topology read in the vhost');
    const mgmt = new ManagementClient({ baseUrl: managementUrl });
    const inVhost = (await mgmt.queues(VHOST)).map((q) => q.name).sort();
    assert.deepEqual(inVhost, ['mqbench-vhost-1', 'mqbench-vhost-2']);
    assert.ok(!(await mgmt.queues('/')).some((q) => q.name.startsWith('mqbench-vhost-')), 'nothing declared in the default vhost');
  });

  test('a vhost that does not exist, or without permissions: exit 2, one line naming the vhost', async () => {
    for (const [vhost, cause] of [
      ['mqbench-test-missing', /amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+\/mqbench-test-missing: NOT_ALLOWED: the broker refused vhost "mqbench-test-missing" to user "guest"/],
      [NO_ACCESS, /NOT_ALLOWED: the broker refused vhost "mqbench-test-noaccess" to user "guest": the vhost does not exist or the user has no permissions on it$/],
    ] as const) {
      const run = await runCli(['run', writeProfile(profile('vhost-bad', vhost)), '-q'], { timeoutMs: 30_000 });
      assert.equal(run.code, 2, run.stdout + run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, cause);
    }
  });
});
