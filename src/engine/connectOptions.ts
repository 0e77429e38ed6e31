import type { ConnectOptions } from '../amqp/client.js';
import type { ConnectionSettings } from './protocol.js';

/** How every connection of a run opens (agents, depth readings, the stream audit): the run's timeout, heartbeat and TLS, under its own name. */
export function connectOptions(c: ConnectionSettings, connectionName: string): ConnectOptions {
  return { connectionName, timeoutMs: c.connectTimeoutMs, heartbeatS: c.heartbeatS, tls: c.tls };
}
