/** Public API of the fault layer (local clusters mqbench started only). */
export { FaultInjector, type FaultInjectorOptions } from './injector.js';
export { FaultPreflightError } from './preflight.js';
export { LeaderWatch, type LeaderWatchOptions } from './leaderWatch.js';
export { readMembership, DEFAULT_READ_TIMEOUT_MS, type ReadOptions } from './membership.js';
export { resolveTargets, type NodeFaultState, type TakeDown, type TargetContext, type TargetResolution } from './targets.js';
export { findLeftovers, removeLeftovers, otherFaultChains, type FaultScope, type RemoveOptions } from './cleanup.js';
export { undoActiveFaultsSync } from './guard.js';
export { chainName, partitionRules, hookRule, RULE_COMMENT, type Cut, type RuleNode } from './rules.js';
export { parseMqbenchChains, type ChainListing } from './listing.js';
export type { QueueMembership, MembershipChange, AppliedStep, RestoreAction, LeftoverFault, FaultStep } from './types.js';
