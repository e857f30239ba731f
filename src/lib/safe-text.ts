/**
 * Text fields of the API contracts (src/lib/organiser/contract.ts, the accounts schemas):
 * `safeText(max)` is a bounded string that refuses NUL and unpaired surrogates
 * (domain/text.ts) with an issue `{ code: 'unsafe-text' }` at the field's path. The server
 * answers such issues with 422 naming the field (src/lib/server/http/input.ts).
 *
 * `textFieldPaths(schema)` lists every safe-text field of a body schema (`leafFields` every
 * string and number field), so tests can send bad input to each one and a new field is
 * covered without touching the tests.
 */
import { z } from 'zod';
import { isSafeText, UNSAFE_TEXT_CODE, UNSAFE_TEXT_MESSAGE } from './domain/text';

/** The check itself: one instance, so a schema can be recognised as safe text. */
export const SAFE_TEXT = z.refine<string>(isSafeText, {
  message: UNSAFE_TEXT_MESSAGE,
  params: { code: UNSAFE_TEXT_CODE },
});

/** A string of at most `max` characters (UTF-16 units) with no NUL or lone surrogate. */
export function safeText(max: number) {
  return z.string().max(max).check(SAFE_TEXT);
}

interface Def {
  type: string;
  checks?: unknown[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Whether this (string) schema carries the safe-text check. */
export function isSafeTextSchema(schema: z.ZodType): boolean {
  const def = defOf(schema);
  return def.type === 'string' && (def.checks ?? []).includes(SAFE_TEXT);
}

/** A field of a body schema: its path (array elements as index 0), type and schema. */
export interface FieldPath {
  path: (string | number)[];
  type: string;
  schema: z.ZodType;
}

/** Every leaf field of a schema (through objects, optionals, defaults, arrays, pipes). */
export function leafFields(schema: z.ZodType, path: (string | number)[] = []): FieldPath[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, field]) =>
        leafFields(field, [...path, key]),
      );
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return def.innerType ? leafFields(def.innerType, path) : [];
    case 'array':
      return def.element ? leafFields(def.element, [...path, 0]) : [];
    case 'pipe':
      return def.in ? leafFields(def.in, path) : [];
    case 'union':
      return (def.options ?? []).flatMap((option) => leafFields(option, path));
    default:
      return [{ path, type: def.type, schema }];
  }
}

/** The paths of every safe-text field of a body schema. */
export function textFieldPaths(schema: z.ZodType): (string | number)[][] {
  return leafFields(schema)
    .filter((field) => isSafeTextSchema(field.schema))
    .map((field) => field.path);
}
