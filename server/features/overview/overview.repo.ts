// The overview's SQL. The period is "the last N days", today included, by the database's
// date. A report counts as resolved at its resolved_at; a resolved report without one (imported
// or seeded before resolved_at was recorded) at its last change, so that the per-day counts,
// the median and the table never disagree about whether anything was resolved.
import type pg from 'pg';

export interface CategoryStatusCount {
  category: string;
  status: string;
  count: number;
}

export interface SourceCount {
  source: string;
  count: number;
}

export interface DayCount {
  day: string;
  created: number;
  resolved: number;
}

export interface PeriodBounds {
  from: string;
  to: string;
}

const RESOLVED_WHEN = `CASE WHEN status = 'resolved' THEN coalesce(resolved_at, updated_at) END`;
const START = `(current_date - ($1::int - 1))`;

export async function periodBounds(pool: pg.Pool, days: number): Promise<PeriodBounds> {
  const { rows } = await pool.query<PeriodBounds>(
    `SELECT to_char(${START}, 'YYYY-MM-DD') AS "from", to_char(current_date, 'YYYY-MM-DD') AS "to"`,
    [days],
  );
  return rows[0]!;
}

/** Reports created in the period, by category and the status they have now. */
export async function createdByCategoryStatus(pool: pg.Pool, days: number): Promise<CategoryStatusCount[]> {
  const { rows } = await pool.query<CategoryStatusCount>(
    `SELECT category, status, count(*)::int AS count FROM reports
      WHERE created_at >= ${START}
      GROUP BY category, status ORDER BY category, status`,
    [days],
  );
  return rows;
}

/** Reports created in the period, by the channel they came through, most first. */
export async function createdBySource(pool: pg.Pool, days: number): Promise<SourceCount[]> {
  const { rows } = await pool.query<SourceCount>(
    `SELECT source, count(*)::int AS count FROM reports
      WHERE created_at >= ${START}
      GROUP BY source ORDER BY count DESC, source`,
    [days],
  );
  return rows;
}

/** Every day of the period with the reports created and resolved on it (0 where none). */
export async function perDay(pool: pg.Pool, days: number): Promise<DayCount[]> {
  const { rows } = await pool.query<DayCount>(
    `WITH days AS (
       SELECT generate_series(${START}, current_date, interval '1 day')::date AS day
     ), created AS (
       SELECT created_at::date AS day, count(*)::int AS n FROM reports
        WHERE created_at >= ${START} GROUP BY 1
     ), resolved AS (
       SELECT (${RESOLVED_WHEN})::date AS day, count(*)::int AS n FROM reports
        WHERE status = 'resolved' AND ${RESOLVED_WHEN} >= ${START} GROUP BY 1
     )
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0) AS created, coalesce(r.n, 0) AS resolved
       FROM days d LEFT JOIN created c ON c.day = d.day LEFT JOIN resolved r ON r.day = d.day
      ORDER BY d.day`,
    [days],
  );
  return rows;
}

/** The median hours from report to resolution, of the reports resolved in the period. */
export async function medianHoursToResolve(pool: pg.Pool, days: number): Promise<number | null> {
  const { rows } = await pool.query<{ hours: number | null }>(
    `SELECT (percentile_cont(0.5) WITHIN GROUP (
              ORDER BY greatest(extract(epoch FROM ${RESOLVED_WHEN} - created_at), 0)) / 3600)::float8 AS hours
       FROM reports WHERE status = 'resolved' AND ${RESOLVED_WHEN} >= ${START}`,
    [days],
  );
  return rows[0]?.hours ?? null;
}
