import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ChartLibrary {
  name: string;
  version: string;
  /** The UMD build; defines `window.Chart` with every chart type and scale registered. */
  source: string;
}

let cached: ChartLibrary | undefined;

/**
 * Chart.js's UMD build, read from node_modules so the report can inline it (opens without network).
 * Its package "exports" hide dist/ from resolve, so the file is found next to the resolved CommonJS entry.
 */
export function loadChartJs(): ChartLibrary {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const entry = require.resolve('chart.js'); // …/chart.js/dist/chart.cjs
  const dist = dirname(entry);
  const source = readFileSync(join(dist, 'chart.umd.js'), 'utf8')
    // The source map is not shipped in the report; without this line DevTools would try to fetch it.
    .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const version = /Chart\.js v(\d+\.\d+\.\d+\S*)/.exec(source.slice(0, 200))?.[1] ?? 'unknown';
  cached = { name: 'Chart.js', version, source };
  return cached;
}
