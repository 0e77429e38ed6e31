/**
 * Writes profiles/schema.json (run profiles), profiles/matrix-schema.json (matrix profiles) and
 * profiles/thresholds-schema.json (thresholds files)
 * from the zod schemas. `--check` only compares and exits 1 when a file is stale (for CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { thresholdsJsonSchema } from '../src/gate/thresholdsJsonSchema.js';
import { matrixJsonSchema } from '../src/matrix/matrixJsonSchema.js';
import { jsonSchemaText, profileJsonSchema } from '../src/profile/jsonSchema.js';
import { packageRoot } from '../src/util/packageRoot.js';

const files = { 'schema.json': jsonSchemaText(profileJsonSchema()), 'matrix-schema.json': jsonSchemaText(matrixJsonSchema()),
  'thresholds-schema.json': jsonSchemaText(thresholdsJsonSchema()),
};
const check = process.argv.includes('--check');

for (const [file, expected] of Object.entries(files)) {
  const target = join(packageRoot(), 'profiles', file);
  const shown = relative(process.cwd(), target) || target;
  if (check) {
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current !== expected) {
      console.error(`${shown} is out of date; run: npm run schema`);
      process.exitCode = 1;
    } else {
      console.log(`${shown} is up to date`);
    }
  } else {
    await writeFile(target, expected);
    console.log(`wrote ${shown}`);
  }
}
