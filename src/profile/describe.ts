import { z } from 'zod';

/**
 * Plain-English descriptions of what a zod schema accepts ("an integer between 1 and 10000"), so
 * error messages can state the whole expectation rather than zod's one failed check.
 */

type Schema = z.core.$ZodType;

/** Strips wrappers that do not change what a value must look like. */
export function unwrapSchema(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodPrefault) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

/** The (unwrapped) schema that validates the value at `path`, if the path leads anywhere. Through a union, the first option the rest of the path leads into. */
export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current = unwrapSchema(root);
  for (const [i, key] of path.entries()) {
    if (current instanceof z.ZodUnion) {
      for (const option of current.options as readonly Schema[]) {
        const found = schemaAt(option, path.slice(i));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    let next: Schema | undefined;
    if (current instanceof z.ZodObject && typeof key === 'string') next = (current.shape as Record<string, Schema | undefined>)[key];
    else if (current instanceof z.ZodArray && typeof key === 'number') next = current.element;
    else if (current instanceof z.ZodRecord) next = current.valueType;
    if (next === undefined) return undefined;
    current = unwrapSchema(next);
  }
  return current;
}

/**
 * The option of a union that a value of this JavaScript type is meant for (a number for the number
 * option, an object for the object option), when exactly one is; otherwise the schema itself.
 * Lets errors inside a union speak of the form the user chose (`publishers.rate.steps[1].for`).
 */
export function branchFor(schema: Schema | undefined, value: unknown): Schema | undefined {
  const i = branchIndex(schema, value);
  return i === undefined || !(schema instanceof z.ZodUnion) ? schema : unwrapSchema((schema.options as readonly Schema[])[i]!);
}

/** The index of the union option `branchFor` picks, or undefined. */
export function branchIndex(schema: Schema | undefined, value: unknown): number | undefined {
  if (!(schema instanceof z.ZodUnion)) return undefined;
  const options = (schema.options as readonly Schema[]).map(unwrapSchema);
  const fitting = options.flatMap((o, i) => (fits(o, value) ? [i] : []));
  return fitting.length === 1 ? fitting[0] : undefined;
}

function fits(schema: Schema, value: unknown): boolean {
  if (schema instanceof z.ZodNumber) return typeof value === 'number';
  if (schema instanceof z.ZodString) return typeof value === 'string';
  if (schema instanceof z.ZodBoolean) return typeof value === 'boolean';
  if (schema instanceof z.ZodArray) return Array.isArray(value);
  if (schema instanceof z.ZodObject || schema instanceof z.ZodRecord) return value !== null && typeof value === 'object' && !Array.isArray(value);
  return false;
}

/** Field names an object schema accepts (for "did you mean" hints). */
export function knownKeys(schema: Schema | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

type Json = Record<string, unknown>;

/**
 * What `schema` accepts, e.g. `a number >= 0`, `one of "classic", "quorum"`; undefined if unknown.
 * Read from the schema's JSON Schema form: zod's public, stable view of types and bounds.
 */
export function describeSchema(schema: Schema): string | undefined {
  let json: Json;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return undefined;
  }
  return describeJson(json, false);
}

export function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length === 1 ? (shown[0] ?? '') : `one of ${shown.join(', ')}`;
}

function describeJson(json: Json, inList: boolean): string | undefined {
  if (Array.isArray(json['enum'])) return oneOf(json['enum']);
  if ('const' in json) return JSON.stringify(json['const']);
  const variants = json['anyOf'] ?? json['oneOf'];
  if (Array.isArray(variants)) return joinVariants(variants.map((v) => describeJson(v as Json, true)));
  const type = json['type'];
  if (Array.isArray(type)) return joinVariants(type.map((t) => describeJson({ ...json, type: t }, true)));
  switch (type) {
    case 'integer':
    case 'number':
      return describeNumber(type === 'integer' ? 'an integer' : 'a number', json);
    case 'string':
      return describeString(json);
    case 'boolean':
      return inList ? 'a boolean' : 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return describeArray(json);
    case 'object':
      return 'an object';
    default:
      return undefined;
  }
}

function describeNumber(noun: string, json: Json): string {
  const min = bound(json['minimum']);
  const max = bound(json['maximum']);
  const exMin = bound(json['exclusiveMinimum']);
  const exMax = bound(json['exclusiveMaximum']);
  if (min !== undefined && max !== undefined && exMin === undefined && exMax === undefined) return `${noun} between ${min} and ${max}`;
  const parts = [
    exMin !== undefined ? `> ${exMin}` : min !== undefined ? `>= ${min}` : undefined,
    exMax !== undefined ? `< ${exMax}` : max !== undefined ? `<= ${max}` : undefined,
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? noun : `${noun} ${parts.join(' and ')}`;
}

/** Bounds at the edge of the safe-integer range come from z.int() itself, not from the profile schema. */
function bound(value: unknown): number | undefined {
  return typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
}

function describeString(json: Json): string {
  const min = bound(json['minLength']);
  const max = bound(json['maxLength']);
  if (max !== undefined) return `a string of ${min ?? 0} to ${max} characters`;
  if (min === 1) return 'a non-empty string';
  if (min !== undefined && min > 1) return `a string of at least ${min} characters`;
  return 'a string';
}

function describeArray(json: Json): string {
  const min = bound(json['minItems']);
  const max = bound(json['maxItems']);
  const items = json['items'];
  const item = items !== null && typeof items === 'object' ? describeJson(items as Json, true) : undefined;
  const of = item === undefined ? '' : ` of ${plural(item)}`;
  if (max !== undefined) return `a list${of} with ${min ?? 0} to ${max} items`;
  if (min !== undefined && min > 0) return `a list${of} with at least ${min} ${min === 1 ? 'item' : 'items'}`;
  return `a list${of}`;
}

/** "a string" → "strings"; anything more elaborate is left alone. */
function plural(item: string): string {
  const simple = /^an? (\w+)$/.exec(item);
  return simple ? `${simple[1]}s` : item;
}

/** "a string, a number or a boolean"; undefined if any variant is unknown. */
function joinVariants(parts: (string | undefined)[]): string | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const known = parts as string[];
  return known.length === 1 ? known[0] : `${known.slice(0, -1).join(', ')} or ${known[known.length - 1]}`;
}
