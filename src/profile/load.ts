import { readFile } from 'node:fs/promises';
import { substituteEnv, type Env } from './env.js';
import { ProfileError } from './errors.js';
import { formatIssues } from './format.js';
import { locateJsonError } from './jsonError.js';
import { maskSecretsInText } from '../util/mask.js';
import { issueLine } from './path.js';
import { profileSchema, type Profile } from './schema.js';

export { DEFAULT_DURATION, drainTimeoutMs, resolveRunLength, timings, warmupMs, type RunLength, type Timings } from './timings.js';

/** Reads, parses, substitutes `${ENV}` and validates a profile file; throws ProfileError listing every problem. */
export async function loadProfile(path: string, env: Env = process.env): Promise<Profile> {
  return parseProfile(await readJsonFile(path, 'profile'), path, env);
}

/** Reads a JSON file; a missing file or bad JSON (with line and column) becomes a ProfileError. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ProfileError(path, [`cannot read ${what} ${path}: ${readFailure(error)}`]);
  }
  return parseJsonText(text, path);
}

/** Parses JSON text; `source` names it in messages (usually the file path). */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // editors on Windows may add a BOM
  try {
    return JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const where = locateJsonError(body, error);
    const at = where.line === undefined ? '' : `:${where.line}:${where.column}`;
    throw new ProfileError(source, [`${source}${at}: invalid JSON: ${where.reason}`]);
  }
}

/** Parses profile JSON text; `source` names it in messages (usually the file path). */
export function parseProfileText(text: string, source: string, env: Env = process.env): Profile {
  return parseProfile(parseJsonText(text, source), source, env);
}

/** Validates a profile already in memory (after `${ENV}` substitution). */
export function parseProfile(json: unknown, source: string, env: Env = process.env): Profile {
  const substituted = substituteEnv(json, env);
  const result = profileSchema.safeParse(substituted.value);
  if (substituted.issues.length === 0 && result.success) return result.data;

  // A field with an unset variable would also fail validation; report only the cause.
  const envPaths = new Set(substituted.issues.map((issue) => issue.path));
  const validation = result.success ? [] : formatIssues(result.error.issues, substituted.value, profileSchema);
  const lines = [...substituted.issues, ...validation.filter((issue) => !envPaths.has(issue.path))].map(issueLine);
  throw ProfileError.invalid(source, [...new Set(lines)]);
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return maskSecretsInText(error instanceof Error ? error.message : String(error));
}
