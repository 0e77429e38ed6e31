import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CapacityResult } from '../../src/capacity/model.js';
import type { CellSummary, MatrixResult } from '../../src/matrix/model.js';
import type { RunResult } from '../../src/results/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { unifiedDiff } from '../../scripts/readme/diff.js';
import { findBlocks, regenerate } from '../../scripts/readme/markers.js';
import { sectionsWithTables } from '../../scripts/readme/proseFigures.js';
import { checkReadme, resultLoader } from '../../scripts/readme/readmeFile.js';
import { GENERATORS } from '../../scripts/readme/registry.js';

const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('every generated table of README.md equals what its result files regenerate', () => {
  const { diff } = checkReadme(root);
  assert.equal(diff, '', `README.md's generated tables differ from their result files; run node dist/scripts/readme-tables.js\n${diff}`);
});

test('the README marks the result tables of its measurement sections', () => {
  const used = [...new Set(findBlocks(readme).map((b) => b.generator))];
  assert.deepEqual(used.sort(), Object.keys(GENERATORS).sort(), 'every registered generator makes a table of the README');
});

test('readme-tables.js --check exits 0 on the committed README', () => {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'readme-tables.js'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, new RegExp(`: ${findBlocks(readme).length} generated tables agree with their result files`));
});

/** `| \`pattern\` | \`command\` |` rows of results/reference/README.md's table. */
function referenceListing(): Array<{ pattern: RegExp; command: string; raw: string }> {
  const text = readFileSync(join(root, 'results', 'reference', 'README.md'), 'utf8');
  return [...text.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)].map((m) => ({
    raw: m[1]!,
    pattern: new RegExp(`^${m[1]!.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`),
    command: m[2]!,
  }));
}

test('every file a marker names exists under results/reference/ and is listed with its command in results/reference/README.md', () => {
  const listing = referenceListing();
  assert.ok(listing.length >= 8, `the listing table of results/reference/README.md was not found (${listing.length} rows)`);
  const files = findBlocks(readme).flatMap((b) => b.files);
  assert.ok(files.length >= 10);
  for (const file of files) {
    assert.ok(file.startsWith('results/reference/'), `${file}: README figures come from results/reference/`);
    assert.ok(existsSync(join(root, file)), `${file} does not exist`);
    const name = file.slice('results/reference/'.length);
    const row = listing.find((l) => l.pattern.test(name));
    assert.ok(row, `${name} is not listed in results/reference/README.md`);
    assert.match(row.command, /^(npx mqbench|node dist\/scripts\/)/, `${name}: listed without a command`);
    // A file that records the command that made it must be listed with that command.
    const recorded = (JSON.parse(readFileSync(join(root, file), 'utf8')) as { command?: unknown }).command;
    if (typeof recorded === 'string') assert.equal(row.command, recorded, `${name}: the listed command is not the one the file records`);
  }
});

/**
 * Figures quoted in sentences of a section with generated tables that are not in those tables:
 * each names the generator whose file (the one that section's marker names) it comes from, and
 * `verify` recomputes it from that file, so a re-measured file with stale prose fails here. `from:
 * null` marks a figure no committed file holds (see `why`).
 */
interface AllowedFigure {
  section: string;
  text: string;
  from: string | null;
  why: string;
  verify?: (data: unknown) => boolean;
}

const near = (quoted: number, actual: number, tolerance: number): boolean => Math.abs(quoted - actual) <= tolerance * actual;

const ALLOWED: AllowedFigure[] = [
  {
    section: 'Latency without a backlog',
    text: '1,000',
    from: 'latency-matrix',
    why: 'the fixed total publish rate of every cell (publishers.rate × count)',
    verify: (d) => (d as MatrixResult).cells.every((c) => c.runs.every((r) => typeof r.profile.publishers.rate === 'number' && r.profile.publishers.rate * r.profile.publishers.count === 1000)),
  },
  {
    section: 'Capacity: the highest sustainable rate',
    text: '4,379',
    from: 'capacity-curve',
    why: 'the lowest rate found not sustained (capacity.notSustainableMsgsPerS)',
    verify: (d) => (d as CapacityResult).capacity.notSustainableMsgsPerS === 4379,
  },
  {
    section: 'Capacity: the highest sustainable rate',
    text: '4,000',
    from: 'capacity-curve',
    why: '"about 4,000 msgs/s": the sustainable rate found, rounded down to what the curve sustained (within 10 %)',
    verify: (d) => near(4000, (d as CapacityResult).capacity.sustainableMsgsPerS ?? 0, 0.1),
  },
];

