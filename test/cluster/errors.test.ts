import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError } from '../../src/cluster/errors.js';
import { clusterDown, clusterUp } from '../../src/cluster/local/cluster.js';
import { RABBITMQ_BIN_ENV } from '../../src/cluster/local/rabbitmqBinaries.js';
import { packageRoot } from '../../src/util/packageRoot.js';

/*
 * Error paths, exercised without a real broker: a fake bin dir whose rabbitmq-server writes
 * a log and exits without starting anything, and whose rabbitmqctl always fails.
 */
function fakeBinDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-fake-rabbit-'));
  const server = [
    '#!/bin/sh',
    'mkdir -p "$RABBITMQ_LOG_BASE"',
    'log="$RABBITMQ_LOG_BASE/$RABBITMQ_NODENAME.log"',
    'i=1; while [ $i -le 30 ]; do echo "fake log line $i" >> "$log"; i=$((i+1)); done',
    'echo "BOOT FAILED: fake broker gave up" >> "$log"',
    'exit 0',
  ].join('\n');
  writeFileSync(join(dir, 'rabbitmq-server'), `${server}\n`);
  writeFileSync(join(dir, 'rabbitmqctl'), '#!/bin/sh\necho "fake rabbitmqctl: nodedown" >&2\nexit 69\n');
  chmodSync(join(dir, 'rabbitmq-server'), 0o755);
  chmodSync(join(dir, 'rabbitmqctl'), 0o755);
  return dir;
}

const stateRoot = join(packageRoot(), '.mqbench');

test('missing binaries: clear error with install hint and exit code 2 (option and env var)', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'mqbench-no-rabbit-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const notInstalled = (err: unknown): boolean =>
    err instanceof ClusterError && err.exitCode === 2 && err.message.startsWith('rabbitmq-server is not installed: run apt-get install -y rabbitmq-server');
  const stateDir = join(stateRoot, 'test-cluster-nobin');
  await assert.rejects(clusterUp({ stateDir, layout: ['disk'], basePort: 5970, binDir: empty }), notInstalled);

  const saved = process.env[RABBITMQ_BIN_ENV];
  process.env[RABBITMQ_BIN_ENV] = empty;
  try {
    await assert.rejects(clusterUp({ stateDir, layout: ['disk'], basePort: 5970 }), notInstalled);
  } finally {
    if (saved === undefined) delete process.env[RABBITMQ_BIN_ENV];
    else process.env[RABBITMQ_BIN_ENV] = saved;
  }
  assert.ok(!existsSync(stateDir), 'nothing is created when RabbitMQ is missing');
});

test('a port already in use is reported with the port, node and purpose', async (t) => {
  const bin = fakeBinDir();
  const basePort = 5980;
  const busyPort = basePort + 10000 + 1; // management port of node 2
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(busyPort, '127.0.0.1', r));
  const stateDir = join(stateRoot, 'test-cluster-ports');
  t.after(async () => {
    blocker.close();
    await clusterDown({ stateDir, binDir: bin });
    rmSync(bin, { recursive: true, force: true });
  });
  await assert.rejects(clusterUp({ stateDir, layout: ['disk', 'disk'], basePort, binDir: bin }), (err: unknown) => {
    assert.ok(err instanceof ClusterError);
    assert.match(err.message, new RegExp(`port ${busyPort} \\(management HTTP port of node 2 \\(mqbench-${basePort}-2@localhost\\)\\) is already in use`));
    return true;
  });
});

test('a node that fails to boot: error names it, its log, and quotes the last 20 lines', async (t) => {
  const bin = fakeBinDir();
  const stateDir = join(stateRoot, 'test-cluster-fake');
  t.after(async () => {
    await clusterDown({ stateDir, binDir: bin });
    rmSync(bin, { recursive: true, force: true });
  });
  await clusterDown({ stateDir, binDir: bin });
  const logFile = join(stateDir, 'nodes', '1', 'log', 'mqbench-5990-1@localhost.log');
  await assert.rejects(clusterUp({ stateDir, layout: ['disk'], basePort: 5990, binDir: bin, bootTimeoutMs: 20_000 }), (err: unknown) => {
    assert.ok(err instanceof ClusterError);
    assert.match(err.message, /^node mqbench-5990-1@localhost failed to boot: the Erlang VM exited during boot/);
    assert.ok(err.message.includes(`log: ${logFile}`), err.message);
    assert.match(err.message, /BOOT FAILED: fake broker gave up/);
    assert.match(err.message, /fake log line 30/);
    assert.match(err.message, /fake log line 12\n/);
    assert.doesNotMatch(err.message, /fake log line 11\n/);
    return true;
  });
  // The logs survive for diagnosis, and the state says the start failed.
  assert.ok(existsSync(logFile));
  assert.equal((JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as { status: string }).status, 'failed');
  assert.deepEqual(await clusterDown({ stateDir, binDir: bin }), { stopped: [], removedFaults: [] });
  assert.ok(!existsSync(stateDir));
});
