import type { QueueArguments } from '../amqp/client.js';
import type { Profile } from '../profile/schema.js';

/** Queue arguments from the profile: type, replicas, and where the leader should live. */
export function queueArguments(profile: Profile): QueueArguments {
  const q = profile.queues;
  const quorum = q.type === 'quorum';
  const args: QueueArguments = { ...q.arguments, 'x-queue-type': quorum ? 'quorum' : 'classic' };
  if (q.initialGroupSize !== undefined) args['x-quorum-initial-group-size'] = q.initialGroupSize;
  const locator = profile.placement.leader === 'balanced' ? (quorum ? 'balanced' : 'min-masters') : 'client-local';
  args[quorum ? 'x-queue-leader-locator' : 'x-queue-master-locator'] = locator;
  return args;
}
