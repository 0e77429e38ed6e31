import { z } from 'zod';
import { ProfileError } from '../profile/errors.js';
import { formatIssues } from '../profile/format.js';
import { readJsonFile } from '../profile/load.js';
import { issueLine } from '../profile/path.js';

const axisValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** Short axis names people write, mapped to profile paths. */
export const AXIS_ALIASES: Record<string, string> = {
  'queue.type': 'queues.type',
  nodes: 'cluster.local.nodes',
  layout: 'cluster.local.layout',
  messageSize: 'publishers.messageSize',
  'confirms.maxInFlight': 'publishers.confirms.maxInFlight',
};

export const matrixProfileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'expected letters, digits, ".", "_" or "-"' }),
    description: z.string().default(''),
    base: z.record(z.string(), z.unknown()).meta({ description: 'A run profile (without name); every cell starts from it.' }),
    axes: z
      .record(z.string(), z.array(axisValue).min(1))
      .refine((a) => Object.keys(a).length > 0, { message: 'needs at least one axis' })
      .meta({ description: 'Profile path → values, e.g. "queues.type": ["classic", "quorum"], "cluster.local.nodes": [1, 3].' }),
    repeat: z.int().min(1).max(100).default(3).meta({ description: 'Repetitions per cell, run interleaved (A, B, C, A, B, C, ...).' }),
    exclude: z
      .array(z.record(z.string(), axisValue))
      .default([])
      .meta({ description: 'Combinations to leave out, as partial axis values, e.g. [{"cluster.local.nodes": 5, "cluster.local.layout": "one-ram"}].' }),
    baseline: z
      .record(z.string(), axisValue)
      .optional()
      .meta({ description: 'Axis values of the baseline cell (default: classic on 1 node, else the first cell).' }),
  })
  .strict();

export type MatrixProfile = z.output<typeof matrixProfileSchema>;

export function canonicalAxis(path: string): string {
  return AXIS_ALIASES[path] ?? path;
}

export async function loadMatrixProfile(path: string): Promise<MatrixProfile> {
  const json = await readJsonFile(path, 'matrix profile');
  const result = matrixProfileSchema.safeParse(json);
  if (!result.success) throw ProfileError.invalid(path, formatIssues(result.error.issues, json, matrixProfileSchema).map(issueLine));
  const m = result.data;
  return {
    ...m,
    axes: Object.fromEntries(Object.entries(m.axes).map(([k, v]) => [canonicalAxis(k), v])),
    exclude: m.exclude.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [canonicalAxis(k), v]))),
    baseline: m.baseline && Object.fromEntries(Object.entries(m.baseline).map(([k, v]) => [canonicalAxis(k), v])),
  };
}
