import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile } from '../../src/profile/load.js';
import { issuesOf } from '../helpers/profileIssues.js';

const valid = { name: 't', broker: { uris: ['amqp://guest:guest@127.0.0.1:5700/'] } };
const withRate = (rate: unknown, extra: Record<string, unknown> = {}) => ({ ...valid, publishers: { rate }, ...extra });

test('publishers.rate: a number, steps or a ramp validate and keep their form', () => {
  assert.equal(parseProfile(withRate(1000), 'mem', {}).publishers.rate, 1000);
  const steps = { steps: [{ rate: 1000, for: '10s' }, { rate: 5000, for: '10s' }] };
  assert.deepEqual(parseProfile(withRate(steps), 'mem', {}).publishers.rate, steps);
  const ramp = { ramp: { from: 0, to: 5000, over: '30s' } };
  assert.deepEqual(parseProfile(withRate(ramp), 'mem', {}).publishers.rate, ramp);
  // With messagesPerPublisher the run length is unknown: a schedule of any length is fine.
  const long = { steps: [{ rate: 10, for: '1h' }, { rate: 20, for: '1h' }] };
  assert.deepEqual(parseProfile({ ...withRate(long), messagesPerPublisher: 100 }, 'mem', {}).publishers.rate, long);
});

test('publishers.rate schedules: errors name the field inside the schedule', () => {
  assert.deepEqual(issuesOf(withRate({ steps: [{ rate: 1000, for: '10s' }, { rate: 0, for: 'soon' }] })), [
    'publishers.rate.steps[1].rate: expected a number > 0, got 0',
    'publishers.rate.steps[1].for: expected a duration such as "500ms", "10s", "2m" or "1m30s", got "soon"',
  ]);
  assert.deepEqual(issuesOf(withRate({ steps: [{ rate: 1000, for: '0s' }, { rate: 1, fr: '1s' }] })), [
    'publishers.rate.steps[0].for: must be longer than 0s, got "0s"',
    'publishers.rate.steps[1].for: missing, expected a duration such as "500ms", "10s", "2m" or "1m30s"',
    'publishers.rate.steps[1].fr: unknown field (did you mean "for"?)',
  ]);
  assert.deepEqual(issuesOf(withRate({ steps: [] })), ['publishers.rate.steps: expected a list of objects with 1 to 1000 items, got []']);
  assert.deepEqual(issuesOf(withRate({ ramp: { from: -1, over: '0s' } })), [
    'publishers.rate.ramp.from: expected a number >= 0, got -1',
    'publishers.rate.ramp.to: missing, expected a number > 0',
    'publishers.rate.ramp.over: must be longer than 0s, got "0s"',
  ]);
  assert.deepEqual(issuesOf(withRate({ ramp: { from: 10, to: 0, over: '1s' } })), ['publishers.rate.ramp.to: expected a number > 0, got 0']);
});

test('publishers.rate: the wrong shape, neither or both forms, and unknown fields', () => {
  const expected = 'expected a number >= 0 or a schedule ({"steps": [...]} or {"ramp": {...}})';
  assert.deepEqual(issuesOf(withRate(-5)), ['publishers.rate: expected a number >= 0, got -5']);
  assert.deepEqual(issuesOf(withRate([1000])), [`publishers.rate: ${expected}, got [1000]`]);
  assert.deepEqual(issuesOf(withRate(null)), [`publishers.rate: ${expected}, got null`]);
  assert.deepEqual(issuesOf(withRate({})), ['publishers.rate: a rate schedule needs "steps" or "ramp"']);
  assert.deepEqual(issuesOf(withRate({ steps: [{ rate: 1, for: '1s' }], ramp: { from: 1, to: 2, over: '1s' } })), ['publishers.rate: set either "steps" or "ramp", not both']);
  assert.deepEqual(issuesOf(withRate({ stepz: [] })), ['publishers.rate.stepz: unknown field (did you mean "steps"?)', 'publishers.rate: a rate schedule needs "steps" or "ramp"']);
});

test('publishers.rate: a step that would start, or a ramp that would end, after sending stops is refused', () => {
  const steps = { steps: [{ rate: 1, for: '20s' }, { rate: 2, for: '20s' }, { rate: 3, for: '20s' }] };
  assert.deepEqual(issuesOf(withRate(steps, { warmup: '5s', duration: '30s' })), [
    'publishers.rate.steps[2]: would start 40s after sending starts, but sending stops after 35s (warmup 5s + duration 30s): the step would never run',
  ]);
  // Schedule time counts from the start of sending: warm-up included.
  assert.doesNotThrow(() => parseProfile(withRate(steps, { warmup: '10s', duration: '35s' }), 'mem', {}));
  assert.deepEqual(issuesOf(withRate({ ramp: { from: 1, to: 2, over: '31s' } })), [
    'publishers.rate.ramp.over: the ramp would end 31s after sending starts, but sending stops after 30s (warmup 0s + duration 30s by default): it would never reach "to"',
  ]);
});
