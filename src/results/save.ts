import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seriesRows, summaryRow, toCsv } from './csv.js';
import type { RepeatedResult, RunResult } from './model.js';
import { repeatedSeriesRows, repeatedSummaryRows } from './repeated.js';
import { resultBaseName, writeJson } from './writer.js';

export interface SavedFiles {
  json: string;
  seriesCsv?: string;
  summaryCsv?: string;
}

/**
 * Writes <dir>/<name>-<UTC timestamp>.json (or <dir>/<baseName>.json) and, when asked, the two
 * CSV files beside it: a run's per-second series and one-row summary; for a repeated result every
 * repetition's series (with its number) and one row per repetition plus the summary row.
 */
export async function saveResult(r: RunResult | RepeatedResult, dir: string, csv: boolean, baseName?: string): Promise<SavedFiles> {
  const base = baseName ?? resultBaseName(r.name, new Date(r.startedAt));
  const json = await writeJson(dir, base, r);
  return csv ? { json, ...(await writeCsvFiles(r, dir, base)) } : { json };
}

export async function writeCsvFiles(r: RunResult | RepeatedResult, dir: string, base: string): Promise<{ seriesCsv: string; summaryCsv: string }> {
  const seriesCsv = join(dir, `${base}-series.csv`);
  const summaryCsv = join(dir, `${base}-summary.csv`);
  await mkdir(dir, { recursive: true });
  if (r.kind === 'repeated') {
    await writeFile(seriesCsv, toCsv(repeatedSeriesRows(r)));
    await writeFile(summaryCsv, toCsv(repeatedSummaryRows(r)));
  } else {
    await writeFile(seriesCsv, toCsv(seriesRows(r)));
    await writeFile(summaryCsv, toCsv([summaryRow(r)]));
  }
  return { seriesCsv, summaryCsv };
}
