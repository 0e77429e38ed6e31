/**
 * Re-renders every table of README.md that is wrapped in a generated-block marker
 *   <!-- generated: <generator> <result file> [<result file> …] -->  …  <!-- /generated -->
 * from the result file(s) it names (generators: scripts/readme/registry.ts), and rewrites README.md.
 * `--check` writes nothing: it prints a unified diff of what differs and exits 1 (for tests and CI).
 *
 * Usage: node dist/scripts/readme-tables.js [--check]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findBlocks } from './readme/markers.js';
import { checkReadme } from './readme/readmeFile.js';
import { GENERATORS } from './readme/registry.js';
import { packageRoot } from '../src/util/packageRoot.js';

const { values: opts } = parseArgs({ options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
if (opts.help) {
  const list = Object.entries(GENERATORS).map(([name, g]) => `  ${name.padEnd(20)} ${g.describe}`);
  process.stdout.write(`node dist/scripts/readme-tables.js [--check]\nRe-renders README.md's generated tables from the result files their markers name.\n\nGenerators:\n${list.join('\n')}\n`);
  process.exit(0);
}

const root = packageRoot();
try {
  const { current, expected, diff } = checkReadme(root);
  const blocks = findBlocks(current).length;
  if (opts.check) {
    if (diff) {
      process.stdout.write(`${diff}\n`);
      process.stderr.write(`README.md: generated tables differ from their result files (diff above); run: node dist/scripts/readme-tables.js\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`README.md: ${blocks} generated tables agree with their result files\n`);
    }
  } else if (diff) {
    writeFileSync(join(root, 'README.md'), expected);
    process.stdout.write(`${diff}\nREADME.md: rewrote its ${blocks} generated tables\n`);
  } else {
    process.stdout.write(`README.md: ${blocks} generated tables already agree with their result files\n`);
  }
} catch (err) {
  process.stderr.write(`readme-tables: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
