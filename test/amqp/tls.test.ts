import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeConnectError } from '../../src/amqp/errors.js';
import { loadTls, TlsConfigError } from '../../src/amqp/tls.js';
import { defaultManagementUrl } from '../../src/cluster/target.js';
import { parseProfile } from '../../src/profile/load.js';
import { maskProfile } from '../../src/util/mask.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

test('loadTls reads PEM files relative to the working directory, takes inline PEM as is, keeps the other options', () => {
  const dir = tempDir('tls-load');
  writeFileSync(join(dir, 'ca.pem'), PEM);
  const tls = loadTls({ ca: 'ca.pem', cert: PEM, key: KEY, passphrase: 'pw', servername: 'rabbit.example', rejectUnauthorized: true }, 'broker.tls', dir);
  assert.deepEqual(tls, { ca: PEM, cert: PEM, key: KEY, passphrase: 'pw', servername: 'rabbit.example', rejectUnauthorized: true });
  assert.deepEqual(loadTls({ rejectUnauthorized: false }, 'broker.tls'), { rejectUnauthorized: false });
});

test('loadTls: a missing or non-PEM file is one line naming the field and the path', () => {
  const dir = tempDir('tls-missing');
  assert.throws(
    () => loadTls({ ca: 'nope/ca.pem', rejectUnauthorized: true }, 'broker.tls', dir),
    (err: Error) => err instanceof TlsConfigError && err.exitCode === 2 && err.message === `broker.tls.ca: cannot read ${join(dir, 'nope/ca.pem')}: no such file`,
  );
  writeFileSync(join(dir, 'notpem.txt'), 'hello');
  assert.throws(() => loadTls({ cert: 'notpem.txt', key: KEY, rejectUnauthorized: true }, 'cluster.tls', dir), /^TlsConfigError: cluster\.tls\.cert: .*notpem\.txt is not a PEM file/);
  assert.throws(() => loadTls({ key: KEY, rejectUnauthorized: true }, 'broker.tls', dir), /broker\.tls\.cert: missing: a client key \(broker\.tls\.key\) needs its certificate/);
});

test('mqbench run with a missing broker.tls.ca: exit 2, one line naming the field and the path, before connecting', { timeout: 30_000 }, async () => {
  const dir = tempDir('tls-cli');
  const missing = join(dir, 'missing-ca.pem');
  const run = await runCli(['run', writeProfile({ name: 'tls-missing', broker: { uris: ['amqps://guest:guest@127.0.0.1:1/'], tls: { ca: missing } } }), '-q'], { timeoutMs: 25_000 });
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stderr.trim(), `mqbench: broker.tls.ca: cannot read ${missing}: no such file`);
});

test('TLS handshake failures read as such', () => {
  const err = (code: string, message: string): Error => Object.assign(new Error(message), { code });
  assert.equal(describeConnectError(err('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')), 'TLS: server certificate not trusted (SELF_SIGNED_CERT_IN_CHAIN): check tls.ca');
  assert.match(describeConnectError(err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames")), /^TLS: server certificate does not name this host .*tls\.servername$/);
  assert.match(describeConnectError(err('EPROTO', 'routines:ssl3_get_record:wrong version number')), /^TLS handshake failed \(EPROTO: .*\): is this port a TLS listener\?$/);
  assert.equal(describeConnectError(err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), 'ECONNREFUSED', 'other codes as before');
});

test('management URL defaults: http 15672 for amqp://, https 15671 for amqps://, credentials kept', () => {
  assert.equal(defaultManagementUrl('amqp://u:p@rabbit-1:5672/v'), 'http://u:p@rabbit-1:15672');
  assert.equal(defaultManagementUrl('amqps://u:p@rabbit-1:5671/v'), 'https://u:p@rabbit-1:15671');
});

test('profile: broker.tls and broker.management validate; a passphrase and an inline private key are masked where the profile is stored', () => {
  const p = parseProfile(
    { name: 'x', broker: { uris: ['amqps://u:p@h:5671/'], management: ['https://u:p@h:15671'], tls: { ca: 'ca.pem', key: KEY, cert: 'c.pem', passphrase: 'hush' } } },
    'test',
  );
  assert.equal(p.broker?.tls?.rejectUnauthorized, true);
  const masked = maskProfile(p);
  assert.equal(masked.broker?.tls?.passphrase, '***');
  assert.equal(masked.broker?.tls?.key, '***');
  assert.equal(masked.broker?.tls?.ca, 'ca.pem');
  assert.throws(() => parseProfile({ name: 'x', broker: { uris: ['amqps://h/'], tls: { cafile: 'x' } } }, 'test'), /broker\.tls/);
});
