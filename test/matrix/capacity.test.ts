/**
 * Capacity mode of a matrix, on a model of the broker (the real thing: test/integration/capacityMatrix):
 * the profile rules, the interleaved searches, the curve and common-rate steps, the relative figures
 * and what the table and CSV say.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StepMeasurement } from '../../src/capacity/model.js';
import { capacitySettings } from '../../src/capacity/settings.js';
import { addCapacityRelative, CapacityMatrixRunner, capacityFailures } from '../../src/matrix/capacityRunner.js';
import { baselineCell, expandMatrix, type PlannedCell } from '../../src/matrix/expand.js';
import { matrixCapacitySchema, matrixProfileSchema } from '../../src/matrix/matrixProfile.js';
import type { MatrixResult } from '../../src/matrix/model.js';
import { capacityMatrixStepRows, capacityMatrixSummaryRows } from '../../src/results/capacityMatrixCsv.js';
import { renderCapacityMatrix } from '../../src/report/capacityMatrixTable.js';

const BASE = { cluster: { local: { nodes: 1 } }, publishers: { count: 1 }, consumers: { count: 1 } };

function planned(): PlannedCell[] {
  const m = matrixProfileSchema.parse({
    name: 'cap',
    mode: 'capacity',
    base: BASE,
    axes: { 'queues.type': ['classic', 'quorum'], 'cluster.local.nodes': [1, 3] },
  });
  return expandMatrix(m, 'cap.json');
}

/** A broker model: each cell carries at most its capacity; above it the queue grows. */
function model(capacities: Record<string, number>, opts: { failIn?: string } = {}) {
  const asked: Array<{ cell: string; rate: number }> = [];
  const measurer = (cell: PlannedCell) => ({
    abort: () => undefined,
    measure: async (rate: number): Promise<StepMeasurement> => {
      asked.push({ cell: cell.label, rate });
      if (cell.label === opts.failIn) throw new Error('agents did not connect');
      const capacity = capacities[cell.label]!;
      const offered = rate === 0 ? capacity * 1.2 : rate;
      const consumed = Math.min(offered, capacity);
      return {
        targetMsgsPerS: rate,
        publishedMsgsPerS: offered,
        consumedMsgsPerS: consumed,
        backlogGrowthMsgsPerS: offered - consumed,
        backlogGrowing: offered - consumed > 10,
        nacked: 0,
        e2eP50Ms: 1 + offered / capacity,
        e2eP99Ms: 5 * (1 + offered / capacity),
        confirmP50Ms: 1,
        confirmP99Ms: 2,
        sloMs: [],
        runVerdict: 'ok',
      };
    },
  });
  return { asked, measurer };
}

const settings = capacitySettings(matrixCapacitySchema.parse({ fractions: [50, 100] }));

function result(cells: MatrixResult['cells'], commonRate: number | null, baselineId: string | null): MatrixResult {
  return {
    formatVersion: 1,
    kind: 'matrix',
    mode: 'capacity',
    capacity: { settings, tableFraction: 0.5, commonRateMsgsPerS: commonRate },
    name: 'cap',
    profileSource: 'cap.json',
    matrix: {},
    environment: {} as MatrixResult['environment'],
    startedAt: '',
    endedAt: '',
    interrupted: false,
    error: null,
    repeat: 2,
    baselineCellId: baselineId,
    cells,
  };
}

