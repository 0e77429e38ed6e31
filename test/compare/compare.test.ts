import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { judgeThroughput, matrixEntries, minimumPValue, repeatedEntry, runEntry, verdictText, type CompareEntry } from '../../src/compare/entries.js';
import { mannWhitneyU } from '../../src/gate/stats.js';
import type { RunResult } from '../../src/results/model.js';
import { buildRepeatedResult } from '../../src/results/repeated.js';
import { renderCompare } from '../../src/report/compareTable.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { faultRun, matrixFromRuns, meanStdOf, syntheticRun } from '../report/fixtures.js';

/** An entry with the given per-run consume rates (the first and only thing the verdict reads). */
const entry = (label: string, samples: number[]): CompareEntry => ({
  label,
  kind: samples.length > 1 ? 'repeated' : 'run',
  samples,
  throughput: meanStdOf(samples),
  publishRate: samples[0]!,
  e2eP50Ms: 1,
  e2eP99Ms: 2,
  confirmP99Ms: 3,
  lost: 0,
  problems: [],
});

const repeated = (name: string, runs: RunResult[]) =>
  buildRepeatedResult({
    profile: runs[0]!.profile,
    profileSource: `profiles/${name}.json`,
    repeat: runs.length,
    interleavedWith: null,
    runs,
    failures: [],
    startedAt: new Date('2026-01-01T00:00:00Z'),
    endedAt: new Date('2026-01-01T00:01:00Z'),
    environment: runs[0]!.environment,
  });

describe('the throughput verdict: Mann–Whitney U on per-run rates', () => {
  test('five runs each, every one slower: "slower" with the exact p (2 of 252 orderings), the ratio of medians', () => {
    const ref = entry('a', [1000, 1010, 1020, 1030, 1040]);
    const j = judgeThroughput(entry('b', [800, 810, 820, 830, 840]), ref);
    assert.equal(j.verdict, 'slower');
    assert.ok(Math.abs(j.pValue! - 2 / 252) < 1e-12, String(j.pValue));
    assert.ok(Math.abs(j.ratio! - 820 / 1020) < 1e-12);
    assert.equal(verdictText(j), 'slower (p = 0.008)');
    assert.equal(judgeThroughput(ref, entry('b', [800, 810, 820, 830, 840])).verdict, 'faster');
  });

  test('overlapping runs are "no significant change" with their p, however large the difference of means', () => {
    // The means differ by 10 % (one slow outlier), the runs interleave: not significant.
    const a = [1000, 1040, 980, 1020, 1010];
    const b = [1005, 1030, 990, 1025, 500];
    const j = judgeThroughput(entry('b', b), entry('a', a));
    assert.equal(j.verdict, 'noChange');
    const p = mannWhitneyU(b, a).pValue;
    assert.ok(p > 0.05);
    assert.equal(j.pValue, p);
    assert.match(verdictText(j), /^no significant change \(p = 0\.\d\d\)$/);
    // The ratio is of medians (1005 / 1010), not of means (910 / 1010).
    assert.ok(Math.abs(j.ratio! - 1005 / 1010) < 1e-12);
  });

  test('alpha decides: the same runs are slower at 0.05 and not at 0.005', () => {
    const ref = entry('a', [1000, 1010, 1020, 1030, 1040]);
    const b = entry('b', [800, 810, 820, 830, 840]);
    assert.equal(judgeThroughput(b, ref, 0.05).verdict, 'slower');
    assert.equal(judgeThroughput(b, ref, 0.005).verdict, 'noChange');
  });

  test('a single run on either side never gets a verdict, even 50 % apart; the difference is still shown', () => {
    const one = judgeThroughput(entry('b', [500]), entry('a', [1000, 1010, 1020]));
    assert.equal(one.verdict, 'singleRun');
    assert.equal(one.pValue, null);
    assert.ok(Math.abs(one.percent! - -50.5) < 0.1);
    assert.equal(verdictText(one), 'single run: no verdict');
    assert.equal(judgeThroughput(entry('b', [500, 510]), entry('a', [1000])).verdict, 'singleRun');
    const out = renderCompare([entry('a', [1000]), entry('b', [500])]);
    assert.match(out, /b\s+1\s+500\s+500\s+0\.50× \(-50\.0%\)\s+single run: no verdict/);
    assert.doesNotMatch(out.split('\n\n')[0]!, /slower|faster/, 'no verdict in the table');
    assert.match(out, /one run has no run-to-run noise/);
  });

  test('two runs per side can never reach p < 0.05: no verdict however far apart, and the table says why', () => {
    assert.ok(Math.abs(minimumPValue(2, 2) - 1 / 3) < 1e-12);
    assert.ok(Math.abs(minimumPValue(3, 3) - 0.1) < 1e-12);
    assert.ok(minimumPValue(4, 4) < 0.05);
    const j = judgeThroughput(entry('b', [500, 510]), entry('a', [1000, 1010]));
    assert.equal(j.verdict, 'noChange');
    assert.equal(verdictText(j), 'no significant change (p = 0.33)');
    const out = renderCompare([entry('a', [1000, 1010]), entry('b', [500, 510])]);
    assert.match(out, /b: with 2 and 2 runs the smallest possible p is 0\.33, so no difference can reach p < 0\.05/);
  });

  test('equal rates (a rate-limited profile) tie everywhere: no change, p = 1', () => {
    const j = judgeThroughput(entry('b', [1000, 1000, 1000, 1000]), entry('a', [1000, 1000, 1000, 1000]));
    assert.equal(j.verdict, 'noChange');
    assert.equal(j.pValue, 1);
    assert.equal(j.ratio, 1);
  });
});

