import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonSchemaText, PROFILE_SCHEMA_ID, profileJsonSchema } from '../../src/profile/jsonSchema.js';
import { loadProfile, resolveRunLength } from '../../src/profile/load.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { rateCurveOf } from '../../src/engine/rateCurve.js';

const profilesDir = join(packageRoot(), 'profiles');

/** Run profiles; matrix profiles (*matrix*.json) are checked in test/matrix/shipped.test.ts. */
async function shippedProfiles(): Promise<string[]> {
  return (await readdir(profilesDir)).filter((f) => f.endsWith('.json') && !f.endsWith('schema.json') && !f.includes('matrix')).sort();
}

test('profiles/schema.json is up to date (regenerate: npm run schema)', async () => {
  const onDisk = await readFile(join(profilesDir, 'schema.json'), 'utf8');
  assert.deepEqual(JSON.parse(onDisk), profileJsonSchema());
  assert.equal(onDisk, jsonSchemaText(profileJsonSchema()));
});

test('the JSON Schema describes profiles as written', () => {
  const schema = profileJsonSchema();
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema['$id'], PROFILE_SCHEMA_ID);
  assert.deepEqual(schema['required'], ['name']); // io: 'input' — defaulted fields optional
  assert.equal(schema['additionalProperties'], false);
  const properties = schema['properties'] as Record<string, Record<string, unknown>>;
  assert.equal(typeof properties['duration']?.['pattern'], 'string');
});

test('the expected profiles are shipped', async () => {
  assert.deepEqual(await shippedProfiles(), ['classic-1node.json', 'quorum-3node-steps.json', 'quorum-3node.json', 'scale-1000.json', 'smoke.json', 'topic-routing.json']);
});

test('every shipped profile validates, points at ./schema.json and is named after its file', async () => {
  for (const file of await shippedProfiles()) {
    const profile = await loadProfile(join(profilesDir, file), {});
    assert.equal(profile.$schema, './schema.json', file);
    assert.equal(`${profile.name}.json`, file);
    assert.ok(profile.description.length > 0, file);
  }
});

test('shipped profiles have the intended shape', async () => {
  const smoke = await loadProfile(join(profilesDir, 'smoke.json'), {});
  assert.deepEqual(smoke.cluster, { local: { nodes: 1, layout: 'all-disk', basePort: 5710, partitionHandling: 'ignore', netTicktime: 10, stateDir: '.mqbench/cluster-1node' } });
  assert.equal(smoke.publishers.rate, 500);
  assert.deepEqual(resolveRunLength(smoke), { kind: 'duration', durationMs: 3000 });
  assert.deepEqual([smoke.warmup, smoke.drainTimeout], ['1s', '10s']);

  const scale = await loadProfile(join(profilesDir, 'scale-1000.json'), {});
  assert.deepEqual([scale.publishers.count, scale.consumers.count, scale.queues.count, scale.publishers.rate], [1000, 1000, 1000, 5]);
  assert.equal(scale.cluster && 'local' in scale.cluster ? scale.cluster.local.nodes : 0, 1);

  const classic = await loadProfile(join(profilesDir, 'classic-1node.json'), {});
  assert.equal(classic.queues.type, 'classic');
  assert.equal(classic.queues.durable, true);
  assert.equal(classic.publishers.rate, 0);

  const quorum = await loadProfile(join(profilesDir, 'quorum-3node.json'), {});
  assert.equal(quorum.queues.type, 'quorum');
  assert.deepEqual(quorum.cluster, { local: { nodes: 3, layout: 'all-disk', basePort: 5700, partitionHandling: 'ignore', netTicktime: 10, stateDir: '.mqbench/cluster' } });
  assert.deepEqual([quorum.publishers.count, quorum.consumers.count], [2, 2]);
  // The quick start measures latency at a sustainable rate (about half the capacity measured here), not a backlog.
  assert.equal(quorum.publishers.rate, 1000);
  for (const port of ['5700', '5701', '5702', '15700', '15701', '15702', '25700', '25701', '25702']) assert.ok(quorum.description.includes(port), port);

  // The stepped profile runs on the same cluster; its four 15 s steps fill warm-up + duration exactly.
  const steps = await loadProfile(join(profilesDir, 'quorum-3node-steps.json'), {});
  assert.deepEqual(steps.cluster, quorum.cluster);
  assert.deepEqual(rateCurveOf(steps.publishers.rate)?.pieces.map((p) => [p.fromMsgsPerS, p.durationS]), [[250, 15], [500, 15], [1000, 15], [1500, 15]]);
  assert.deepEqual([steps.warmup, steps.duration], ['5s', '55s']);
});
