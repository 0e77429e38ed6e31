import type { BenchmarkArtifacts } from '../engine/runBenchmark.js';
import { maskSecretsInText } from '../util/mask.js';
import type { ClusterSection } from './model.js';

/** The result's view of the cluster: counts from the live topology, falling back on the local layout. */
export function clusterSection(a: Pick<BenchmarkArtifacts, 'target' | 'topology' | 'plan'>, queueType: string): ClusterSection {
  const { target, topology, plan } = a;
  const nodes = topology.before?.nodes;
  const layout = target.local?.layout;
  return {
    kind: target.kind,
    local: target.local ? { layout: target.local.layout, basePort: target.local.basePort, reused: target.local.reused } : null,
    amqpUris: target.amqpUris.map(maskSecretsInText),
    nodeCount: nodes?.length ?? layout?.length ?? target.amqpUris.length,
    ramNodeCount: nodes ? nodes.filter((n) => n.type === 'ram').length : (layout?.filter((t) => t === 'ram').length ?? 0),
    queueType,
    leaderNode: topology.before?.queues[0]?.leader || null,
    before: topology.before ?? null,
    after: topology.after ?? null,
    error: topology.error ?? null,
    agents: plan.workers.flatMap((agents, worker) => agents.map((g) => ({ kind: g.kind, id: g.id, queue: g.queue, worker, uri: maskSecretsInText(g.uri) }))),
  };
}
