/** Worker-thread entry: hosts several publishers and consumers and reports to the coordinator once a second. */
import { parentPort, workerData } from 'node:worker_threads';
import { amqplibClient } from '../amqp/amqplibClient.js';
import { BrokerConnectError } from '../amqp/errors.js';
import type { BrokerInfo } from '../amqp/client.js';
import { zeroCounters, type Counters } from '../metrics/counters.js';
import { createLatencySet, drainEncoded } from '../metrics/latencySet.js';
import { ActivityRecorder } from './activity.js';
import { nowUs } from './clock.js';
import { Consumer } from './consumer.js';
import { NodeTally } from './nodeCounters.js';
import type { AgentEventType, AgentSpec, FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { Publisher } from './publisher.js';
import { AgentSession, type ChannelUser } from './session.js';
import pLimit from 'p-limit';

/** How often publishers check whether their confirms stalled. */
const STALL_CHECK_MS = 250;

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
/** Counts per node; each connection counts into its own object (connectionCounts), moved in here by node. */
const tally = new NodeTally();
const connectionCounts: Array<{ session: AgentSession; counters: Counters }> = [];
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

/** How often a worker tells the coordinator how far its start got. */
const CONNECT_PROGRESS_MS = 500;

function channelUser(agent: AgentSpec, session: () => AgentSession | undefined, common: CommonContext): ChannelUser {
  const emit = emitter(agent, session);
  const base = { label: `${agent.kind} ${agent.id}`, onEvent: (type: AgentEventType, _node: string, detail: string) => emit(type, detail) };
  if (agent.kind === 'publisher') {
    const publisher = new Publisher(agent, init.publisher, { ...common, confirmActivity, emit });
    publishers.push(publisher);
    return {
      ...base,
      confirms: init.publisher.confirms,
      setup: async () => undefined,
      onUp: (ch) => publisher.attach(ch),
      onDown: () => publisher.detach(),
      onFlow: (blocked) => publisher.flow(blocked),
    };
  }
  const consumer = new Consumer(agent, init.consumer, { ...common, deliveryActivity, connection: init.connection, emit });
  consumers.push(consumer);
  return { ...base, confirms: false, setup: consumer.setup, onUp: (ch) => consumer.attach(ch), onDown: () => consumer.detach() };
}

type CommonContext = { runId: number; recordCorrected: boolean; counters: Counters; latencies: typeof latencies };

/**
 * Opens every connection of this worker, at most connectConcurrency at a time, and reports progress
 * while it goes. A failure names the agent(s), the URI and the cause.
 */
async function connectAll(): Promise<BrokerInfo[]> {
  const limit = pLimit(init.connectConcurrency);
  let agentsUp = 0;
  const progress = setInterval(() => send({ type: 'connecting', workerIndex: init.workerIndex, agentsUp }), CONNECT_PROGRESS_MS);
  try {
    const opened = await Promise.all(
      init.connections.map((group) => {
        const agents = group.agents.map((i) => init.agents[i]!);
        const common: CommonContext = { runId: init.runId, recordCorrected: init.recordCorrected, counters: zeroCounters(), latencies };
        const session: AgentSession = new AgentSession({
          client: amqplibClient,
          uris: urisFor(agents[0]!),
          connectionName: group.name,
          connection: init.connection,
          users: agents.map((a) => channelUser(a, () => session, common)),
          // Counted so far on the node it leaves: theirs, not the next node's.
          onLeaveNode: (node) => tally.flush(node, common.counters),
        });
        sessions.push(session);
        connectionCounts.push({ session, counters: common.counters });
        return limit(async () => {
          if (fatalSent) return undefined;
          try {
            const broker = await session.open();
            agentsUp += agents.length;
            return broker;
          } catch (err) {
            if (!(err instanceof BrokerConnectError)) throw err; // a setup failure names its agent already
            const first = agents[0]!;
            const who = agents.length === 1 ? `${first.kind} ${first.id}` : `${group.name} (${agents.length} ${first.kind}s)`;
            throw new Error(`${who}: ${err.message}`, { cause: err });
          }
        });
      }),
    );
    const seen = new Map<string, BrokerInfo>();
    for (const b of opened) if (b) seen.set(JSON.stringify(b), b);
    return [...seen.values()];
  } finally {
    clearInterval(progress);
  }
}

/** Counts since the last take: the worker's total and per node. */
function takeCounts(): { counters: Counters; byNode: Array<[string, Counters]> } {
  for (const c of connectionCounts) tally.flush(c.session.node, c.counters);
  const { total, byNode } = tally.take();
  return { counters: total, byNode };
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
    ...takeCounts(),
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
        ...takeCounts(),
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
