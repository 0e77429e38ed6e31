/** Public API of the cluster modules. */
export { ClusterError, EXIT_RUNTIME, EXIT_USAGE } from './errors.js';
export { clusterUp, clusterDown, DEFAULT_BOOT_TIMEOUT_MS } from './local/cluster.js';
export { clusterStatus } from './local/status.js';
export { parseLayout, layoutFromCounts, validateLayout, formatLayout, sameLayout, rabbitType, MAX_NODES } from './local/layout.js';
export type { NodeType } from './local/layout.js';
export {
  DEFAULT_BASE_PORT,
  MANAGEMENT_PORT_OFFSET,
  DIST_PORT_OFFSET,
  nodePorts,
  assertPortsFree,
  type NodePorts,
} from './local/ports.js';
export { findRabbitmqBinaries, rabbitmqInstalled, DEFAULT_RABBITMQ_BIN_DIR, RABBITMQ_BIN_ENV } from './local/rabbitmqBinaries.js';
export { defaultStateDir, nodeName } from './local/state.js';
export type { LocalNodeInfo, LocalCluster, UpOptions, DownOptions, ClusterStatus, ClusterNodeStatus, PartitionHandling } from './local/types.js';
export { PARTITION_HANDLINGS, DEFAULT_PARTITION_HANDLING, DEFAULT_NET_TICKTIME_S, ERLANG_DEFAULT_NET_TICKTIME_S, type NodeSettings } from './local/types.js';
export { nodeSourceAddress } from './local/nodeAddress.js';
export {
  ManagementClient,
  ManagementError,
  waitForManagement,
  type ManagementClientOptions,
  type Overview,
  type ManagementNode,
  type QueueInfo,
  type PolicyDefinition,
} from './management.js';
