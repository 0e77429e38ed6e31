import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { MatrixResult } from '../../src/matrix/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli, tempDir } from '../helpers/cli.js';

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
