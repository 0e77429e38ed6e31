/**
 * Many agents against a real node (issue 10): shared connections, a parallel start, queues kept
 * between runs, and a start that takes too long failing the run (exit 1), not blamed on the profile.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { connectionNames } from '../helpers/brokerControl.js';
import { readRunResult, runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';
let managementUrl = '';
const AGENTS = 200;

before(async () => {
  const node = (await testBroker()).nodes[0]!;
  uri = node.amqpUri;
  managementUrl = node.managementUrl;
});

function profile(name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    broker: { uris: [uri] },
    queues: { type: 'classic', count: AGENTS, namePattern: 'mqbench-scale-test-<n>' },
    publishers: { count: AGENTS, rate: 5, messageSize: 100 },
    consumers: { count: AGENTS },
    duration: '5s',
    drainTimeout: '15s',
    ...extra,
  };
}


/** Names of the agents' connections the broker has open now. */
async function agentConnections(): Promise<string[]> {
  return (await connectionNames(managementUrl)).filter((n) => n.startsWith('mqbench-') && n !== 'mqbench-setup' && n !== 'mqbench-depth');
}

describe('scale', { timeout: 150_000 }, () => {
  test(`${AGENTS} publishers and ${AGENTS} consumers on ${AGENTS} queues, sharing connections: every message accounted, the rate held`, async () => {
    const out = tempDir('scale');
    let largest: string[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const names = await agentConnections().catch(() => []);
        if (names.length > largest.length) largest = names;
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const shared = { connection: { publishersPerConnection: 20, consumersPerConnection: 50 }, queues: { ...(profile('x', {}).queues as object), onEnd: 'keep' } };
    const cli = await runCli(['run', writeProfile(profile('scale-shared', shared)), '--out', out, '-q'], { timeoutMs: 90_000 });
    polling = false;
    await poll;
    assert.equal(cli.code, 0, cli.stderr);
    const r = readRunResult(out, cli);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.delivery.notConsumed, 0);
    assert.equal(r.delivery.duplicates, 0);
    const target = AGENTS * 5;
    assert.ok(r.rates.confirmed.overallMsgsPerS > target * 0.95, `confirmed ${r.rates.confirmed.overallMsgsPerS} msgs/s of ${target}`);
    // 200 publishers in tens of 20 and 200 consumers in fours of 50: 14 connections, not 400.
    assert.equal(largest.filter((n) => n.startsWith('mqbench-publishers-')).length, 10, largest.join(', '));
    assert.equal(largest.filter((n) => n.startsWith('mqbench-consumers-')).length, 4, largest.join(', '));
    assert.equal(largest.length, 14, largest.join(', '));
  });

  test('queues.onStart "keep": a second run uses the queues the first one kept', async () => {
    const out = tempDir('scale-keep');
    const keep = profile('scale-keep', { queues: { ...(profile('x', {}).queues as object), onStart: 'keep' }, publishers: { count: AGENTS, rate: 2, messageSize: 100 }, duration: '2s' });
    const cli = await runCli(['run', writeProfile(keep), '--out', out, '-q'], { timeoutMs: 90_000 });
    assert.equal(cli.code, 0, cli.stderr);
    const r = readRunResult(out, cli);
    assert.equal(r.delivery.lost, 0);
    assert.ok(r.delivery.confirmed > 0);
    assert.equal(r.delivery.consumedUnique, r.delivery.confirmed);
  });

  test('a start slower than connection.startTimeout fails the run (exit 1) with one line saying how far it got', async () => {
    const out = tempDir('scale-timeout');
    const slow = profile('scale-timeout', { connection: { startTimeout: '1ms' }, duration: '2s' });
    const cli = await runCli(['run', writeProfile(slow), '--out', out, '-q'], { timeoutMs: 60_000 });
    assert.equal(cli.code, 1, cli.stderr);
    const lines = cli.stderr.trim().split('\n');
    assert.equal(lines.length, 1, cli.stderr);
    assert.match(lines[0]!, /^mqbench: the start timed out: \d+ of 400 agents connected and set up within 0\.001 s \(raise connection\.startTimeout/);
  });
});
