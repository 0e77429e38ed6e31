import { basePortOfChain, CHAIN_PREFIX } from './rules.js';

/** An mqbench chain found in `iptables -S` output: what a crashed run may have left behind. */
export interface ChainListing {
  chain: string;
  basePort: number;
  /** The chain's rules as iptables prints them (`-A MQBENCH-5960 ...`). */
  rules: string[];
  /** Whether OUTPUT jumps to it, i.e. whether its rules take effect. */
  hooked: boolean;
}

/**
 * Every MQBENCH-<basePort> chain in `iptables -S` output, with its rules and hook. Pure, so the
 * parsing is unit-tested on captured listings. A hook to a chain that has no `-N` line cannot
 * exist (iptables refuses it), but a chain without a hook can: both are reported.
 */
export function parseMqbenchChains(listing: string): ChainListing[] {
  const chains = new Map<string, ChainListing>();
  const get = (chain: string): ChainListing | undefined => {
    const basePort = basePortOfChain(chain);
    if (basePort === undefined) return undefined;
    let c = chains.get(chain);
    if (!c) {
      c = { chain, basePort, rules: [], hooked: false };
      chains.set(chain, c);
    }
    return c;
  };
  for (const raw of listing.split('\n')) {
    const line = raw.trim();
    const t = splitRule(line);
    if (t[0] === '-N' && t[1]?.startsWith(CHAIN_PREFIX)) get(t[1]);
    if (t[0] !== '-A' || t[1] === undefined) continue;
    if (t[1].startsWith(CHAIN_PREFIX)) get(t[1])?.rules.push(line);
    const j = t.indexOf('-j');
    const target = j >= 0 ? t[j + 1] : undefined;
    if (t[1] === 'OUTPUT' && target?.startsWith(CHAIN_PREFIX)) {
      const c = get(target);
      if (c) c.hooked = true;
    }
  }
  return [...chains.values()].sort((a, b) => a.basePort - b.basePort);
}

/** Split one `iptables -S` line into arguments; iptables double-quotes values with spaces (comments). */
export function splitRule(line: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return tokens;
}
