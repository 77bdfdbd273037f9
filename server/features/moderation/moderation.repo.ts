// SQL only: what waits for a person, and the changes moderation makes. Each change also writes
// the report's history and a live event in the same transaction (moderation.service.ts).
import type pg from 'pg';
import { selectReport, toReportRow, type Queryable, type ReportRow, type Review } from '../reports/reports.repo';

export interface QueueFilter {
  kinds?: string[];
  limit: number;
  offset: number;
}

/**
 * Reports a person has yet to look at: words and photos not published (help requests, and
 * barriers under pre-moderation), or a photo added later (a responder's). Rejected reports
 * need no review, and neither do reports staff hid (a decision; a pre-moderated barrier is
 * hidden from the start, by no one, and waits). Most urgent first, as in the triage queue.
 */
const PENDING = `r.status <> 'rejected'
  AND (r.review = 'pending' OR EXISTS (SELECT 1 FROM photos q WHERE q.report_id = r.id AND q.state = 'pending'))
  AND NOT (r.hidden AND EXISTS (SELECT 1 FROM report_history h WHERE h.report_id = r.id AND h.action = 'hidden'))`;

export async function listPending(db: Queryable, f: QueueFilter): Promise<{ rows: ReportRow[]; total: number }> {
  const kinds = f.kinds?.length ? f.kinds : null;
  const [page, count] = await Promise.all([
    db.query<Record<string, unknown>>(
      `${selectReport('staff')} FROM reports r
        WHERE ${PENDING} AND ($1::text[] IS NULL OR r.kind = ANY($1))
        ORDER BY priority DESC, r.id LIMIT $2 OFFSET $3`,
      [kinds, f.limit, f.offset],
    ),
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reports r WHERE ${PENDING} AND ($1::text[] IS NULL OR r.kind = ANY($1))`,
      [kinds],
    ),
  ]);
  return { rows: page.rows.map(toReportRow), total: count.rows[0]?.n ?? 0 };
}

export interface Publication {
  review: Review;
  hidden: boolean;
  /** The text the public sees once published: the reporter's words unless redacted. */
  publicText: string | null;
}

/** The report's row locked for a change, with what moderation changes. */
export async function lockPublication(db: pg.PoolClient, id: number): Promise<Publication | undefined> {
  const { rows } = await db.query<Publication>(
    `SELECT review, hidden,
            CASE WHEN public_description IS NULL THEN description ELSE nullif(public_description, '') END AS "publicText"
       FROM reports WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/** Whether staff ever hid the report (a pre-moderated barrier starts hidden by no one). */
export async function wasHiddenByStaff(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM report_history WHERE report_id = $1 AND action = 'hidden' LIMIT 1`,
    [id],
  );
  return Boolean(rowCount);
}

export async function setPublication(
  db: pg.PoolClient,
  id: number,
  change: { review?: Review; hidden?: boolean; publicText?: string | null },
): Promise<void> {
  // The reporter's words stay for staff; the public text is its own ('' for none).
  await db.query(
    `UPDATE reports SET review = coalesce($2, review), hidden = coalesce($3, hidden),
            public_description = CASE WHEN $4 THEN $5 ELSE public_description END, updated_at = now()
      WHERE id = $1`,
    [id, change.review ?? null, change.hidden ?? null, change.publicText !== undefined, change.publicText ?? ''],
  );
  // Publishing the words publishes the photos the coordinator saw with them.
  if (change.review === 'published') {
    await db.query(`UPDATE photos SET state = 'published' WHERE report_id = $1 AND state = 'pending'`, [id]);
  }
}

export interface PhotoRecord {
  position: number;
  hash: string;
  state: 'pending' | 'published' | 'hidden';
}

export async function lockPhoto(
  db: pg.PoolClient,
  reportId: number,
  position: number,
): Promise<PhotoRecord | undefined> {
  const { rows } = await db.query<PhotoRecord>(
    'SELECT position, hash, state FROM photos WHERE report_id = $1 AND position = $2 FOR UPDATE',
    [reportId, position],
  );
  return rows[0];
}

export async function setPhotoState(
  db: pg.PoolClient,
  reportId: number,
  position: number,
  state: string,
): Promise<void> {
  await db.query('UPDATE photos SET state = $3 WHERE report_id = $1 AND position = $2', [reportId, position, state]);
  await db.query('UPDATE reports SET updated_at = now() WHERE id = $1', [reportId]);
}

/** Every row that shows the photo `oldHash` shows `p` instead; returns where it was. */
export async function replacePhotoEverywhere(
  db: pg.PoolClient,
  oldHash: string,
  p: { hash: string; width: number; height: number; thumbWidth: number; thumbHeight: number; bytes: number },
): Promise<{ reportId: number; position: number }[]> {
  const { rows } = await db.query<{ report_id: number; position: number }>(
    `WITH replaced AS (
       UPDATE photos SET hash = $2, width = $3, height = $4, thumb_width = $5, thumb_height = $6, bytes = $7
        WHERE hash = $1
       RETURNING report_id, position),
     touched AS (UPDATE reports SET updated_at = now() WHERE id IN (SELECT report_id FROM replaced))
     SELECT report_id, position FROM replaced ORDER BY report_id, position`,
    [oldHash, p.hash, p.width, p.height, p.thumbWidth, p.thumbHeight, p.bytes],
  );
  return rows.map((r) => ({ reportId: r.report_id, position: r.position }));
}

export async function isPhotoReferenced(db: Queryable, hash: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM photos WHERE hash = $1 LIMIT 1', [hash]);
  return Boolean(rowCount);
}
