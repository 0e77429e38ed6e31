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
