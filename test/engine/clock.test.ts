import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { nowUs } from '../../src/engine/clock.js';

// A worker reads the clock between two reads on the main thread: if both threads read one clock,
// the worker's value lies between them. Different clocks (e.g. per-thread performance.now()) fail this.
test('send timestamps are comparable across worker threads of one process', async () => {
  const clockUrl = new URL('../../src/engine/clock.js', import.meta.url).href;
  const code = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(clockUrl)}).then(({ nowUs }) => {
      parentPort.on('message', () => parentPort.postMessage(nowUs()));
      parentPort.postMessage('ready');
    });`;
  const worker = new Worker(code, { eval: true });
  const messages: unknown[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m: unknown) => {
    messages.push(m);
    wake?.();
  });
  const next = async (): Promise<unknown> => {
    while (messages.length === 0) await new Promise<void>((r) => (wake = r));
    return messages.shift();
  };
  assert.equal(await next(), 'ready');
  for (let i = 0; i < 20; i++) {
    const before = nowUs();
    worker.postMessage('now?');
    const inWorker = (await next()) as number;
    const after = nowUs();
    assert.ok(inWorker >= before, `worker clock ${inWorker} is before the main thread's ${before}`);
    assert.ok(inWorker <= after, `worker clock ${inWorker} is after the main thread's ${after}`);
  }
  await worker.terminate();
});
