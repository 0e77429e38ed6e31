import type { StepReport } from '../../src/metrics/faultAnalysis.js';
import type { RunResult } from '../../src/results/model.js';
import type { Source, TableGenerator } from './generator.js';
import { claim, expectKind } from './generator.js';
import { bold, count, mdTable, sec } from './format.js';

const NAME = 'fault-experiments';

/** The profile's "20s" as the README writes it: "20 s". */
const at = (s: StepReport): string => s.at.replace(/^(\d+(?:\.\d+)?)s$/, '$1 s');
/** How long a step took (stop_app waits for the node to stop). */
const took = (s: StepReport): string => `${sec(s.doneMs - s.requestedMs)} s`;

/** The run's steps, every one applied, and the claims about their actions that the wording makes. */
function steps(r: RunResult, shape: Array<[action: string, target: string]>): StepReport[] {
  const s = r.faults?.steps ?? [];
  claim(s.length === shape.length, NAME, `${r.name} ran ${shape.length} fault steps`);
  shape.forEach(([action, target], i) => {
    claim(s[i]!.action === action && s[i]!.target === target && s[i]!.error === null, NAME, `${r.name}'s step ${i + 1} is "${action} ${target}", applied`);
  });
  return s;
}

/** Agents that lost their connection, with how long each took to recover (to its next `recovered`). */
function reconnections(r: RunResult): Array<{ lostAtMs: number; afterMs: number | null }> {
  return r.events
    .filter((e) => e.type === 'connectionLost')
    .map((lost) => {
      const back = r.events.find((e) => e.type === 'recovered' && e.agent === lost.agent && e.agentId === lost.agentId && e.tMs >= lost.tMs);
      return { lostAtMs: lost.tMs, afterMs: back ? back.tMs - lost.tMs : null };
    });
}

const stalledPublishers = (r: RunResult): number => new Set(r.events.filter((e) => e.type === 'confirmsStalled').map((e) => e.agentId)).size;

interface Wording {
  /** "what mqbench did". */
  did(r: RunResult): string;
  /** "what else happened". */
  happened(r: RunResult): string;
}

/**
 * The words of each experiment's row, keyed by the result's name; every figure in them is read from
 * the result, and what they claim is checked (claim()), so a re-measured file that tells another
 * story fails to regenerate instead of keeping stale words. A new experiment needs an entry here.
 */
const WORDING: Record<string, Wording> = {
  'leader-loss': {
    did(r) {
      const [stop, start] = steps(r, [['stop', 'leader'], ['start', 'leader']]);
      return `\`stop_app\` on the leader at ${at(stop!)} (took ${took(stop!)}), \`start_app\` at ${at(start!)}`;
    },
    happened(r) {
      const [stop] = steps(r, [['stop', 'leader'], ['start', 'leader']]);
      const w = r.timing.warmupMs;
      claim(stop!.newLeaderAtMs !== null && Math.abs(stop!.newLeaderAtMs - stop!.doneMs) < 1000, NAME, 'leader-loss handed leadership over at the very end of the stop');
      const lost = reconnections(r);
      claim(lost.length > 0 && lost.every((l) => l.afterMs !== null && l.lostAtMs >= stop!.requestedMs && l.lostAtMs <= stop!.doneMs), NAME, 'leader-loss clients were disconnected during the stop and all reconnected');
      const into = Math.min(...lost.map((l) => l.lostAtMs)) - stop!.requestedMs;
      const within = Math.max(...lost.map((l) => l.afterMs!));
      const d = r.delivery;
      return (
        `a graceful stop hands leadership over at its very end: new leader at ${sec(stop!.newLeaderAtMs! - w)} s; ` +
        `the ${lost.length} clients on the stopped node were disconnected ${sec(into)} s into the stop and reconnected to another node within ${sec(within)} s ` +
        `(${count(d.republished)} messages in flight re-published, ${count(d.duplicates)} duplicates)`
      );
    },
  },
  'quorum-loss': {
    did(r) {
      const [stop, start] = steps(r, [['stop', 'all-but-leader'], ['start', 'all-but-leader']]);
      claim(stop!.nodes.length === 2 && start!.nodes.length === 1, NAME, 'quorum-loss stopped both followers and started one');
      return `\`stop_app\` on both followers at ${at(stop!)} (took ${took(stop!)}), \`start_app\` on one at ${at(start!)}`;
    },
    happened(r) {
      const publishers = r.profile.publishers.count;
      claim(publishers === 2 && stalledPublishers(r) === publishers, NAME, 'both (2) publishers of quorum-loss reported stalled');
      claim(r.delivery.lost === 0 && r.delivery.notConsumed === 0, NAME, 'quorum-loss delivered every blocked message');
      claim(r.faults!.restoredAtEnd.some((a) => a.action === 'start' && a.error === null), NAME, 'quorum-loss started the second follower at the end');
      return (
        'publishing blocked once the second follower was down: both publishers reported stalled; the blocked messages were confirmed and delivered once a majority was back, ' +
        `e2e p99 ${sec(r.latency.e2e.corrected.p99Ms)} s; the second follower was started at the end`
      );
    },
  },
  'pause-leader': {
    did(r) {
      const [pause, resume] = steps(r, [['pause', 'leader'], ['resume', 'leader']]);
      return `SIGSTOP of the leader's VM at ${at(pause!)}, SIGCONT at ${at(resume!)}`;
    },
    happened(r) {
      const [pause, resume] = steps(r, [['pause', 'leader'], ['resume', 'leader']]);
      claim(pause!.newLeaderAtMs !== null && pause!.newLeaderAtMs < resume!.requestedMs, NAME, 'pause-leader elected a new leader within the pause');
      const lost = r.events.filter((e) => e.type === 'connectionLost');
      claim(lost.length > 0 && lost.every((e) => e.detail.includes('Heartbeat timeout')), NAME, 'pause-leader clients noticed by heartbeat timeout');
      return (
        `Raft elected a new leader within the pause; clients on the frozen node noticed only by heartbeat timeout and then reconnected (${count(r.delivery.republished)} unconfirmed messages re-published); ` +
        `e2e p99 ${sec(r.latency.e2e.corrected.p99Ms)} s from their stalled messages`
      );
    },
  },
  'partition-leader': {
    did(r) {
      const [cut, heal] = steps(r, [['partition', 'leader'], ['heal', 'leader']]);
      return `iptables cut of the leader (nodes and its clients) at ${at(cut!)}, healed at ${at(heal!)}`;
    },
    happened(r) {
      const [cut, heal] = steps(r, [['partition', 'leader'], ['heal', 'leader']]);
      claim(cut!.newLeader !== null, NAME, 'the majority elected a new leader in partition-leader');
      claim(heal!.confirmGap !== null && heal!.confirmGap.fromMs > heal!.requestedMs, NAME, 'partition-leader went without a confirm again after the heal');
      return `the majority elected a new leader; after the heal autoheal restarted the cut-off node, which cost another ${(heal!.confirmGap!.durationMs / 1000).toFixed(0)} s without a confirm`;
    },
  },
};

