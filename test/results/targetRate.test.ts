import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile } from '../../src/profile/load.js';
import { targetRateOf } from '../../src/results/targetRate.js';

const base = { name: 't', broker: { uris: ['amqp://guest:guest@127.0.0.1:5700/'] }, warmup: '2s', duration: '10s' };
const target = (publishers: Record<string, unknown>) => targetRateOf(parseProfile({ ...base, publishers }, 'mem', {}));

test('series target: all publishers together, per interval, from the start of sending (warm-up included)', () => {
  const t = target({ count: 2, rate: { steps: [{ rate: 100, for: '3s' }, { rate: 300, for: '3s' }] } });
  assert.equal(t('warmup', 0, 1000), 200);
  assert.equal(t('measure', 2000, 3000), 200);
  // An interval across the step change gets the mean of what was due in it.
  assert.equal(t('measure', 2500, 3500), 400);
  assert.equal(t('measure', 3000, 4000), 600);
  assert.equal(t('measure', 9000, 10_000), 600, 'the last step holds');
  assert.equal(t('drain', 12_000, 13_000), null, 'publishers do not send in the drain');
});

test('series target: a ramp gives the mean of the rising rate; a constant rate its total; unlimited or no publishers none', () => {
  const ramp = target({ count: 1, rate: { ramp: { from: 0, to: 1000, over: '10s' } } });
  assert.equal(ramp('measure', 0, 1000), 50);
  assert.equal(ramp('measure', 4000, 5000), 450);
  assert.equal(ramp('measure', 10_000, 11_000), 1000);
  assert.equal(target({ count: 3, rate: 250 })('measure', 5000, 5750), 750);
  assert.equal(target({ count: 3, rate: 0 })('measure', 5000, 6000), null);
  assert.equal(target({ count: 0, rate: 250 })('measure', 5000, 6000), null);
});