describe('compare entries', () => {
  test('a run is one sample (its overall consume rate); a repeated result one per measured repetition; a matrix cell one per repetition', () => {
    const run = syntheticRun({ seed: 1 });
    assert.deepEqual(runEntry(run, 'a.json').samples, [run.rates.consumed.overallMsgsPerS]);
    assert.equal(runEntry(run, 'a.json').throughput.stddev, 0);

    const runs = [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 }), syntheticRun({ seed: 3 })];
    const interrupted = { ...syntheticRun({ seed: 4, rate: 100 }), interrupted: true, verdict: { status: 'interrupted' as const, message: 'Ctrl-C' } };
    const [e] = repeatedEntry(repeated('r', [...runs, interrupted]), 'dir/r.json');
    assert.equal(e!.label, 'synthetic (r.json)');
    assert.equal(e!.kind, 'repeated');
    // The interrupted repetition is listed as a problem but is not a sample.
    assert.deepEqual(e!.samples, runs.map((r) => r.rates.consumed.overallMsgsPerS));
    assert.deepEqual(e!.problems, ['interrupted']);
    assert.ok(Math.abs(e!.throughput.stddev - meanStdOf(e!.samples).stddev) < 1e-9);

    const m = matrixFromRuns('m', [
      { id: 'a', label: 'classic', values: { 'queues.type': 'classic' }, runs: [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 })] },
      { id: 'b', label: 'quorum', values: { 'queues.type': 'quorum' }, runs: [syntheticRun({ seed: 3, rate: 600 })] },
    ]);
    assert.deepEqual(
      matrixEntries(m, 'm.json').map((x) => x.samples.length),
      [2, 1],
    );
    // Nothing measured: no entry.
    assert.deepEqual(repeatedEntry(repeated('x', [interrupted]), 'x.json'), []);
  });

  test('run entries carry the account: lost, n/a when incomplete, and a verdict that was not ok', () => {
    assert.deepEqual([runEntry(faultRun(), 'a.json').lost, runEntry(faultRun(), 'a.json').problems], [100, ['lost']]);
    assert.deepEqual([runEntry(faultRun({ incomplete: true }), 'a.json').lost, runEntry(faultRun({ incomplete: true }), 'a.json').problems], [null, ['failed']]);
    // A result written before verdicts existed.
    assert.deepEqual(runEntry({ ...syntheticRun(), verdict: undefined } as unknown as RunResult, 'old.json').problems, []);
  });

  test('loss not computed reads n/a, and verdicts that were not ok are named', () => {
    const out = renderCompare([
      entry('classic', [1000, 990, 1010]),
      { ...entry('quorum', [990, 1000, 980]), lost: null, problems: ['failed'] },
      { ...entry('mirrored', [990, 985, 1000]), lost: 12, problems: ['lost', 'lost'] },
    ]);
    assert.match(out, /quorum .* n\/a \(failed\)$/m);
    assert.match(out, /mirrored .* 12 \(2× lost\)$/m);
    assert.match(out, /lost n\/a: some run's delivery account is incomplete/);
  });

  test('the table names the reference, mean ± stddev across runs, the median, and a verdict per entry', () => {
    const out = renderCompare([entry('classic', [1000, 1010, 1020, 1030, 1040]), entry('quorum', [600, 610, 620, 630, 640]), entry('classic again', [1005, 1015, 1025, 1035, 995])]);
    assert.match(out, /^classic\s+5\s+1020 ± 16\s+1020\s+\(reference\)/m);
    assert.match(out, /^quorum\s+5\s+620 ± 16\s+620\s+0\.61× \(-39\.2%\)\s+slower \(p = 0\.008\)/m);
    assert.match(out, /^classic again\s+5\s+.*no significant change \(p = 0\.\d+\)/m);
    assert.match(out, /two-sided Mann–Whitney U test of the per-run consume rates/);
  });
});

describe('mqbench compare', () => {
  const compare = async (args: string[]): Promise<string> => {
    const run = await runCli(['compare', ...args]);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };

  test('takes repeated results and judges them by their repetitions', { timeout: 30_000 }, async () => {
    const dir = tempDir('compare');
    const fast = join(dir, 'fast.json');
    const slow = join(dir, 'slow.json');
    writeFileSync(fast, JSON.stringify(repeated('fast', [1, 2, 3, 4, 5].map((seed) => syntheticRun({ name: 'fast', seed, rate: 1000 })))));
    writeFileSync(slow, JSON.stringify(repeated('slow', [6, 7, 8, 9, 10].map((seed) => syntheticRun({ name: 'slow', seed, rate: 800 })))));
    const out = await compare([fast, slow]);
    assert.match(out, /^fast \(fast\.json\)\s+5\s+.*\(reference\)/m);
    assert.match(out, /^slow \(slow\.json\)\s+5\s+.*0\.[78]\d× \(-\d\d\.\d%\)\s+slower \(p = 0\.008\)/m);
    // A single run against them: shown, not judged.
    const single = join(dir, 'single.json');
    writeFileSync(single, JSON.stringify(syntheticRun({ name: 'single', rate: 500 })));
    assert.match(await compare([fast, single]), /^single \(single\.json\)\s+1\s+.*single run: no verdict/m);
    // A stricter alpha: the same five against five is no longer significant.
    assert.match(await compare([fast, slow, '--alpha', '0.005']), /^slow \(slow\.json\)\s+5\s+.*no significant change \(p = 0\.008\)/m);
  });

  test('--alpha outside (0, 1) is a one-line error, exit 2', { timeout: 30_000 }, async () => {
    const dir = tempDir('compare-alpha');
    const a = join(dir, 'a.json');
    writeFileSync(a, JSON.stringify(syntheticRun()));
    const run = await runCli(['compare', a, a, '--alpha', '1.5']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^mqbench: --alpha 1\.5: expected a significance level between 0 and 1/);
  });
});
