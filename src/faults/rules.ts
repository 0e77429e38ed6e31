/**
 * iptables rules of a partition, as pure data: which packets to drop so that a set of local nodes
 * is cut off from the rest of its cluster. Running iptables is iptables.ts's job; keeping the two
 * apart lets the rules be unit-tested without root.
 *
 * One chain per cluster, MQBENCH-<basePort>, hooked into OUTPUT: loopback packets traverse OUTPUT
 * (and not FORWARD), so every packet between two local nodes passes through it exactly once.
 * Every rule, the hook included, carries the comment "mqbench" so a leftover is easy to find.
 */

export const RULE_COMMENT = 'mqbench';
export const CHAIN_PREFIX = 'MQBENCH-';

/** The chain of the cluster on basePort. */
export function chainName(basePort: number): string {
  return `${CHAIN_PREFIX}${basePort}`;
}

/** The basePort a chain belongs to, or undefined when the name is not one of ours. */
export function basePortOfChain(chain: string): number | undefined {
  const m = /^MQBENCH-(\d+)$/.exec(chain);
  return m ? Number(m[1]) : undefined;
}

/** What a rule needs to know about a node. */
export interface RuleNode {
  name: string;
  /** Outgoing address of the node's distribution connections (nodeSourceAddress). */
  sourceAddress: string;
  distPort: number;
  amqpPort: number;
}

/** One active cut: `cut` (node names) is separated from every other node of the cluster. */
export interface Cut {
  cut: string[];
  /** Also drop client (AMQP) traffic to and from the cut nodes. */
  clients: boolean;
}

const COMMENT = ['-m', 'comment', '--comment', RULE_COMMENT] as const;
const drop = (...match: string[]): string[] => ['-p', 'tcp', ...match, ...COMMENT, '-j', 'DROP'];

/** Arguments of the OUTPUT rule that sends every packet through the chain (after -I/-C/-D). */
export function hookRule(chain: string): string[] {
  return ['OUTPUT', '-j', chain, ...COMMENT];
}

/**
 * Rules (arguments after `-A <chain>`) for a list of cuts, deduplicated, in a stable order.
 * For each cut node a and each node b on the other side, four rules: a's connections to b's
 * distribution port and their replies, and b's connections to a's and their replies. A connection
 * a → b leaves from a's own source address towards 127.0.0.1:dist_b; rabbitmqctl connects from
 * 127.0.0.1 and is never matched, so the CLI still reaches every node. With `clients`, the cut
 * nodes' AMQP ports are dropped both ways; management ports stay reachable (mqbench observes the
 * cluster through them).
 */
export function partitionRules(nodes: readonly RuleNode[], cuts: readonly Cut[]): string[][] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const rules: string[][] = [];
  const seen = new Set<string>();
  const add = (rule: string[]): void => {
    const key = rule.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    rules.push(rule);
  };
  for (const c of cuts) {
    const side = new Set(c.cut);
    for (const name of c.cut) {
      const a = byName.get(name);
      if (!a) throw new Error(`cannot cut ${name}: not a node of this cluster`);
      for (const b of nodes) {
        if (side.has(b.name)) continue;
        add(drop('-s', a.sourceAddress, '--dport', String(b.distPort)));
        add(drop('-d', a.sourceAddress, '--sport', String(b.distPort)));
        add(drop('-s', b.sourceAddress, '--dport', String(a.distPort)));
        add(drop('-d', b.sourceAddress, '--sport', String(a.distPort)));
      }
    }
    if (c.clients) {
      for (const name of c.cut) {
        const a = byName.get(name)!;
        add(drop('--dport', String(a.amqpPort)));
        add(drop('--sport', String(a.amqpPort)));
      }
    }
  }
  return rules;
}

/**
 * Input for `iptables-restore --noflush` that replaces the chain's rules in one transaction:
 * the `:chain` line creates the chain or flushes it, and nothing else in the table is touched.
 * Atomic replacement matters when one of several cuts is healed: flushing and re-adding rule by
 * rule would briefly let the remaining cuts' packets through.
 */
export function restoreInput(chain: string, rules: readonly string[][]): string {
  const lines = ['*filter', `:${chain} - [0:0]`, ...rules.map((r) => ['-A', chain, ...r].map(quoteRestoreArg).join(' ')), 'COMMIT', ''];
  return lines.join('\n');
}

/** iptables-restore splits lines on spaces and honours double quotes; our arguments never need them, so refuse anything odd. */
function quoteRestoreArg(arg: string): string {
  if (!/^[A-Za-z0-9_./:-]+$/.test(arg)) throw new Error(`unexpected iptables argument ${JSON.stringify(arg)}`);
  return arg;
}
