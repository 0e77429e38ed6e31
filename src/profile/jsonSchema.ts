import { z } from 'zod';
import { profileSchema } from './schema.js';

/** Stable identifier; profiles point at the local copy with `"$schema": "./schema.json"`. */
export const PROFILE_SCHEMA_ID = 'urn:mqbench:profile';

/**
 * JSON Schema (draft 2020-12) of a profile *as written* (io: 'input': defaulted fields optional),
 * for editor completion and validation. Refinements such as duration syntax cannot be expressed
 * and are checked only by mqbench itself.
 */
export function profileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(profileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: PROFILE_SCHEMA_ID,
    title: 'mqbench profile',
    description: 'A RabbitMQ benchmark run: brokers, queues, publishers, consumers and timings. Strings may use ${ENV_VAR}.',
    ...rest,
  };
}

/** The exact text of a schema file in profiles/. */
export function jsonSchemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