test('figures quoted in the sentences around generated tables are in those tables or allow-listed with their file', () => {
  const load = resultLoader(root);
  const unexplained: string[] = [];
  const usedAllowances = new Set<AllowedFigure>();
  const sections = sectionsWithTables(readme);
  const titles = sections.map((s) => s.section.title);
  for (const t of ['Reading the results', 'Latency without a backlog', 'What replication buys: failure experiments', 'Capacity: the highest sustainable rate', 'Performance CI: thresholds and a gate that knows the noise']) {
    assert.ok(titles.includes(t), `the section "${t}" has generated tables, so its sentences are checked`);
  }
  for (const { section, tableNumbers, figures } of sections) {
    const blocks = findBlocks(readme.slice(section.start, section.end));
    for (const f of figures) {
      if (tableNumbers.has(f.value)) continue;
      const allowed = ALLOWED.find((a) => a.section === section.title && a.text === f.text);
      if (!allowed) {
        unexplained.push(`README.md:${f.line} (${section.title}): ${f.text} is in no generated table of the section and not allow-listed in test/readme/tables.test.ts`);
        continue;
      }
      usedAllowances.add(allowed);
      if (allowed.from === null) continue;
      const block = blocks.find((b) => b.generator === allowed.from);
      assert.ok(block, `${f.text}: the section "${section.title}" has no ${allowed.from} table to take the figure from`);
      const file = block.files[0]!;
      assert.ok(allowed.verify?.(load(file)), `README.md:${f.line}: "${f.text}" (${allowed.why}) does not agree with ${file}: update the sentence`);
    }
  }
  assert.deepEqual(unexplained, []);
  const unused = ALLOWED.filter((a) => !usedAllowances.has(a)).map((a) => `${a.section}: ${a.text}`);
  assert.deepEqual(unused, [], 'allow-list entries no figure needs any more: remove them');
});

test('the prose check finds a figure that is neither in the table nor allow-listed', () => {
  const text = [
    '## Numbers',
    '',
    'We sustained 4,246 msgs/s, not 4,379, at 0.37–0.38 × the baseline; code `x 1,234` and 1000-byte messages do not count.',
    '',
    '<!-- generated: capacity-curve f.json -->',
    '',
    '| target | ratio |',
    '|---|---|',
    '| 4,246 | 0.37 |',
    '',
    '<!-- /generated -->',
    '',
  ].join('\n');
  const [s] = sectionsWithTables(text);
  assert.ok(s);
  const missing = s.figures.filter((f) => !s.tableNumbers.has(f.value)).map((f) => f.text);
  assert.deepEqual(missing, ['4,379', '0.38']);
  assert.deepEqual(s.figures.map((f) => f.line), [3, 3, 3, 3]);
});

/** A capacity result with just what the curve table reads. */
function tinyCapacity(): Pick<CapacityResult, 'kind' | 'capacity'> {
  const step = (fraction: number, target: number, consumed: number, p50: number, p99: number, c99: number) => ({
    phase: 'curve' as const,
    fraction,
    targetMsgsPerS: target,
    publishedMsgsPerS: target,
    consumedMsgsPerS: consumed,
    backlogGrowthMsgsPerS: 0,
    backlogGrowing: false,
    nacked: 0,
    e2eP50Ms: p50,
    e2eP99Ms: p99,
    confirmP50Ms: p50,
    confirmP99Ms: c99,
    sloMs: [],
    runVerdict: 'ok',
    sustainable: null,
    reason: '',
  });
  return {
    kind: 'capacity',
    capacity: {
      sustainableMsgsPerS: 2000,
      notSustainableMsgsPerS: 2100,
      steps: [
        { ...step(0, 0, 2400, 900, 1500, 200), phase: 'probe', fraction: null },
        step(0.5, 1000, 999.6, 4.567, 12.34, 11.1),
        step(1, 2000, 1810.2, 1234.5, 4407.3, 98.7),
      ],
    },
  };
}

