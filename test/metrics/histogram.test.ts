import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, decodeHistogram, encodeHistogram, HIGHEST_TRACKABLE_US, recordUs, summarize } from '../../src/metrics/histogram.js';
import { addEncoded, createLatencySet, drainEncoded, recordLatency } from '../../src/metrics/latencySet.js';

test('merging encoded per-worker histograms equals recording everything in one', () => {
  const all = createHistogram();
  const parts = [createHistogram(), createHistogram(), createHistogram()];
  let seed = 1;
  for (let i = 0; i < 30_000; i++) {
    seed = (seed * 48271) % 2147483647;
    const us = 50 + (seed % 200_000);
    recordUs(all, us);
    recordUs(parts[i % 3]!, us);
  }
  const merged = createHistogram();
  for (const p of parts) merged.add(decodeHistogram(encodeHistogram(p)));
  assert.equal(merged.totalCount, all.totalCount);
  for (const pct of [50, 90, 99, 99.9, 99.99, 100]) {
    assert.equal(merged.getValueAtPercentile(pct), all.getValueAtPercentile(pct), `p${pct}`);
  }
  // The exact max is not part of the encoding; it survives to 3 significant digits.
  assert.ok(Math.abs(merged.maxValue - all.maxValue) / all.maxValue < 0.001, `max ${merged.maxValue} vs ${all.maxValue}`);
});

test('values keep 3 significant digits up to one hour; larger ones are clamped, not lost', () => {
  const h = createHistogram();
  recordUs(h, 123_456);
  recordUs(h, 7_200_000_000);
  recordUs(h, -5);
  assert.equal(h.totalCount, 3);
  const p50 = h.getValueAtPercentile(50);
  assert.ok(Math.abs(p50 - 123_456) / 123_456 < 0.001, `p50 ${p50}`);
  assert.ok(h.maxValue >= HIGHEST_TRACKABLE_US * 0.999);
});

test('a large decoded histogram can absorb more values without overflow', () => {
  const small = createHistogram();
  recordUs(small, 10);
  const decoded = decodeHistogram(encodeHistogram(small));
  const big = createHistogram();
  recordUs(big, 3_000_000_000);
  decoded.add(big);
  assert.equal(decoded.totalCount, 2);
});

test('summaries are in milliseconds', () => {
  const h = createHistogram();
  for (let i = 1; i <= 100; i++) recordUs(h, i * 1000);
  const s = summarize(h);
  assert.equal(s.count, 100);
  const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) / expected < 0.001, `${actual} vs ${expected}`);
  close(s.p50Ms, 50);
  close(s.p99Ms, 99);
  close(s.maxMs, 100);
  assert.equal(summarize(createHistogram()).count, 0);
});

test('drainEncoded resets the interval and addEncoded merges all four kinds', () => {
  const worker = createLatencySet();
  recordLatency(worker, 'e2eRaw', 1000);
  recordLatency(worker, 'confirmCorrected', 2000);
  const first = drainEncoded(worker);
  assert.equal(worker.e2eRaw.totalCount, 0);
  const total = createLatencySet();
  addEncoded(total, first);
  addEncoded(total, first);
  assert.equal(total.e2eRaw.totalCount, 2);
  assert.equal(total.confirmCorrected.totalCount, 2);
  assert.equal(total.e2eCorrected.totalCount, 0);
});
