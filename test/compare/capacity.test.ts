/**
 * mqbench compare with capacity results: sustainable rates side by side (judged like runs when
 * both sides have several searches, else no verdict), latency at the curve fractions all of them
 * measured, and a one-line refusal to mix capacity results with run results. No broker.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { capacityEntry, capacityMatrixEntries, commonFractions, curveStepAt } from '../../src/compare/capacityEntries.js';
import type { MatrixResult } from '../../src/matrix/model.js';
import { meanStd } from '../../src/metrics/meanStd.js';
import { renderCapacityCompare } from '../../src/report/capacityCompareTable.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { capacityMatrix, capacityWith, referenceCapacity } from '../report/capacityFixtures.js';
import { syntheticRun } from '../report/fixtures.js';

/** The fixture matrix with every cell searched 4 times at the given rates. */
function matrixWithSearches(rates: Record<string, number[]>): MatrixResult {
  const m = capacityMatrix();
  for (const c of m.cells) {
    const cap = c.capacity;
    const found = rates[c.label];
    if (!cap || !found) continue;
    cap.searches = found.map((rate, i) => ({ ...cap.searches[0]!, repetition: i + 1, sustainableMsgsPerS: rate }));
    cap.sustainable = meanStd(found);
  }
  return m;
}

describe('capacity entries', () => {
  test('a capacity result is one search: its rate the only sample, its bracket top and curve kept', () => {
    const e = capacityEntry(referenceCapacity(), 'results/q.json');
    assert.equal(e.label, 'quorum-3node (q.json)');
    assert.deepEqual(e.samples, [4246]);
    assert.equal(e.notSustainable, 4379);
    assert.deepEqual(e.curve.map((s) => s.fraction), [0.1, 0.25, 0.5, 0.75, 0.9, 1]);
    assert.deepEqual(capacityEntry(capacityWith(null), 'n.json').samples, []);
    assert.deepEqual(capacityEntry(capacityWith(null, { interrupted: true, error: 'SIGINT' }), 'n.json').problems, ['interrupted']);
  });

  test('a capacity matrix: one entry per cell with a capacity section, a sample per search that found a rate', () => {
    const entries = capacityMatrixEntries(capacityMatrix(), 'm.json');
    assert.deepEqual(entries.map((e) => [e.label, e.samples, e.searches]), [
      ['classic, 1 node (m.json)', [7000, 7400], 2],
      ['quorum, 3 nodes (m.json)', [2800, 3000], 2],
    ]);
  });

  test('latency is set side by side only at the fractions every curve has', () => {
    const a = capacityEntry(referenceCapacity(), 'a.json');
    const cells = capacityMatrixEntries(capacityMatrix(), 'm.json');
    assert.deepEqual(commonFractions([a, ...cells]), [0.1, 0.5, 1]);
    assert.equal(curveStepAt(a, 0.5)!.e2eP99Ms, 62.751);
    assert.deepEqual(commonFractions([a, { ...a, curve: [] }]), []);
  });
});

describe('the capacity compare table', () => {
  test('four searches a side, all lower: "lower" with the exact p; the ratio of medians', () => {
    const m = matrixWithSearches({ 'classic, 1 node': [7000, 7100, 7200, 7300], 'quorum, 3 nodes': [2800, 2850, 2900, 2950] });
    const out = renderCapacityCompare(capacityMatrixEntries(m, 'm.json'));
    const quorum = out.split('\n').find((l) => l.startsWith('quorum, 3 nodes'))!;
    // 4 vs 4, perfectly separated: p = 2 / C(8, 4) = 0.029; medians 2875 / 7150.
    assert.match(quorum, /2875 ± 65 +2875 +0\.40× \(-59\.8%\) +lower \(p = 0\.03\)/);
  });

  test('a single search: the difference without a verdict, and the latency table at common fractions', () => {
    const out = renderCapacityCompare([capacityEntry(capacityWith(4246), 'a.json'), capacityEntry(capacityWith(3800), 'b.json')]);
    assert.match(out, /quorum-3node \(b\.json\) +1 +3800 +3800 +0\.89× \(-10\.5%\) +single search: no verdict +3952/);
    assert.match(out, /e2e p50 \/ p99 ms at consumed msgs\/s +10 % +25 % +50 % +75 % +90 % +100 %/);
    assert.match(out, /quorum-3node \(a\.json\) +3\.73 \/ 14\.5 at 425 +9\.94 \/ 34\.3 at 1062/);
    assert.match(out, /single search: one search has no run-to-run noise/);
  });

  test('a search that found no rate gets no ratio and no verdict', () => {
    const out = renderCapacityCompare([capacityEntry(capacityWith(4246), 'a.json'), capacityEntry(capacityWith(null), 'b.json')]);
    assert.match(out, /quorum-3node \(b\.json\) +0 of 1 found one +none found +– +– +no verdict: a side found no sustainable rate +–/);
  });
});

describe('mqbench compare with capacity results', () => {
  const dir = tempDir('compare-capacity');
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  test('two capacity results and a capacity matrix: one table, exit 0', async () => {
    const r = await runCli(['compare', file('a.json', capacityWith(4246)), file('b.json', capacityWith(3800)), file('m.json', capacityMatrix())]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sustainable msgs\/s/);
    assert.match(r.stdout, /quorum, 3 nodes \(m\.json\) +2 +2900 ± 141/);
  });

  test('a capacity result with a run result: one line saying why not (exit 2); a single capacity result: too few', async () => {
    const mixed = await runCli(['compare', file('c.json', capacityWith(4246)), file('run.json', syntheticRun())]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /^mqbench: cannot compare a capacity result \(.*c\.json\) with run results \(.*run\.json\): compare capacity results and capacity matrices with each other/);
    assert.equal(mixed.stderr.trim().split('\n').length, 1);
    assert.equal(mixed.stdout, '');
    const one = await runCli(['compare', file('d.json', capacityWith(4246))]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /compare needs at least two capacity results or capacity matrix cells/);
  });
});
