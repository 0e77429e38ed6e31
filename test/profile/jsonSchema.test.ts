import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { matrixJsonSchema, MATRIX_SCHEMA_ID } from '../../src/matrix/matrixJsonSchema.js';
import { jsonSchemaText } from '../../src/profile/jsonSchema.js';
import { packageRoot } from '../../src/util/packageRoot.js';

/*
 * The published schemas are what editors check profiles with, so they are checked here with a
 * real JSON Schema validator (ajv), independent of zod: every shipped profile must pass the
 * schema its "$schema" names, and typical mistakes must fail it.
 */
const profilesDir = join(packageRoot(), 'profiles');
const readJson = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(profilesDir, file), 'utf8')) as Record<string, unknown>;

async function validators(): Promise<Record<string, (data: unknown) => string[]>> {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const out: Record<string, (data: unknown) => string[]> = {};
  for (const file of ['schema.json', 'matrix-schema.json']) {
    const validate = ajv.compile(await readJson(file));
    out[`./${file}`] = (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
  }
  return out;
}

test('profiles/matrix-schema.json is up to date (regenerate: npm run schema)', async () => {
  assert.equal(await readFile(join(profilesDir, 'matrix-schema.json'), 'utf8'), jsonSchemaText(matrixJsonSchema()));
  assert.equal(matrixJsonSchema()['$id'], MATRIX_SCHEMA_ID);
});

test('every shipped profile passes the JSON Schema its "$schema" names (profiles/ and profiles/faults/)', async () => {
  const check = await validators();
  const inDir = async (dir: string): Promise<string[]> =>
    (await readdir(join(profilesDir, dir))).filter((f) => f.endsWith('.json') && !f.endsWith('schema.json')).map((f) => join(dir, f));
  const files = [...(await inDir('.')), ...(await inDir('faults'))];
  assert.ok(files.length >= 10, files.join(', '));
  for (const file of files) {
    const profile = await readJson(file);
    // "$schema" is relative to the profile's folder: ../schema.json from profiles/faults/ is ./schema.json here.
    const schema = `./${join(dirname(file), String(profile['$schema']))}`;
    const validate = check[schema];
    assert.ok(validate, `${file}: $schema ${String(profile['$schema'])}`);
    assert.deepEqual(validate(profile), [], file);
  }
});

test('the schemas reject typical mistakes, in run profiles and in a matrix base', async () => {
  const check = await validators();
  const run = check['./schema.json']!;
  const matrix = check['./matrix-schema.json']!;
  assert.notDeepEqual(run({ name: 'x', queues: { type: 'fifo' } }), []);
  assert.notDeepEqual(run({ name: 'x', publishers: { rate: 'fast' } }), []);
  assert.notDeepEqual(run({ queues: {} }), [], 'name is required');
  const m = { name: 'm', base: { duration: '2s' }, axes: { 'queues.type': ['classic'] } };
  assert.deepEqual(matrix(m), []);
  assert.notDeepEqual(matrix({ ...m, base: { publishers: { count: -1 } } }), [], 'the base is checked as a run profile');
  assert.notDeepEqual(matrix({ ...m, axes: { 'queues.type': [{ a: 1 }] } }), []);
  assert.notDeepEqual(matrix({ ...m, repeat: 0 }), []);
});

test('profiles/thresholds-schema.json is up to date, accepts the example thresholds file, rejects unknown metrics', async () => {
  const { thresholdsJsonSchema, THRESHOLDS_SCHEMA_ID } = await import('../../src/gate/thresholdsJsonSchema.js');
  assert.equal(await readFile(join(profilesDir, 'thresholds-schema.json'), 'utf8'), jsonSchemaText(thresholdsJsonSchema()));
  assert.equal(thresholdsJsonSchema()['$id'], THRESHOLDS_SCHEMA_ID);
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(await readJson('thresholds-schema.json'));
  const example = JSON.parse(await readFile(join(packageRoot(), 'examples', 'ci', 'thresholds.json'), 'utf8')) as unknown;
  assert.ok(validate(example), JSON.stringify(validate.errors));
  assert.ok(validate({ thresholds: { 'latency.e2e': [{ threshold: 'p(99) < 50ms', abortOnFail: true, delayAbortEval: '10s' }] } }), JSON.stringify(validate.errors));
  assert.equal(validate({ thresholds: { 'rate.consumd': ['mean >= 1'] } }), false);
  assert.equal(validate({ thresholds: { 'rate.consumed': [] } }), false);
});
