import type { z } from 'zod';
import { AppError, fieldErrorsFromZod, type FieldError } from './errors';

/** Deeper than any request we describe; a body nested deeper fails its schema anyway. */
const MAX_DEPTH = 8;

/**
 * Text holding U+0000, which PostgreSQL can neither store nor compare: refused here, naming
 * the field, instead of failing in the database as a 422 that names nothing.
 */
function nulCharacters(value: unknown, path: string[] = [], depth = 0): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? [{ field: path.join('.') || 'body', detail: 'must not contain NUL characters' }]
      : [];
  }
  if (!value || typeof value !== 'object' || depth >= MAX_DEPTH) return [];
  // A list (status=a,b or a repeated parameter) is one field for the client, whatever index was wrong.
  if (Array.isArray(value)) return value.flatMap((v: unknown) => nulCharacters(v, path, depth + 1)).slice(0, 1);
  return Object.entries(value).flatMap(([key, v]) => nulCharacters(v, [...path, key], depth + 1));
}

/** Validates with zod; a failure is a 422 naming each bad field. */
export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, title?: string): z.output<S> {
  const result = schema.safeParse(value);
  const errors = [...(result.success ? [] : fieldErrorsFromZod(result.error)), ...nulCharacters(value)];
  if (!result.success || errors.length) throw AppError.validation(errors, title);
  return result.data as z.output<S>;
}
