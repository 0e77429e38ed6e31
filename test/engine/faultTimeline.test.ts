import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultTimeline } from '../../src/engine/faultTimeline.js';
import type { AppliedStep } from '../../src/faults/types.js';
import type { FaultStep } from '../../src/profile/faultSchema.js';

function harness(applyMs: number) {
  const t0 = Date.now();
  const cuts: Array<[number, string]> = [];
  const clock = { clockMs: () => Date.now() - t0, cutTick: (m: string) => cuts.push([Date.now() - t0, m]) };
  const applier = {
    async apply(step: FaultStep, index: number): Promise<AppliedStep> {
      const requestedMs = clock.clockMs();
      await new Promise((r) => setTimeout(r, applyMs));
      return { index, at: step.at, action: step.action, target: step.target, count: null, nodes: ['n1'], leaderBefore: null, requestedMs, doneMs: clock.clockMs(), error: null };
    },
  };
  return { clock, applier, cuts };
}

test('fault timeline: steps at their times after the start of measurement, each cutting a tick when requested and when done', async () => {
  const { clock, applier, cuts } = harness(30);
  const steps: FaultStep[] = [
    { at: '100ms', action: 'stop', target: 'leader' },
    { at: '200ms', action: 'start', target: 'leader' },
  ];
  const timeline = new FaultTimeline(steps, applier, clock, 50);
  timeline.start();
  await new Promise((r) => setTimeout(r, 400));
  const applied = await timeline.stop();
  assert.deepEqual(applied.map((a) => a.error), [null, null]);
  assert.ok(Math.abs(applied[0]!.requestedMs - 150) < 40, `first step at ${applied[0]!.requestedMs} ms`);
  assert.ok(Math.abs(applied[1]!.requestedMs - 250) < 40, `second step at ${applied[1]!.requestedMs} ms`);
  assert.deepEqual(cuts.map(([, m]) => m), ['stop leader', 'stop leader done', 'start leader', 'start leader done']);
});

test('fault timeline: a step the run did not reach is recorded as not applied; stop waits for the step in progress', async () => {
  const { clock, applier } = harness(100);
  const timeline = new FaultTimeline(
    [
      { at: '0s', action: 'pause', target: 'leader' },
      { at: '10s', action: 'resume', target: 'leader' },
    ],
    applier,
    clock,
    0,
  );
  timeline.start();
  await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  const applied = await timeline.stop();
  assert.ok(Date.now() - started >= 50, 'waited for the pause in progress');
  assert.equal(applied[0]!.error, null);
  assert.equal(applied[1]!.error, 'not applied: the run ended before 10s');
});
