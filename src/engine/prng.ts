/**
 * mulberry32: a small, fast, seeded generator of floats in [0, 1), good enough for arrival times
 * and message sizes, so a run can be replayed from its run id.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-agent seed from the run id, the agent's id and a salt (so two generators of one agent differ). */
export function agentSeed(runId: number, agentId: number, salt = 0): number {
  return (runId ^ Math.imul(agentId + 1, 0x9e3779b1) ^ salt) >>> 0;
}
