import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Coordinator } from '../../src/engine/coordinator.js';
import { defaultWorkerCount, planRun } from '../../src/engine/plan.js';
import { TickClock } from '../../src/engine/tickClock.js';
import { parseProfile } from '../../src/profile/load.js';

const profile = parseProfile(
  { name: 'crash', broker: { uris: ['amqp://guest:guest@127.0.0.1:1/'] }, publishers: { count: 2 }, consumers: { count: 2 }, workers: 2, duration: '30s' },
  'test',
);

test('a worker that crashes fails the run with its error, never hangs it, and leaves an incomplete account rather than loss', async () => {
  const started = Date.now();
  const outcome = await new Coordinator(planRun(profile, { uris: profile.broker!.uris, leaderOfQueue: [] }), new URL('../fixtures/crashingWorker.js', import.meta.url)).run();
  assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  assert.equal(outcome.interrupted, true);
  assert.match(outcome.error ?? '', /boom: fixture worker crashed/);
  assert.equal(outcome.started, true);
  assert.equal(outcome.accountingIssues.length, 2, outcome.accountingIssues.join('\n'));
  assert.match(outcome.accountingIssues.join("\n"), /accounting incomplete for worker 0: .*without its final report \(publishers 0, 1; consumers none\)/);
});

test('a run longer than the connect limit is not cut short once every agent connected', async () => {
  const short = parseProfile({ name: 'idle', broker: { uris: ['amqp://127.0.0.1:1/'] }, publishers: { count: 0 }, consumers: { count: 1 }, duration: '1500ms' }, 'test');
  const plan = planRun(short, { uris: short.broker!.uris, leaderOfQueue: [] });
  const outcome = await new Coordinator(plan, new URL('../fixtures/idleWorker.js', import.meta.url), 1_000).run();
  assert.equal(outcome.error, undefined);
  assert.equal(outcome.interrupted, false);
  assert.equal(outcome.accountingIssues.length, 0);
  assert.ok(outcome.ticks.filter((t) => t.phase === 'measure').length >= 2);
});

test('cutTick ends the interval at once, marked, and the series stays contiguous', async () => {
  const short = parseProfile({ name: 'idle', broker: { uris: ['amqp://127.0.0.1:1/'] }, publishers: { count: 1 }, consumers: { count: 1 }, duration: '2s' }, 'test');
  const plan = planRun(short, { uris: short.broker!.uris, leaderOfQueue: [] });
  const c = new Coordinator(plan, new URL('../fixtures/idleWorker.js', import.meta.url));
  c.on('started', () => setTimeout(() => c.cutTick('stop leader'), 450));
  const outcome = await c.run();
  const marked = outcome.ticks.find((t) => t.markers.includes('stop leader'));
  assert.ok(marked, 'a tick carries the marker');
  assert.ok(Math.abs(marked.endMs - 450) < 100, `cut at ${marked.endMs} ms`);
  const ordered = [...outcome.ticks].sort((a, b) => a.endMs - b.endMs);
  for (let i = 1; i < ordered.length; i++) {
    const gap = ordered[i]!.endMs - ordered[i]!.intervalMs - ordered[i - 1]!.endMs;
    assert.ok(Math.abs(gap) < 1, `tick ${ordered[i]!.tick} does not start where the previous ended (${gap} ms)`);
  }
  assert.equal(outcome.drain, 'complete');
});

test('tick clock: whole seconds, phase boundaries and cuts', async () => {
  let now = 0;
  const fired: number[] = [];
  const clock = new TickClock(() => now, () => 1500, (b) => fired.push(b));
  clock.start();
  now = 1000;
  await new Promise((r) => setTimeout(r, 1100));
  now = 1200;
  clock.cut();
  clock.stop();
  assert.deepEqual(fired, [1000, 1200]);
});

test('plan spreads agents over workers and nodes round-robin', () => {
  const p = parseProfile(
    {
      name: 'plan',
      broker: { uris: ['amqp://a:1/', 'amqp://b:2/', 'amqp://c:3/'] },
      queues: { count: 2 },
      publishers: { count: 3 },
      consumers: { count: 3 },
      workers: 2,
    },
    'test',
  );
  const plan = planRun(p, { uris: p.broker!.uris, leaderOfQueue: [] }, 8);
  assert.equal(plan.workers.length, 2);
  const agents = plan.workers.flat();
  assert.equal(agents.filter((a) => a.kind === 'publisher').length, 3);
  assert.equal(agents.filter((a) => a.kind === 'consumer').length, 3);
  // Each node gets two agents, each worker three.
  for (const uri of p.broker!.uris) assert.equal(agents.filter((a) => a.uri === uri).length, 2);
  assert.deepEqual(plan.workers.map((w) => w.length), [3, 3]);
  assert.deepEqual(plan.queues, ['mqbench-1', 'mqbench-2']);
  assert.deepEqual(plan.nodeUris, p.broker!.uris, 'every agent knows every node to fail over to');
  assert.notEqual(plan.runId, planRun(p, { uris: p.broker!.uris, leaderOfQueue: [] }, 8).runId, 'a new run id per run');
  // Default worker count: about two agents per thread, one core left free (see defaultWorkerCount).
  assert.equal(planRun(parseProfile({ name: 'x', broker: { uris: ['amqp://a/'] } }, 'test'), { uris: ['amqp://a/'], leaderOfQueue: [] }, 8).workers.length, 1);
  assert.deepEqual([defaultWorkerCount(2, 2), defaultWorkerCount(8, 6), defaultWorkerCount(2, 10), defaultWorkerCount(16, 40), defaultWorkerCount(1, 4)], [1, 3, 1, 15, 1]);
});

