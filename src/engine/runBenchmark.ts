import { loadAverage } from '../results/environment.js';
import { DepthSampler, type DepthSample } from './depthSampler.js';
import { EventEmitter } from 'node:events';
import type { AmqpClient, BrokerInfo } from '../amqp/client.js';
import { amqplibClient } from '../amqp/amqplibClient.js';
import { managementClients, resolveTarget, vhostOf, type Target } from '../cluster/target.js';
import { captureTopology, nodeNames, type ClusterTopology } from '../cluster/topology.js';
import type { FaultInjector } from '../faults/injector.js';
import type { LeaderWatch } from '../faults/leaderWatch.js';
import type { AppliedStep, MembershipChange, RestoreAction } from '../faults/types.js';
import { deliveryAccount, expectedSets, notConsumedSets, receivedSets, type DeliveryAccount } from '../metrics/accounting.js';
import { sumCounters } from '../metrics/counters.js';
import type { Profile } from '../profile/schema.js';
import { Coordinator, type CoordinatorEvents, type RunOutcome } from './coordinator.js';
import { FaultTimeline } from './faultTimeline.js';
import { planRun, queueNames, type RunPlan } from './plan.js';
import { readQueueDepth } from './queueDepth.js';
import { nodeLabel } from './session.js';
import { finishQueues, prepareQueues } from './queueSetup.js';
import { streamHeldMessages } from './streamAudit.js';
import { streamLagSamples } from './streamLag.js';

/** The cluster as the run saw it: before and after (a leader may move), or why it could not be read. */
export interface TopologyCapture {
  before: ClusterTopology | undefined;
  after: ClusterTopology | undefined;
  error: string | undefined;
}

/** What the fault timeline did, and what the leader watch saw. */
export interface FaultRecord {
  steps: AppliedStep[];
  restoredAtEnd: RestoreAction[];
  membership: MembershipChange[];
}

export interface BenchmarkArtifacts {
  outcome: RunOutcome;
  plan: RunPlan;
  brokers: BrokerInfo[];
  target: Target;
  topology: TopologyCapture;
  account: DeliveryAccount;
  faults: FaultRecord | undefined;
  /** Depth of the benchmark queues about once a second on the run clock (none above MAX_SAMPLED_QUEUES queues). */
  depthSamples: DepthSample[];
  /** The host's load averages when the run started. */
  loadAverageBefore: number[];
}

export interface BenchmarkEvents extends CoordinatorEvents {
  status: [message: string];
  /** Ready messages in the run's queues, about once a second while it runs (not for streams, nor above MAX_SAMPLED_QUEUES queues). */
  depth: [sample: DepthSample];
  coordinator: [coordinator: Coordinator];
}

export interface BenchmarkOptions {
  client?: AmqpClient;
  /** Replace a running local cluster of another layout. */
  force?: boolean;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Node label of a host:port: the RabbitMQ node name on a local cluster mqbench started, else host:port itself. */
function nodeNamer(target: Target): (hostPort: string) => string {
  const names = new Map(target.local?.nodes.map((n) => [nodeLabel(n.amqpUri), n.name]) ?? []);
  return (hostPort) => names.get(hostPort) ?? hostPort;
}

/**
 * One benchmark from a validated profile: bring up (or find) the cluster, declare queues where the
 * placement wants their leaders, read the topology, let the coordinator run the agents while the
 * fault timeline acts on the cluster, make the cluster whole again, account for every message, read
 * the topology again, and clean up. Errors before measuring reject; after that everything resolves.
 */
export class Benchmark extends EventEmitter<BenchmarkEvents> {
  private coordinator: Coordinator | undefined;
  private abortReason: string | undefined;

  constructor(
    private readonly profile: Profile,
    private readonly opts: BenchmarkOptions = {},
  ) {
    super();
  }

  /** Ctrl-C: ends the run early; what was measured is kept and the cluster is restored. */
  abort(reason: string): void {
    this.abortReason ??= reason;
    this.coordinator?.abort(reason);
  }

