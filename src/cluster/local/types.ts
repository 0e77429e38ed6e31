import type { NodeType } from './layout.js';

export type { NodeType } from './layout.js';

export interface LocalNodeInfo {
  /** 0-based position in the layout; node 0 is the seed. */
  index: number;
  /** Erlang node name, e.g. mqbench-5700-1@localhost. */
  name: string;
  type: NodeType;
  amqpPort: number;
  managementPort: number;
  distPort: number;
  /** amqp://guest:guest@127.0.0.1:PORT/ (guest may only log in over loopback, which is all we use). */
  amqpUri: string;
  /** http://127.0.0.1:PORT */
  managementUrl: string;
  logFile: string;
  /** RABBITMQ_MNESIA_BASE of the node. */
  dataDir: string;
}

export interface LocalCluster {
  stateDir: string;
  layout: NodeType[];
  basePort: number;
  nodes: LocalNodeInfo[];
  /** true if clusterUp found this cluster already running and returned it untouched. */
  reused: boolean;
}

export interface UpOptions {
  /** Default <cwd>/.mqbench/cluster. */
  stateDir?: string;
  layout: NodeType[];
  /** Default 5700 (see ports.ts for the block). */
  basePort?: number;
  /** Replace a running cluster with a different layout/basePort instead of failing. */
  force?: boolean;
  onProgress?: (msg: string) => void;
  /** Per phase (boot, join, management); default 90 s. */
  bootTimeoutMs?: number;
  /** Directory holding rabbitmq-server and rabbitmqctl; default $MQBENCH_RABBITMQ_BIN or /usr/lib/rabbitmq/bin. */
  binDir?: string;
}

export interface DownOptions {
  stateDir?: string;
  onProgress?: (msg: string) => void;
  binDir?: string;
}

export interface ClusterNodeStatus {
  name: string;
  index: number;
  /** Type requested in the layout. */
  layoutType: NodeType;
  /** As RabbitMQ reports it in cluster_status; 'unknown' when no node answered. */
  type: 'disc' | 'ram' | 'unknown';
  running: boolean;
  rabbitmqVersion?: string;
  erlangVersion?: string;
  amqpPort: number;
  managementPort: number;
  distPort: number;
}

export interface ClusterStatus {
  stateDir: string;
  /** false when there is no state file: no cluster was started from this dir. */
  exists: boolean;
  basePort?: number;
  layout?: NodeType[];
  clusterName?: string;
  nodes: ClusterNodeStatus[];
  allRunning: boolean;
}