/**
 * The queue's unavailability: the longest gap without a confirm during the first step, "X s, at T s"
 * when it was too short to show its end apart from its start, else "X s (from – to s)"; then any
 * other gap of a later step of 1 s or more ("then 4.0 s after the heal"). Times from the start of
 * measurement.
 */
function unavailable(r: RunResult): { text: string; firstGapMs: number } {
  const w = r.timing.warmupMs;
  const [first, ...later] = r.faults?.steps ?? [];
  const gap = first?.confirmGap;
  if (!gap) return { text: 'none', firstGapMs: 0 };
  const from = sec(gap.fromMs - w);
  const to = sec(gap.toMs - w);
  let text = `${sec(gap.durationMs)} s` + (from === to ? `, at ${from} s` : ` (${from} – ${to} s)`);
  for (const s of later) {
    const g = s.confirmGap;
    if (g && g.fromMs !== gap.fromMs && g.durationMs >= 1000) text += `, then ${sec(g.durationMs)} s after the ${s.action}`;
  }
  return { text, firstGapMs: gap.durationMs };
}

/**
 * "What replication buys": the fault experiments, one run result each — what mqbench did, how long
 * the queue went without a confirm (the longest in bold), confirmed messages lost, and what else the
 * result shows (words per experiment above).
 */
export const faultExperiments: TableGenerator = {
  describe: 'fault runs (mqbench run of profiles/faults/*): what was done, unavailability, lost, what else happened',
  files: 'many',
  render(sources: Source[]) {
    const runs = sources.map((s) => expectKind<RunResult>(s, 'run'));
    const gaps = runs.map(unavailable);
    const longest = Math.max(...gaps.map((g) => g.firstGapMs));
    const rows = runs.map((r, i) => {
      const words = WORDING[r.name];
      if (!words) throw new Error(`${NAME}: no wording for experiment "${r.name}" (${sources[i]!.path}): add it to WORDING in scripts/readme/faultExperiments.ts`);
      const d = r.delivery;
      const lost = d.lost === null ? 'not computed' : `${count(d.lost)} of ${count(d.confirmed)}`;
      const u = gaps[i]!;
      const text = runs.length > 1 && u.firstGapMs === longest ? u.text.replace(/^[\d.]+ s/, (m) => bold(m, true)) : u.text;
      return [`\`${r.name}\``, words.did(r), text, lost, words.happened(r)];
    });
    return mdTable(['experiment', 'what mqbench did', 'unavailable (longest time without a confirm during the fault)', 'confirmed lost', 'what else happened'], rows);
  },
};
