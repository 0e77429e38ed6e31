import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../src/util/userError.js';
import { baselineNames, listBaselines, resolveBaseline, saveBaseline } from '../../src/gate/baselineStore.js';
import type { RunResult } from '../../src/results/model.js';
import { buildRepeatedResult } from '../../src/results/repeated.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { matrixFromRuns, syntheticRun } from '../report/fixtures.js';

const repeatedOf = (runs: RunResult[]) =>
  buildRepeatedResult({
    profile: runs[0]!.profile,
    profileSource: 'profiles/synthetic.json',
    repeat: runs.length,
    interleavedWith: null,
    runs,
    failures: [],
    startedAt: new Date('2026-02-01T10:00:00Z'),
    endedAt: new Date('2026-02-01T10:01:00Z'),
    environment: runs[0]!.environment,
  });

/** A temp directory with a repeated result (3 runs), a single run and a matrix result in it. */
function fixtures(): { dir: string; repeated: string; run: string; matrix: string } {
  const dir = tempDir('baseline');
  const repeated = join(dir, 'rep.json');
  const run = join(dir, 'run.json');
  const matrix = join(dir, 'matrix.json');
  writeFileSync(repeated, JSON.stringify(repeatedOf([syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 }), syntheticRun({ seed: 3 })])));
  writeFileSync(run, JSON.stringify(syntheticRun({ name: 'single', rate: 700 })));
  writeFileSync(matrix, JSON.stringify(matrixFromRuns('m', [{ id: 'a', label: 'classic', values: { 'queues.type': 'classic' }, runs: [syntheticRun()] }])));
  return { dir, repeated, run, matrix };
}

const userError = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
  assert.equal(err.exitCode, 2);
  assert.doesNotMatch(err.message, /\n/);
  assert.match(err.message, pattern);
  return true;
};