describe('capacity matrix', () => {
  test('the profile: capacity options only in capacity mode, the table fraction among the curve fractions, at least 3s steps', () => {
    const base = { name: 'm', base: BASE, axes: { 'queues.type': ['classic'] } };
    assert.equal(matrixProfileSchema.parse(base).mode, 'throughput');
    const issues = (x: unknown): string[] => {
      const r = matrixProfileSchema.safeParse(x);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    assert.deepEqual(issues({ ...base, capacity: {} }), ['capacity: only with "mode": "capacity"']);
    assert.match(issues({ ...base, mode: 'capacity', capacity: { fractions: [25, 75] } }).join(), /capacity\.tableFraction: 50 is not one of fractions \(25, 75\)/);
    assert.match(issues({ ...base, mode: 'capacity', capacity: { step: '2s' } }).join(), /capacity\.step: expected at least 3s/);
    assert.match(issues({ ...base, mode: 'capacity', capacity: { slo: ['p99<5'] } }).join(), /capacity\.slo\.0: .*expected e\.g\. e2e\.p99<50ms/);
    const ok = matrixProfileSchema.parse({ ...base, mode: 'capacity', capacity: { precision: 10, curve: false } });
    assert.deepEqual(capacitySettings(ok.capacity!).fractions, [], 'no curve: no fractions');
  });

  test('searches interleave across cells, later searches start from the rate found, then the curve and a common rate in every cell', async () => {
    const cells = planned();
    assert.deepEqual(
      cells.map((c) => [c.label, c.skipped !== null]),
      [
        ['classic, 1 node', false],
        ['classic, 3 nodes', false],
        ['quorum, 1 node', true],
        ['quorum, 3 nodes', false],
      ],
    );
    const m = model({ 'classic, 1 node': 8000, 'classic, 3 nodes': 5000, 'quorum, 3 nodes': 2000 });
    const runner = new CapacityMatrixRunner(cells, 2, 'cap.json', settings, { measurer: m.measurer });
    const order: string[] = [];
    runner.on('progress', (p) => order.push(`${p.cell.label}:${p.what}`));
    const out = await runner.run();
    assert.deepEqual(order, [
      'classic, 1 node:1',
      'classic, 3 nodes:1',
      'quorum, 3 nodes:1',
      'classic, 1 node:2',
      'classic, 3 nodes:2',
      'quorum, 3 nodes:2',
      'classic, 1 node:curve',
      'classic, 3 nodes:curve',
      'quorum, 3 nodes:curve',
      'classic, 1 node:common',
      'classic, 3 nodes:common',
      'quorum, 3 nodes:common',
    ]);
    const quorum = out.cells[3]!.capacity!;
    assert.equal(quorum.searches.length, 2);
    assert.equal(quorum.searches[0]!.steps[0]!.phase, 'probe', 'the first search probes at full speed');
    const firstFound = quorum.searches[0]!.sustainableMsgsPerS!;
    assert.ok(firstFound <= 2000 && firstFound >= 1900, String(firstFound));
    assert.equal(quorum.searches[1]!.steps[0]!.targetMsgsPerS, firstFound, 'the second search starts where the first ended');
    assert.equal(quorum.sustainable!.n, 2);
    assert.deepEqual(
      quorum.curve.map((s) => s.targetMsgsPerS),
      [0.5, 1].map((f) => Math.round(quorum.sustainable!.mean * f)),
    );
    assert.ok(quorum.curve.every((s) => s.phase === 'curve' && s.sustainable === true));
    assert.equal(out.commonRateMsgsPerS, Math.round(quorum.sustainable!.mean / 2), 'common rate: half the lowest capacity');
    for (const i of [0, 1, 3]) assert.equal(out.cells[i]!.capacity!.common!.targetMsgsPerS, out.commonRateMsgsPerS);
    assert.equal(out.cells[2]!.capacity, null, 'a skipped cell measures nothing');

    const baseline = baselineCell(cells, undefined)!;
    addCapacityRelative(out.cells, baseline.id);
    const rel = quorum.relative!;
    assert.ok(Math.abs(rel.mean - quorum.sustainable!.mean / out.cells[0]!.capacity!.sustainable!.mean) < 1e-9);
    assert.deepEqual(capacityFailures(out.cells), []);

    const r = result(out.cells, out.commonRateMsgsPerS, baseline.id);
    const table = renderCapacityMatrix(r);
    assert.match(table, /classic, 1 node +2\/2 +\d,\d{3} ± \d+ +baseline/);
    assert.match(table, new RegExp(`quorum, 3 nodes +2/2 +[\\d,]+ ± \\d+ +${rel.mean.toFixed(2)} ± ${rel.stddev.toFixed(2)}`));
    assert.match(table, /quorum, 1 node +– +skipped: quorum on 1 node has no replicas/);
    const rows = capacityMatrixSummaryRows(r);
    assert.equal(rows[3]!['sustainable_msgs_per_s_mean'], Math.round(quorum.sustainable!.mean));
    assert.equal(rows[3]!['at_fraction_target_msgs_per_s'], quorum.curve[0]!.targetMsgsPerS);
    assert.equal(rows[3]!['common_target_msgs_per_s'], out.commonRateMsgsPerS);
    assert.equal(rows[0]!['relative_capacity'], 1);
    const steps = capacityMatrixStepRows(r);
    const quorumSteps = quorum.searches[0]!.steps.length + quorum.searches[1]!.steps.length + quorum.curve.length + 1;
    assert.equal(steps.filter((s) => s['cell'] === out.cells[3]!.id).length, quorumSteps, 'every step of the cell is a row');
  });

  test('a cell whose steps fail is reported and the other cells still run', async () => {
    const m = model({ 'classic, 1 node': 8000, 'classic, 3 nodes': 5000, 'quorum, 3 nodes': 2000 }, { failIn: 'classic, 3 nodes' });
    const runner = new CapacityMatrixRunner(planned(), 1, 'cap.json', settings, { measurer: m.measurer });
    const out = await runner.run();
    assert.equal(out.cells[1]!.capacity!.sustainable, null);
    assert.equal(out.cells[1]!.capacity!.searches[0]!.error, 'agents did not connect');
    assert.ok(out.cells[3]!.capacity!.sustainable!.mean > 1900);
    const failures = capacityFailures(out.cells);
    assert.ok(failures.includes('classic, 3 nodes, search 1: agents did not connect'), failures.join('\n'));
    assert.ok(failures.some((f) => f.startsWith('classic, 3 nodes, common rate: agents did not connect')), failures.join('\n'));
    assert.match(renderCapacityMatrix(result(out.cells, out.commonRateMsgsPerS, out.cells[0]!.id)), /classic, 3 nodes +0\/1 +none: agents did not connect/);
  });

  test('an abort stops the matrix after the current step', async () => {
    const m = model({ 'classic, 1 node': 8000, 'classic, 3 nodes': 5000, 'quorum, 3 nodes': 2000 });
    const runner = new CapacityMatrixRunner(planned(), 2, 'cap.json', settings, { measurer: m.measurer });
    runner.on('step', () => runner.abort('interrupted (Ctrl-C)'));
    const out = await runner.run();
    assert.equal(m.asked.length, 1);
    assert.equal(runner.aborted, 'interrupted (Ctrl-C)');
    assert.equal(out.cells[0]!.capacity!.searches.length, 1);
    assert.equal(out.cells[0]!.capacity!.searches[0]!.error, 'interrupted: interrupted (Ctrl-C)');
    assert.equal(out.cells[0]!.capacity!.sustainable, null, 'a search cut short does not count');
  });
});
