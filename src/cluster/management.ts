import type { Agent } from 'node:https';
import { describeTlsError, type TlsSettings } from '../amqp/tls.js';
import { ClusterError } from './errors.js';
import { httpsAgent, httpsRequest } from './httpsRequest.js';

/**
 * Minimal typed client for the RabbitMQ management HTTP API (rabbitmq_management plugin),
 * over Node's global fetch (http://) or node:https with the profile's TLS options (https://). Only the fields mqbench uses are typed; everything else is
 * dropped so a RabbitMQ upgrade adding fields cannot break us.
 */

export interface ManagementClientOptions {
  /** e.g. http://127.0.0.1:15700; credentials in the URL (http://user:pass@host) are accepted. */
  baseUrl: string;
  username?: string;
  password?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** CA, client certificate... for https:// URLs (the broker's tls section). */
  tls?: TlsSettings;
}

export interface Overview {
  rabbitmq_version: string;
  erlang_version: string;
  cluster_name: string;
  /** The node that answered: tells which node a management URL (and its AMQP twin) belongs to. */
  node: string;
}

export interface ManagementNode {
  name: string;
  type: 'disc' | 'ram';
  running: boolean;
  mem_alarm: boolean;
  disk_free_alarm: boolean;
  mem_used: number;
}

export interface QueueInfo {
  name: string;
  vhost: string;
  /** classic | quorum | stream */
  type: string;
  /** Node hosting the queue: the leader of a quorum/stream queue, the master of a classic one. */
  leader: string;
  /** Replica nodes: quorum members, or master + mirrors of a classic queue. */
  members: string[];
  /** Members currently online (quorum); for classic queues, the master and synchronised mirrors. */
  online: string[];
  messages: number;
}

export interface PolicyDefinition {
  pattern: string;
  definition: Record<string, unknown>;
  priority?: number;
  'apply-to'?: 'queues' | 'exchanges' | 'all';
}

/** HTTP or network failure talking to the management API; status is undefined for network errors. */
export class ManagementError extends ClusterError {
  readonly status: number | undefined;
  readonly url: string;

  constructor(message: string, url: string, status?: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'ManagementError';
    this.url = url;
    this.status = status;
  }
}

interface RawQueue {
  name: string;
  vhost: string;
  type?: string;
  node?: string;
  leader?: string;
  members?: string[];
  online?: string[];
  slave_nodes?: string[];
  synchronised_slave_nodes?: string[];
  messages?: number;
}

export class ManagementClient {
  private readonly base: URL;
  private readonly auth: string;
  private readonly user: string;
  private readonly timeoutMs: number;
  /** Set for https:// base URLs. */
  private readonly agent: Agent | undefined;

  constructor(opts: ManagementClientOptions) {
    const url = new URL(opts.baseUrl);
    // fetch rejects URLs with credentials: move them to the Authorization header.
    this.user = opts.username ?? (decodeURIComponent(url.username) || 'guest');
    const password = opts.password ?? (url.password ? decodeURIComponent(url.password) : 'guest');
    url.username = '';
    url.password = '';
    this.base = url;
    this.auth = `Basic ${Buffer.from(`${this.user}:${password}`).toString('base64')}`;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.agent = url.protocol === 'https:' ? httpsAgent(opts.tls) : undefined;
  }

  async overview(): Promise<Overview> {
    const o = await this.request<Partial<Overview>>('GET', '/api/overview');
    return { rabbitmq_version: o.rabbitmq_version ?? '', erlang_version: o.erlang_version ?? '', cluster_name: o.cluster_name ?? '', node: o.node ?? '' };
  }

  async nodes(): Promise<ManagementNode[]> {
    const list = await this.request<Partial<ManagementNode>[]>('GET', '/api/nodes');
    return list.map((n) => ({
      name: n.name ?? '',
      type: n.type === 'ram' ? 'ram' : 'disc',
      running: n.running === true,
      mem_alarm: n.mem_alarm === true,
      disk_free_alarm: n.disk_free_alarm === true,
      mem_used: n.mem_used ?? 0,
    }));
  }

  /**
   * Per node, the nodes it considers partitioned away (RabbitMQ's `partitions` field). Non-empty
   * after a network split the nodes noticed; with cluster_partition_handling = ignore it stays so
   * until the nodes on one side are restarted.
   */
  async nodePartitions(opts: { timeoutMs?: number } = {}): Promise<Array<{ name: string; running: boolean; partitions: string[] }>> {
    const list = await this.request<Array<{ name?: string; running?: boolean; partitions?: string[] }>>('GET', '/api/nodes', undefined, opts.timeoutMs);
    return list.map((n) => ({ name: n.name ?? '', running: n.running === true, partitions: n.partitions ?? [] }));
  }

