// The numbers a coordinator reports upwards: where things stand, the flow per day, and how
// long resolving takes.
import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { requireStaff } from '../../http/auth';
import { parse } from '../../http/validate';

const query = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict('is not a parameter');

export function overviewRouter(pool: pg.Pool): Router {
  const router = Router();
  router.get('/api/v1/overview', requireStaff('admin', 'coordinator'), async (req, res) => {
    const { days } = parse(query, req.query);
    const byCategory = await pool.query<{ category: string; status: string; count: number }>(
      'SELECT category, status, count(*)::int AS count FROM reports GROUP BY category, status ORDER BY category, status',
    );
    const perDay = await pool.query<{ day: string; created: number; resolved: number }>(
      `WITH days AS (
         SELECT generate_series(current_date - ($1::int - 1), current_date, interval '1 day')::date AS day
       ), created AS (
         SELECT created_at::date AS day, count(*)::int AS n FROM reports
          WHERE created_at >= current_date - ($1::int - 1) GROUP BY 1
       ), resolved AS (
         SELECT resolved_at::date AS day, count(*)::int AS n FROM reports
          WHERE resolved_at >= current_date - ($1::int - 1) GROUP BY 1
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0) AS created, coalesce(r.n, 0) AS resolved
         FROM days d LEFT JOIN created c ON c.day = d.day LEFT JOIN resolved r ON r.day = d.day
        ORDER BY d.day`,
      [days],
    );
    const median = await pool.query<{ hours: number | null }>(
      `SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) / 3600)::float8 AS hours
         FROM reports WHERE status = 'resolved' AND resolved_at IS NOT NULL`,
    );
    const hours = median.rows[0]?.hours;
    res.set('Cache-Control', 'private, no-store').json({
      by_category: byCategory.rows,
      per_day: perDay.rows,
      median_hours_to_resolve: hours === null || hours === undefined ? null : Math.round(hours * 10) / 10,
    });
  });
  return router;
}