const CAPACITY_TABLE = [
  '| % of capacity | target msgs/s | consumed msgs/s | e2e p50 / p99 ms | confirm p99 ms |',
  '|---|---|---|---|---|',
  '| 50 | 1,000 | 1,000 | 4.57 / 12.3 | 11.1 |',
  '| 100 | 2,000 | 1,810 | 1,235 / 4,407 | 98.7 |',
].join('\n');

const fixtureReadme = (table: string): string => `# Fixture\n\nSome text.\n\n<!-- generated: capacity-curve fixture/capacity.json -->\n\n${table}\n\n<!-- /generated -->\n\nMore text.\n`;
const fixtureLoad = (data: Record<string, unknown>) => (path: string): unknown => {
  if (!(path in data)) throw new Error(`${path}: no such fixture`);
  return data[path];
};

test('capacity-curve renders the curve steps (not the probe) with the README rounding', () => {
  assert.equal(GENERATORS['capacity-curve']!.render([{ path: 'c.json', data: tinyCapacity() }]), CAPACITY_TABLE);
});

test('a fixture README with the right table passes; one wrong figure fails the check with a diff naming it', () => {
  const load = fixtureLoad({ 'fixture/capacity.json': tinyCapacity() });
  const good = fixtureReadme(CAPACITY_TABLE);
  assert.equal(regenerate(good, GENERATORS, load), good);

  const wrong = fixtureReadme(CAPACITY_TABLE.replace('| 1,810 |', '| 1,801 |'));
  const regenerated = regenerate(wrong, GENERATORS, load);
  assert.notEqual(regenerated, wrong);
  assert.equal(regenerated, good, 'regenerating restores the file figure and leaves the rest alone');
  const diff = unifiedDiff(wrong, regenerated, { before: 'a', after: 'b' });
  assert.match(diff, /^-\| 100 \| 2,000 \| 1,801 \| 1,235 \/ 4,407 \| 98\.7 \|$/m);
  assert.match(diff, /^\+\| 100 \| 2,000 \| 1,810 \| 1,235 \/ 4,407 \| 98\.7 \|$/m);
  assert.match(diff, /^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
});

/** A matrix with a baseline, one RAM cell and a skipped cell: only the fields the matrix tables read. */
function tinyMatrix(): unknown {
  const run = (members: number) => ({ cluster: { before: { queues: [{ members: Array.from({ length: members }, (_, i) => `n${i}`) }] } } });
  const summary = (rate: number, sd: number, p50: number, p99: number, relative: CellSummary['relative']) => ({
    consumeRate: { mean: rate, stddev: sd, n: 3 },
    confirm: { p50Ms: p50, p99Ms: p99 },
    e2e: { p50Ms: p50 * 2, p99Ms: p99 * 2, p999Ms: p99 * 3 },
    relative,
  });
  return {
    kind: 'matrix',
    baselineCellId: 'a',
    cells: [
      { id: 'a', label: 'classic, 1 node, all-disk', skipped: null, runs: [run(1), run(1)], summary: summary(8000.4, 400.6, 1.234, 12.34, null) },
      { id: 'b', label: 'classic, 3 nodes, one-ram', skipped: 'excluded by the matrix profile', runs: [], summary: null },
      {
        id: 'c',
        label: 'quorum, 3 nodes, one-ram',
        skipped: null,
        runs: [run(3), run(3)],
        summary: summary(3999.5, 20.2, 25.05, 150.2, { throughput: { mean: 0.4999, stddev: 0.0251, n: 3 }, e2eP99: 12.17, confirmP99: 12.17 }),
      },
    ],
  };
}

test('replication-matrix: one row per measured cell, README labels, relative throughput and replicas', () => {
  assert.equal(
    GENERATORS['replication-matrix']!.render([{ path: 'm.json', data: tinyMatrix() }]),
    [
      '| cell | consumed msgs/s | × classic 1 node | confirm p50 / p99 ms | replicas |',
      '|---|---|---|---|---|',
      '| classic, 1 node | 8000 ± 401 | 1 | 1.23 / 12.3 | 1 |',
      '| quorum, 3 nodes, one RAM | 4000 ± 20 | 0.50 ± 0.03 | 25.1 / 150 | 3 |',
    ].join('\n'),
  );
  assert.equal(
    GENERATORS['latency-matrix']!.render([{ path: 'm.json', data: tinyMatrix() }]).split('\n')[3],
    '| quorum, 3 nodes, one RAM | 50.1 / 300 / 451 | 25.1 / 150 | 12 | 3 |',
  );
});

test('markers: unknown generators, wrong file counts, unclosed and nested blocks are errors naming the line', () => {
  const load = fixtureLoad({ 'f.json': tinyCapacity() });
  assert.throws(() => regenerate('x\n<!-- generated: nope f.json -->\n<!-- /generated -->\n', GENERATORS, load), /line 2: unknown generator "nope" \(known: .*capacity-curve/);
  assert.throws(() => regenerate('<!-- generated: capacity-curve f.json f.json -->\n<!-- /generated -->\n', GENERATORS, load), /line 1: "capacity-curve" takes 1 result file\(s\), the marker names 2/);
  assert.throws(() => regenerate('<!-- generated: capacity-curve f.json -->\n| a |\n', GENERATORS, load), /line 1: the generated block "capacity-curve" is never closed/);
  assert.throws(() => regenerate('<!-- generated: capacity-curve f.json -->\n<!-- generated: capacity-curve f.json -->\n', GENERATORS, load), /line 2: a generated block opens inside the one opened at line 1/);
  assert.throws(() => regenerate('<!-- generated: capacity-curve -->\n<!-- /generated -->\n', GENERATORS, load), /line 1: malformed marker/);
  assert.throws(() => regenerate('<!-- generated: capacity-curve missing.json -->\n<!-- /generated -->\n', GENERATORS, load), /missing\.json: no such fixture/);
  assert.throws(() => regenerate('<!-- generated: capacity-curve f.json -->\n<!-- /generated -->\n', GENERATORS, fixtureLoad({ 'f.json': { kind: 'run' } })), /f\.json: expected a result of kind "capacity", got "run"/);
});

test('fault-experiments: a re-measured file that no longer bears the words out fails to regenerate instead of keeping them', () => {
  const block = findBlocks(readme).find((b) => b.generator === 'fault-experiments')!;
  const load = resultLoader(root);
  const sources = block.files.map((path) => ({ path, data: load(path) }));
  const pause = sources.find((s) => (s.data as RunResult).name === 'pause-leader')!;
  const run = pause.data as RunResult;
  // The new leader only after the resume: "elected a new leader within the pause" is no longer true.
  run.faults!.steps[0]!.newLeaderAtMs = run.faults!.steps[1]!.requestedMs + 1;
  assert.throws(() => GENERATORS['fault-experiments']!.render(sources), /pause-leader elected a new leader within the pause, which the result no longer shows/);
  // A figure changes with its file.
  run.faults!.steps[0]!.newLeaderAtMs = run.faults!.steps[0]!.requestedMs + 1;
  run.latency.e2e.corrected.p99Ms = 2049;
  assert.match(GENERATORS['fault-experiments']!.render(sources), /e2e p99 2\.0 s from their stalled messages/);
});

test('unifiedDiff prints the hunks GNU diff -u prints: 3 lines of context, hunks closer than 7 lines merged', () => {
  const a = `${Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')}\n`;
  const b = a.replace('l0\n', 'L0\n').replace('l10\n', 'l10\nnew\n').replace('l12\n', 'L12\n').replace('l19\n', 'L19\n');
  const expected = [
    '--- a',
    '+++ b',
    '@@ -1,4 +1,4 @@',
    '-l0',
    '+L0',
    ...[' l1', ' l2', ' l3'],
    '@@ -9,12 +9,13 @@',
    ...[' l8', ' l9', ' l10', '+new', ' l11', '-l12', '+L12'],
    ...[' l13', ' l14', ' l15', ' l16', ' l17', ' l18', '-l19', '+L19'],
  ].join('\n');
  assert.equal(unifiedDiff(a, b, { before: 'a', after: 'b' }), expected);
  assert.equal(unifiedDiff(a, a, { before: 'a', after: 'b' }), '');
});
