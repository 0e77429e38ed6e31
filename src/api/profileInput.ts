import { loadProfile, parseProfile } from '../profile/load.js';
import type { Profile, ProfileInput } from '../profile/schema.js';

/** What the API takes as a profile: a file's path, an object as written (validated here), or a validated Profile. */
export type ProfileArgument = string | ProfileInput | Profile;

/**
 * The validated profile and where it came from, as results record it: `source` when given, else the
 * path, else `fallback` (e.g. "runBenchmark()"). A file is read and checked as `mqbench run` does.
 */
export async function resolveProfile(profile: ProfileArgument, source: string | undefined, fallback: string): Promise<{ profile: Profile; source: string }> {
  const from = source ?? (typeof profile === 'string' ? profile : fallback);
  return { profile: typeof profile === 'string' ? await loadProfile(profile) : parseProfile(profile, from), source: from };
}
