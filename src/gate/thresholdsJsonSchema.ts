import { z } from 'zod';
import { METRICS } from './metrics.js';
import { thresholdsFileSchema } from './thresholdSchema.js';

/** Stable identifier; thresholds files point at the local copy with `"$schema": "../profiles/thresholds-schema.json"` or similar. */
export const THRESHOLDS_SCHEMA_ID = 'urn:mqbench:thresholds';

/**
 * JSON Schema (draft 2020-12) of a thresholds file, with the metric names as the allowed keys so
 * editors complete them. Expressions are checked by mqbench itself (`mqbench gate`).
 */
export function thresholdsJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(thresholdsFileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  const properties = rest['properties'] as Record<string, Record<string, unknown>>;
  properties['thresholds'] = { ...properties['thresholds'], propertyNames: { enum: METRICS.map((m) => m.name) } };
  return { $schema, $id: THRESHOLDS_SCHEMA_ID, title: 'mqbench thresholds', description: 'Pass/fail thresholds for mqbench gate and mqbench run --gate.', ...rest };
}
