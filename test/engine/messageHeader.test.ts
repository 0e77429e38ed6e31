import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLAG_REPUBLISHED, headerField, MESSAGE_HEADER_BYTES, newRunId, writeHeader } from '../../src/engine/messageHeader.js';

test('the header written by a publisher reads back field by field; padding is untouched', () => {
  const body = Buffer.alloc(100, 0xab);
  writeHeader(body, { runId: 0xdeadbeef, publisherId: 7, flags: FLAG_REPUBLISHED, sequence: 123_456_789, sentAtUs: 9_876_543.25, intendedAtUs: 9_876_000.5 });
  assert.equal(headerField.isOurs(body, 0xdeadbeef), true);
  assert.equal(headerField.isOurs(body, 0xdeadbeee), false, 'another run');
  assert.equal(headerField.publisherId(body), 7);
  assert.equal(headerField.flags(body), FLAG_REPUBLISHED);
  assert.equal(headerField.sequence(body), 123_456_789);
  assert.equal(headerField.sentAtUs(body), 9_876_543.25);
  assert.equal(headerField.intendedAtUs(body), 9_876_000.5);
  assert.ok(body.subarray(MESSAGE_HEADER_BYTES).every((b) => b === 0xab));
  assert.equal(headerField.isOurs(Buffer.alloc(MESSAGE_HEADER_BYTES - 1), 0), false);
});

test('a body of the right size from another producer is not taken for ours', () => {
  const stranger = Buffer.alloc(MESSAGE_HEADER_BYTES, 0);
  assert.equal(headerField.isOurs(stranger, 0), false, 'no magic');
  const ids = new Set(Array.from({ length: 1000 }, newRunId));
  assert.ok(ids.size > 990 && !ids.has(0));
});
