// The statistics' SQL. Everything reads public_reports, the one public read model
// (migrations/0009_publication.sql): hidden and rejected reports are not there, help requests
// only at their public coarse point. A duplicate is counted through its original, never twice.
// A report is open while new, verified, assigned or in progress; resolved at its resolved_at,
// or its last change where none was recorded (as the staff overview counts it).
import type pg from 'pg';
import type { StatsQuery } from './stats.schemas';

export interface Counts {
  open: number;
  resolved: number;
  /** Median days from report to resolution, of the resolved ones; null when none is. */
  medianDays: number | null;
}

export interface CategoryRow extends Counts {
  kind: 'barrier' | 'help';
  category: string;
}

export interface AreaRow extends Counts {
  /** Imported areas: the area's id; null for reports outside every area. */
  areaId: number | null;
  name: string | null;
  code: string | null;
  kind: 'barrier' | 'help';
}

export interface PeriodRow {
  period: string;
  reported: number;
  resolved: number;
  medianDays: number | null;
}

export type PeriodUnit = 'week' | 'month';

const OPEN = `status IN ('new', 'verified', 'assigned', 'in_progress')`;
const COUNTS = `
  count(*) FILTER (WHERE ${OPEN})::int AS open,
  count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_resolve)
         FILTER (WHERE status = 'resolved'))::numeric, 1)::float8 AS "medianDays"`;

/**
 * The reports counted, as a CTE over public_reports with the filters bound as $1–$3. With
 * `budgetMs`, each row first checks the statement's age (migrations/0013_read_budget.sql):
 * the embedded database has no statement_timeout, and a whole-table count must not hold its
 * one connection for long.
 */
function counted(budgetMs: number | undefined): string {
  const budget = budgetMs
    ? `AND CASE WHEN clock_timestamp() - statement_timestamp() < interval '${Math.floor(budgetMs)} milliseconds'
                 OR wf_read_budget_spent() THEN true END`
    : '';
  return `counted AS (
    SELECT kind, category, status, created_at, public_geom,
           CASE WHEN status = 'resolved' THEN coalesce(resolved_at, updated_at) END AS resolved_when,
           CASE WHEN status = 'resolved'
                THEN greatest(extract(epoch FROM coalesce(resolved_at, updated_at) - created_at), 0) / 86400
           END AS days_to_resolve
      FROM public_reports
     WHERE status <> 'duplicate'
       AND ($1::date IS NULL OR created_at >= $1::date::timestamp AT TIME ZONE 'UTC')
       AND ($2::date IS NULL OR created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC')
       AND ($3::text IS NULL OR kind = $3)
       ${budget}
  )`;
}

const params = (q: StatsQuery) => [q.since ?? null, q.until ?? null, q.kind ?? null];

export interface Totals extends Counts {
  /** The day the first counted report was made (UTC), or null when none is. */
  firstDay: string | null;
}

/** Per category, and the totals (the grouping set without columns). */
export async function byCategory(
  pool: pg.Pool,
  q: StatsQuery,
  budgetMs?: number,
): Promise<{ rows: CategoryRow[]; totals: Totals }> {
  const { rows } = await pool.query<CategoryRow & { total: boolean; firstDay: string | null }>(
    `WITH ${counted(budgetMs)}
     SELECT kind, category, ${COUNTS}, GROUPING(kind, category) = 3 AS total,
            to_char(min(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "firstDay"
       FROM counted
      GROUP BY GROUPING SETS ((kind, category), ())
      ORDER BY total, kind, category`,
    params(q),
  );
  const total = rows.find((r) => r.total)!;
  return {
    rows: rows
      .filter((r) => !r.total)
      .map(({ kind, category, open, resolved, medianDays }) => ({
        kind,
        category,
        open,
        resolved,
        medianDays,
      })),
    totals: { open: total.open, resolved: total.resolved, medianDays: total.medianDays, firstDay: total.firstDay },
  };
}

export interface AreaInfo {
  id: number;
  name: string;
  code: string | null;
}

export async function listAreas(pool: pg.Pool): Promise<AreaInfo[]> {
  const { rows } = await pool.query<AreaInfo>('SELECT id, name, code FROM areas ORDER BY name, id');
  return rows;
}

/** Per imported area and kind: a point in two overlapping areas counts in the first imported. */
export async function byArea(pool: pg.Pool, q: StatsQuery, budgetMs?: number): Promise<AreaRow[]> {
  const { rows } = await pool.query<AreaRow>(
    `WITH ${counted(budgetMs)}
     SELECT a.id AS "areaId", a.name, a.code, c.kind, ${COUNTS}
       FROM counted c
       LEFT JOIN LATERAL (
         SELECT id, name, code FROM areas WHERE ST_Intersects(areas.geom, c.public_geom) ORDER BY id LIMIT 1
       ) a ON true
      GROUP BY a.id, a.name, a.code, c.kind
      ORDER BY a.name NULLS LAST, a.id, c.kind`,
    params(q),
  );
  return rows;
}

/**
 * Per grid cell of `cellDeg` degrees and kind, the cell named by its centre ("lat,lon"). A help
 * request's public point is the centre of its help-grid cell, so a cell here only ever sums
 * whole help-grid cells.
 */
export async function byGridCell(
  pool: pg.Pool,
  q: StatsQuery,
  cellDeg: number,
  budgetMs?: number,
): Promise<(Counts & { lat: number; lon: number; kind: 'barrier' | 'help' })[]> {
  const { rows } = await pool.query<Counts & { lat: number; lon: number; kind: 'barrier' | 'help' }>(
    `WITH ${counted(budgetMs)}
     SELECT ((floor(ST_Y(public_geom) / $4) + 0.5) * $4)::float8 AS lat,
            ((floor(ST_X(public_geom) / $4) + 0.5) * $4)::float8 AS lon,
            kind, ${COUNTS}
       FROM counted
      GROUP BY 1, 2, kind
      ORDER BY 1 DESC, 2, kind`,
    [...params(q), cellDeg],
  );
  return rows;
}

/**
 * Every week or month from the first counted report's to the last day asked for (today
 * without `until`): reports made in it, and reports resolved in it with their median days.
 */
export async function overTime(
  pool: pg.Pool,
  q: StatsQuery,
  unit: PeriodUnit,
  from: string,
  budgetMs?: number,
): Promise<PeriodRow[]> {
  const { rows } = await pool.query<PeriodRow>(
    `WITH ${counted(budgetMs)},
     periods AS (
       SELECT generate_series(date_trunc($4, $5::date::timestamp),
                              date_trunc($4, coalesce($2::date, current_date)::timestamp),
                              ('1 ' || $4)::interval)::date AS period
     ), made AS (
       SELECT date_trunc($4, created_at AT TIME ZONE 'UTC')::date AS period, count(*)::int AS n
         FROM counted GROUP BY 1
     ), done AS (
       SELECT date_trunc($4, resolved_when AT TIME ZONE 'UTC')::date AS period, count(*)::int AS n,
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_resolve))::numeric, 1)::float8 AS median
         FROM counted WHERE status = 'resolved' GROUP BY 1
     )
     SELECT to_char(p.period, 'YYYY-MM-DD') AS period, coalesce(m.n, 0) AS reported,
            coalesce(d.n, 0) AS resolved, d.median AS "medianDays"
       FROM periods p LEFT JOIN made m ON m.period = p.period LEFT JOIN done d ON d.period = p.period
      ORDER BY p.period`,
    [...params(q), unit, from],
  );
  return rows;
}