  async run(): Promise<BenchmarkArtifacts> {
    const loadAverageBefore = loadAverage();
    const client = this.opts.client ?? amqplibClient;
    const profile = this.profile;
    const status = (m: string): void => void this.emit('status', m);
    const target = await resolveTarget(profile, { force: this.opts.force, onProgress: status });
    const uris = target.amqpUris;
    const management = managementClients(target);
    const vhost = vhostOf(uris[0]!);
    const queues = queueNames(profile);

    status(`declaring ${queues.length} ${profile.queues.type} queue(s)`);
    const queueContext = { client, profile, uris, queues, management, vhost, tls: target.tls };
    const brokers = await prepareQueues(queueContext);
    const topology: TopologyCapture = { before: undefined, after: undefined, error: undefined };
    const names = target.local ? target.local.nodes.map((n) => n.name) : await nodeNames(management);
    try {
      topology.before = await captureTopology(management, vhost, queues);
    } catch (err) {
      topology.error = `topology not captured (management API): ${errText(err)}`;
    }
    const leaderOfQueue = queues.map((q) => {
      const leader = topology.before?.queues.find((t) => t.name === q)?.leader;
      const i = leader === undefined ? -1 : names.indexOf(leader);
      return i >= 0 ? i : undefined;
    });

    const plan = planRun(profile, { uris, leaderOfQueue, tls: target.tls });
    const coordinator = new Coordinator(plan);
    this.coordinator = coordinator;
    const faults = await this.faultSetup(target, management, vhost, queues[0]!, coordinator, plan.warmupMs, status);
    if (faults) await faults.injector.preflight(profile.faults);
    coordinator.on('phase', (p) => this.emit('phase', p));
    coordinator.on('connectProgress', (up, all) => status(`connecting agents: ${up} of ${all} up`));
    const nodeName = nodeNamer(target);
    coordinator.on('tick', (r, ms) => {
      if (r.byNode) r.byNode = new Map([...r.byNode].map(([node, c]) => [nodeName(node), c]));
      this.emit('tick', r, ms);
    });
    coordinator.on('agentEvent', (e) => this.emit('agentEvent', e));
    const stream = profile.queues.type === 'stream';
    const depth = new DepthSampler({ client, uris, queues, connection: plan.connection, clockMs: () => coordinator.clockMs(), onSample: (s) => this.emit('depth', s) });
    coordinator.on('started', () => {
      // A stream's size is not a backlog: its consumers' lag is taken from the ticks after the run instead.
      if (!stream) depth.start();
      faults?.watch.start();
      faults?.timeline.start();
    });
    this.emit('coordinator', coordinator);
    if (this.abortReason) coordinator.abort(this.abortReason);

    let outcome: RunOutcome;
    let faultRecord: FaultRecord | undefined;
    let depthSamples: DepthSample[];
    try {
      outcome = await coordinator.run();
    } finally {
      depthSamples = await depth.stop();
      if (faults) faultRecord = await this.endFaults(faults, status);
    }

    if (stream) depthSamples = streamLagSamples(outcome.ticks);

    let account = this.account(outcome, plan, null);
    if (account.notConsumed !== null && account.notConsumed > 0) {
      status(`${account.notConsumed} expected message(s) not consumed: reading what the ${stream ? 'streams' : 'queues'} still hold`);
      const held = stream
        ? await streamHeldMessages(client, uris, queues, this.missing(outcome, plan), plan.runId, plan.connection)
        : await readQueueDepth(client, uris, queues, plan.connection);
      account = this.account(outcome, plan, held);
    }
    try {
      topology.after = await captureTopology(management, vhost, queues);
    } catch (err) {
      topology.error ??= `topology after the run not captured (management API): ${errText(err)}`;
    }
    const problem = await finishQueues(queueContext);
    if (problem) outcome.error ??= problem;
    return { outcome, plan, brokers, target, topology, account, faults: faultRecord, depthSamples, loadAverageBefore };
  }

  /** Fault machinery, loaded only for runs that have a timeline. */
  private async faultSetup(
    target: Target,
    management: ReturnType<typeof managementClients>,
    vhost: string,
    queue: string,
    coordinator: Coordinator,
    measureStartMs: number,
    status: (m: string) => void,
  ): Promise<{ injector: FaultInjector; watch: LeaderWatch; timeline: FaultTimeline } | undefined> {
    const steps = this.profile.faults;
    if (steps.length === 0) return undefined;
    const [{ FaultInjector }, { LeaderWatch }] = await Promise.all([import('../faults/injector.js'), import('../faults/leaderWatch.js')]);
    // The profile schema already refuses faults without cluster.local; this guards the API too.
    if (!target.local) throw new Error('faults are only allowed on a local cluster mqbench started');
    const clockMs = (): number => coordinator.clockMs();
    const injector = new FaultInjector({ cluster: target.local, management, vhost, queue, clockMs, onProgress: status });
    const watch = new LeaderWatch({ management, vhost, queue, clockMs, askLast: () => injector.faultedIndexes() });
    const timeline = new FaultTimeline(steps, injector, coordinator, measureStartMs);
    return { injector, watch, timeline };
  }

  /** After the run: no further step, the cluster made whole, the watch stopped. Runs on every path, Ctrl-C included. */
  private async endFaults(
    f: { injector: FaultInjector; watch: LeaderWatch; timeline: FaultTimeline },
    status: (m: string) => void,
  ): Promise<FaultRecord> {
    const steps = await f.timeline.stop();
    if (f.injector.faulted().length > 0) status(`restoring the cluster: ${f.injector.faulted().map((n) => `${n.node} (${n.state})`).join(', ')}`);
    const restoredAtEnd = await f.injector.restoreAll();
    await f.watch.stop();
    return { steps, restoredAtEnd, membership: f.watch.changes() };
  }

  /** Per route (publisher, queue): the expected copies no consumer of that queue received. */
  private missing(outcome: RunOutcome, plan: RunPlan): ReturnType<typeof notConsumedSets> {
    return notConsumedSets(expectedSets(outcome.publisherFinals, plan.publisher.confirms, plan.routing), receivedSets(outcome.consumerFinals, plan.routing).sets);
  }

  private account(outcome: RunOutcome, plan: RunPlan, depth: number | null): DeliveryAccount {
    const totals = sumCounters(outcome.ticks);
    return deliveryAccount({
      publishers: outcome.publisherFinals,
      consumers: outcome.consumerFinals,
      confirms: plan.publisher.confirms,
      publisherCount: plan.publisherCount,
      consumerCount: plan.consumerCount,
      counts: totals,
      issues: outcome.accountingIssues,
      queueDepthAtEnd: depth,
      routing: plan.routing,
    });
  }
}
