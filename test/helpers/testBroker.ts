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
