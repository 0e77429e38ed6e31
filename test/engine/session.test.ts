import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AmqpChannel } from '../../src/amqp/client.js';
import { backoffDelayMs } from '../../src/engine/backoff.js';
import type { AgentEventType } from '../../src/engine/protocol.js';
import { AgentSession } from '../../src/engine/session.js';
import { FakeBroker, type FakeChannel } from '../helpers/fakeClient.js';

const connection = { heartbeatS: 5, connectTimeoutMs: 100, reconnectInitialMs: 5, reconnectMaxMs: 40 };
const uris = ['amqp://fake-1', 'amqp://fake-2', 'amqp://fake-3'];
const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

function session(fake: FakeBroker, setup: (ch: AmqpChannel) => Promise<void> = async () => undefined) {
  const events: Array<{ type: AgentEventType; node: string }> = [];
  const up: AmqpChannel[] = [];
  let downs = 0;
  const s = new AgentSession({
    client: fake.client(),
    uris,
    connectionName: 'test',
    connection,
    users: [
      {
        label: 'consumer 0',
        confirms: false,
        setup,
        onUp: (ch) => up.push(ch),
        onDown: () => downs++,
        onEvent: (type, node) => events.push({ type, node }),
      },
    ],
  });
  return { s, events, up, downs: () => downs };
}

test('backoff: grows exponentially from initialMs, never beyond maxMs, with half of it random', () => {
  const s = { initialMs: 100, maxMs: 5000 };
  assert.equal(backoffDelayMs(1, s, () => 0), 50);
  assert.equal(backoffDelayMs(1, s, () => 1), 100);
  assert.equal(backoffDelayMs(4, s, () => 1), 800);
  for (let a = 1; a < 40; a++) assert.ok(backoffDelayMs(a, s) <= 5000);
  assert.equal(backoffDelayMs(30, s, () => 0), 2500);
});

test('session: the first connection must work (a wrong URI is the user\'s error)', async () => {
  const fake = new FakeBroker();
  fake.down.add(uris[0]!);
  const { s } = session(fake);
  await assert.rejects(s.open(), /ECONNREFUSED/);
  assert.deepEqual(fake.attempts, [uris[0]]);
});

test('session: after a lost connection it moves on to the next node, skipping one that is down', async () => {
  const fake = new FakeBroker();
  const { s, events, up, downs } = session(fake);
  await s.open();
  assert.equal(up.length, 1);
  fake.down.add(uris[1]!);
  fake.open()[0]!.drop('node stopped');
  await until(() => up.length === 2);
  assert.equal(downs(), 1);
  assert.deepEqual(fake.attempts, [uris[0], uris[1], uris[2]]);
  assert.deepEqual(events.map((e) => e.type), ['connectionLost', 'recoveryFailed', 'recovered']);
  assert.equal(s.node, 'fake-3');
  await s.close();
  assert.equal(fake.open().length, 0);
});

test('session: a channel the server closes is reopened on the same connection and set up again', async () => {
  const fake = new FakeBroker();
  let setups = 0;
  const { s, up, events } = session(fake, async () => void setups++);
  await s.open();
  (up[0] as FakeChannel).serverClose('PRECONDITION_FAILED');
  await until(() => up.length === 2);
  assert.equal(setups, 2);
  assert.deepEqual(events.map((e) => e.type), ['channelClosed', 'recovered']);
  assert.equal(fake.connections.length, 1, 'no new connection for a channel error');
  await s.close();
});

test('session: recovery stops when the session is closed, even while every node is down', async () => {
  const fake = new FakeBroker();
  const { s } = session(fake);
  await s.open();
  for (const u of uris) fake.down.add(u);
  fake.open()[0]!.drop();
  await until(() => fake.attempts.length >= 4);
  await s.close();
  const attempts = fake.attempts.length;
  await new Promise((r) => setTimeout(r, 150));
  assert.ok(fake.attempts.length <= attempts + 1, 'no attempts after close');
});

test('session: a memory or disk alarm blocking the connection is reported, and its end', async () => {
  const fake = new FakeBroker();
  const { s, events } = session(fake);
  await s.open();
  const conn = fake.open()[0]!;
  conn.block('low on memory');
  conn.unblock();
  assert.deepEqual(events.map((e) => e.type), ['blocked', 'unblocked']);
  await s.close();
});

test('session shared by three agents: a lost connection brings all three back on the next node; a closed channel only its own', async () => {
  const fake = new FakeBroker();
  const log: string[] = [];
  const up: AmqpChannel[][] = [[], [], []];
  const s = new AgentSession({
    client: fake.client(),
    uris,
    connectionName: 'shared',
    connection,
    users: [0, 1, 2].map((i) => ({
      label: `consumer ${i}`,
      confirms: false,
      setup: async () => undefined,
      onUp: (ch: AmqpChannel) => up[i]!.push(ch),
      onDown: () => log.push(`down ${i}`),
      onEvent: (type: AgentEventType) => log.push(`${type} ${i}`),
    })),
  });
  await s.open();
  assert.equal(fake.connections.length, 1, 'one connection for three agents');
  assert.deepEqual(up.map((u) => u.length), [1, 1, 1]);
  (up[1]![0] as FakeChannel).serverClose('NOT_FOUND');
  await until(() => up[1]!.length === 2);
  assert.deepEqual(up.map((u) => u.length), [1, 2, 1], 'only the closed channel was reopened');
  assert.equal(fake.connections.length, 1);
  log.length = 0;
  fake.open()[0]!.drop('node stopped');
  await until(() => up.every((u) => u.length >= 2) && up[0]!.length === 2 && up[2]!.length === 2 && up[1]!.length === 3);
  assert.equal(fake.connections.length, 2, 'one new connection for all three');
  assert.equal(s.node, 'fake-2');
  for (const i of [0, 1, 2]) {
    assert.ok(log.includes(`down ${i}`) && log.includes(`connectionLost ${i}`) && log.includes(`recovered ${i}`), log.join(', '));
  }
  await s.close();
  assert.equal(fake.open().length, 0);
});

test('session: a setup that fails on first open names the agent', async () => {
  const fake = new FakeBroker();
  const s = new AgentSession({
    client: fake.client(),
    uris,
    connectionName: 'shared',
    connection,
    users: [0, 1].map((i) => ({
      label: `consumer ${i}`,
      confirms: false,
      setup: async () => {
        if (i === 1) throw new Error('NOT_FOUND - no queue q');
      },
      onUp: () => undefined,
      onDown: () => undefined,
      onEvent: () => undefined,
    })),
  });
  await assert.rejects(s.open(), /^Error: consumer 1: NOT_FOUND - no queue q$/);
  assert.equal(fake.open().length, 0, 'the connection is closed again');
});
