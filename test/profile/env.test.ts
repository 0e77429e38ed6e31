import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substituteEnv } from '../../src/profile/env.js';

test('substitutes variables in every string, recursively, leaving keys and non-strings alone', () => {
  const input = { a: 'x-${A}-${B}', list: [1, true, null, { deep: '${A}' }], '${A}': 'key' };
  const { value, issues } = substituteEnv(input, { A: '1', B: '' });
  assert.deepEqual(value, { a: 'x-1-', list: [1, true, null, { deep: '1' }], '${A}': 'key' });
  assert.deepEqual(issues, []);
});

test('does not modify its input', () => {
  const input = { a: '${A}' };
  substituteEnv(input, { A: '1' });
  assert.deepEqual(input, { a: '${A}' });
});

test('a missing variable is an issue naming the field and the variable', () => {
  const { value, issues } = substituteEnv({ broker: { uris: ['amqp://u:${RABBITMQ_PASSWORD}@h/'] } }, {});
  assert.deepEqual(issues, [{ path: 'broker.uris[0]', message: 'environment variable RABBITMQ_PASSWORD is not set' }]);
  assert.deepEqual(value, { broker: { uris: ['amqp://u:${RABBITMQ_PASSWORD}@h/'] } });
});

test('$${X} is a literal ${X}; replacements are not re-scanned', () => {
  const { value, issues } = substituteEnv({ a: 'p$${X}q', b: '${A}' }, { X: 'no', A: '${X}' });
  assert.deepEqual(value, { a: 'p${X}q', b: '${X}' });
  assert.deepEqual(issues, []);
});

test('a malformed reference is reported', () => {
  const { issues } = substituteEnv({ a: 'pw ${RABBITMQ_PASSWORD' }, { RABBITMQ_PASSWORD: 'x' });
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.path, 'a');
  assert.match(issues[0]?.message ?? '', /malformed/);
});
