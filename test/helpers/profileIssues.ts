import assert from 'node:assert/strict';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';

/** The issue lines of the ProfileError that parsing `json` throws; fails the test when it parses. */
export function issuesOf(json: unknown): readonly string[] {
  try {
    parseProfile(json, 'profiles/x.json', {});
  } catch (error) {
    assert.ok(error instanceof ProfileError, `expected ProfileError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail('profile unexpectedly valid');
}
