// The SQL of imports: which of a file's records are already reports.
import type { Queryable } from '../reports/reports.repo';

/** The origin refs among `refs` that a report already has (reports_origin_ref_idx). */
export async function findImportedRefs(db: Queryable, refs: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < refs.length; i += 5000) {
    const { rows } = await db.query<{ origin_ref: string }>(
      `SELECT origin_ref FROM reports WHERE origin_ref = ANY($1::text[])`,
      [refs.slice(i, i + 5000)],
    );
    for (const r of rows) found.add(r.origin_ref);
  }
  return found;
}

/** The unique violation a concurrent or earlier import of the same record ends in. */
export const isOriginConflict = (err: unknown): boolean =>
  (err as { code?: string }).code === '23505' &&
  (err as { constraint?: string }).constraint === 'reports_origin_ref_idx';
