import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedDiff } from './diff.js';
import type { TableGenerator } from './generator.js';
import { regenerate } from './markers.js';
import { GENERATORS } from './registry.js';

/** Reads a result file a marker names (relative to the repository root); a missing or broken file is an error naming it. */
export function resultLoader(root: string): (path: string) => unknown {
  return (path) => {
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch (err) {
      throw new Error(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new Error(`${path}: not JSON (${(err as Error).message})`, { cause: err });
    }
  };
}

export interface TablesCheck {
  current: string;
  expected: string;
  /** Unified diff from the README as it is to the README regenerated; '' when they agree. */
  diff: string;
}

/** The README at `root` as it is and as its generated blocks say it should be. */
export function checkReadme(root: string, readmeName = 'README.md', generators: Readonly<Record<string, TableGenerator>> = GENERATORS): TablesCheck {
  const current = readFileSync(join(root, readmeName), 'utf8');
  const expected = regenerate(current, generators, resultLoader(root));
  return { current, expected, diff: unifiedDiff(current, expected, { before: `${readmeName} (current)`, after: `${readmeName} (regenerated from the result files)` }) };
}
