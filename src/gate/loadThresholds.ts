import { readJsonFile } from '../profile/load.js';
import { ProfileError } from '../profile/errors.js';
import { formatIssues } from '../profile/format.js';
import { issueLine } from '../profile/path.js';
import type { Profile } from '../profile/schema.js';
import { GateInputError } from './errors.js';
import { thresholdsFileSchema, thresholdsSchema, toThresholds } from './thresholdSchema.js';
import type { Threshold } from './model.js';

/** A thresholds file (`{ "thresholds": { ... } }`): every problem named by metric, exit 2. */
export async function loadThresholdsFile(path: string): Promise<Threshold[]> {
  const json = await readJsonFile(path, 'thresholds file');
  const parsed = thresholdsFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues, json, thresholdsFileSchema).map(issueLine);
    throw new ProfileError(path, [...new Set(lines)], `${path}: invalid thresholds`);
  }
  return toThresholds(parsed.data.thresholds);
}

/** The thresholds a result's profile carried (validated again: the result may come from elsewhere). */
export function thresholdsOfProfile(profile: Profile | undefined, source: string): Threshold[] {
  const raw = profile?.thresholds;
  if (raw === undefined) return [];
  const parsed = thresholdsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues, raw, thresholdsSchema).map((i) => `thresholds.${issueLine(i)}`);
    throw new GateInputError(`${source}: invalid thresholds in the profile: ${lines.join('; ')}`);
  }
  return toThresholds(parsed.data);
}
