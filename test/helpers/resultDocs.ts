import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/packageRoot.js';

/**
 * Field paths documented in results/README.md under `## <section>`, from the first column of its
 * `| field | meaning |` table, e.g. `series[].phase`.
 */
export function documentedFields(section: string): string[] {
  const readme = readFileSync(join(packageRoot(), 'results', 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${section}`);
  if (start < 0) throw new Error(`results/README.md has no section "${section}"`);
  const next = readme.indexOf('\n## ', start + 3);
  const text = readme.slice(start, next < 0 ? undefined : next);
  const table = text.slice(text.indexOf('| field | meaning |'));
  const paths: string[] = [];
  for (const line of table.split('\n')) {
    const cell = /^\| (.+?) \|/.exec(line)?.[1];
    if (!cell) continue;
    for (const m of cell.matchAll(/`([A-Za-z0-9.[\]]+)`/g)) {
      // ".at" continues the previous full path: `faults.steps[].index`, `.at` → faults.steps[].at
      const p = m[1]!;
      if (p.startsWith('.')) {
        const prev = paths[paths.length - 1] ?? '';
        paths.push(prev.slice(0, prev.lastIndexOf('.')) + p);
      } else paths.push(p);
    }
  }
  return paths;
}

/** Does `value` have `path` (arrays marked `[]` must be non-empty and every element must have the rest)? */
export function hasPath(value: unknown, path: string): boolean {
  let current: unknown[] = [value];
  for (const part of path.split('.')) {
    const isArray = part.endsWith('[]');
    const key = isArray ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const c of current) {
      if (c === null || typeof c !== 'object' || !(key in c)) return false;
      const v = (c as Record<string, unknown>)[key];
      if (isArray) {
        if (!Array.isArray(v) || v.length === 0) return false;
        next.push(...(v as unknown[]));
      } else next.push(v);
    }
    current = next;
  }
  return true;
}
