import { z } from 'zod';
import { ProfileError } from '../profile/errors.js';
import { formatIssues } from '../profile/format.js';
import { readJsonFile } from '../profile/load.js';
import { formatPath, issueLine } from '../profile/path.js';
import { capacityOptionsSchema } from '../capacity/settings.js';

const axisValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** Short axis names people write, mapped to profile paths. */
export const AXIS_ALIASES: Record<string, string> = {
  'queue.type': 'queues.type',
  nodes: 'cluster.local.nodes',
  layout: 'cluster.local.layout',
  messageSize: 'publishers.messageSize',
  'confirms.maxInFlight': 'publishers.confirms.maxInFlight',
};

/** A capacity-mode matrix's search options (those of `mqbench capacity`) and what its summary compares. */
export const matrixCapacitySchema = capacityOptionsSchema
  .extend({
    tableFraction: z
      .number()
      .gt(0)
      .max(200)
      .default(50)
      .meta({ description: "The curve percentage whose latency the summary table shows (each cell at this % of its own capacity); must be one of `fractions`." }),
    commonRate: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'A total rate, msgs/s, measured in every cell after the searches (default: half the lowest capacity found), so latency is compared at the same load.' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.curve && !c.fractions.includes(c.tableFraction)) {
      ctx.addIssue({ code: 'custom', path: ['tableFraction'], message: `${c.tableFraction} is not one of fractions (${c.fractions.join(', ')})` });
    }
  });

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
    mode: z
      .enum(['throughput', 'capacity'])
      .default('throughput')
      .meta({
        description:
          'throughput: every repetition runs the base profile as given. capacity: every repetition searches the cell\'s highest sustainable publish rate ' +
          '(as `mqbench capacity` does, options in `capacity`), then the curve and a common-rate step are measured once per cell.',
      }),
    capacity: matrixCapacitySchema.optional().meta({ description: 'Capacity mode: the search options (defaults as `mqbench capacity`).' }),
    repeat: z.int().min(1).max(100).default(3).meta({ description: 'Repetitions per cell, run interleaved (A, B, C, A, B, C, ...); in capacity mode, searches per cell.' }),
    exclude: z
      .array(z.record(z.string(), axisValue))
      .default([])
      .meta({ description: 'Combinations to leave out, as partial axis values, e.g. [{"cluster.local.nodes": 5, "cluster.local.layout": "one-ram"}].' }),
    baseline: z
      .record(z.string(), axisValue)
      .optional()
      .meta({ description: 'Axis values of the baseline cell (default: classic on 1 node, else the first cell).' }),
    overrides: z
      .array(
        z
          .object({
            when: z
              .record(z.string(), axisValue)
              .meta({ description: 'Axis values a cell must have (all of them, as in exclude; aliases such as "queue.type" accepted), e.g. {"queues.type": "quorum", "cluster.local.nodes": 5}.' }),
            set: z
              .record(z.string(), z.unknown())
              .refine((s) => Object.keys(s).length > 0, { message: 'needs at least one profile path' })
              .meta({ description: 'Profile path → value, applied after the axis values, e.g. {"queues.initialGroupSize": 5}. Checked with each cell\'s profile.' }),
          })
          .strict(),
      )
      .default([])
      .meta({
        description:
          'Settings for some cells only, applied in order after the axis values: every cell whose axis values match `when` gets `set`. ' +
          'For a field valid only in some cells, e.g. five quorum replicas on 5 nodes.',
      }),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.capacity && m.mode !== 'capacity') ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'only with "mode": "capacity"' });
  });

export type MatrixProfile = z.output<typeof matrixProfileSchema>;
/** A matrix profile as written (defaults optional). */
export type MatrixProfileInput = z.input<typeof matrixProfileSchema>;

export function canonicalAxis(path: string): string {
  return AXIS_ALIASES[path] ?? path;
}

type AxisValue = z.output<typeof axisValue>;

const showValue = (v: AxisValue): string => (Array.isArray(v) ? v.join('/') : String(v));

/**
 * Problems with `overrides[].when`: every key must be an axis (after aliases) and every value one
 * that axis has — otherwise the override would silently match no cell.
 */
export function overrideIssues(m: Pick<MatrixProfile, 'axes' | 'overrides'>): string[] {
  const axes = new Map(Object.entries(m.axes).map(([k, v]) => [canonicalAxis(k), v]));
  const issues: string[] = [];
  m.overrides.forEach((o, i) => {
    for (const [key, value] of Object.entries(o.when)) {
      const path = formatPath(['overrides', i, 'when', key]);
      const values = axes.get(canonicalAxis(key));
      if (!values) {
        issues.push(`${path}: not an axis of this matrix (axes: ${[...axes.keys()].join(', ')})`);
      } else if (!values.some((v) => showValue(v) === showValue(value))) {
        issues.push(`${path}: ${JSON.stringify(value)} is not a value of that axis (${values.map((v) => JSON.stringify(v)).join(', ')})`);
      }
    }
  });
  return issues;
}

/** Axis paths in canonical form everywhere (axes, exclude, baseline, overrides[].when). */
export function canonicalMatrix(m: MatrixProfile): MatrixProfile {
  const canonical = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(r).map(([k, v]) => [canonicalAxis(k), v]));
  return {
    ...m,
    axes: canonical(m.axes),
    exclude: m.exclude.map(canonical),
    baseline: m.baseline && canonical(m.baseline),
    overrides: m.overrides.map((o) => ({ when: canonical(o.when), set: canonical(o.set) })),
  };
}

export async function loadMatrixProfile(path: string): Promise<MatrixProfile> {
  return parseMatrixProfile(await readJsonFile(path, 'matrix profile'), path);
}

/** Validates a matrix profile already in memory; `source` names it in messages. */
export function parseMatrixProfile(json: unknown, source: string): MatrixProfile {
  const result = matrixProfileSchema.safeParse(json);
  if (!result.success) throw ProfileError.invalid(source, formatIssues(result.error.issues, json, matrixProfileSchema).map(issueLine));
  const issues = overrideIssues(result.data);
  if (issues.length > 0) throw ProfileError.invalid(source, issues);
  return canonicalMatrix(result.data);
}
