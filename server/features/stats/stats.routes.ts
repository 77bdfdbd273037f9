// GET /api/v1/stats (JSON) and /api/v1/stats.csv: the public statistics (stats.service.ts,
// docs/STATS.md). Public, cacheable for a minute; among the expensive reads
// (server/http/rate-limit.ts), and on the reads' pool with its statement budget.
import { Router, type Response } from 'express';
import type pg from 'pg';
import type { DatabaseKind } from '../../db/database';
import { parse } from '../../http/validate';
import { statsCsv } from './stats.csv';
import { statsQuery } from './stats.schemas';
import { CACHE_TTL_MS, createStats, type StatsSource } from './stats.service';

// Browsers and proxies may keep an answer as long as the server does; Express adds the ETag.
const cacheFor = (res: Response) => res.set('Cache-Control', `public, max-age=${CACHE_TTL_MS / 1000}`);

/**
 * Each statement's budget on the embedded database, which has no statement_timeout: there a
 * count of every report holds the one connection everyone shares. PostgreSQL's reads' pool
 * has its own statement_timeout.
 */
const EMBEDDED_BUDGET_MS = 1000;

export function statsRouter(deps: {
  /** The public reads' pool. */
  pool: pg.Pool;
  helpGridM: number;
  databaseKind: DatabaseKind;
  /** Tests: a source of their own (a short cache). */
  stats?: StatsSource;
}): Router {
  const stats =
    deps.stats ??
    createStats({
      pool: deps.pool,
      helpGridM: deps.helpGridM,
      budgetMs: deps.databaseKind === 'embedded' ? EMBEDDED_BUDGET_MS : undefined,
    });
  const router = Router();
  router.get('/api/v1/stats', async (req, res) => {
    const q = parse(statsQuery, req.query);
    cacheFor(res).json(await stats.get(q));
  });
  router.get('/api/v1/stats.csv', async (req, res) => {
    const q = parse(statsQuery, req.query);
    const csv = statsCsv(await stats.get(q));
    cacheFor(res)
      .type('text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', 'attachment; filename="wegfrei-stats.csv"')
      .send(csv);
  });
  return router;
}