test('agents share connections by kind and node, never more than the profile allows; groups spread over workers', () => {
  const p = parseProfile(
    {
      name: 'share',
      broker: { uris: ['amqp://a:1/', 'amqp://b:2/'] },
      queues: { count: 10 },
      publishers: { count: 10 },
      consumers: { count: 10 },
      connection: { publishersPerConnection: 3, consumersPerConnection: 5 },
      workers: 2,
    },
    'test',
  );
  const plan = planRun(p, { uris: p.broker!.uris, leaderOfQueue: [] }, 8);
  const groups = plan.workerConnections.flatMap((conns, w) => conns.map((g) => ({ name: g.name, agents: g.agents.map((i) => plan.workers[w]![i]!) })));
  // Every agent in exactly one group.
  assert.equal(groups.reduce((n, g) => n + g.agents.length, 0), 20);
  for (const g of groups) {
    const kinds = new Set(g.agents.map((a) => a.kind));
    assert.equal(kinds.size, 1, `${g.name} mixes publishers and consumers`);
    assert.equal(new Set(g.agents.map((a) => a.uri)).size, 1, `${g.name} spans nodes`);
    assert.ok(g.agents.length <= (g.agents[0]!.kind === 'publisher' ? 3 : 5), `${g.name} has ${g.agents.length} agents`);
  }
  // 5 publishers per node in groups of 3: 2 + 2 connections; 5 consumers per node: 1 + 1.
  assert.equal(groups.filter((g) => g.agents[0]!.kind === 'publisher').length, 4);
  assert.equal(groups.filter((g) => g.agents[0]!.kind === 'consumer').length, 2);
  assert.ok(groups.every((g) => /^mqbench-(publisher|consumer)(s-\d+|-\d+)$/.test(g.name)), groups.map((g) => g.name).join());
  assert.equal(new Set(groups.map((g) => g.name)).size, groups.length, 'connection names are unique');
  assert.ok(Math.abs(plan.workers[0]!.length - plan.workers[1]!.length) <= 5, `workers hold ${plan.workers.map((w) => w.length)} agents`);
  // One agent per connection (the default): one connection each, named after the agent, round-robin over workers as before.
  const single = planRun(parseProfile({ name: 'one', broker: { uris: ['amqp://a/'] }, publishers: { count: 3 }, consumers: { count: 3 }, workers: 2 }, 'test'), { uris: ['amqp://a/'], leaderOfQueue: [] }, 8);
  assert.deepEqual(single.workerConnections.flat().map((g) => g.name).sort(), ['mqbench-consumer-0', 'mqbench-consumer-1', 'mqbench-consumer-2', 'mqbench-publisher-0', 'mqbench-publisher-1', 'mqbench-publisher-2']);
  assert.deepEqual(single.workers.map((w) => w.map((a) => `${a.kind[0]}${a.id}`)), [['p0', 'p1', 'p2'], ['c0', 'c1', 'c2']]);
  // The start limit grows with the connections: 15 s + 30 ms each, unless the profile sets it.
  assert.equal(single.startTimeoutMs, 15_000 + 6 * 30);
  assert.equal(plan.startTimeoutMs, 15_000 + 6 * 30);
  const set = planRun(parseProfile({ name: 't', broker: { uris: ['amqp://a/'] }, connection: { startTimeout: '2m' } }, 'test'), { uris: ['amqp://a/'], leaderOfQueue: [] }, 8);
  assert.equal(set.startTimeoutMs, 120_000);
});

test('a start that outlasts its limit fails the run as timed out, with how many agents got up', async () => {
  const p = parseProfile({ name: 'slow', broker: { uris: ['amqp://127.0.0.1:1/'] }, publishers: { count: 2 }, consumers: { count: 2 }, workers: 1, connection: { startTimeout: '1500ms' } }, 'test');
  const plan = planRun(p, { uris: p.broker!.uris, leaderOfQueue: [] });
  const c = new Coordinator(plan, new URL('../fixtures/slowStartWorker.js', import.meta.url));
  const progress: Array<[number, number]> = [];
  c.on('connectProgress', (up, all) => progress.push([up, all]));
  const started = Date.now();
  const outcome = await c.run();
  assert.ok(Date.now() - started < 6_000, `took ${Date.now() - started} ms`);
  assert.equal(outcome.started, false);
  assert.equal(outcome.startTimedOut, true);
  assert.match(outcome.error ?? '', /the start timed out: 2 of 4 agents connected and set up within 1\.5 s/);
  assert.deepEqual(progress.at(-1), [2, 4], 'progress was reported after the first second');
});
