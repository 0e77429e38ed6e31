import { profileSchema, type Profile } from '../profile/schema.js';
import { formatIssues } from '../profile/format.js';
import { issueLine } from '../profile/path.js';
import { ProfileError } from '../profile/errors.js';
import { maskSecretsInText } from '../util/mask.js';
import type { MatrixProfile } from './matrixProfile.js';

type AxisValue = string | number | boolean | string[];

export interface PlannedCell {
  index: number;
  id: string;
  label: string;
  values: Record<string, AxisValue>;
  profile: Profile | undefined;
  skipped: string | null;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function cartesian(axes: Array<[string, AxisValue[]]>): Array<Record<string, AxisValue>> {
  return axes.reduce<Array<Record<string, AxisValue>>>(
    (combos, [path, values]) => combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v }))),
    [{}],
  );
}

const show = (v: AxisValue): string => (Array.isArray(v) ? v.join('/') : String(v));

/** "quorum, 3 nodes, one-ram": the words a person would use for a cell. */
export function cellLabel(values: Record<string, AxisValue>): string {
  return Object.entries(values)
    .map(([path, v]) => {
      switch (path) {
        case 'queues.type':
          return show(v);
        case 'cluster.local.nodes':
          return v === 1 ? '1 node' : `${show(v)} nodes`;
        case 'cluster.local.layout':
          return show(v);
        case 'publishers.count':
          return `${show(v)} publishers`;
        case 'consumers.count':
          return `${show(v)} consumers`;
        case 'publishers.messageSize':
          return `${show(v)} B`;
        case 'publishers.confirms.maxInFlight':
          return `confirm window ${show(v)}`;
        default:
          return `${path}=${show(v)}`;
      }
    })
    .join(', ');
}

/** Combinations that are valid profiles but measure nothing the matrix is about. */
function replicationSkip(p: Profile): string | null {
  const nodes = p.cluster && 'local' in p.cluster ? p.cluster.local.nodes : p.cluster ? p.cluster.uris.length : p.broker?.uris.length;
  if (nodes === 1 && p.queues.type !== 'classic') return `${p.queues.type} on 1 node has no replicas to measure`;
  return null;
}

const EXCLUDED = 'excluded by the matrix profile';

/** The first two segments of a path: the part of the profile an axis or an issue belongs to. */
const section = (path: string): string => path.split(/[.[]/).slice(0, 2).join('.');

/**
 * Every combination of axis values, as validated profiles. A combination the profile rules reject
 * (a RAM-only cluster, a layout longer than its node count, a follower placement on 1 node) is
 * skipped with the reason. A problem that is the base profile's — outside every section an axis
 * touches and in every combination — fails the whole matrix (exit 2) instead.
 */
export function expandMatrix(m: MatrixProfile, source: string): PlannedCell[] {
  const axes = Object.entries(m.axes) as Array<[string, AxisValue[]]>;
  const axisSections = new Set(axes.map(([path]) => section(path)));
  const planned = cartesian(axes).map((values, index) => {
    const raw = structuredClone(m.base);
    raw.name = `${m.name}-c${index + 1}`;
    for (const [path, v] of Object.entries(values)) setPath(raw, path, v);
    const id = maskSecretsInText(
      Object.entries(values)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(','),
    );
    const cell = { index, id, label: maskSecretsInText(cellLabel(values)), values };
    if (m.exclude.some((e) => matchesValues(values, e))) return { cell, skipped: EXCLUDED, issues: [] };
    const parsed = profileSchema.safeParse(raw);
    if (parsed.success) return { cell, profile: parsed.data, skipped: replicationSkip(parsed.data), issues: [] };
    return { cell, skipped: null, issues: formatIssues(parsed.error.issues, raw, profileSchema).map((i) => ({ line: issueLine(i), path: i.path })) };
  });
  const checked = planned.filter((p) => p.skipped !== EXCLUDED);
  const basesFault = (line: string, path: string): boolean => !axisSections.has(section(path)) && checked.every((p) => p.issues.some((i) => i.line === line));
  const foreign = [...new Set(checked.flatMap((p) => p.issues.filter((i) => basesFault(i.line, i.path)).map((i) => i.line)))];
  if (foreign.length > 0) throw ProfileError.invalid(`${source} (base)`, foreign);
  return planned.map(({ cell, profile, skipped, issues }) => ({
    ...cell,
    profile,
    skipped: issues.length > 0 ? issues.map((i) => i.line).join('; ') : skipped,
  }));
}

function matchesValues(values: Record<string, AxisValue>, want: Record<string, AxisValue>): boolean {
  return Object.entries(want).every(([k, v]) => values[k] !== undefined && show(values[k]) === show(v));
}

/** The baseline: the cell matching the profile's baseline values, else classic on 1 node, else the first runnable cell. */
export function baselineCell(cells: PlannedCell[], baseline: Record<string, AxisValue> | undefined): PlannedCell | undefined {
  const runnable = cells.filter((c) => c.skipped === null);
  if (baseline) return runnable.find((c) => matchesValues(c.values, baseline));
  const classicOne = runnable.find((c) => c.profile?.queues.type === 'classic' && c.profile.cluster && 'local' in c.profile.cluster && c.profile.cluster.local.nodes === 1);
  return classicOne ?? runnable[0];
}
