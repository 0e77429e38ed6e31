import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskProfile, maskSecretsInText, maskUri } from '../../src/util/mask.js';
import { parseProfile } from '../../src/profile/load.js';

test('maskUri hides the password only', () => {
  assert.equal(maskUri('amqp://guest:guest@127.0.0.1:5700/'), 'amqp://guest:***@127.0.0.1:5700/');
  assert.equal(maskUri('amqps://u:p%40ss@host/%2F?heartbeat=10'), 'amqps://u:***@host/%2F?heartbeat=10');
  assert.equal(maskUri('https://admin:pw@localhost:15700/api'), 'https://admin:***@localhost:15700/api');
});

test('maskUri leaves URIs without a password unchanged', () => {
  for (const uri of ['amqp://127.0.0.1:5700/', 'amqp://guest@host/', 'amqp://guest:@host/', 'not a uri', './schema.json']) {
    assert.equal(maskUri(uri), uri);
  }
});

test('maskUri still hides a password containing unescaped "@" or "/"', () => {
  assert.equal(maskUri('amqp://u:p@ss/word@host/'), 'amqp://u:***@host/');
});

test('maskSecretsInText masks every URI in free text', () => {
  const text = 'connect amqp://a:one@h1:5700/ failed; tried "amqp://b:two@h2:5701/", then http://c:three@h3.';
  const masked = maskSecretsInText(text);
  assert.equal(masked, 'connect amqp://a:***@h1:5700/ failed; tried "amqp://b:***@h2:5701/", then http://c:***@h3.');
  for (const secret of ['one', 'two', 'three']) assert.ok(!masked.includes(secret));
});

test('maskProfile masks every broker URI and any other URI or secret field, without touching the original', () => {
  const profile = parseProfile(
    {
      name: 't',
      description: 'see https://x:leak@docs/',
      broker: { uris: ['amqp://guest:pw1@h1/', 'amqp://guest:pw2@h2/'] },
    },
    'mem',
    {},
  );
  const withFuture = { ...profile, cluster: { uris: ['amqp://u:pw3@h3/'], management: 'http://admin:pw4@h:15700', password: 'pw5' } };
  const masked = maskProfile(withFuture);
  assert.deepEqual(masked.broker!.uris, ['amqp://guest:***@h1/', 'amqp://guest:***@h2/']);
  assert.deepEqual(masked.cluster, { uris: ['amqp://u:***@h3/'], management: 'http://admin:***@h:15700', password: '***' });
  assert.equal(masked.description, 'see https://x:***@docs/');
  assert.ok(!JSON.stringify(masked).match(/pw\d|leak/));
  assert.equal(profile.broker!.uris[0], 'amqp://guest:pw1@h1/');
  assert.equal(masked.publishers.confirms.maxInFlight, 100);
});
