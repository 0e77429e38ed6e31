import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDurationMs, parseDurationMs } from '../../src/profile/duration.js';

test('parseDurationMs accepts single and combined units', () => {
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('10s'), 10_000);
  assert.equal(parseDurationMs('2m'), 120_000);
  assert.equal(parseDurationMs('1h'), 3_600_000);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  assert.equal(parseDurationMs('1.5s'), 1500);
  assert.equal(parseDurationMs('0s'), 0);
  assert.equal(parseDurationMs(' 3s '), 3000);
});

test('parseDurationMs rejects anything that is not a duration', () => {
  for (const text of ['', '10', 's', '10 s', '-5s', '10sec', 'fast', '1m 30s', '5d', '.5s']) {
    assert.equal(parseDurationMs(text), undefined, JSON.stringify(text));
  }
});

test('formatDurationMs renders compact durations', () => {
  assert.equal(formatDurationMs(250), '250ms');
  assert.equal(formatDurationMs(1500), '1.5s');
  assert.equal(formatDurationMs(60_000), '1m');
  assert.equal(formatDurationMs(90_000), '1m30s');
});
