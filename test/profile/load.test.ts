import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileError } from '../../src/profile/errors.js';
import { firstErrorOffset } from '../../src/profile/jsonError.js';
import { loadProfile, parseProfile, parseProfileText, resolveRunLength, timings } from '../../src/profile/load.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqbench-profile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ProfileError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProfileError, `expected ProfileError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ProfileError');
}

const minimal = '{ "name": "t", "broker": { "uris": ["amqp://127.0.0.1:5700/"] } }';

test('loads a valid file', async () => {
  const path = join(dir, 'ok.json');
  await writeFile(path, `\uFEFF${minimal}`); // BOM tolerated
  const profile = await loadProfile(path, {});
  assert.equal(profile.name, 't');
});

test('missing file', async () => {
  const path = join(dir, 'absent.json');
  const error = await rejection(loadProfile(path, {}));
  assert.equal(error.message, `cannot read profile ${path}: no such file`);
  assert.equal(error.exitCode, 2);
});

test('bad JSON reports line and column (message without position in Node 20)', async () => {
  const path = join(dir, 'bad.json');
  await writeFile(path, '{\n  "name": "t",\n  "broker": }\n');
  const error = await rejection(loadProfile(path, {}));
  assert.equal(error.message, `${path}:3:13: invalid JSON: Unexpected token '}'`);
});

test('bad JSON reports line and column (message with position)', () => {
  assert.throws(() => parseProfileText('{\n  "name": "t",\n}', 'x.json', {}), { message: 'x.json:3:1: invalid JSON: Expected double-quoted property name' });
  assert.throws(() => parseProfileText('', 'x.json', {}), { message: 'x.json:1:1: invalid JSON: Unexpected end of JSON input' });
});

test('bad JSON messages do not quote the file (it may hold passwords)', () => {
  assert.throws(() => parseProfileText('{"broker": {"uris": ["amqp://u:hunter2@h/"]}, oops}', 'x.json', {}), (error: Error) => {
    assert.ok(!error.message.includes('hunter2'), error.message);
    assert.match(error.message, /^x\.json:1:47: invalid JSON: /);
    return true;
  });
});

test('the fallback scanner agrees with JSON.parse on where JSON breaks', () => {
  const cases: [string, number | undefined][] = [
    ['{"a": }', 6],
    ['{"a": tru}', 9],
    ['[1, 2,]', 6],
    ['{"a": "x\ny"}', 8],
    ['{"a": 01}', 7],
    ['{"a": "\\q"}', 8],
    ['{"a": 1} x', 9],
    ['{"a": [1, {"b": null}], "c": -1.5e3}', undefined],
  ];
  for (const [text, offset] of cases) {
    assert.equal(firstErrorOffset(text), offset, text);
    // Where this Node reports a position itself, the scanner must agree with it.
    const reported = /at position (\d+)/.exec(jsonParseError(text))?.[1];
    if (reported !== undefined) assert.equal(offset, Number(reported), text);
  }
});

function jsonParseError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

test('env substitution before validation', () => {
  const json = { name: 't', broker: { uris: ['amqp://guest:${RABBITMQ_PASSWORD}@127.0.0.1:5700/'] } };
  const profile = parseProfile(json, 'x.json', { RABBITMQ_PASSWORD: 'pw' });
  assert.deepEqual(profile.broker!.uris, ['amqp://guest:pw@127.0.0.1:5700/']);
  assert.throws(() => parseProfile(json, 'x.json', {}), {
    message: 'x.json: invalid profile\n  broker.uris[0]: environment variable RABBITMQ_PASSWORD is not set',
  });
});

test('an unset variable is reported once, not again as a validation error, alongside other problems', () => {
  const json = { name: 't', broker: { uris: ['amqp://h/'] }, duration: '${DURATION}', warmup: 'x' };
  assert.throws(() => parseProfile(json, 'x.json', {}), (error: ProfileError) => {
    assert.deepEqual(error.issues, [
      'duration: environment variable DURATION is not set',
      'warmup: expected a duration such as "500ms", "10s", "2m" or "1m30s", got "x"',
    ]);
    return true;
  });
});

test('run length: duration, messages, default', () => {
  const base = { name: 't', broker: { uris: ['amqp://h/'] } };
  assert.deepEqual(resolveRunLength(parseProfile(base, 'x', {})), { kind: 'duration', durationMs: 30_000 });
  assert.deepEqual(resolveRunLength(parseProfile({ ...base, duration: '1m30s' }, 'x', {})), { kind: 'duration', durationMs: 90_000 });
  assert.deepEqual(resolveRunLength(parseProfile({ ...base, messagesPerPublisher: 5000 }, 'x', {})), { kind: 'messages', messagesPerPublisher: 5000 });
  assert.deepEqual(timings(parseProfile({ ...base, warmup: '2s', drainTimeout: '500ms' }, 'x', {})), {
    run: { kind: 'duration', durationMs: 30_000 },
    warmupMs: 2000,
    drainTimeoutMs: 500,
  });
});
