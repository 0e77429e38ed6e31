/** Worker-thread entry: hosts several publishers and consumers and reports to the coordinator once a second. */
import { parentPort, workerData } from 'node:worker_threads';
import { amqplibClient } from '../amqp/amqplibClient.js';
import type { BrokerInfo } from '../amqp/client.js';
import { takeCounters, zeroCounters } from '../metrics/counters.js';
import { createLatencySet, drainEncoded } from '../metrics/latencySet.js';
import { ActivityRecorder } from './activity.js';
import { nowUs } from './clock.js';
import { Consumer } from './consumer.js';
import type { AgentEventType, AgentSpec, FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { Publisher } from './publisher.js';
import { AgentSession } from './session.js';

/** How often publishers check whether their confirms stalled. */
const STALL_CHECK_MS = 250;

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const counters = zeroCounters();
const latencies = createLatencySet();
const confirmActivity = new ActivityRecorder();
const deliveryActivity = new ActivityRecorder();
const publishers: Publisher[] = [];
const consumers: Consumer[] = [];
const sessions: AgentSession[] = [];
let fatalSent = false;
let stallTimer: NodeJS.Timeout | undefined;

function send(msg: FromWorker): void {
  port!.postMessage(msg);
}

function fatal(err: unknown): void {
  if (fatalSent) return;
  fatalSent = true;
  send({ type: 'fatal', workerIndex: init.workerIndex, message: err instanceof Error ? err.message : String(err) });
}

function emitter(agent: AgentSpec, session: () => AgentSession | undefined) {
  return (type: AgentEventType, detail: string, count?: number): void =>
    send({
      type: 'event',
      workerIndex: init.workerIndex,
      event: { atUs: nowUs(), agent: agent.kind, agentId: agent.id, type, node: session()?.node ?? '', detail, ...(count === undefined ? {} : { count }) },
    });
}

/** The agent's own node first, then the others in cluster order: where it goes after a loss. */
function urisFor(agent: AgentSpec): string[] {
  return [agent.uri, ...init.nodeUris.filter((u) => u !== agent.uri)];
}

async function connectAll(): Promise<BrokerInfo[]> {
  const brokers: BrokerInfo[] = [];
  const common = { runId: init.runId, recordCorrected: init.recordCorrected, counters, latencies };
  for (const agent of init.agents) {
    let session: AgentSession | undefined;
    const emit = emitter(agent, () => session);
    const sessionBase = {
      client: amqplibClient,
      uris: urisFor(agent),
      connectionName: `mqbench-${agent.kind}-${agent.id}`,
      connection: init.connection,
      onEvent: (type: AgentEventType, _node: string, detail: string) => emit(type, detail),
    };
    if (agent.kind === 'publisher') {
      const publisher = new Publisher(agent, init.publisher, { ...common, confirmActivity, emit });
      session = new AgentSession({
        ...sessionBase,
        confirms: init.publisher.confirms,
        setup: async () => undefined,
        onUp: (ch) => publisher.attach(ch),
        onDown: () => publisher.detach(),
        onFlow: (blocked) => publisher.flow(blocked),
      });
      publishers.push(publisher);
    } else {
      const consumer = new Consumer(agent, init.consumer, { ...common, deliveryActivity, connection: init.connection, emit });
      session = new AgentSession({
        ...sessionBase,
        confirms: false,
        setup: consumer.setup,
        onUp: (ch) => consumer.attach(ch),
        onDown: () => consumer.detach(),
      });
      consumers.push(consumer);
    }
    sessions.push(session);
    brokers.push(await session.open());
  }
  return brokers;
}

let publishersDoneSent = false;
function reportPublishersWhenSettled(): void {
  void Promise.all(publishers.map((p) => p.whenSettled())).then(() => {
    if (publishersDoneSent) return;
    publishersDoneSent = true;
    send({ type: 'publishersDone', workerIndex: init.workerIndex, publishers: publishers.map((p) => p.final()) });
  });
}

/** The final report goes out before connections are closed: closing a connection to a dead node must not hold it. */
async function stopAll(): Promise<void> {
  if (stallTimer) clearInterval(stallTimer);
  for (const p of publishers) p.stopSending();
  const consumerFinals = await Promise.all(consumers.map((c) => c.stop()));
  send({
    type: 'final',
    workerIndex: init.workerIndex,
    publishers: publishers.map((p) => p.final()),
    consumers: consumerFinals,
    counters: takeCounters(counters),
    latencies: drainEncoded(latencies),
    activity: { confirm: confirmActivity.take(), delivery: deliveryActivity.take() },
  });
  await Promise.all(sessions.map((s) => s.close()));
  port!.close();
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'start': {
      confirmActivity.start(msg.startAtUs);
      deliveryActivity.start(msg.startAtUs);
      let remaining = publishers.length;
      for (const p of publishers) {
        p.start(msg.startAtUs, () => {
          if (--remaining === 0) send({ type: 'limitReached', workerIndex: init.workerIndex });
        });
      }
      stallTimer = setInterval(() => {
        const now = nowUs();
        for (const p of publishers) p.checkStall(now);
      }, STALL_CHECK_MS);
      return;
    }
    case 'tick':
      for (const c of consumers) c.flushAcks();
      send({
        type: 'tick',
        workerIndex: init.workerIndex,
        tick: msg.tick,
        counters: takeCounters(counters),
        latencies: drainEncoded(latencies),
        publisherSeqs: publishers.map((p) => [p.id, p.nextSequence]),
        activity: { confirm: confirmActivity.take(), delivery: deliveryActivity.take() },
      });
      return;
    case 'stopPublishing':
      for (const p of publishers) p.stopSending();
      reportPublishersWhenSettled();
      return;
    case 'snapshot':
      send({ type: 'snapshot', workerIndex: init.workerIndex, consumers: consumers.map((c) => c.snapshot()) });
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
