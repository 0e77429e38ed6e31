import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { RepeatedResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { documentedFields, hasPath } from '../helpers/resultDocs.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';

/** A tiny profile on the shared test broker: 1 s measured, no warm-up. */
function profile(name: string): string {
  return writeProfile({
    name,
    broker: { uris: [uri] },
    queues: { type: 'classic', namePattern: `mqbench-test-${name}-<n>` },
    publishers: { count: 1, rate: 500, messageSize: 200, confirms: { enabled: true, maxInFlight: 100 } },
    consumers: { count: 1, prefetch: 100, ack: 'manual' },
    duration: '1s',
    warmup: '0s',
    drainTimeout: '10s',
  });
}

const results = (dir: string): Array<{ file: string; result: RepeatedResult }> =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: join(dir, f), result: JSON.parse(readFileSync(join(dir, f), 'utf8')) as RepeatedResult }));

describe('mqbench run --repeat', () => {
  before(async () => {
    uri = (await testBroker()).nodes[0]!.amqpUri;
  });

  test('--repeat 2 writes one result of kind "repeated" with both runs and their summary; exit 0', { timeout: 120_000 }, async () => {
    const out = tempDir('repeat');
    const run = await runCli(['run', profile('rep-one'), '--repeat', '2', '--out', out, '--csv'], { timeoutMs: 110_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /\[1\/2\] rep-one — repetition 1\/2, about \d+s left/);
    assert.match(run.stderr, /\[2\/2\] rep-one — repetition 2\/2/);
    const written = results(out);
    assert.equal(written.length, 1, readdirSync(out).join(', '));
    const { file, result: r } = written[0]!;
    assert.match(file, /rep-one-\d{8}T\d{6}Z\.json$/);
    assert.equal(r.kind, 'repeated');
    assert.equal(r.repeat, 2);
    assert.equal(r.interleavedWith, null);
    assert.equal(r.runs.length, 2);
    assert.deepEqual(r.failures, []);
    assert.ok(r.runs.every((x) => x.kind === 'run' && x.verdict.status === 'ok' && x.timing.measuredMs > 0));
    const s = r.summary!;
    assert.equal(s.repetitions, 2);
    const rates = r.runs.map((x) => x.rates.consumed.overallMsgsPerS);
    assert.ok(Math.abs(s.consumeRate.mean - (rates[0]! + rates[1]!) / 2) < 1e-6);
    assert.ok(s.consumeRate.mean > 300, `consumed ${s.consumeRate.mean} msgs/s at a 500 msgs/s rate`);
    assert.equal(s.e2e.count, r.runs.reduce((n, x) => n + x.latency.e2e.corrected.count, 0), 'histograms merged');
    assert.equal(s.lost, 0);
    for (const path of documentedFields('Repeated results')) assert.ok(hasPath(r, path), `results/README.md documents ${path}, the result has none`);

    // stdout: every repetition on a line, then the summary and the file.
    assert.match(run.stdout, /^repetition\s+consumed msgs\/s\s+e2e p99 ms\s+lost\s+verdict/m);
    assert.match(run.stdout, /^1\s+\d+\s+[\d.]+\s+0\s+ok/m);
    assert.match(run.stdout, /^2\s+\d+\s+[\d.]+\s+0\s+ok/m);
    assert.match(run.stdout, /^summary: consumed \d+ ± \d+ msgs\/s \(mean ± stddev of 2 runs\), e2e p50 [\d.]+ \/ p99 [\d.]+ ms/m);
    assert.ok(run.stdout.includes(`result: ${file}, `), run.stdout);

    const csv = parse(readFileSync(file.replace(/\.json$/, '-summary.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(csv.map((x) => x.row), ['repetition', 'repetition', 'summary']);

    // The other commands take it: report, export, baseline save.
    const report = await runCli(['report', file, '-o', join(out, 'r.html')]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(readFileSync(join(out, 'r.html'), 'utf8'), /Repetitions of rep-one/);
    const exported = await runCli(['export', file, '--csv', '--out', join(out, 'csv')]);
    assert.equal(exported.code, 0, exported.stderr);
    const saved = await runCli(['baseline', 'save', file, '--dir', join(out, 'baselines')]);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /main: repeated, 2 runs of /);
  });

  test('--baseline-profile alternates the two profiles and writes a repeated result for each; compare sees no verdict-worthy change', { timeout: 150_000 }, async () => {
    const out = tempDir('repeat-baseline');
    const a = profile('rep-new');
    const b = profile('rep-old');
    const run = await runCli(['run', a, '--repeat', '2', '--baseline-profile', b, '--out', out], { timeoutMs: 140_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /\[1\/4\] rep-new — repetition 1\/2.*\n(.*\n)*.*\[2\/4\] rep-old — repetition 1\/2(.*\n)*.*\[3\/4\] rep-new — repetition 2\/2(.*\n)*.*\[4\/4\] rep-old — repetition 2\/2/);
    const written = results(out);
    assert.deepEqual(written.map((w) => w.result.name), ['rep-new', 'rep-old']);
    const [mine, base] = written.map((w) => w.result) as [RepeatedResult, RepeatedResult];
    assert.equal(mine.interleavedWith, b);
    assert.equal(base.interleavedWith, a);
    assert.equal(mine.profileSource, a);
    assert.equal(base.profileSource, b);
    assert.ok(base.runs.every((x) => x.profileSource === b), 'the baseline\'s runs record their own profile');
    assert.deepEqual([mine.runs.length, base.runs.length], [2, 2]);
    // A, B, A, B: each run starts after the one before it ended.
    const order = [mine.runs[0]!, base.runs[0]!, mine.runs[1]!, base.runs[1]!];
    for (let i = 1; i < order.length; i++) assert.ok(order[i]!.startedAt >= order[i - 1]!.endedAt, `run ${i + 1} started ${order[i]!.startedAt}, before ${order[i - 1]!.endedAt}`);
    for (const w of written) assert.ok(run.stdout.includes(w.file), `stdout names ${w.file}`);

    // Two runs a side cannot be significant (p >= 1/3): compare says so instead of faster/slower.
    const compare = await runCli(['compare', written[1]!.file, written[0]!.file]);
    assert.equal(compare.code, 0, compare.stderr);
    assert.match(compare.stdout, /^rep-new .*no significant change \(p = [01]\.\d\d\)/m);
    assert.match(compare.stdout, /smallest possible p is 0\.33/);
  });

  test('SIGTERM during the repetitions writes what was measured with interrupted: true; exit 143', { timeout: 120_000 }, async () => {
    const out = tempDir('repeat-term');
    let sent = false;
    const run = await runCli(['run', profile('rep-term'), '--repeat', '3', '--out', out], {
      timeoutMs: 110_000,
      onStderr: (text, pid) => {
        if (!sent && text.includes('[2/3]')) {
          sent = true;
          process.kill(pid, 'SIGTERM');
        }
      },
    });
    assert.equal(run.code, 143, run.stderr);
    const written = results(out);
    assert.equal(written.length, 1);
    const r = written[0]!.result;
    assert.equal(r.interrupted, true);
    assert.match(r.error!, /SIGTERM/);
    assert.equal(r.summary!.repetitions, 1, 'repetition 1 was measured; repetition 2 was cut short');
    assert.ok(r.runs.length + r.failures.length >= 2);
    assert.match(run.stdout, /INTERRUPTED: terminated \(SIGTERM\)/);
  });
});
