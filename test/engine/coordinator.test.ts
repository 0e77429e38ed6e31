import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Coordinator } from '../../src/engine/coordinator.js';
import { defaultWorkerCount, planRun } from '../../src/engine/plan.js';
import { parseProfile } from '../../src/profile/load.js';

const profile = parseProfile(
  { name: 'crash', broker: { uris: ['amqp://guest:guest@127.0.0.1:1/'] }, publishers: { count: 2 }, consumers: { count: 2 }, workers: 2, duration: '30s' },
  'test',
);

test('a worker that crashes fails the run with its error and never hangs it', async () => {
  const started = Date.now();
  const outcome = await new Coordinator(planRun(profile, { uris: profile.broker!.uris, leaderOfQueue: [] }), new URL('../fixtures/crashingWorker.js', import.meta.url)).run();
  assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  assert.equal(outcome.interrupted, true);
  assert.match(outcome.error ?? '', /boom: fixture worker crashed/);
  assert.equal(outcome.started, true);
});

test('a run longer than the connect limit is not cut short once every agent connected', async () => {
  const short = parseProfile({ name: 'idle', broker: { uris: ['amqp://127.0.0.1:1/'] }, publishers: { count: 0 }, consumers: { count: 1 }, duration: '1500ms' }, 'test');
  const plan = planRun(short, { uris: short.broker!.uris, leaderOfQueue: [] });
  const outcome = await new Coordinator(plan, new URL('../fixtures/idleWorker.js', import.meta.url), 300).run();
  assert.equal(outcome.error, undefined);
  assert.equal(outcome.interrupted, false);
  assert.ok(outcome.ticks.filter((t) => t.phase === 'measure').length >= 2);
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
  // Default worker count: about two agents per thread, one core left free (see defaultWorkerCount).
  assert.equal(planRun(parseProfile({ name: 'x', broker: { uris: ['amqp://a/'] } }, 'test'), { uris: ['amqp://a/'], leaderOfQueue: [] }, 8).workers.length, 1);
  assert.deepEqual([defaultWorkerCount(2, 2), defaultWorkerCount(8, 6), defaultWorkerCount(2, 10), defaultWorkerCount(16, 40), defaultWorkerCount(1, 4)], [1, 3, 1, 15, 1]);
});
