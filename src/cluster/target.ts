import { resolve } from 'node:path';
import type { Profile } from '../profile/schema.js';
import { clusterUp } from './local/cluster.js';
import { layoutFromCounts, type NodeType } from './local/layout.js';
import type { LocalCluster } from './local/types.js';
import { ManagementClient } from './management.js';
import { loadTls, type TlsSettings } from '../amqp/tls.js';

/** The broker a run talks to: its AMQP URIs, the management API beside each, and who started it. */
export interface Target {
  kind: 'local' | 'external';
  amqpUris: string[];
  /** One management base URL per AMQP URI, same order. */
  managementUrls: string[];
  local: LocalCluster | undefined;
  /** TLS options (PEM files read) for amqps:// URIs and https:// management URLs; undefined without a tls section. */
  tls: TlsSettings | undefined;
}

export const DEFAULT_MANAGEMENT_PORT = 15672;
/** RabbitMQ's customary management port over TLS (management.ssl.port). */
export const DEFAULT_MANAGEMENT_TLS_PORT = 15671;

/** The layout a profile's cluster.local asks for, with presets expanded. */
export function localLayout(local: { nodes: number; layout: string | NodeType[] }): NodeType[] {
  if (Array.isArray(local.layout)) return local.layout;
  return layoutFromCounts(local.nodes, local.layout === 'one-ram' ? 1 : 0);
}

/** http://user:pass@host:15672 for amqp://user:pass@host:5672/vhost, https://...:15671 for amqps://: the usual defaults. */
export function defaultManagementUrl(amqpUri: string): string {
  const u = new URL(amqpUri);
  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  const host = u.hostname.includes(':') && !u.hostname.startsWith('[') ? `[${u.hostname}]` : u.hostname;
  return u.protocol === 'amqps:' ? `https://${auth}${host}:${DEFAULT_MANAGEMENT_TLS_PORT}` : `http://${auth}${host}:${DEFAULT_MANAGEMENT_PORT}`;
}

/** The vhost of an AMQP URI ("/" when the path is empty). */
export function vhostOf(amqpUri: string): string {
  const path = new URL(amqpUri).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}

export interface ResolveOptions {
  /** Replace a running local cluster of a different layout. */
  force?: boolean;
  onProgress?: (msg: string) => void;
}

/** Starts (or reuses) the local cluster a profile asks for, or describes the external one it names. */
export async function resolveTarget(profile: Profile, opts: ResolveOptions = {}): Promise<Target> {
  const cluster = profile.cluster;
  if (cluster && 'local' in cluster) {
    const local = await clusterUp({
      stateDir: resolve(cluster.local.stateDir),
      layout: localLayout(cluster.local),
      basePort: cluster.local.basePort,
      partitionHandling: cluster.local.partitionHandling,
      netTicktime: cluster.local.netTicktime,
      force: opts.force,
      onProgress: opts.onProgress,
    });
    return { kind: 'local', amqpUris: local.nodes.map((n) => n.amqpUri), managementUrls: local.nodes.map((n) => n.managementUrl), local, tls: undefined };
  }
  const external = cluster ?? profile.broker!;
  const field = cluster ? 'cluster.tls' : 'broker.tls';
  const tls = external.tls ? loadTls(external.tls, field) : undefined;
  const uris = external.uris;
  const management = external.management ?? uris.map(defaultManagementUrl);
  return { kind: 'external', amqpUris: uris, managementUrls: uris.map((_, i) => management[i % management.length]!), local: undefined, tls };
}

export function managementClients(target: Target): ManagementClient[] {
  return target.managementUrls.map((baseUrl) => new ManagementClient({ baseUrl, timeoutMs: 5_000, tls: target.tls }));
}
