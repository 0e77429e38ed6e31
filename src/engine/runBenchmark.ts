import { EventEmitter } from 'node:events';
import type { AmqpClient, BrokerInfo } from '../amqp/client.js';
import { amqplibClient } from '../amqp/amqplibClient.js';
import { managementClients, resolveTarget, vhostOf, type Target } from '../cluster/target.js';
import { captureTopology, nodeNames, type ClusterTopology } from '../cluster/topology.js';
import type { Profile } from '../profile/schema.js';
import { Coordinator, type CoordinatorEvents, type RunOutcome } from './coordinator.js';
import { planRun, queueNames, type RunPlan } from './plan.js';
import { finishQueues, prepareQueues } from './queueSetup.js';

/** The cluster as the run saw it: before and after (a leader may move), or why it could not be read. */
export interface TopologyCapture {
  before: ClusterTopology | undefined;
  after: ClusterTopology | undefined;
  error: string | undefined;
}

export interface BenchmarkArtifacts {
  outcome: RunOutcome;
  plan: RunPlan;
  brokers: BrokerInfo[];
  target: Target;
  topology: TopologyCapture;
}

export interface BenchmarkEvents extends CoordinatorEvents {
  status: [message: string];
  coordinator: [coordinator: Coordinator];
}

export interface BenchmarkOptions {
  client?: AmqpClient;
  /** Replace a running local cluster of another layout. */
  force?: boolean;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * One benchmark from a validated profile: bring up (or find) the cluster, declare queues where the
 * placement wants their leaders, read the topology, let the coordinator run the agents, read the
 * topology again, and clean up. Errors before measuring reject; after that everything resolves.
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

  /** Ctrl-C: ends the run early; what was measured is kept. */
  abort(reason: string): void {
    this.abortReason ??= reason;
    this.coordinator?.abort(reason);
  }

  async run(): Promise<BenchmarkArtifacts> {
    const client = this.opts.client ?? amqplibClient;
    const profile = this.profile;
    const target = await resolveTarget(profile, { force: this.opts.force, onProgress: (m) => this.emit('status', m) });
    const uris = target.amqpUris;
    const management = managementClients(target);
    const vhost = vhostOf(uris[0]!);
    const queues = queueNames(profile);

    this.emit('status', `declaring ${queues.length} ${profile.queues.type} queue(s)`);
    const queueContext = { client, profile, uris, queues, management, vhost };
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

    const plan = planRun(profile, { uris, leaderOfQueue });
    const coordinator = new Coordinator(plan);
    this.coordinator = coordinator;
    coordinator.on('phase', (p) => this.emit('phase', p));
    coordinator.on('tick', (r, ms) => this.emit('tick', r, ms));
    this.emit('coordinator', coordinator);
    if (this.abortReason) coordinator.abort(this.abortReason);
    const outcome = await coordinator.run();

    try {
      topology.after = await captureTopology(management, vhost, queues);
    } catch (err) {
      topology.error ??= `topology after the run not captured (management API): ${errText(err)}`;
    }
    const problem = await finishQueues(queueContext);
    if (problem) outcome.error ??= problem;
    return { outcome, plan, brokers, target, topology };
  }
}
