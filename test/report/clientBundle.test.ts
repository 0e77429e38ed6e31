import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Script } from 'node:vm';
import { CLIENT_BUNDLE, loadClientScript } from '../../src/report/html/clientBundle.js';
import { scriptForInline } from '../../src/report/html/escape.js';
import { renderReport } from '../../src/report/html/renderReport.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { EXIT, UserError } from '../../src/util/userError.js';
import { syntheticRun } from './fixtures.js';

/** The bodies of the page's inline classic scripts (not the JSON data element), in order. */
const inlineScripts = (html: string): string[] => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);

describe('the report page script bundle (npm run build → dist/client/report.js)', () => {
  const file = join(packageRoot(), CLIENT_BUNDLE);

  test('is built: a classic script (no import/export), without a bundled copy of a package', () => {
    const source = readFileSync(file, 'utf8');
    // A classic script cannot hold import or export statements: compiling it as one would throw.
    assert.doesNotThrow(() => new Script(source, { filename: file }));
    assert.doesNotMatch(source, /^\s*(import|export)\s/m);
    // esbuild names each bundled file in a comment; Chart.js is inlined by the page, not here.
    assert.doesNotMatch(source, /\/\/ node_modules\//);
    assert.match(source, /__mqbenchCharts/);
    assert.equal(loadClientScript(), source);
  });

  test('is inlined as the page script, after Chart.js and the chart data', () => {
    const { html } = renderReport({ kind: 'run', result: syntheticRun() }, { source: 'x.json' });
    const scripts = inlineScripts(html);
    assert.equal(scripts.length, 2, 'Chart.js and the page script');
    assert.equal(scripts[1], scriptForInline(readFileSync(file, 'utf8')));
    assert.ok(html.indexOf('id="mqbench-data"') < html.lastIndexOf('<script>'), 'the data element comes before the page script');
  });

  test('missing: one clear line, exit code of a failed run', () => {
    const root = mkdtempSync(join(tmpdir(), 'mqbench-nobundle-'));
    assert.throws(
      () => loadClientScript(root),
      (err: unknown) =>
        err instanceof UserError && err.exitCode === EXIT.runFailed && err.message.startsWith('report script not built: run npm run build') && !err.message.includes('\n'),
    );
  });
});
