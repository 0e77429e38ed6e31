import { profileSchema, type Profile } from '../profile/schema.js';
import { formatIssues } from '../profile/format.js';
import { issueLine } from '../profile/path.js';
import { ProfileError } from '../profile/errors.js';
import { formatPath } from '../profile/path.js';
import { maskSecrets, maskSecretsInText } from '../util/mask.js';
import { canonicalMatrix, overrideIssues, type MatrixProfile } from './matrixProfile.js';

type AxisValue = string | number | boolean | string[];

export interface PlannedCell {
  index: number;
  id: string;
  label: string;
  values: Record<string, AxisValue>;
  /** Profile path → value set by the matrix's overrides on this cell (later overrides win), passwords masked; {} when none matched. */
  overrides: Record<string, unknown>;
  profile: Profile | undefined;
  skipped: string | null;
  /** The profile file this cell's runs record as their profileSource (`run --baseline-profile`); default: the runner's source. */
  source?: string;
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

/** Does an issue path (`queues.initialGroupSize`, `broker.uris[0]`) lie at or below a profile path an override sets? */
const under = (issuePath: string, setPath: string): boolean => issuePath === setPath || issuePath.startsWith(`${setPath}.`) || issuePath.startsWith(`${setPath}[`);

/**
 * Every combination of axis values, as validated profiles. Overrides whose `when` matches a cell's
 * axis values are applied after them, in order. A combination the profile rules reject (a RAM-only
 * cluster, a layout longer than its node count, a follower placement on 1 node) is skipped with the
 * reason. A problem that is the base profile's — outside every section an axis touches and in
 * every combination — fails the whole matrix (exit 2) instead, as does one an override causes in
 * every cell it applies to (it is then that override's problem, named by its field).
 */
export function expandMatrix(input: MatrixProfile, source: string): PlannedCell[] {
  // Checked as written, so the message names the key the profile has (an alias, say).
  const badOverrides = overrideIssues(input);
  if (badOverrides.length > 0) throw ProfileError.invalid(source, badOverrides);
  const m = canonicalMatrix(input);
  const axes = Object.entries(m.axes) as Array<[string, AxisValue[]]>;
  const axisSections = new Set(axes.map(([path]) => section(path)));
  const planned = cartesian(axes).map((combination, index) => {
    const raw = structuredClone(m.base);
    raw.name = `${m.name}-c${index + 1}`;
    for (const [path, v] of Object.entries(combination)) setPath(raw, path, v);
    const values = { ...combination };
    const applied: Record<string, unknown> = {};
    const matched: number[] = [];
    m.overrides.forEach((o, i) => {
      if (!matchesValues(combination, o.when as Record<string, AxisValue>)) return;
      matched.push(i);
      for (const [path, v] of Object.entries(o.set)) {
        setPath(raw, path, structuredClone(v));
        applied[path] = v;
        // An override of an axis path is what the cell ran: its values and label say so.
        if (path in values) values[path] = v as AxisValue;
      }
    });
    const id = maskSecretsInText(
      Object.entries(values)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(','),
    );
    const cell = { index, id, label: maskSecretsInText(cellLabel(values)), values, overrides: maskSecrets(applied) };
    if (m.exclude.some((e) => matchesValues(combination, e))) return { cell, matched, skipped: EXCLUDED, issues: [] };
    const parsed = profileSchema.safeParse(raw);
    if (parsed.success) return { cell, matched, profile: parsed.data, skipped: replicationSkip(parsed.data), issues: [] };
    return { cell, matched, skipped: null, issues: formatIssues(parsed.error.issues, raw, profileSchema).map((i) => ({ line: issueLine(i), path: i.path, message: i.message })) };
  });
  const checked = planned.filter((p) => p.skipped !== EXCLUDED);

  // An issue under a path an override sets, in every (checked) cell it applies to, is the override's.
  const overrideFaults: string[] = [];
  const blamed = new Set<string>();
  m.overrides.forEach((o, i) => {
    const cells = checked.filter((p) => p.matched.includes(i));
    if (cells.length === 0) return;
    for (const setPath of Object.keys(o.set)) {
      for (const issue of cells[0]!.issues.filter((x) => under(x.path, setPath))) {
        if (!cells.every((p) => p.issues.some((x) => x.line === issue.line))) continue;
        blamed.add(issue.line);
        const below = issue.path === setPath ? '' : ` (${issue.path})`;
        overrideFaults.push(`${formatPath(['overrides', i, 'set', setPath])}: ${issue.message}${below} (in every cell it applies to)`);
      }
    }
  });
  if (overrideFaults.length > 0) throw ProfileError.invalid(source, [...new Set(overrideFaults)]);

  const basesFault = (line: string, path: string): boolean => !axisSections.has(section(path)) && checked.every((p) => p.issues.some((i) => i.line === line));
  const foreign = [...new Set(checked.flatMap((p) => p.issues.filter((i) => !blamed.has(i.line) && basesFault(i.line, i.path)).map((i) => i.line)))];
  if (foreign.length > 0) throw ProfileError.invalid(`${source} (base)`, foreign);

  const ids = new Map<string, string>();
  for (const { cell } of planned) {
    const twin = ids.get(cell.id);
    if (twin !== undefined) throw ProfileError.invalid(source, [`overrides: cells ${JSON.stringify(twin)} and ${JSON.stringify(cell.label)} end up with the same axis values (an override sets an axis path); use exclude instead`]);
    ids.set(cell.id, cell.label);
  }
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
