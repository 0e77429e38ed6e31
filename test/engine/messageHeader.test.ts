import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerField, MESSAGE_HEADER_BYTES, writeHeader } from '../../src/engine/messageHeader.js';

test('the header written by a publisher reads back field by field; padding is untouched', () => {
  const body = Buffer.alloc(100, 0xab);
  writeHeader(body, { publisherId: 7, sequence: 123_456_789, sentAtUs: 9_876_543.25, intendedAtUs: 9_876_000.5 });
  assert.equal(headerField.isMqbench(body), true);
  assert.equal(headerField.publisherId(body), 7);
  assert.equal(headerField.sequence(body), 123_456_789);
  assert.equal(headerField.sentAtUs(body), 9_876_543.25);
  assert.equal(headerField.intendedAtUs(body), 9_876_000.5);
  assert.ok(body.subarray(MESSAGE_HEADER_BYTES).every((b) => b === 0xab));
  assert.equal(headerField.isMqbench(Buffer.alloc(MESSAGE_HEADER_BYTES - 1)), false);
});
