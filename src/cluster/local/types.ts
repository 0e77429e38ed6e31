import type { NodeType } from './layout.js';
import type { LeftoverFault } from '../../faults/types.js';

export type { NodeType } from './layout.js';

/** RabbitMQ's cluster_partition_handling, written into every node's rabbitmq.conf. */
export const PARTITION_HANDLINGS = ['ignore', 'pause_minority', 'autoheal'] as const;
export type PartitionHandling = (typeof PARTITION_HANDLINGS)[number];
export const DEFAULT_PARTITION_HANDLING: PartitionHandling = 'ignore';

/** Erlang's and RabbitMQ's default net_ticktime (seconds): how long a silent peer takes to be declared down. */
export const ERLANG_DEFAULT_NET_TICKTIME_S = 60;
/**
 * mqbench's local nodes use a shorter one. While a peer is silent but not yet declared down (a
 * SIGSTOPped node, a partition), RabbitMQ 3.10's management API hangs on *every* node and
 * metadata changes block; with 60 s a fault experiment is blind for a minute (docs/faults.md).
 * 10 s is well above the 5 s below which RabbitMQ warns of false partition detection.
 */
export const DEFAULT_NET_TICKTIME_S = 10;

/** Node settings that make a cluster what it is, besides layout and ports. */
export interface NodeSettings {
  partitionHandling: PartitionHandling;
  /** Erlang net_ticktime of the nodes, in seconds. */
  netTicktime: number;
  /** Lines appended to every node's rabbitmq.conf (e.g. TLS listeners in tests); part of the identity too. */
  extraConfig?: string[];
}

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
  /** cluster_partition_handling of every node; part of the cluster's identity like the layout. */
  partitionHandling: PartitionHandling;
  /** net_ticktime (seconds) of every node; part of the identity too. */
  netTicktime: number;
  /** true if clusterUp found this cluster already running and returned it untouched. */
  reused: boolean;
}

export interface UpOptions {
  /** Default <cwd>/.mqbench/cluster. */
  stateDir?: string;
  layout: NodeType[];
  /** Default 5700 (see ports.ts for the block). */
  basePort?: number;
  /** cluster_partition_handling of the nodes; default 'ignore' (RabbitMQ's default). */
  partitionHandling?: PartitionHandling;
  /** Erlang net_ticktime of the nodes in seconds; default DEFAULT_NET_TICKTIME_S (10). */
  netTicktime?: number;
  /** Lines appended to every node's rabbitmq.conf, e.g. ["listeners.ssl.default = 127.0.0.1:5881", ...]; default none. */
  extraConfig?: string[];
  /** Replace a running cluster with a different layout/basePort/partitionHandling/netTicktime instead of failing. */
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
  partitionHandling?: PartitionHandling;
  netTicktime?: number;
  nodes: ClusterNodeStatus[];
  allRunning: boolean;
  /** Faults a crashed or killed mqbench left on this cluster (iptables chain, paused nodes). */
  leftovers: LeftoverFault[];
  /** Faults of a fault experiment another mqbench process is running right now (it undoes them itself). */
  runningFaults: { pid: number; faults: LeftoverFault[] } | undefined;
  /** mqbench iptables chains of other port blocks on this machine. */
  otherFaultChains: string[];
}
