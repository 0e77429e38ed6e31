import { z } from 'zod';
import { profileJsonSchema } from '../profile/jsonSchema.js';
import { matrixProfileSchema } from './matrixProfile.js';

/** Stable identifier; matrix profiles point at the local copy with `"$schema": "./matrix-schema.json"`. */
export const MATRIX_SCHEMA_ID = 'urn:mqbench:matrix-profile';

type JsonObject = Record<string, unknown>;

/** Copy of `obj` without `keys`. */
const omit = (obj: JsonObject, keys: string[]): JsonObject => Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));

/**
 * JSON Schema (draft 2020-12) of a matrix profile as written. `base` is checked as a run profile
 * without `name` (each cell is named `<matrix name>-c<n>`), so editors complete it too.
 */
export function matrixJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(matrixProfileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonObject;
  const properties = generated['properties'] as Record<string, JsonObject>;
  const run = profileJsonSchema();
  const required = ((run['required'] as string[] | undefined) ?? []).filter((r) => r !== 'name');
  const base: JsonObject = {
    ...omit(run, ['$schema', '$id', 'title', 'description', 'properties', 'required']),
    description: properties['base']?.['description'],
    properties: omit(run['properties'] as JsonObject, ['name']),
    ...(required.length > 0 ? { required } : {}),
  };
  return {
    $schema: generated['$schema'],
    $id: MATRIX_SCHEMA_ID,
    title: 'mqbench matrix profile',
    description: 'A base run profile and axes of values to vary: every combination is a cell, run `repeat` times, interleaved.',
    ...omit(generated, ['$schema', 'properties']),
    properties: { ...properties, base },
  };
}
