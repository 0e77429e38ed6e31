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
  const outcome = await new Coordinator(plan, new URL('../fixtures/idleWorker.js', import.meta.url), 300).run();
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
