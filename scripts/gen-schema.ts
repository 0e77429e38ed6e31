/**
 * Writes profiles/schema.json from the zod profile schema.
 * `--check` only compares and exits 1 when the file is stale (for CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { profileJsonSchemaText } from '../src/profile/jsonSchema.js';
import { packageRoot } from '../src/util/packageRoot.js';

const target = join(packageRoot(), 'profiles', 'schema.json');
const shown = relative(process.cwd(), target) || target;
const expected = profileJsonSchemaText();

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (current !== expected) {
    console.error(`${shown} is out of date; run: node dist/scripts/gen-schema.js`);
    process.exitCode = 1;
  } else {
    console.log(`${shown} is up to date`);
  }
} else {
  await writeFile(target, expected);
  console.log(`wrote ${shown}`);
}
