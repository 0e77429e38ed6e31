import type { z } from 'zod';
import { branchFor, branchIndex, describeSchema, knownKeys, oneOf, schemaAt } from './describe.js';
import { maskSecretsInText } from '../util/mask.js';
import { formatPath, valueAt, type ProfileIssue } from './path.js';

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;

/** Longest rendering of the offending value before it is cut short. */
const MAX_VALUE_CHARS = 80;

/**
 * Turns zod issues into `path: expected …, got <value>` lines. `input` is the data that was
 * validated (values are looked up there, since zod does not report them by default) and `schema`
 * the schema it was validated against (to describe the full expectation).
 */
export function formatIssues(issues: readonly Issue[], input: unknown, schema: Schema): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    for (const formatted of formatIssue(issue, input, schema)) {
      const key = `${formatted.path}\0${formatted.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(formatted);
    }
  }
  return out;
}

function formatIssue(issue: Issue, input: unknown, schema: Schema): ProfileIssue[] {
  const path = issue.path;
  const { found, value } = valueAt(input, path);
  const leaf = branchFor(schemaAt(schema, path), value);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(leaf);
    return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: `unknown field${suggest(key, known)}` }));
  }
  if (issue.code === 'invalid_union') {
    // A value of the form one option is for (an object where a number or an object is allowed) is
    // judged by that option alone, so its errors name the fields inside it.
    const option = found ? branchIndex(schemaAt(schema, path), value) : undefined;
    const inner = option === undefined ? undefined : issue.errors[option];
    if (inner !== undefined && inner.length > 0) return inner.flatMap((i) => formatIssue({ ...i, path: [...path, ...i.path] } as Issue, input, schema));
  }
  const expected = expectation(issue, leaf);
  if (!found && issue.code === 'invalid_type') return [{ path: formatPath(path), message: `missing, ${expected}` }];
  const showValue = found && !(issue.code === 'custom' && issue.params?.['showValue'] === false);
  return [{ path: formatPath(path), message: showValue ? `${expected}, got ${renderValue(value)}` : expected }];
}

/** The message without the "got …" part. */
function expectation(issue: Issue, leaf: Schema | undefined): string {
  const described = leaf === undefined ? undefined : describeSchema(leaf);
  switch (issue.code) {
    case 'invalid_type':
      // A schema with its own error message (e.g. durations) knows better than a generic type name.
      if (leaf?._zod.def.error !== undefined) return issue.message;
      return `expected ${described ?? article(issue.expected)}`;
    case 'too_small':
    case 'too_big':
      return `expected ${described ?? boundText(issue)}`;
    case 'invalid_value':
      return `expected ${oneOf(issue.values)}`;
    case 'invalid_union':
      if (leaf?._zod.def.error !== undefined) return issue.message;
      return described === undefined ? 'matches none of the allowed forms' : `expected ${described}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'invalid_format':
      // Profile schemas give their formats readable messages; zod's defaults start with "Invalid".
      return issue.message.startsWith('Invalid') && issue.pattern !== undefined
        ? `expected a string matching ${issue.pattern}`
        : issue.message;
    default:
      return issue.message;
  }
}

function boundText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  const op = (small ? '>' : '<') + (issue.inclusive === false ? '' : '=');
  switch (issue.origin) {
    case 'string':
      return `a string of ${small ? 'at least' : 'at most'} ${limit} characters`;
    case 'array':
      return `a list of ${small ? 'at least' : 'at most'} ${limit} items`;
    default:
      return `a value ${op} ${limit}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** JSON rendering with passwords masked (before truncation, so a cut URI cannot leak its password). */
export function renderValue(value: unknown): string {
  const text = maskSecretsInText(value === undefined ? 'undefined' : JSON.stringify(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}

/** ` (did you mean "type"?)` when a known field is one or two edits away. */
function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    // Short names are all close to each other; only suggest when most of the name matches.
    if (d <= 2 && d * 2 <= candidate.length && d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
