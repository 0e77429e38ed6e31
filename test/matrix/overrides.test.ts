import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { expandMatrix } from '../../src/matrix/expand.js';
import { matrixJsonSchema } from '../../src/matrix/matrixJsonSchema.js';
import { loadMatrixProfile, matrixProfileSchema, type MatrixProfile } from '../../src/matrix/matrixProfile.js';
import { ProfileError } from '../../src/profile/errors.js';
import { tempDir } from '../helpers/cli.js';

const BASE = { cluster: { local: { nodes: 1 } }, duration: '2s' };

const matrix = (overrides: unknown[], axes: Record<string, unknown[]> = { 'queues.type': ['classic', 'quorum'], 'cluster.local.nodes': [3, 5] }, base: Record<string, unknown> = BASE): MatrixProfile =>
  matrixProfileSchema.parse({ name: 'm', base, axes, overrides });

/** The error expandMatrix throws, checked to be a bad-input error (exit 2). */
function profileError(fn: () => unknown): ProfileError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProfileError, String(err));
    assert.equal(err.exitCode, 2);
    return err;
  }
  assert.fail('expected a ProfileError');
}

describe('matrix overrides', () => {
  test('quorum cells on 5 nodes get five replicas; classic cells stay valid and untouched', () => {
    const cells = expandMatrix(matrix([{ when: { 'queue.type': 'quorum', nodes: 5 }, set: { 'queues.initialGroupSize': 5 } }]), 'm.json');
    assert.deepEqual(
      cells.map((c) => [c.label, c.skipped, c.profile?.queues.initialGroupSize, c.overrides]),
      [
        ['classic, 3 nodes', null, undefined, {}],
        ['classic, 5 nodes', null, undefined, {}],
        ['quorum, 3 nodes', null, undefined, {}],
        ['quorum, 5 nodes', null, 5, { 'queues.initialGroupSize': 5 }],
      ],
    );
    // A path that is not an axis does not change the cell's id or label.
    assert.equal(cells[3]!.id, 'queues.type=quorum,cluster.local.nodes=5');
  });

  test('without the override, the same field in the base skips every classic cell', () => {
    const cells = expandMatrix(matrix([], undefined, { ...BASE, queues: { initialGroupSize: 5 } }), 'm.json');
    assert.deepEqual(
      cells.filter((c) => c.skipped).map((c) => c.label),
      ['classic, 3 nodes', 'classic, 5 nodes'],
    );
  });

  test('overrides apply in order after the axis values; later ones win, nested objects are merged', () => {
    const cells = expandMatrix(
      matrix([
        { when: { 'cluster.local.nodes': 5 }, set: { 'publishers.rate': 100, 'publishers.confirms.maxInFlight': 10 } },
        { when: { 'queues.type': 'quorum', 'cluster.local.nodes': 5 }, set: { 'publishers.rate': 50 } },
      ]),
      'm.json',
    );
    const quorum5 = cells.find((c) => c.label === 'quorum, 5 nodes')!;
    assert.equal(quorum5.profile?.publishers.rate, 50);
    assert.equal(quorum5.profile?.publishers.confirms.maxInFlight, 10);
    assert.equal(quorum5.profile?.publishers.confirms.enabled, true, 'defaults beside an overridden field stay');
    assert.deepEqual(quorum5.overrides, { 'publishers.rate': 50, 'publishers.confirms.maxInFlight': 10 });
    assert.equal(cells.find((c) => c.label === 'classic, 5 nodes')!.profile?.publishers.rate, 100);
    assert.equal(cells.find((c) => c.label === 'classic, 3 nodes')!.profile?.publishers.rate, 0);
  });

  test('an override of an axis path shows in the cell\'s values, id and label', () => {
    const cells = expandMatrix(
      matrix([{ when: { 'queues.type': 'quorum' }, set: { 'publishers.messageSize': 4096 } }], { 'queues.type': ['classic', 'quorum'], 'publishers.messageSize': [1000] }, { ...BASE, cluster: { local: { nodes: 3 } } }),
      'm.json',
    );
    assert.deepEqual(cells.map((c) => c.label), ['classic, 1000 B', 'quorum, 4096 B']);
    assert.deepEqual(cells[1]!.values, { 'queues.type': 'quorum', 'publishers.messageSize': 4096 });
    assert.equal(cells[1]!.id, 'queues.type=quorum,publishers.messageSize=4096');
    assert.equal(cells[1]!.profile?.publishers.messageSize, 4096);
  });

  test('an override that makes two cells the same is an error', () => {
    const err = profileError(() =>
      expandMatrix(matrix([{ when: { 'queues.type': 'quorum' }, set: { 'queues.type': 'classic' } }], { 'queues.type': ['classic', 'quorum'] }, { ...BASE, cluster: { local: { nodes: 3 } } }), 'm.json'),
    );
    assert.match(err.message, /overrides: cells "classic, 3 nodes"|overrides: cells "classic" and "classic"/);
  });

  test('a "when" key that is not an axis, or a value no axis has, is an error naming the field', () => {
    let err = profileError(() => expandMatrix(matrix([{ when: { 'queues.typo': 'quorum' }, set: { 'queues.initialGroupSize': 5 } }]), 'm.json'));
    assert.match(err.message, /^m\.json: invalid profile\n {2}overrides\[0\]\.when\["queues\.typo"\]: not an axis of this matrix \(axes: queues\.type, cluster\.local\.nodes\)$/);
    err = profileError(() => expandMatrix(matrix([{ when: { 'queue.type': 'quorom' }, set: { 'queues.initialGroupSize': 5 } }]), 'm.json'));
    assert.match(err.message, /overrides\[0\]\.when\["queue\.type"\]: "quorom" is not a value of that axis \("classic", "quorum"\)/);
    err = profileError(() => expandMatrix(matrix([{ when: { nodes: 7 }, set: { 'queues.initialGroupSize': 5 } }]), 'm.json'));
    assert.match(err.message, /overrides\[0\]\.when\.nodes: 7 is not a value of that axis \(3, 5\)/);
  });

  test('loading a matrix profile reports bad overrides with the file (exit 2), before anything runs', async () => {
    const file = join(tempDir('overrides'), 'matrix.json');
    writeFileSync(file, JSON.stringify({ name: 'm', base: BASE, axes: { 'queues.type': ['classic'] }, overrides: [{ when: { nodes: 3 }, set: { 'queues.count': 2 } }] }));
    await assert.rejects(loadMatrixProfile(file), (err: unknown) => {
      assert.ok(err instanceof ProfileError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /matrix\.json: invalid profile\n {2}overrides\[0\]\.when\.nodes: not an axis of this matrix \(axes: queues\.type\)/);
      return true;
    });
    writeFileSync(file, JSON.stringify({ name: 'm', base: BASE, axes: { 'queues.type': ['classic'] }, overrides: [{ when: {}, set: {} , extra: 1 }] }));
    await assert.rejects(loadMatrixProfile(file), (err: unknown) => {
      assert.match(String(err), /overrides\[0\]\.extra: unknown field/);
      assert.match(String(err), /overrides\[0\]\.set: needs at least one profile path/);
      return true;
    });
  });

  test('a "set" that breaks only some of the cells it applies to skips those cells with the reason', () => {
    const cells = expandMatrix(matrix([{ when: { nodes: 5 }, set: { 'queues.initialGroupSize': 5 } }]), 'm.json');
    assert.deepEqual(
      cells.map((c) => [c.label, c.skipped]),
      [
        ['classic, 3 nodes', null],
        ['classic, 5 nodes', 'queues.initialGroupSize: only applies to quorum and stream queues, got 5'],
        ['quorum, 3 nodes', null],
        ['quorum, 5 nodes', null],
      ],
    );
  });

  test('a "set" that breaks every cell it applies to is the override\'s error, named by its field', () => {
    let err = profileError(() => expandMatrix(matrix([{ when: { 'queues.type': 'classic' }, set: { 'queues.initialGroupSize': 5 } }]), 'm.json'));
    assert.match(err.message, /^m\.json: invalid profile\n {2}overrides\[0\]\.set\["queues\.initialGroupSize"\]: only applies to quorum and stream queues, got 5 \(in every cell it applies to\)$/);
    err = profileError(() => expandMatrix(matrix([{ when: { nodes: 5 }, set: { 'queues.initialGroupSiz': 5 } }]), 'm.json'));
    assert.match(err.message, /overrides\[0\]\.set\["queues\.initialGroupSiz"\]: unknown field/);
  });

  test('excluded cells are not checked, and an override matching only them is no error', () => {
    const m = matrixProfileSchema.parse({
      name: 'm',
      base: BASE,
      axes: { 'queues.type': ['classic', 'quorum'], 'cluster.local.nodes': [3, 5] },
      exclude: [{ 'queues.type': 'classic', 'cluster.local.nodes': 5 }],
      overrides: [{ when: { 'queues.type': 'classic', 'cluster.local.nodes': 5 }, set: { 'queues.initialGroupSize': 5 } }],
    });
    const cells = expandMatrix(m, 'm.json');
    assert.deepEqual(cells.filter((c) => c.skipped).map((c) => [c.label, c.skipped]), [['classic, 5 nodes', 'excluded by the matrix profile']]);
  });

  test('passwords set by an override are masked in what the cell records', () => {
    const cells = expandMatrix(
      matrix([{ when: { 'queues.type': 'classic' }, set: { 'broker.uris': ['amqp://u:s3cret@127.0.0.1:5672/'] } }], { 'queues.type': ['classic'] }, { duration: '2s' }),
      'm.json',
    );
    assert.equal(cells[0]!.skipped, null);
    assert.equal(cells[0]!.profile?.broker?.uris[0], 'amqp://u:s3cret@127.0.0.1:5672/', 'the run itself uses the password');
    assert.ok(!JSON.stringify(cells[0]!.overrides).includes('s3cret'), JSON.stringify(cells[0]!.overrides));
  });

  test('the JSON schema describes overrides', () => {
    const schema = matrixJsonSchema() as { properties: Record<string, { type?: string; items?: { required?: string[] } }> };
    assert.equal(schema.properties['overrides']?.type, 'array');
    assert.deepEqual(schema.properties['overrides']?.items?.required, ['when', 'set']);
  });
});
