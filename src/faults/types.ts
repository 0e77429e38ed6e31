import type { FaultAction, FaultStep, FaultTarget } from '../profile/faultSchema.js';

/** Who holds the benchmark queue at one moment: its leader (or classic master) and replicas. */
export interface QueueMembership {
  /** Erlang node name of the leader/master; undefined when the API could not tell (no leader, no answer). */
  leader: string | undefined;
  /** Replica nodes: quorum members, or master + mirrors of a mirrored queue, or the one node of a classic queue. */
  members: string[];
  /** Members currently online (quorum: as Ra reports; classic: master + synchronised mirrors). */
  online: string[];
}

/** One change seen by the leader watch. `tMs` is on the run's clock (see FaultInjectorOptions.clockMs). */
export interface MembershipChange {
  tMs: number;
  queue: string;
  leader: string | null;
  members: string[];
  online: string[];
}

/** What one fault step did, for the result's timeline. Times are on the run's clock (ms since the start barrier). */
export interface AppliedStep {
  index: number;
  at: string;
  action: FaultAction;
  target: FaultTarget;
  count: number | null;
  /** Node names the target resolved to when the step ran (empty when it failed before resolving). */
  nodes: string[];
  /** The leader of the benchmark queue when the step was requested (null when unknown). */
  leaderBefore: string | null;
  requestedMs: number;
  doneMs: number;
  /** Why the step failed or did nothing (e.g. "node 2 was not stopped"); null when it did what it says. */
  error: string | null;
}

/** Something mqbench had to undo at the end of a run so the cluster is whole again. */
export interface RestoreAction {
  action: 'start' | 'resume' | 'heal';
  nodes: string[];
  error: string | null;
}

/** A fault mqbench left in place (crash, SIGKILL of mqbench): shown by `cluster status`, removed by `cluster down`. */
export interface LeftoverFault {
  kind: 'iptables-chain' | 'paused-node';
  /** The chain name, or the node name. */
  what: string;
  detail: string;
}

export type { FaultStep };
