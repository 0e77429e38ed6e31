import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** 2026-11-29T10:45:12.345Z → 20261129T104512Z: sortable, no characters a file system dislikes. */
export function fileTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function resultBaseName(name: string, startedAt: Date): string {
  return `${name}-${fileTimestamp(startedAt)}`;
}

/** Writes JSON to dir/base.json, creating dir; returns the path. */
export async function writeJson(dir: string, base: string, value: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${base}.json`);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
