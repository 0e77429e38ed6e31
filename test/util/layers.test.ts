import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/util/packageRoot.js';

/** Every .ts file below dir. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('only the CLI imports the CLI: engine, results, report, gate … never reach into src/cli', () => {
  const src = join(packageRoot(), 'src');
  const offenders: string[] = [];
  for (const file of sources(src)) {
    const rel = relative(src, file);
    if (rel.startsWith('cli/')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
      if (/(^|\/)cli\//.test(m[1]!)) offenders.push(`${rel} imports ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the library API sits on top: only the CLI and the package entry import src/api', () => {
  const src = join(packageRoot(), 'src');
  const offenders: string[] = [];
  for (const file of sources(src)) {
    const rel = relative(src, file);
    if (rel.startsWith('cli/') || rel.startsWith('api/') || rel === 'index.ts') continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
      if (/(^|\/)api\//.test(m[1]!)) offenders.push(`${rel} imports ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the browser script is browser code: no Node module, no server module in src/report/html/client', () => {
  const client = join(packageRoot(), 'src', 'report', 'html', 'client');
  const offenders: string[] = [];
  for (const file of sources(client)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^import (type )?.*from '([^']+)'/gm)) {
      const from = m[2]!;
      const typeOnly = m[1] !== undefined;
      // Types of Chart.js are fine; code is the client's own or chartSpec's (the data's shape and labels, shared with the server).
      if (from.startsWith('node:') || (!typeOnly && !from.startsWith('./') && from !== '../chartSpec.js')) offenders.push(`${relative(client, file)} imports ${from}`);
    }
  }
  assert.deepEqual(offenders, []);
});
