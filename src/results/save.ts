import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seriesRows, summaryRow, toCsv } from './csv.js';
import type { RunResult } from './model.js';
import { resultBaseName, writeJson } from './writer.js';

export interface SavedFiles {
  json: string;
  seriesCsv?: string;
  summaryCsv?: string;
}

/** Writes <dir>/<name>-<UTC timestamp>.json and, when asked, the two CSV files beside it. */
export async function saveResult(r: RunResult, dir: string, csv: boolean): Promise<SavedFiles> {
  const base = resultBaseName(r.name, new Date(r.startedAt));
  const json = await writeJson(dir, base, r);
  return csv ? { json, ...(await writeCsvFiles(r, dir, base)) } : { json };
}

export async function writeCsvFiles(r: RunResult, dir: string, base: string): Promise<{ seriesCsv: string; summaryCsv: string }> {
  const seriesCsv = join(dir, `${base}-series.csv`);
  const summaryCsv = join(dir, `${base}-summary.csv`);
  await writeFile(seriesCsv, toCsv(seriesRows(r)));
  await writeFile(summaryCsv, toCsv([summaryRow(r)]));
  return { seriesCsv, summaryCsv };
}
