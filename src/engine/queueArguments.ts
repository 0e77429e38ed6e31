import type { QueueArguments } from '../amqp/client.js';
import type { Profile } from '../profile/schema.js';

/** Queue arguments from the profile: type, replicas, and where the leader should live. */
export function queueArguments(profile: Profile): QueueArguments {
  const q = profile.queues;
  // Quorum queues and streams have a leader and replicas; classic queues a master (and mirrors by policy).
  const replicated = q.type === 'quorum' || q.type === 'stream';
  const args: QueueArguments = { ...q.arguments, 'x-queue-type': replicated ? q.type : 'classic' };
  if (q.initialGroupSize !== undefined) args[q.type === 'stream' ? 'x-initial-cluster-size' : 'x-quorum-initial-group-size'] = q.initialGroupSize;
  const locator = profile.placement.leader === 'balanced' ? (replicated ? 'balanced' : 'min-masters') : 'client-local';
  args[replicated ? 'x-queue-leader-locator' : 'x-queue-master-locator'] = locator;
  return args;
}
