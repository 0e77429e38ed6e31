import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { MatrixResult } from '../../src/matrix/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

test('the quick matrix runs on real 1- and 3-node clusters and writes JSON, CSV and HTML', { timeout: 400_000 }, async () => {
  const out = tempDir('matrix');
  const clusterDir = join(packageRoot(), '.mqbench', 'test-matrix');
  const run = await runCli(
    ['matrix', join(packageRoot(), 'profiles', 'replication-matrix-quick.json'), '--out', out, '--cluster-dir', clusterDir, '--first-port', '6100', '--repeat', '1'],
    { timeoutMs: 380_000 },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[1\/3\] classic, 1 node — repetition 1\/1/);
  assert.match(run.stderr, /skipping quorum, 1 node: quorum on 1 node has no replicas/);
  assert.match(run.stdout, /quorum, 3 nodes: \d+\.\d\d ± \d+\.\d\d × throughput, \d+\.\d × e2e p99/);

  const jsonFile = readdirSync(out).find((f) => f.endsWith('.json'))!;
  const m = JSON.parse(readFileSync(join(out, jsonFile), 'utf8')) as MatrixResult;
  assert.equal(m.kind, 'matrix');
  assert.equal(m.cells.length, 4);
  assert.equal(m.baselineCellId, 'queues.type=classic,cluster.local.nodes=1');
  const quorum3 = m.cells.find((c) => c.label === 'quorum, 3 nodes')!;
  assert.equal(quorum3.runs.length, 1);
  assert.equal(quorum3.runs[0]!.cluster.nodeCount, 3);
  assert.equal(quorum3.runs[0]!.cluster.before?.queues[0]?.members.length, 3);
  assert.ok(quorum3.summary!.consumeRate.mean > 0);
  assert.ok(quorum3.summary!.relative!.throughput.mean > 0);
  assert.equal(quorum3.summary!.lost, 0);
  assert.equal(m.cells.find((c) => c.label === 'quorum, 1 node')!.skipped, 'quorum on 1 node has no replicas to measure');

  const csv = parse(readFileSync(join(out, jsonFile.replace(/\.json$/, '-summary.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.equal(csv.length, 4);
  assert.equal(csv.find((r) => r.label === 'classic, 1 node')!.relative_throughput, '1');
  assert.equal(csv.find((r) => r.label === 'quorum, 3 nodes')!.nodes, '3');

  const html = join(out, 'matrix.html');
  const report = await runCli(['report', join(out, jsonFile), '-o', html]);
  assert.equal(report.code, 0, report.stderr);
  assert.ok(existsSync(html));
  assert.match(readFileSync(html, 'utf8'), /quorum, 3 nodes/);

  // Without --keep-clusters the matrix stops its clusters.
  assert.deepEqual(existsSync(clusterDir) ? readdirSync(clusterDir).filter((d) => !d.endsWith('.lock')) : [], []);
});

describe('a matrix on an existing broker', () => {
  let uri = '';
  before(async () => {
    uri = (await testBroker()).nodes[0]!.amqpUri;
  });

  /** Classic queue on the shared test broker, short runs; the axes come from each test. */
  const writeMatrix = (name: string, axes: Record<string, unknown[]>, repeat: number): string => {
    const dir = tempDir(name);
    const path = join(dir, 'matrix.json');
    const base = {
      broker: { uris: [uri] },
      queues: { type: 'classic', namePattern: `mqbench-${name}-<n>` },
      publishers: { count: 1, rate: 500, messageSize: 200 },
      consumers: { count: 1 },
      duration: '2s',
      drainTimeout: '10s',
    };
    writeFileSync(path, JSON.stringify({ name, base, axes, repeat }));
    return path;
  };
  const readMatrix = (out: string): MatrixResult => JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as MatrixResult;

  test('a failed cell is recorded with its error and the matrix goes on; exit 1', async () => {
    const out = tempDir('matrix-fail');
    const unreachable = 'amqp://guest:guest@127.0.0.1:1/';
    const run = await runCli(['matrix', writeMatrix('mx-fail', { 'broker.uris': [[unreachable], [uri]] }, 2), '--out', out], { timeoutMs: 120_000 });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /FAILED: .*127\.0\.0\.1:1.*ECONNREFUSED/);
    assert.ok(!run.stderr.includes('guest:guest') && !run.stdout.includes('guest:guest'), 'passwords are masked');
    const m = readMatrix(out);
    assert.equal(m.interrupted, false);
    const [bad, good] = m.cells;
    assert.deepEqual(bad!.failures.map((f) => f.repetition), [1, 2]);
    assert.match(bad!.failures[0]!.error, /ECONNREFUSED/);
    assert.equal(bad!.runs.length, 0);
    assert.equal(bad!.summary, null);
    assert.equal(good!.failures.length, 0);
    assert.equal(good!.runs.length, 2, 'the cell after the failed one ran both repetitions');
    assert.ok(good!.summary!.consumeRate.mean > 0);
    assert.ok(!JSON.stringify(m).includes('guest:guest'), 'no password in the result');
  });

  test('Ctrl-C writes the runs that finished, marks the matrix interrupted and exits 130', async () => {
    const out = tempDir('matrix-sigint');
    let signalled = false;
    const run = await runCli(['matrix', writeMatrix('mx-sigint', { 'queues.type': ['classic'] }, 3), '--out', out], {
      timeoutMs: 120_000,
      onStderr: (stderr, pid) => {
        // Mid-measurement of the second repetition.
        if (signalled || !/\[2\/3\][^]*measuring/.test(stderr)) return;
        signalled = true;
        setTimeout(() => process.kill(pid, 'SIGINT'), 500);
      },
    });
    assert.ok(signalled, run.stderr);
    assert.equal(run.code, 130, run.stderr);
    const m = readMatrix(out);
    assert.equal(m.interrupted, true);
    assert.match(m.error ?? '', /SIGINT/);
    const cell = m.cells[0]!;
    assert.equal(cell.runs.length, 2, 'the finished repetition and the interrupted one are kept');
    assert.equal(cell.runs[0]!.interrupted, false);
    assert.equal(cell.runs[1]!.interrupted, true);
    assert.deepEqual(cell.failures.map((f) => f.repetition), [2]);
    assert.doesNotMatch(run.stderr, /\[3\/3\]/, 'no repetition starts after Ctrl-C');
  });
});
