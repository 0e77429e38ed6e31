import { createServer } from 'node:net';
import { ClusterError, EXIT_USAGE } from '../errors.js';

/*
 * Port block of a local cluster. Node i (0-based) of a cluster with basePort B uses
 *   AMQP                  B + i           (default 5700, 5701, ...)
 *   management HTTP       B + 10000 + i   (default 15700, 15701, ...)
 *   Erlang distribution   B + 20000 + i   (default 25700, 25701, ...)
 * Everything binds 127.0.0.1 only. Two clusters whose basePorts differ by at least
 * MAX_NODES never share a port. rabbitmqctl's own distribution port is left to the OS
 * (ephemeral) instead of RabbitMQ's fixed 35672-35682 range, which concurrent CLI calls
 * from several clusters could exhaust.
 */
export const DEFAULT_BASE_PORT = 5700;
export const MANAGEMENT_PORT_OFFSET = 10000;
export const DIST_PORT_OFFSET = 20000;
export const LOOPBACK = '127.0.0.1';

export interface NodePorts {
  amqp: number;
  management: number;
  dist: number;
}

export function nodePorts(basePort: number, index: number): NodePorts {
  return {
    amqp: basePort + index,
    management: basePort + MANAGEMENT_PORT_OFFSET + index,
    dist: basePort + DIST_PORT_OFFSET + index,
  };
}

/** The basePort a node was planned with: node i's AMQP port is basePort + i. */
export function basePortOf(node: { amqpPort: number; index: number }): number {
  return node.amqpPort - node.index;
}

export function validateBasePort(basePort: number, nodeCount: number): void {
  const highest = basePort + DIST_PORT_OFFSET + nodeCount - 1;
  if (!Number.isInteger(basePort) || basePort < 1024 || highest > 65535) {
    throw new ClusterError(
      `invalid basePort ${String(basePort)}: it must be an integer >= 1024 and basePort + ${DIST_PORT_OFFSET} + ` +
        `${nodeCount - 1} (the last distribution port) must be <= 65535`,
      { exitCode: EXIT_USAGE },
    );
  }
}

/** Resolves true if we could bind 127.0.0.1:port (and released it), false on EADDRINUSE/EACCES. */
export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => {
      srv.close(() => resolve(true));
    });
  });
}

/**
 * Check every port of the block before starting anything, so a collision is reported
 * up front with the port, node and purpose instead of as a node that dies at boot.
 */
export async function assertPortsFree(basePort: number, nodeCount: number, nodeNames: readonly string[] = []): Promise<void> {
  const checks: { port: number; what: string }[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const p = nodePorts(basePort, i);
    const node = `node ${i + 1}${nodeNames[i] ? ` (${nodeNames[i]})` : ''}`;
    checks.push({ port: p.amqp, what: `AMQP port of ${node}` });
    checks.push({ port: p.management, what: `management HTTP port of ${node}` });
    checks.push({ port: p.dist, what: `Erlang distribution port of ${node}` });
  }
  const free = await Promise.all(checks.map((c) => isPortFree(c.port)));
  const busy = checks.filter((_, i) => !free[i]);
  if (busy.length === 0) return;
  const list = busy.map((c) => `port ${c.port} (${c.what})`).join(', ');
  throw new ClusterError(
    `cannot start the cluster on basePort ${basePort}: ${list} ${busy.length === 1 ? 'is' : 'are'} already in use on ${LOOPBACK}. ` +
      'Another cluster or program is using the port block; stop it or choose another basePort.',
  );
}
