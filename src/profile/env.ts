import { formatPath, type FieldPath, type ProfileIssue } from './path.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** `$${` is an escaped literal `${`; `${NAME}` a reference; any other `${` is malformed. */
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/**
 * Replaces `${NAME}` in every string value of parsed JSON (keys are left alone), so secrets such as
 * passwords can stay out of profile files. Runs before validation; unresolved references are
 * reported as issues and left in place.
 */
export function substituteEnv(value: unknown, env: Env): { value: unknown; issues: ProfileIssue[] } {
  const issues: ProfileIssue[] = [];
  const result = walk(value, [], env, issues);
  return { value: result, issues };
}

function walk(value: unknown, path: PropertyKey[], env: Env, issues: ProfileIssue[]): unknown {
  if (typeof value === 'string') return substituteString(value, path, env, issues);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i], env, issues));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key], env, issues)]));
  }
  return value;
}

function substituteString(text: string, path: FieldPath, env: Env, issues: ProfileIssue[]): string {
  if (!text.includes('${')) return text;
  return text.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '$${') return '${';
    if (name === undefined) {
      issues.push({ path: formatPath(path), message: 'malformed "${": write ${NAME}, or $${ for a literal "${"' });
      return token;
    }
    const replacement = env[name];
    if (replacement === undefined) {
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return token;
    }
    return replacement;
  });
}
