/** Worker-thread entry: hosts several publishers and consumers and reports to the coordinator once a second. */
import { parentPort, workerData } from 'node:worker_threads';
import { amqplibClient } from '../amqp/amqplibClient.js';
import type { AmqpConnection, BrokerInfo } from '../amqp/client.js';
import { takeCounters, zeroCounters } from '../metrics/counters.js';
import { createLatencySet, drainEncoded } from '../metrics/latencySet.js';
import { Consumer } from './consumer.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { Publisher } from './publisher.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const counters = zeroCounters();
const latencies = createLatencySet();
const publishers: Publisher[] = [];
const consumers: Consumer[] = [];
let fatalSent = false;

function send(msg: FromWorker): void {
  port!.postMessage(msg);
}

function fatal(err: unknown): void {
  if (fatalSent) return;
  fatalSent = true;
  send({ type: 'fatal', workerIndex: init.workerIndex, message: err instanceof Error ? err.message : String(err) });
}

async function connectAll(): Promise<BrokerInfo[]> {
  const brokers: BrokerInfo[] = [];
  for (const agent of init.agents) {
    const connection: AmqpConnection = await amqplibClient.connect(agent.uri, {
      connectionName: `mqbench-${agent.kind}-${agent.id}`,
      timeoutMs: init.connectTimeoutMs,
    });
    brokers.push(connection.broker);
    // A publisher must also stop waiting for confirms that will never come.
    let onLost: (() => void) | undefined;
    connection.onUnexpectedClose((err) => {
      onLost?.();
      fatal(new Error(`${agent.kind} ${agent.id}: ${err.message}`));
    });
    if (agent.kind === 'publisher') {
      const channel = await connection.openChannel({ confirms: init.publisher.confirms });
      const publisher = new Publisher(agent, init.publisher, channel, connection, counters, latencies, init.recordCorrected);
      onLost = () => publisher.connectionLost();
      publishers.push(publisher);
    } else {
      const channel = await connection.openChannel({ confirms: false });
      const consumer = new Consumer(agent, init.consumer, channel, connection, counters, latencies, init.recordCorrected);
      await consumer.start();
      consumers.push(consumer);
    }
  }
  return brokers;
}

let publishersStopped: Promise<void> | undefined;
function stopPublishers(): Promise<void> {
  publishersStopped ??= Promise.all(publishers.map((p) => p.stop())).then((finals) => {
    send({ type: 'publishersDone', workerIndex: init.workerIndex, publishers: finals });
  });
  return publishersStopped;
}

async function stopAll(): Promise<void> {
  await stopPublishers();
  const finals = await Promise.all(consumers.map((c) => c.stop()));
  send({
    type: 'final',
    workerIndex: init.workerIndex,
    consumers: finals,
    counters: takeCounters(counters),
    latencies: drainEncoded(latencies),
  });
  await Promise.all([...publishers, ...consumers].map((a) => a.connection.close()));
  port!.close();
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'start': {
      let remaining = publishers.length;
      for (const p of publishers) {
        p.start(msg.startAtUs, () => {
          if (--remaining === 0) void stopPublishers().catch(fatal);
        });
      }
      return;
    }
    case 'tick':
      for (const c of consumers) c.flushAcks();
      send({ type: 'tick', workerIndex: init.workerIndex, tick: msg.tick, counters: takeCounters(counters), latencies: drainEncoded(latencies) });
      return;
    case 'stopPublishing':
      void stopPublishers().catch(fatal);
      return;
    case 'stop':
      void stopAll().catch(fatal);
      return;
  }
});

connectAll().then(
  (brokers) => send({ type: 'ready', workerIndex: init.workerIndex, brokers }),
  (err: unknown) => fatal(err),
);
