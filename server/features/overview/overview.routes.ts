// GET /api/v1/overview?days=N: the overview for the last N days (overview.service.ts).
import { Router } from 'express';
import type pg from 'pg';
import { requireStaff } from '../../http/auth';
import { parse } from '../../http/validate';
import { overviewQuery } from './overview.schemas';
import { overview } from './overview.service';

export function overviewRouter(pool: pg.Pool): Router {
  const router = Router();
  router.get('/api/v1/overview', requireStaff('admin', 'coordinator'), async (req, res) => {
    const { days } = parse(overviewQuery, req.query);
    res.set('Cache-Control', 'private, no-store').json(await overview(pool, days));
  });
  return router;
}
