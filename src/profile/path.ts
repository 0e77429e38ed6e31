/** Field paths in messages: dots for keys, [i] for array indexes, e.g. `broker.uris[0]`. */
export type FieldPath = readonly PropertyKey[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function formatPath(path: FieldPath): string {
  if (path.length === 0) return 'profile';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The value at `path` in plain JSON data; `found` is false when some step does not exist. */
export function valueAt(root: unknown, path: FieldPath): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return { found: false, value: undefined };
    const step = typeof key === 'symbol' ? undefined : String(key);
    if (step === undefined || !Object.hasOwn(current, step)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[step];
  }
  return { found: true, value: current };
}

/** One problem with a profile, tied to the field it concerns. */
export interface ProfileIssue {
  path: string;
  message: string;
}

export function issueLine(issue: ProfileIssue): string {
  return `${issue.path}: ${issue.message}`;
}
