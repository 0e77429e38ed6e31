import { join } from 'node:path';
import { clusterUp } from '../../src/cluster/local/cluster.js';
import type { LocalCluster } from '../../src/cluster/local/types.js';
import { packageRoot } from '../../src/util/packageRoot.js';

/** Port block of the single-node broker the integration tests share (see src/cluster/local/ports.ts). */
export const TEST_BROKER_BASE_PORT = 5800;

/**
 * A real RabbitMQ node on loopback, started on first use and reused by every test file after
 * that (clusterUp is idempotent); .ci/run takes it down at the end.
 */
export function testBroker(): Promise<LocalCluster> {
  return clusterUp({ stateDir: join(packageRoot(), '.mqbench', 'test-cluster-1'), layout: ['disk'], basePort: TEST_BROKER_BASE_PORT });
}

/** Port block of the 3-node cluster the fault tests share (nodes 5960-5962, management 15960-15962, distribution 25960-25962). */
export const TEST_FAULT_CLUSTER_BASE_PORT = 5960;
export const TEST_FAULT_CLUSTER_DIR = join(packageRoot(), '.mqbench', 'test-faults');

/**
 * The 3-node cluster fault tests share: started on first use, reused after (every fault test leaves
 * it whole again), taken down by .ci/run at the end.
 */
export function testFaultCluster(): Promise<LocalCluster> {
  return clusterUp({ stateDir: TEST_FAULT_CLUSTER_DIR, layout: ['disk', 'disk', 'disk'], basePort: TEST_FAULT_CLUSTER_BASE_PORT });
}
