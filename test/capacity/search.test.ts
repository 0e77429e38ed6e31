import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CapacitySettings, StepMeasurement } from '../../src/capacity/model.js';
import { judge, measureCurve, parseSlo, searchCapacity } from '../../src/capacity/search.js';

const settings = (over: Partial<CapacitySettings> = {}): CapacitySettings => ({
  precision: 0.05,
  tolerance: 0.03,
  stepMs: 10_000,
  settleMs: 3_000,
  maxSteps: 20,
  startMsgsPerS: null,
  slos: [],
  fractions: [0.5, 1],
  ...over,
});

/** A system that carries at most `capacity` msgs/s: above it the consumers fall behind and the queue grows. */
function system(capacity: number, opts: { e2eMsAt?: (rate: number) => number } = {}) {
  const asked: number[] = [];
  const measure = async (rate: number): Promise<StepMeasurement> => {
    asked.push(rate);
    const offered = rate === 0 ? capacity * 1.3 : rate;
    const consumed = Math.min(offered, capacity);
    const e2e = opts.e2eMsAt?.(offered) ?? 5;
    return {
      targetMsgsPerS: rate,
      publishedMsgsPerS: offered,
      consumedMsgsPerS: consumed,
      backlogGrowthMsgsPerS: offered - consumed,
      backlogGrowing: offered - consumed >= 50,
      nacked: 0,
      e2eP50Ms: e2e / 3,
      e2eP99Ms: e2e,
      confirmP50Ms: 1,
      confirmP99Ms: 2,
      sloMs: [e2e],
      runVerdict: 'ok',
    };
  };
  return { measure, asked };
}

test('the search brackets the capacity to the stated precision, starting from half a full-speed probe', async () => {
  const s = system(7300);
  const out = await searchCapacity(s.measure, settings());
  assert.equal(s.asked[0], 0, 'a full-speed probe first');
  assert.equal(out.steps[0]!.phase, 'probe');
  // Sustained below 7,350 (above it the queue grows by 50 msgs/s or more).
  assert.ok(out.sustainableMsgsPerS! < 7350 && out.sustainableMsgsPerS! >= 7300 * 0.95, String(out.sustainableMsgsPerS));
  assert.ok(out.notSustainableMsgsPerS! >= 7350);
  assert.ok((out.notSustainableMsgsPerS! - out.sustainableMsgsPerS!) / out.sustainableMsgsPerS! <= 0.05);
  assert.ok(out.steps.length < 15, String(out.steps.length));
  assert.ok(out.steps.every((st) => st.phase === 'probe' || st.sustainable === st.targetMsgsPerS < 7350), 'every verdict matches the system');
});

test('a start rate above the capacity halves down; below it doubles up', async () => {
  const high = await searchCapacity(system(400).measure, settings({ startMsgsPerS: 5000 }));
  assert.ok(high.sustainableMsgsPerS! >= 380 && high.sustainableMsgsPerS! <= 412, String(high.sustainableMsgsPerS));
  const low = await searchCapacity(system(400).measure, settings({ startMsgsPerS: 10 }));
  assert.ok(low.sustainableMsgsPerS! >= 380 && low.sustainableMsgsPerS! <= 412, String(low.sustainableMsgsPerS));
});

test('an SLO lowers the answer to where latency still meets it', async () => {
  // Latency climbs with load: 5 ms at low rates, 5 + (rate/100)² ms.
  const s = system(10_000, { e2eMsAt: (r) => 5 + (r / 100) ** 2 });
  const out = await searchCapacity(s.measure, settings({ slos: [parseSlo('e2e.p99<50ms')], startMsgsPerS: 1000 }));
  // 5 + (r/100)² < 50  ⇔  r < 670
  assert.ok(out.sustainableMsgsPerS! <= 670 && out.sustainableMsgsPerS! >= 630, String(out.sustainableMsgsPerS));
  assert.match(out.steps.find((st) => st.sustainable === false)!.reason, /e2e\.p99<50ms not met/);
});

test('judge names every reason a rate was not sustained', () => {
  const m: StepMeasurement = {
    targetMsgsPerS: 1000,
    publishedMsgsPerS: 900,
    consumedMsgsPerS: 800,
    backlogGrowthMsgsPerS: 200,
    backlogGrowing: true,
    nacked: 3,
    e2eP50Ms: 1,
    e2eP99Ms: 80,
    confirmP50Ms: 1,
    confirmP99Ms: 2,
    sloMs: [80],
    runVerdict: 'ok',
  };
  const v = judge(m, { tolerance: 0.03, slos: [parseSlo('e2e.p99 < 50ms')] });
  assert.equal(v.sustainable, false);
  for (const part of [/publishers reached only 900/, /consumers took only 800/, /backlog grew by 200/, /3 nacked/, /e2e\.p99 < 50ms not met \(80 ms\)/]) assert.match(v.reason, part);
  assert.deepEqual(judge({ ...m, publishedMsgsPerS: 990, consumedMsgsPerS: 975, backlogGrowing: false, nacked: 0, sloMs: [40] }, { tolerance: 0.03, slos: [parseSlo('e2e.p99<50ms')] }), { sustainable: true, reason: 'sustained' });
});

test('the curve measures each fraction of the capacity', async () => {
  const s = system(1000);
  const curve = await measureCurve(s.measure, 1000, { fractions: [0.1, 0.5, 1], tolerance: 0.03, slos: [] });
  assert.deepEqual(s.asked, [100, 500, 1000]);
  assert.deepEqual(curve.map((c) => c.fraction), [0.1, 0.5, 1]);
  assert.ok(curve.every((c) => c.phase === 'curve'));
  assert.ok(curve.every((c) => c.sustainable === true && /sustained$/.test(c.reason)), 'curve steps are judged like search steps');
});

test('SLO syntax', () => {
  assert.deepEqual(parseSlo('e2e.p99<50ms'), { source: 'e2e.p99<50ms', latency: 'e2e', percentile: 99, maxMs: 50 });
  assert.equal(parseSlo('confirm.p99.9 < 0.2s').maxMs, 200);
  assert.throws(() => parseSlo('p99<50'), /expected e\.g\. e2e\.p99<50ms/);
  assert.throws(() => parseSlo('e2e.p0<5ms'), /not a percentile/);
});
