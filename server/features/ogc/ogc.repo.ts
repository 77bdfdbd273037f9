import type pg from 'pg';
import { reportsFrom } from '../reports/reports.repo';

export interface Extent {
  bbox: [number, number, number, number] | null;
  firstCreated: Date | null;
}

/** A full scan: cached for a minute, the extent of a growing collection barely moves. */
type ExtentCache = Map<string, { at: number; extent: Promise<Extent> }>;
const caches = new WeakMap<pg.Pool, ExtentCache>();
const TTL_MS = 60_000;

export function collectionExtent(pool: pg.Pool, kinds: readonly string[] | undefined): Promise<Extent> {
  const key = kinds?.join(',') ?? '*';
  let cache = caches.get(pool);
  if (!cache) caches.set(pool, (cache = new Map() as ExtentCache));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.extent;
  const extent = pool
    .query<{ xmin: number | null; ymin: number; xmax: number; ymax: number; first: Date | null }>(
      `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, first
         FROM (SELECT ST_Extent(r.public_geom) AS e, min(r.created_at) AS first
                 FROM ${reportsFrom('public')} WHERE $1::text[] IS NULL OR r.kind = ANY($1)) x`,
      [kinds ? [...kinds] : null],
    )
    .then(({ rows }) => {
      const r = rows[0]!;
      return {
        bbox: r.xmin === null ? null : ([r.xmin, r.ymin, r.xmax, r.ymax] as [number, number, number, number]),
        firstCreated: r.first,
      };
    });
  extent.catch(() => cache.delete(key));
  cache.set(key, { at: Date.now(), extent });
  return extent;
}
