import type { Profile } from '../profile/schema.js';

/**
 * Why confirmed messages may be gone without a consumer having lost anything: they expired (a
 * per-message TTL, publishers.expiration, or the queue's x-message-ttl). The account still counts
 * them as lost — they never reached a consumer — and this note says so wherever loss is reported.
 */
export function expiryNote(profile: Pick<Profile, 'publishers' | 'queues'>): string | undefined {
  const causes: string[] = [];
  if (profile.publishers.expiration !== undefined) causes.push(`publishers.expiration ${profile.publishers.expiration}`);
  const ttl = profile.queues.arguments['x-message-ttl'];
  if (ttl !== undefined) causes.push(`queue x-message-ttl ${String(ttl)} ms`);
  return causes.length === 0 ? undefined : `messages may have expired (${causes.join(', ')}): lost includes expired`;
}
