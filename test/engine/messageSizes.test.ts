import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageSizes, maxMessageBytes, meanMessageBytes, messageSizeLabel, messageSizeSpec, type MessageSizeSpec } from '../../src/engine/messageSizes.js';

const draws = (spec: MessageSizeSpec, seed: number, n: number): number[] => {
  const sizes = new MessageSizes(spec, seed);
  return Array.from({ length: n }, () => sizes.next());
};

test('uniform sizes stay within [min, max], reach both ends and average the middle', () => {
  const spec = messageSizeSpec({ min: 100, max: 5000 });
  const all = draws(spec, 42, 100_000);
  assert.equal(Math.min(...all), 100);
  assert.equal(Math.max(...all), 5000);
  assert.ok(all.every((s) => Number.isInteger(s)));
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  assert.ok(Math.abs(mean - meanMessageBytes(spec)) < 30, `mean ${mean}`);
  assert.equal(maxMessageBytes(spec), 5000);
});

test('weighted sizes come out in proportion to their weights', () => {
  const spec = messageSizeSpec({ weighted: [{ size: 200, weight: 6 }, { size: 1000, weight: 3 }, { size: 50_000, weight: 1 }] });
  const all = draws(spec, 7, 100_000);
  const share = (size: number): number => all.filter((s) => s === size).length / all.length;
  assert.ok(Math.abs(share(200) - 0.6) < 0.01, `200: ${share(200)}`);
  assert.ok(Math.abs(share(1000) - 0.3) < 0.01, `1000: ${share(1000)}`);
  assert.ok(Math.abs(share(50_000) - 0.1) < 0.01, `50000: ${share(50_000)}`);
  assert.equal(share(200) + share(1000) + share(50_000), 1);
  assert.equal(maxMessageBytes(spec), 50_000);
  assert.equal(meanMessageBytes(spec), 0.6 * 200 + 0.3 * 1000 + 0.1 * 50_000);
});

test('the same seed gives the same sizes; another seed others', () => {
  const spec = messageSizeSpec({ min: 40, max: 100_000 });
  assert.deepEqual(draws(spec, 123, 50), draws(spec, 123, 50));
  assert.notDeepEqual(draws(spec, 123, 50), draws(spec, 124, 50));
});

test('fixed sizes, labels and which specs need no drawing', () => {
  assert.deepEqual(draws(messageSizeSpec(1000), 1, 3), [1000, 1000, 1000]);
  assert.equal(messageSizeLabel(1000), '1000');
  assert.equal(messageSizeLabel({ min: 100, max: 5000 }), '100-5000');
  assert.equal(messageSizeLabel({ weighted: [{ size: 200, weight: 9 }, { size: 50_000, weight: 1 }] }), '200x9/50000x1');
  assert.equal(MessageSizes.isFixed(messageSizeSpec(1000)), true);
  assert.equal(MessageSizes.isFixed(messageSizeSpec({ min: 500, max: 500 })), true);
  assert.equal(MessageSizes.isFixed(messageSizeSpec({ min: 500, max: 501 })), false);
});
