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

export interface FixCheckCount {
  fixed: number;
  notFixed: number;
}

export interface TeamFixChecks extends FixCheckCount {
  /** The team the report was assigned to when it was resolved; null: none. */
  teamId: number | null;
  team: string | null;
}

export interface AreaFixChecks extends FixCheckCount {
  /** An imported area (npm run areas:import); null: outside every area. */
  areaId: number | null;
  name: string | null;
}

/** Citizens' answers to "Is it really fixed?" given in the period, by the team that resolved. */
export async function fixChecksByTeam(pool: pg.Pool, days: number): Promise<TeamFixChecks[]> {
  const { rows } = await pool.query<TeamFixChecks>(
    `SELECT f.team_id AS "teamId", t.name AS team,
            count(*) FILTER (WHERE f.answer = 'fixed')::int AS fixed,
            count(*) FILTER (WHERE f.answer = 'not_fixed')::int AS "notFixed"
       FROM fix_checks f LEFT JOIN teams t ON t.id = f.team_id
      WHERE f.created_at >= ${START}
      GROUP BY f.team_id, t.name
      ORDER BY t.name NULLS LAST`,
    [days],
  );
  return rows;
}

/**
 * The same answers by the imported area of the report's exact point (staff see it); a point in
 * two overlapping areas counts in the first imported, as on /stats. Empty without areas.
 */
export async function fixChecksByArea(pool: pg.Pool, days: number): Promise<AreaFixChecks[]> {
  const { rows } = await pool.query<AreaFixChecks>(
    `SELECT a.id AS "areaId", a.name,
            count(*) FILTER (WHERE f.answer = 'fixed')::int AS fixed,
            count(*) FILTER (WHERE f.answer = 'not_fixed')::int AS "notFixed"
       FROM fix_checks f JOIN reports r ON r.id = f.report_id
       LEFT JOIN LATERAL (
         SELECT id, name FROM areas WHERE ST_Intersects(areas.geom, r.geom) ORDER BY id LIMIT 1
       ) a ON true
      WHERE f.created_at >= ${START} AND EXISTS (SELECT 1 FROM areas)
      GROUP BY a.id, a.name
      ORDER BY a.name NULLS LAST`,
    [days],
  );
  return rows;
}
