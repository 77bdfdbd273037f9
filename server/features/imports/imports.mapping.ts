// The mapping file (--mapping map.json, docs/IMPORTS.md): which column holds what, and which
// of their category values is which of our codes. Checked before anything is read, so a typo
// in a code stops the import instead of refusing every row.
import { z } from 'zod';
import { fieldErrorsFromZod } from '../../http/errors';
import type { Category } from '../categories/categories.repo';

const column = z.string().min(1);
export const COLUMN_FIELDS = [
  'lat',
  'lon',
  'category',
  'kind',
  'description',
  'severity',
  'passability',
  'people_count',
  'address',
  'accuracy_m',
  'id',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

export const mappingSchema = z
  .object({
    /** Prefix of every record's origin ref (`<origin>:<id>`), e.g. "ushahidi-haiti". */
    origin: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,40}$/, 'must be lower-case letters, digits, . _ or -, at most 41 characters')
      .optional(),
    delimiter: z.enum([',', ';', '\t']).optional(),
    columns: z
      .object({
        ...Object.fromEntries(COLUMN_FIELDS.map((f) => [f, column.optional()])),
        // Several columns make one description (a title and a text), joined by a blank line.
        description: z.union([column, z.array(column).min(1)]).optional(),
      })
      .strict('is not a field a column can fill')
      .partial()
      .default({}),
    /** Their category value → our code. */
    categories: z.record(z.string()).default({}),
    /** Their severity value → 1, 2 or 3. */
    severity: z.record(z.number().int().min(1).max(3)).default({}),
  })
  .strict('is not a setting of a mapping file');
export type Mapping = z.infer<typeof mappingSchema> & {
  columns: Partial<Record<Exclude<ColumnField, 'description'>, string>> & { description?: string | string[] };
};

export class MappingError extends Error {}

export function parseMapping(text: string, categories: Category[]): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MappingError(`the mapping file is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    // Unknown keys are named one by one ("colums: is not a setting…"), as the API names fields.
    const issues = fieldErrorsFromZod(parsed.error).map(
      (e) => `${e.field === 'body' ? 'mapping' : e.field}: ${e.detail}`,
    );
    throw new MappingError(`the mapping file is not right:\n  ${issues.join('\n  ')}`);
  }
  const codes = new Set(categories.map((c) => c.code));
  const unknown = Object.entries(parsed.data.categories).filter(([, code]) => !codes.has(code));
  if (unknown.length) {
    throw new MappingError(
      `the mapping file names categories that do not exist: ${unknown.map(([v, c]) => `"${v}" → "${c}"`).join(', ')} ` +
        `(codes: ${[...codes].join(', ')})`,
    );
  }
  return parsed.data;
}

export const emptyMapping = (): Mapping => ({ columns: {}, categories: {}, severity: {} });