  /**
   * One queue. `timeoutMs` overrides the client's timeout (short polls while a node may hang).
   * `membershipOnly` asks with disable_stats=true: leader, members and online still come back
   * (messages does not), and the node answers in ~2 s even while a peer is silent (paused, cut
   * off), where the full answer waits for the peer until net_ticktime declares it down.
   */
  async queue(vhost: string, name: string, opts: { timeoutMs?: number; membershipOnly?: boolean } = {}): Promise<QueueInfo> {
    const query = opts.membershipOnly ? '?disable_stats=true' : '';
    return toQueueInfo(await this.request<RawQueue>('GET', `/api/queues/${enc(vhost)}/${enc(name)}${query}`, undefined, opts.timeoutMs));
  }

  async queues(vhost = '/'): Promise<QueueInfo[]> {
    return (await this.request<RawQueue[]>('GET', `/api/queues/${enc(vhost)}`)).map(toQueueInfo);
  }

  async policies(vhost: string): Promise<Array<{ name: string; pattern: string }>> {
    return this.request<Array<{ name: string; pattern: string }>>('GET', `/api/policies/${enc(vhost)}`);
  }

  async putPolicy(vhost: string, name: string, policy: PolicyDefinition): Promise<void> {
    await this.request('PUT', `/api/policies/${enc(vhost)}/${enc(name)}`, policy);
  }

  /** Deleting a policy that does not exist is not an error (idempotent cleanup). */
  async deletePolicy(vhost: string, name: string): Promise<void> {
    try {
      await this.request('DELETE', `/api/policies/${enc(vhost)}/${enc(name)}`);
    } catch (err) {
      if (!(err instanceof ManagementError && err.status === 404)) throw err;
    }
  }

  /** The URL as it may appear in messages: user shown, password masked. */
  describe(path: string): string {
    const u = new URL(path, this.base);
    u.username = this.user;
    u.password = '***';
    return u.toString();
  }

  private async request<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const url = new URL(path, this.base);
    const shown = this.describe(path);
    const headers = { authorization: this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let res: { status: number; statusText: string; ok: boolean };
    let text: string;
    try {
      if (this.agent) {
        const answer = await httpsRequest(this.agent, url, { method, headers, body: payload, timeoutMs });
        res = { ...answer, ok: answer.status >= 200 && answer.status < 300 };
        text = answer.text;
      } else {
        const r = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
        res = r;
        text = await r.text();
      }
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : describeFetchError(e);
      throw new ManagementError(`${method} ${shown} failed: ${why}`, shown, undefined, err);
    }
    if (!res.ok) {
      const detail = text.length > 300 ? `${text.slice(0, 300)}...` : text;
      throw new ManagementError(`${method} ${shown} failed: HTTP ${res.status} ${res.statusText}${detail ? `: ${detail}` : ''}`, shown, res.status);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

/** Vhost and queue names go into the path: "/" must become %2F. */
function enc(s: string): string {
  return encodeURIComponent(s);
}

function describeFetchError(e: Error): string {
  // undici puts the useful part (ECONNREFUSED...) in the cause; node:https in the error itself.
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (e as { code?: string }).code;
  const message = cause?.message ?? e.message;
  return (code !== undefined ? describeTlsError(code, message) : undefined) ?? code ?? message;
}

function toQueueInfo(q: RawQueue): QueueInfo {
  const type = q.type ?? 'classic';
  const leader = q.leader ?? q.node ?? '';
  if (type === 'classic') {
    const mirrors = q.slave_nodes ?? [];
    return {
      name: q.name,
      vhost: q.vhost,
      type,
      leader,
      members: [leader, ...mirrors].filter((n) => n !== ''),
      online: [leader, ...(q.synchronised_slave_nodes ?? [])].filter((n) => n !== ''),
      messages: q.messages ?? 0,
    };
  }
  return { name: q.name, vhost: q.vhost, type, leader, members: q.members ?? [], online: q.online ?? [], messages: q.messages ?? 0 };
}

/** Poll GET /api/overview until it answers 200 or timeoutMs passes. */
export async function waitForManagement(client: ManagementClient, timeoutMs: number): Promise<Overview> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await client.overview();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
