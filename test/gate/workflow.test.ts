import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { packageRoot } from '../../src/util/packageRoot.js';

/**
 * The example CI workflow (examples/ci/github-actions.yml) is what users copy: it must be valid
 * YAML of the right shape, and every mqbench command in it — and in docs/gate-ci.md — must use
 * only options the built CLI accepts for that command (read from `mqbench <command> --help`).
 */

const root = packageRoot();
const WORKFLOW = join(root, 'examples', 'ci', 'github-actions.yml');
const THRESHOLDS = join(root, 'examples', 'ci', 'thresholds.json');
const DOC = join(root, 'docs', 'gate-ci.md');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

function loadWorkflow(): { workflow: Workflow; text: string } {
  const text = readFileSync(WORKFLOW, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], 'valid YAML');
  assert.deepEqual(doc.warnings.map((e) => e.message), [], 'no YAML warnings');
  return { workflow: doc.toJS() as Workflow, text };
}

// ---------------------------------------------------------------------------------------------
// Shell command lines: find `npx mqbench …` and split it into words as the shell would.

/** Words of the command starting at `start`, up to the first unquoted control operator or comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  const push = (): void => {
    if (word !== null) words.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\'' || c === '"') {
      const end = line.indexOf(c, i + 1);
      assert.ok(end > i, `unbalanced quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      push();
    } else if (c === '<' && /^<[\w.-]+>/.test(line.slice(i))) {
      // A documentation placeholder such as results/<file>.json, not a redirection.
      const end = line.indexOf('>', i);
      word = (word ?? '') + line.slice(i, end + 1);
      i = end;
    } else if (';&|<>()'.includes(c) || (c === '#' && word === null)) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  push();
  return words;
}

/** Every `npx mqbench …` in a script: continuation lines joined, one entry per occurrence. */
function mqbenchCommands(script: string): string[][] {
  const logical = script.replace(/\\\n\s*/g, ' ').split('\n');
  const out: string[][] = [];
  for (const line of logical) {
    for (const m of line.matchAll(/\bnpx\s+mqbench\b/g)) {
      // Usage syntax in prose ("[--name main]") reads like the command itself.
      const words = shellWords(line.slice(m.index + m[0].length)).map((w) => w.replace(/^\[+|\]+$/g, ''));
      out.push(words.filter((w) => w !== ''));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the CLI accepts, from its own help.

const helpCache = new Map<string, string>();

function help(path: string[]): string {
  const key = path.join(' ');
  let text = helpCache.get(key);
  if (text === undefined) {
    text = execFileSync(process.execPath, [join(root, 'bin', 'mqbench.js'), ...path, '--help'], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      encoding: 'utf8',
    });
    helpCache.set(key, text);
  }
  return text;
}

/** yargs help sections: the usage line, then "Positionals:", "Options:", "Commands:", "Examples:", … */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = 'usage';
  for (const line of text.split('\n')) {
    const header = /^(\S[^:]*):$/.exec(line);
    if (header) {
      current = header[1]!;
      out.set(current, []);
    } else {
      if (!out.has(current)) out.set(current, []);
      out.get(current)!.push(line);
    }
  }
  return out;
}

/** Subcommand names listed under "Commands:" for `mqbench <path…>`. */
function subcommands(path: string[]): string[] {
  const lines = sections(help(path)).get('Commands') ?? [];
  const prefix = ['mqbench', ...path].join(' ');
  return lines.flatMap((l) => {
    const m = /^\s+(\S.*?)(?:\s{2,}|$)/.exec(l);
    if (!m || !m[1]!.startsWith(`${prefix} `)) return [];
    return [m[1]!.slice(prefix.length + 1).split(/\s+/)[0]!];
  });
}

const kebab = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * Option names (long, kebab-case, and one-letter aliases) of `mqbench <path…>`; null when the CLI
 * does not know the command (yargs then prints the top-level help).
 */
function acceptedOptions(path: string[]): Set<string> | null {
  const text = help(path);
  const usage = text.split('\n')[0] ?? '';
  const expected = ['mqbench', ...path].join(' ');
  if (usage !== expected && !usage.startsWith(`${expected} `)) return null;
  const names = new Set<string>();
  for (const [section, lines] of sections(text)) {
    if (['usage', 'Positionals', 'Commands', 'Examples'].includes(section)) continue;
    for (const line of lines) {
      // Flags sit at column 2 ("  -q, --quiet") or 6 ("      --out"); wrapped descriptions are indented further.
      const m = /^ {2,6}((?:-\w, )*--?[\w-]+(?:, --?[\w-]+)*)(?=\s|$)/.exec(line);
      if (!m) continue;
      for (const flag of m[1]!.split(', ')) names.add(kebab(flag.replace(/^-+/, '')));
    }
  }
  return names;
}

/** What is wrong with one command line: an unknown command or options the CLI does not accept. */
function problemsOf(words: string[]): string[] {
  const positional = words.filter((w) => !w.startsWith('-'));
  const command = positional[0];
  if (!command) return ['no command'];
  const path = [command];
  const subs = subcommands([command]);
  if (subs.length > 0) {
    const sub = positional[1];
    if (!sub || !subs.includes(sub)) return [`mqbench ${command}: unknown subcommand ${sub ?? '(none)'} (known: ${subs.join(', ')})`];
    path.push(sub);
  }
  const accepted = acceptedOptions(path);
  if (!accepted) return [`mqbench ${path.join(' ')}: the CLI has no such command`];
  const problems: string[] = [];
  for (const w of words) {
    if (!w.startsWith('-') || w === '-' || w === '--') continue;
    const name = w.replace(/=.*$/, '');
    const flags = name.startsWith('--') ? [kebab(name.slice(2))] : [...name.slice(1)];
    for (const f of flags) {
      const ok = accepted.has(f) || (f.startsWith('no-') && accepted.has(f.slice(3)));
      if (!ok) problems.push(`mqbench ${path.join(' ')}: ${name.startsWith('--') ? '--' : '-'}${f} is not an option of this command`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

test('the workflow is valid YAML: on pull_request and push to main, one job on ubuntu-latest', () => {
  const { workflow } = loadWorkflow();
  assert.ok('pull_request' in workflow.on, 'runs on pull requests');
  const push = workflow.on.push as { branches?: string[] } | undefined;
  assert.deepEqual(push?.branches, ['main']);
  const jobs = Object.values(workflow.jobs);
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!['runs-on'], 'ubuntu-latest');
});

test('the workflow installs Node 20 and RabbitMQ, runs npm ci, gates, and uploads results/ whatever happened', () => {
  const { workflow } = loadWorkflow();
  const steps = Object.values(workflow.jobs)[0]!.steps;
  const index = (pred: (s: Step) => boolean, what: string): number => {
    const i = steps.findIndex(pred);
    assert.ok(i >= 0, `a step that ${what}`);
    return i;
  };
  const checkout = index((s) => s.uses?.startsWith('actions/checkout@') ?? false, 'checks out');
  const node = index((s) => s.uses?.startsWith('actions/setup-node@') ?? false, 'sets up Node');
  assert.equal(String(steps[node]!.with?.['node-version']), '20');
  const rabbit = index((s) => /apt-get install -y rabbitmq-server/.test(s.run ?? ''), 'installs RabbitMQ');
  assert.match(steps[rabbit]!.run!, /sudo systemctl stop rabbitmq-server \|\| true/, 'stops the service the package starts');
  const ci = index((s) => /^npm ci\s*$/m.test(s.run ?? ''), 'runs npm ci');
  const gate = index((s) => /npx mqbench run .*--gate/.test(s.run ?? ''), 'runs and gates');
  const words = mqbenchCommands(steps[gate]!.run!)[0]!;
  for (const flag of ['--repeat', '--gate', '--baseline', '--thresholds', '--summary-md', '--junit', '--csv']) assert.ok(words.includes(flag), `the gate step uses ${flag}`);
  assert.equal(words[words.indexOf('--summary-md') + 1], '$GITHUB_STEP_SUMMARY');
  assert.equal(words[words.indexOf('--thresholds') + 1], 'examples/ci/thresholds.json', 'the example thresholds file');
  assert.ok(Number(words[words.indexOf('--repeat') + 1]) >= 2, 'repeated runs, so relative thresholds get a verdict');
  assert.ok(checkout < node && node < ci && rabbit < gate && ci < gate, 'checkout, node, npm ci before the gate');

  const upload = index((s) => s.uses?.startsWith('actions/upload-artifact@v4') ?? false, 'uploads artifacts');
  assert.ok(upload > gate);
  assert.equal(steps[upload]!.if, 'always()');
  assert.match(String(steps[upload]!.with?.path), /^results\/?$/);
  const report = index((s) => /npx mqbench report .* -o results\//.test(s.run ?? ''), 'writes the HTML report into results/');
  assert.ok(report > gate && report < upload);
  assert.match(steps[report]!.if ?? '', /always\(\)/, 'the report is written when the gate failed too');

  const save = index((s) => /npx mqbench baseline save /.test(s.run ?? ''), 'saves the baseline');
  assert.match(steps[save]!.if ?? '', /github\.event_name == 'push'/);
  assert.match(steps[save]!.if ?? '', /github\.ref == 'refs\/heads\/main'/);
  assert.doesNotMatch(steps[save]!.if ?? '', /always\(\)/, 'a failing gate never becomes the baseline');
});

test('every mqbench command in the workflow and in docs/gate-ci.md uses only options the CLI accepts', () => {
  const { workflow, text } = loadWorkflow();
  const scripts = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
  // Commands shown in the workflow's comments are copied too.
  const comments = text.split('\n').flatMap((l) => (/^\s*#/.test(l) ? [l.replace(/^\s*#\s?/, '')] : []));
  const fromWorkflow = [...scripts, ...comments].flatMap(mqbenchCommands);
  const used = new Set(fromWorkflow.map((w) => w[0]));
  for (const c of ['run', 'gate', 'report', 'baseline']) assert.ok(used.has(c), `the workflow shows mqbench ${c}`);

  const doc = readFileSync(DOC, 'utf8');
  const blocks = [...doc.matchAll(/^```[^\n]*\n([^]*?)^```/gm)].map((m) => m[1]!);
  const fromDoc = blocks.flatMap(mqbenchCommands);
  assert.ok(fromDoc.length >= 3, 'the doc shows commands');

  const problems = [...new Set([...fromWorkflow, ...fromDoc].flatMap(problemsOf))];
  assert.deepEqual(problems, [], `commands that the CLI would reject:\n${problems.join('\n')}`);
});

test('the command-line check itself: shell words, subcommands and options are read as the CLI reads them', () => {
  assert.deepEqual(mqbenchCommands('x && npx mqbench run "a b.json" --csv --out=r | tee log # --nope'), [['run', 'a b.json', '--csv', '--out=r']]);
  assert.deepEqual(mqbenchCommands('npx mqbench gate results/<file>.json \\\n  --json > out.json'), [['gate', 'results/<file>.json', '--json']]);
  assert.deepEqual(problemsOf(['run', 'p.json', '--csv', '-q', '--no-csv']), []);
  assert.deepEqual(problemsOf(['run', 'p.json', '--definitely-not-an-option']), ['mqbench run: --definitely-not-an-option is not an option of this command']);
  assert.deepEqual(problemsOf(['export', 'r.json', '--teardown']), ['mqbench export: --teardown is not an option of this command']);
  assert.deepEqual(problemsOf(['frobnicate', 'x']), ['mqbench frobnicate: the CLI has no such command']);
  assert.deepEqual(problemsOf(['cluster', 'sideways']).length, 1);
  assert.deepEqual(problemsOf(['cluster', 'down']), []);
});

test('examples/ci/thresholds.json: JSON with a thresholds object of metric names, each a list of expressions the gate lists', () => {
  assert.ok(existsSync(THRESHOLDS));
  const doc = JSON.parse(readFileSync(THRESHOLDS, 'utf8')) as { thresholds?: unknown };
  const t = doc.thresholds;
  assert.ok(t !== null && typeof t === 'object' && !Array.isArray(t), 'a thresholds object');
  const entries = Object.entries(t as Record<string, unknown>);
  assert.ok(entries.length >= 3);
  for (const [metric, expressions] of entries) {
    assert.match(metric, /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/, `${metric} looks like a metric name`);
    assert.ok(Array.isArray(expressions) && expressions.length > 0, `${metric}: a list of expressions`);
    for (const e of expressions as unknown[]) assert.match(String(e), /^(mean|min|max|med|stddev|count|value|p\(\d+(\.\d+)?\))\s*(<=|>=|==|!=|<|>)\s*\S/, `${metric}: ${String(e)}`);
  }
  assert.ok(entries.some(([, ex]) => (ex as string[]).some((e) => /baseline/.test(e))), 'some threshold is relative to the baseline');
  // The gate's help lists every metric name it knows; the example uses only those.
  const gateHelp = acceptedOptions(['gate']) ? help(['gate']) : '';
  const listed = (m: string): boolean => new RegExp(`(^|\\s)${m.replace(/\./g, '\\.')}[\\s(:]`, 'm').test(gateHelp);
  const unknown = entries.map(([m]) => m).filter((m) => !listed(m));
  assert.deepEqual(unknown, [], `metrics that mqbench gate --help does not list${gateHelp ? '' : ' (the CLI has no gate command yet)'}`);
});
