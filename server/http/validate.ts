import type { z } from 'zod';
import { AppError, fieldErrorsFromZod } from './errors';

/** Validates with zod; a failure is a 422 naming each bad field. */
export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, title?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.validation(fieldErrorsFromZod(result.error), title);
  return result.data as z.output<S>;
}
