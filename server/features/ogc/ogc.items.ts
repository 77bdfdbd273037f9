// The items of a collection, as OGC API – Features Part 1 pages them both ways: the `next`
// link (keyset by id: each feature once even while reports arrive) and `offset` (what
// ogc-client and OWSLib compute themselves). `limit` above the maximum is clamped, not refused
// (/req/core/fc-limit-response-1); `numberMatched` lets `ogrinfo -so` count without paging.
import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { countReports, listReports, type ReportFilter } from '../reports/reports.repo';
import { openDataFilterShape } from '../reports/reports.schemas';
import { ogcFeature } from './ogc.fields';
import { CRS84, FILTER_LANGS } from './ogc.filter';

const GEOJSON = 'application/geo+json';
/** The server's maximum `limit` (OGC API – Features, /req/core/fc-limit-definition). */
export const MAX_LIMIT = 1000;
/**
 * The deepest `offset`: skipping rows costs as many rows as are skipped, on the one connection
 * of the embedded database too. Beyond it, the `next` links page at the same cost everywhere.
 */
export const MAX_OFFSET = 100_000;

const wholeNumber = (what: string, min: number, max?: number) =>
  z
    .string()
    .max(20, `must be ${what}`)
    .regex(/^\d+$/, `must be ${what}`)
    .transform(Number)
    .refine((n) => n >= min && (max === undefined || n <= max), `must be ${what}`);

export const itemsQuery = z
  .object({
    ...openDataFilterShape,
    // A page is built in memory (≈ 1 KB a feature): the maximum keeps it to about a megabyte.
    limit: wholeNumber('a whole number of at least 1', 1)
      .transform((n) => Math.min(n, MAX_LIMIT))
      .default('100'),
    offset: wholeNumber(
      `a whole number from 0 to ${MAX_OFFSET}; page further with the next links`,
      0,
      MAX_OFFSET,
    ).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'is not a cursor this API gave out')
      .optional(),
    filter: z.string().max(4000, 'must be at most 4,000 characters').optional(),
    'filter-lang': z.enum(FILTER_LANGS, { message: `must be ${FILTER_LANGS.join(' or ')}` }).optional(),
    'filter-crs': z.literal(CRS84, { message: `must be ${CRS84} (longitude, latitude)` }).optional(),
    f: z.enum(['json', 'geojson']).optional(),
  })
  .strict('is not a parameter of this collection');
export type ItemsQuery = z.infer<typeof itemsQuery>;

/** Counts for a minute per filter: a client paging 1,000 pages does not count 1,000 times. */
const COUNT_TTL_MS = 60_000;
type CountCache = Map<string, { at: number; n: Promise<number | undefined> }>;
const counts = new WeakMap<pg.Pool, CountCache>();

/**
 * A count cancelled by its statement budget (57014: statement_timeout, or the embedded
 * database's filter budget) leaves `numberMatched` out, which the standard allows, and is
 * remembered like a count: the pages of a filter too expensive to count are not refused, and
 * do not each spend the budget again.
 */
function cachedCount(pool: pg.Pool, key: string, count: () => Promise<number>): Promise<number | undefined> {
  let cache = counts.get(pool);
  if (!cache) counts.set(pool, (cache = new Map() as CountCache));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < COUNT_TTL_MS) return hit.n;
  if (cache.size >= 500) cache.clear();
  const n = count().catch((err: unknown) => {
    if ((err as { code?: unknown }).code === '57014') return undefined;
    throw err;
  });
  n.catch(() => cache.delete(key));
  cache.set(key, { at: Date.now(), n });
  return n;
}

export interface ItemsPage {
  filter: Omit<ReportFilter, 'limit'>;
  /** What identifies the filter for the count cache (the filter without its paging). */
  countKey: string;
}

/** Lists a page and answers it; `page.filter` carries the collection's kinds and any CQL2. */
export async function sendItems(
  req: Request,
  res: Response,
  deps: { pool: pg.Pool; baseUrl: string; collectionUrl: string },
  q: ItemsQuery,
  page: ItemsPage | undefined,
): Promise<void> {
  const [rows, matched] = page
    ? await Promise.all([
        listReports(
          deps.pool,
          {
            ...page.filter,
            afterId: q.cursor ? Number(q.cursor) : undefined,
            offset: q.offset,
            oldestFirst: true,
            limit: q.limit + 1,
          },
          'public',
        ),
        cachedCount(deps.pool, page.countKey, () => countReports(deps.pool, page.filter, 'public')),
      ])
    : [[], 0 as number | undefined];
  const features = rows.slice(0, q.limit);
  const self = new URL(`${deps.baseUrl}${req.originalUrl}`);
  // The clamped limit, so that the links say what was done.
  self.searchParams.set('limit', String(q.limit));
  const links = [
    { href: self.toString(), rel: 'self', type: GEOJSON, title: 'This page' },
    { href: deps.collectionUrl, rel: 'collection', type: 'application/json', title: 'The collection' },
  ];
  if (rows.length > q.limit) {
    // Keyset from here on: the offset is spent, the cursor is where this page ended.
    const next = new URL(self);
    next.searchParams.delete('offset');
    next.searchParams.set('cursor', String(features[features.length - 1]!.id));
    links.push({ href: next.toString(), rel: 'next', type: GEOJSON, title: 'Next page' });
  }
  if (q.offset && !q.cursor) {
    const prev = new URL(self);
    const back = Math.max(0, q.offset - q.limit);
    if (back) prev.searchParams.set('offset', String(back));
    else prev.searchParams.delete('offset');
    links.push({ href: prev.toString(), rel: 'prev', type: GEOJSON, title: 'Previous page' });
  }
  res.type(GEOJSON).json({
    type: 'FeatureCollection',
    features: features.map((r) => ogcFeature(r, deps.baseUrl)),
    links,
    timeStamp: new Date().toISOString(),
    numberMatched: matched,
    numberReturned: features.length,
  });
}

/** The parameters that identify a filter (not its paging), for the count cache. */
export function filterKey(collectionId: string, q: ItemsQuery, extra: string): string {
  const { limit: _l, offset: _o, cursor: _c, f: _f, filter: _q, ...filters } = q;
  return JSON.stringify([collectionId, filters, extra]);
}
