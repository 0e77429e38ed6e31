import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disconnectedAtEnd } from '../../src/results/verdict.js';

test('agents left without a connection are listed publishers first, by id, whatever order their events came in', () => {
  const ev = (agent: 'publisher' | 'consumer', agentId: number, type: 'connectionLost' | 'recovered', node = 'n1') => ({ agent, agentId, type, node });
  const events = [ev('consumer', 1, 'connectionLost'), ev('publisher', 2, 'connectionLost'), ev('consumer', 0, 'connectionLost'), ev('publisher', 0, 'connectionLost'), ev('publisher', 2, 'recovered')];
  assert.deepEqual(disconnectedAtEnd(events), ['publisher 0 (n1)', 'consumer 0 (n1)', 'consumer 1 (n1)']);
});
