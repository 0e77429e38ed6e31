import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagementClient, QueueInfo } from '../../src/cluster/management.js';
import { askOrder, readMembership, sortNodes } from '../../src/faults/membership.js';
import { LeaderWatch } from '../../src/faults/leaderWatch.js';
import { restartForPartition } from '../../src/faults/restore.js';

const n = (i: number): string => `mqbench-5960-${i}@localhost`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A stand-in for ManagementClient.queue: answers from a script, or fails, after a delay; counts concurrency. */
class FakeNode {
  calls = 0;
  active = 0;
  maxActive = 0;
  timeouts: number[] = [];
  constructor(
    public answer: () => Partial<QueueInfo> | Error,
    public delayMs = 5,
  ) {}
  client(): ManagementClient {
    const queue = async (_vhost: string, _name: string, opts: { timeoutMs?: number } = {}): Promise<QueueInfo> => {
      this.calls++;
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      this.timeouts.push(opts.timeoutMs ?? -1);
      try {
        await sleep(Math.min(this.delayMs, opts.timeoutMs ?? this.delayMs));
        if (this.delayMs > (opts.timeoutMs ?? Infinity)) throw new Error('timed out');
        const a = this.answer();
        if (a instanceof Error) throw a;
        return { name: 'q', vhost: '/', type: 'quorum', leader: '', members: [], online: [], messages: 0, ...a };
      } finally {
        this.active--;
      }
    };
    return { queue } as unknown as ManagementClient;
  }
}

test('askOrder: the node that answered last first, nodes to avoid at the end', { timeout: 5000 }, () => {
  assert.deepEqual(askOrder(3, undefined), [0, 1, 2]);
  assert.deepEqual(askOrder(3, 2), [2, 0, 1]);
  assert.deepEqual(askOrder(3, 1, new Set([1])), [0, 2, 1]);
  assert.deepEqual(askOrder(4, 0, new Set([0, 2])), [1, 3, 0, 2]);
  assert.deepEqual(sortNodes([n(10), n(2), n(1), n(2)]), [n(1), n(2), n(10)]);
});

test('readMembership skips a node that never answers (paused) and then asks the one that answered first', { timeout: 10_000 }, async () => {
  const good = { leader: n(2), members: [n(3), n(1), n(2)], online: [n(2), n(1)] };
  const paused = new FakeNode(() => good, 60_000);
  const refused = new FakeNode(() => new Error('ECONNREFUSED'));
  const healthy = new FakeNode(() => good);
  const clients = [paused.client(), refused.client(), healthy.client()];
  const t0 = Date.now();
  const m = await readMembership(clients, '/', 'q', 200);
  assert.ok(Date.now() - t0 < 1500, 'bounded by the per-node timeout');
  assert.deepEqual(m, { leader: n(2), members: [n(1), n(2), n(3)], online: [n(1), n(2)] });
  assert.deepEqual([paused.calls, refused.calls, healthy.calls], [1, 1, 1]);
  await readMembership(clients, '/', 'q', 200);
  assert.deepEqual([paused.calls, refused.calls, healthy.calls], [1, 1, 2], 'the node that answered is asked first');
  const none = await readMembership([paused.client(), refused.client()], '/', 'q', 100);
  assert.equal(none, undefined);
  const budget = await readMembership([paused.client(), paused.client(), healthy.client()], '/', 'q', 300, { budgetMs: 400 });
  assert.equal(budget, undefined, 'the budget stops before the third node');
});

test('LeaderWatch records the first reading and every change, never polls twice at once, and stops cleanly', { timeout: 10_000 }, async () => {
  const script: Array<Partial<QueueInfo> | Error> = [
    { leader: n(1), members: [n(1), n(2), n(3)], online: [n(1), n(2), n(3)] },
    { leader: n(1), members: [n(1), n(2), n(3)], online: [n(3), n(2), n(1)] }, // same, other order
    new Error('no answer'),
    { leader: '', members: [n(1), n(2), n(3)], online: [n(2), n(3)] },
    { leader: n(3), members: [n(1), n(2), n(3)], online: [n(2), n(3)] },
  ];
  let i = 0;
  const node = new FakeNode(() => script[Math.min(i++, script.length - 1)]!, 30);
  let clock = 0;
  const watch = new LeaderWatch({ management: [node.client()], vhost: '/', queue: 'q', clockMs: () => (clock += 100), intervalMs: 5 });
  assert.equal(watch.current(), undefined);
  watch.start();
  watch.start(); // no second loop
  while (i < script.length + 2) await sleep(10);
  await watch.stop();
  const callsAtStop = node.calls;
  await sleep(100);
  assert.equal(node.calls, callsAtStop, 'no poll after stop');
  assert.equal(node.maxActive, 1, 'never two polls in flight');
  assert.equal(watch.unansweredPolls(), 1);
  assert.deepEqual(
    watch.changes().map((c) => [c.leader, c.online.length]),
    [
      [n(1), 3],
      [null, 2],
      [n(3), 2],
    ],
  );
  assert.ok(watch.changes().every((c, k, all) => k === 0 || c.tMs > all[k - 1]!.tMs));
  assert.equal(watch.changes()[0]?.queue, 'q');
  assert.equal(watch.current()?.leader, n(3));
});

test('restartForPartition: the side our faults touched, else the nodes that report the split', { timeout: 5000 }, () => {
  assert.deepEqual(restartForPartition({ partitioned: [n(1), n(2), n(3)], reporting: [n(1)] }, [n(1)]), [n(1)]);
  assert.deepEqual(restartForPartition({ partitioned: [n(2), n(3)], reporting: [n(3)] }, [n(1)]), [n(3)]);
  assert.deepEqual(restartForPartition({ partitioned: [n(1), n(2)], reporting: [n(1), n(2)] }, []), [n(2)]);
  assert.deepEqual(restartForPartition({ partitioned: [], reporting: [] }, [n(1)]), []);
  // The cut node restarted twice and the others still report the split: they are restarted next (each once more at most).
  assert.deepEqual(restartForPartition({ partitioned: [n(1), n(2), n(3)], reporting: [n(1), n(2), n(3)] }, [n(1)], [n(1)]), [n(2), n(3)]);
  assert.deepEqual(restartForPartition({ partitioned: [n(1), n(2), n(3)], reporting: [n(2), n(3)] }, [n(1)], [n(1), n(2)]), [n(3)]);
});
