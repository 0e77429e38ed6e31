import { ClusterError, EXIT_USAGE } from '../errors.js';

/**
 * Node types as mqbench names them. RabbitMQ itself spells the first one "disc"
 * (cluster_status, management API); we accept both spellings on input.
 */
export type NodeType = 'disk' | 'ram';

/** Upper bound on cluster size: keeps port blocks of nearby basePorts apart and is far beyond what a laptop can run. */
export const MAX_NODES = 10;

/** Parse "disk,disk,ram" (also "disc", "d", "r"; case and spaces ignored) and validate it. */
export function parseLayout(spec: string): NodeType[] {
  const parts = spec
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
  const layout = parts.map((p): NodeType => {
    if (p === 'disk' || p === 'disc' || p === 'd') return 'disk';
    if (p === 'ram' || p === 'r') return 'ram';
    throw new ClusterError(`invalid node type "${p}" in layout "${spec}": expected disk or ram`, { exitCode: EXIT_USAGE });
  });
  validateLayout(layout);
  return layout;
}

/** Layout for `--nodes N --ram K`: the first N-K nodes are disk nodes (node 1 is the seed), the rest RAM. */
export function layoutFromCounts(nodes: number, ram = 0): NodeType[] {
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw new ClusterError(`node count must be a positive integer, got ${String(nodes)}`, { exitCode: EXIT_USAGE });
  }
  if (!Number.isInteger(ram) || ram < 0) {
    throw new ClusterError(`RAM node count must be a non-negative integer, got ${String(ram)}`, { exitCode: EXIT_USAGE });
  }
  if (ram >= nodes) {
    throw new ClusterError(
      `--ram ${ram} with ${nodes} node(s) leaves no disk node: a RabbitMQ cluster needs at least one disk node`,
      { exitCode: EXIT_USAGE },
    );
  }
  const layout: NodeType[] = [];
  for (let i = 0; i < nodes; i++) layout.push(i < nodes - ram ? 'disk' : 'ram');
  validateLayout(layout);
  return layout;
}

/**
 * Rules: RabbitMQ keeps cluster metadata on disk nodes, so at least one must exist; a lone
 * node cannot be RAM (there would be nothing to persist the schema); and node 1 must be
 * disk because it is the seed the others join, and a RAM node cannot seed a cluster.
 */
export function validateLayout(layout: readonly string[]): asserts layout is NodeType[] {
  const usage = (msg: string): ClusterError => new ClusterError(msg, { exitCode: EXIT_USAGE });
  if (layout.length === 0) throw usage('layout is empty: a cluster needs at least one node');
  if (layout.length > MAX_NODES) throw usage(`layout has ${layout.length} nodes; at most ${MAX_NODES} are supported`);
  for (const t of layout) {
    if (t !== 'disk' && t !== 'ram') throw usage(`invalid node type "${t}": expected disk or ram`);
  }
  if (layout.length === 1 && layout[0] === 'ram') throw usage('a 1-node cluster cannot be a RAM node');
  if (!layout.includes('disk')) throw usage('layout has no disk node: a RabbitMQ cluster needs at least one disk node');
  if (layout[0] !== 'disk') throw usage('the first node must be a disk node: it is the seed the other nodes join');
}

export function formatLayout(layout: readonly NodeType[]): string {
  return layout.join(',');
}

export function sameLayout(a: readonly NodeType[], b: readonly NodeType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** RabbitMQ's spelling of a node type, as used by cluster_status and the management API. */
export function rabbitType(t: NodeType): 'disc' | 'ram' {
  return t === 'disk' ? 'disc' : 'ram';
}