describe('the baseline store', () => {
  test('save copies the result byte for byte to <dir>/<name>.json, creating dir, and describes it', async () => {
    const f = fixtures();
    const dir = join(f.dir, 'nested', 'baselines');
    const saved = await saveBaseline(f.repeated, 'main', dir);
    assert.equal(saved.file, join(dir, 'main.json'));
    assert.equal(readFileSync(saved.file, 'utf8'), readFileSync(f.repeated, 'utf8'));
    assert.equal(saved.replaced, false);
    const i = saved.info;
    assert.deepEqual([i.name, i.kind, i.runs, i.repeat, i.profileSource, i.measuredAt], ['main', 'repeated', 3, 3, 'profiles/synthetic.json', '2026-02-01T10:00:00.000Z']);
    assert.equal(i.consumedPerRun.length, 3);
    assert.ok(i.consumed.stddev > 0);
    assert.ok(i.e2eP99Ms! > 0);
    // Saving again under the same name replaces it.
    const again = await saveBaseline(f.run, 'main', dir);
    assert.equal(again.replaced, true);
    assert.equal(again.info.kind, 'run');
    assert.equal(again.info.runs, 1);
    assert.equal(again.info.consumed.stddev, 0);
    assert.equal(readFileSync(saved.file, 'utf8'), readFileSync(f.run, 'utf8'));
  });

  test('a matrix, a bad name, or a result that measured nothing cannot be saved; nothing is written', async () => {
    const f = fixtures();
    const dir = join(f.dir, 'baselines');
    await assert.rejects(saveBaseline(f.matrix, 'main', dir), userError(/matrix\.json: a matrix result cannot be a baseline/));
    await assert.rejects(saveBaseline(f.repeated, '../escape', dir), userError(/baseline name "\.\.\/escape": use letters/));
    await assert.rejects(saveBaseline(f.repeated, 'main.json', dir), userError(/without \.json/));
    const nothing = join(f.dir, 'nothing.json');
    const run = syntheticRun();
    writeFileSync(nothing, JSON.stringify(repeatedOf([{ ...run, interrupted: true, verdict: { status: 'interrupted', message: 'Ctrl-C' } }])));
    await assert.rejects(saveBaseline(nothing, 'main', dir), userError(/nothing was measured/));
    assert.equal(existsSync(dir), false);
  });

  test('resolve: a name is <dir>/<name>.json, anything with a / or .json is a path; missing ones are one-line errors', async () => {
    const f = fixtures();
    const dir = join(f.dir, 'baselines');
    await saveBaseline(f.repeated, 'main', dir);
    const byName = await resolveBaseline('main', dir);
    assert.equal(byName.file, join(dir, 'main.json'));
    assert.equal(byName.loaded.kind, 'repeated');
    const byPath = await resolveBaseline(f.run, dir);
    assert.deepEqual([byPath.file, byPath.loaded.kind], [f.run, 'run']);
    await assert.rejects(resolveBaseline('release', dir), userError(/no baseline "release" in .*baselines\/ \(saved: main\)/));
    await assert.rejects(resolveBaseline('main', join(f.dir, 'none')), userError(/no baseline "main" in .*none\/ \(save one with: mqbench baseline save <result\.json> --name main --dir /));
    await assert.rejects(resolveBaseline(f.matrix, dir), userError(/a matrix result cannot be a baseline/));
    await assert.rejects(resolveBaseline(join(f.dir, 'gone.json'), dir), userError(/cannot read result .*gone\.json: ENOENT/));
  });

  test('list: every .json in dir, sorted, with why a file is not a baseline; a missing dir is an error', async () => {
    const f = fixtures();
    const dir = join(f.dir, 'baselines');
    await saveBaseline(f.repeated, 'main', dir);
    await saveBaseline(f.run, 'a-single', dir);
    writeFileSync(join(dir, 'junk.json'), '{"kind": "other"}');
    writeFileSync(join(dir, 'notes.txt'), 'not json');
    const all = await listBaselines(dir);
    assert.deepEqual(all.map((b) => b.name), ['a-single', 'junk', 'main']);
    assert.deepEqual(all.map((b) => b.info?.kind ?? null), ['run', null, 'repeated']);
    assert.match(all[1]!.error!, /not an mqbench result/);
    await assert.rejects(baselineNames(join(f.dir, 'missing')), userError(/no baseline directory .*missing\/ \(save a baseline first/));
  });
});

describe('mqbench baseline', () => {
  test('save prints what it saved; show lists them; show --name details one', { timeout: 30_000 }, async () => {
    const f = fixtures();
    const dir = join(f.dir, 'baselines');
    const save = await runCli(['baseline', 'save', f.repeated, '--dir', dir]);
    assert.equal(save.code, 0, save.stderr);
    assert.match(save.stdout, /^saved baseline .*baselines\/main\.json\nmain: repeated, 3 runs of profiles\/synthetic\.json \(synthetic\), consumed \d+ ± \d+ msgs\/s, e2e p99 [\d.]+ ms, measured 2026-02-01T10:00:00\.000Z\n$/);
    assert.equal((await runCli(['baseline', 'save', f.run, '--name', 'single', '--dir', dir])).code, 0);

    const show = await runCli(['baseline', 'show', '--dir', dir]);
    assert.equal(show.code, 0, show.stderr);
    const lines = show.stdout.trim().split('\n');
    assert.match(lines[0]!, /^name\s+kind\s+runs\s+profile\s+measured at\s+consumed msgs\/s\s+e2e p99 ms/);
    assert.match(lines[1]!, /^main\s+repeated\s+3\s+profiles\/synthetic\.json\s+2026-02-01T10:00:00\.000Z\s+\d+ ± \d+\s+[\d.]+/);
    assert.match(lines[2]!, /^single\s+run\s+1\s+profiles\/synthetic\.json\s+2026-01-01T00:00:00\.000Z\s+\d+\s+[\d.]+/);

    const one = await runCli(['baseline', 'show', '--name', 'main', '--dir', dir]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^baseline main \(.*main\.json\)$/m);
    assert.match(one.stdout, /consumed \d+ ± \d+ msgs\/s, published \d+ ± \d+, confirmed \d+ ± \d+ \(mean ± stddev across runs\)/);
    assert.match(one.stdout, /e2e \(runs merged\): p50 [\d.]+ \/ p99 [\d.]+/);
    assert.equal(one.stdout.match(/^\s+[123]\s+\d+\s+[\d.]+\s+[\d.]+\s+ok$/gm)?.length, 3, one.stdout);
  });

  test('a missing directory or name and a matrix result are one-line errors with exit 2', { timeout: 30_000 }, async () => {
    const f = fixtures();
    const missingDir = await runCli(['baseline', 'show', '--dir', join(f.dir, 'nope')]);
    assert.equal(missingDir.code, 2);
    assert.match(missingDir.stderr, /^mqbench: no baseline directory .*nope\/ .*\n$/);
    const missingName = await runCli(['baseline', 'show', '--name', 'main', '--dir', f.dir]);
    assert.equal(missingName.code, 2);
    assert.match(missingName.stderr, /^mqbench: no baseline "main" in /);
    const matrix = await runCli(['baseline', 'save', f.matrix, '--dir', join(f.dir, 'b')]);
    assert.equal(matrix.code, 2);
    assert.match(matrix.stderr, /^mqbench: .*matrix\.json: a matrix result cannot be a baseline/);
    const help = await runCli(['baseline', 'save', '--help']);
    assert.match(help.stdout, /Examples:/);
  });
});
