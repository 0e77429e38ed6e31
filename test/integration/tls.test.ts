import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clusterDown, clusterUp } from '../../src/cluster/local/cluster.js';
import type { RunResult } from '../../src/results/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { makeTestCerts, type TestCerts } from '../helpers/tlsCerts.js';

/*
 * A node of its own with TLS listeners (AMQP and management), on the port block 5880: AMQP 5880,
 * management 15880, distribution 25880; TLS uses the free slots of a second node, 5881 and 15881.
 * Its state dir is under .mqbench/test-*, so scripts/down-test-clusters stops it if this file crashes.
 */
const BASE_PORT = 5880;
const AMQPS_PORT = BASE_PORT + 1;
const HTTPS_PORT = BASE_PORT + 10_001;
const stateDir = join(packageRoot(), '.mqbench', 'test-tls');
let certs: TestCerts;
let extraConfig: string[] = [];

function profile(name: string, ca: string): Record<string, unknown> {
  return {
    name,
    broker: {
      uris: [`amqps://guest:guest@localhost:${AMQPS_PORT}/`],
      management: [`https://guest:guest@localhost:${HTTPS_PORT}`],
      tls: { ca },
    },
    queues: { type: 'classic', namePattern: `mqbench-${name}-<n>` },
    publishers: { rate: 500, messageSize: 200 },
    duration: '2s',
    drainTimeout: '10s',
  };
}

before(async () => {
  certs = makeTestCerts(tempDir('tls-certs'));
  const tlsFiles = (prefix: string): string[] => [
    `${prefix}.cacertfile = ${certs.ca}`,
    `${prefix}.certfile = ${certs.serverCert}`,
    `${prefix}.keyfile = ${certs.serverKey}`,
  ];
  extraConfig = [
    `listeners.ssl.default = 127.0.0.1:${AMQPS_PORT}`,
    ...tlsFiles('ssl_options'),
    'ssl_options.verify = verify_none',
    'ssl_options.fail_if_no_peer_cert = false',
    'management.ssl.ip = 127.0.0.1',
    `management.ssl.port = ${HTTPS_PORT}`,
    ...tlsFiles('management.ssl'),
  ];
  await clusterUp({ stateDir, layout: ['disk'], basePort: BASE_PORT, force: true, extraConfig });
});

after(async () => {
  await clusterDown({ stateDir });
});

describe('TLS: amqps:// and https:// management with the profile\'s CA', { timeout: 150_000 }, () => {
  test('right CA: the run completes over TLS, nothing lost, topology read over https, result written', async () => {
    const out = tempDir('tls-run');
    const run = await runCli(['run', writeProfile(profile('tls-ok', certs.ca)), '--out', out, '-q'], { timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const file = readdirSync(out).find((f) => f.endsWith('.json'));
    assert.ok(file, 'result written');
    const r = JSON.parse(readFileSync(join(out, file), 'utf8')) as RunResult;
    assert.ok(r.delivery.published > 200, `published ${r.delivery.published}`);
    assert.equal(r.delivery.confirmed, r.delivery.published);
    assert.equal(r.delivery.consumedUnique, r.delivery.confirmed);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.cluster.error, null, 'topology read through the https management URL');
    assert.deepEqual(r.cluster.before?.queues.map((q) => q.name), ['mqbench-tls-ok-1']);
    assert.deepEqual(r.cluster.amqpUris, [`amqps://guest:***@localhost:${AMQPS_PORT}/`]);
  });

  test('extra config lines are part of the local cluster\'s identity: same lines reuse it, others are a different cluster', async () => {
    assert.equal((await clusterUp({ stateDir, layout: ['disk'], basePort: BASE_PORT, extraConfig })).reused, true);
    await assert.rejects(clusterUp({ stateDir, layout: ['disk'], basePort: BASE_PORT }), new RegExp(`a different cluster is running in .*test-tls: layout disk with ${extraConfig.length} extra config line\\(s\\) on basePort ${BASE_PORT}`));
  });

  test('wrong CA: exit 2, one line naming the URI and the untrusted certificate', async () => {
    const run = await runCli(['run', writeProfile(profile('tls-wrong-ca', certs.otherCa)), '-q'], { timeoutMs: 30_000 });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, new RegExp(`cannot connect to amqps://guest:\\*\\*\\*@localhost:${AMQPS_PORT}/: TLS: server certificate not trusted \\([A-Z_]+\\): check tls\\.ca`));
  });
});
