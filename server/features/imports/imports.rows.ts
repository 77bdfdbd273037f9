// What every format's reader yields: per record of the file either the fields of a report
// (in the API's own names, checked later by the API's own schema) with the record's identity in
// its origin, or the reason it cannot be taken. And what the readers share: finding our
// category code for a foreign category value, and an identity for records without an id.
import crypto from 'node:crypto';
import type { Category } from '../categories/categories.repo';

export const IMPORT_FORMATS = ['geojson', 'csv', 'ushahidi', 'sidewalk'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why a record was not taken; the code groups the summary, the detail tells the person. */
export const REFUSAL_REASONS = {
  no_coordinates: 'no usable coordinates',
  not_a_point: 'geometry is not a Point',
  unknown_category: 'category not known or not mapped',
  invalid: 'a value breaks the rules of a report',
  not_a_barrier: 'a positive or unsure label, not a barrier',
  archived: 'archived in its origin',
  unreadable: 'the record cannot be read',
} as const;
export type RefusalReason = keyof typeof REFUSAL_REASONS;

export interface Refusal {
  reason: RefusalReason;
  detail: string;
}

export type ImportRecord =
  | { row: number; originRef: string; fields: Record<string, unknown>; createdAt?: Date }
  | { row: number; refused: Refusal };

/**
 * When a record was reported in its origin, if it says so readably: kept, so an export
 * re-imported elsewhere keeps its dates (a date in the future or before 1990 is not kept).
 */
export function reportedAt(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const d = new Date(value.trim());
  const t = d.getTime();
  return Number.isNaN(t) || t < Date.UTC(1990, 0, 1) || t > Date.now() ? undefined : d;
}

export const refuse = (row: number, reason: RefusalReason, detail: string): ImportRecord => ({
  row,
  refused: { reason, detail },
});

/** origin_ref holds at most 300 characters; a longer id is replaced by its hash. */
export function originRef(prefix: string, id: string): string {
  const ref = `${prefix}:${id}`;
  return ref.length <= 300 ? ref : `${prefix}:sha256:${sha256(id)}`;
}

/** A record without an id in its origin is known by its content: the same row again is the same report. */
export const contentRef = (prefix: string, content: unknown) => `${prefix}:sha256:${sha256(JSON.stringify(content))}`;

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * How a foreign category value is read, in this order: the tables given (the mapping file's
 * first, then a format's built-in one), our codes, our labels in English, German and French.
 */
export interface CategoryResolver {
  (value: string): string | undefined;
}

const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('en');

export function categoryResolver(categories: Category[], ...tables: Record<string, string>[]): CategoryResolver {
  const byKey = new Map<string, string>();
  const add = (key: string, code: string) => {
    if (!byKey.has(fold(key))) byKey.set(fold(key), code);
  };
  for (const table of tables) for (const [value, code] of Object.entries(table)) add(value, code);
  for (const c of categories) add(c.code, c.code);
  for (const c of categories) for (const label of Object.values(c.labels)) add(label, c.code);
  return (value) => byKey.get(fold(value));
}

/** Reads a number written with a decimal comma too ("52,52"), as German spreadsheets do. */
export function decimal(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return /^[-+]?\d+,\d+$/.test(t) ? t.replace(',', '.') : t;
}
