import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disconnectedAtEnd } from '../../src/results/verdict.js';

test('agents left without a connection are listed publishers first, by id, whatever order their events came in', () => {
  const ev = (agent: 'publisher' | 'consumer', agentId: number, type: 'connectionLost' | 'recovered', node = 'n1') => ({ agent, agentId, type, node });
  const events = [ev('consumer', 1, 'connectionLost'), ev('publisher', 2, 'connectionLost'), ev('consumer', 0, 'connectionLost'), ev('publisher', 0, 'connectionLost'), ev('publisher', 2, 'recovered')];
  assert.deepEqual(disconnectedAtEnd(events), ['publisher 0 (n1)', 'consumer 0 (n1)', 'consumer 1 (n1)']);
});

test('loss that expiry may explain says so in the verdict, allowed or not', async () => {
  const { runVerdict } = await import('../../src/results/verdict.js');
  const { deliveryAccount } = await import('../../src/metrics/accounting.js');
  const delivery = deliveryAccount({
    publishers: [{ publisherId: 0, published: 10, republished: 0, confirmed: [[0, 10]], nacked: [], returned: [], inFlightAtLoss: [], unconfirmedAtEnd: 0 }],
    consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 6]] }] }],
    confirms: true,
    publisherCount: 1,
    consumerCount: 1,
    counts: { duplicates: 0, redelivered: 0, outOfOrder: 0, foreign: 0 },
    issues: [],
    queueDepthAtEnd: 0,
  });
  const note = 'messages may have expired (publishers.expiration 100ms): lost includes expired';
  const base = { interrupted: false, error: null, delivery, disconnectedAtEnd: [] };
  assert.deepEqual(runVerdict({ ...base, allowLoss: false, expiryNote: note }), { status: 'lost', message: `4 confirmed messages of 10 lost (${note})` });
  assert.deepEqual(runVerdict({ ...base, allowLoss: true, expiryNote: note }), { status: 'ok', message: `4 confirmed messages lost, as the profile allows (allowLoss) (${note})` });
  assert.equal(runVerdict({ ...base, allowLoss: false }).message, '4 confirmed messages of 10 lost');
});
