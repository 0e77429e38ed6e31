/**
 * Bundles the report page's script (src/report/html/client/, type-checked by tsconfig.client.json)
 * into one classic script for the page to inline: an IIFE, ES2020, not minified (the page stays
 * readable). Chart.js is not bundled: the page inlines its UMD build and the script uses window.Chart.
 * Run by `npm run build` after tsc.
 */
import { build } from 'esbuild';
import { join, relative } from 'node:path';
import { CLIENT_BUNDLE, CLIENT_ENTRY } from '../src/report/html/clientBundle.js';
import { packageRoot } from '../src/util/packageRoot.js';

const root = packageRoot();
const result = await build({
  absWorkingDir: root,
  entryPoints: [join(root, CLIENT_ENTRY)],
  outfile: join(root, CLIENT_BUNDLE),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  minify: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
// A value import of a package (e.g. chart.js instead of `import type`) would inline it a second time.
const packages = Object.keys(result.metafile.inputs).filter((f) => f.includes('node_modules/'));
if (packages.length > 0) {
  process.stderr.write(`build-client: the report script must not bundle packages (use import type): ${packages.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(`build-client: ${relative(process.cwd(), join(root, CLIENT_BUNDLE)) || CLIENT_BUNDLE}\n`);
