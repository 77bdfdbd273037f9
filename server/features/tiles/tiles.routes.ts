import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { parse } from '../../http/validate';
import { requireStaff, staffOf } from '../../http/auth';
import { PRIVATE_CACHE, publicEtagOf } from '../../http/conditional';
import type { Audience, Queryable } from '../reports/reports.repo';
import { mapFilterShape } from '../reports/reports.schemas';
import { MAX_ZOOM } from './tiles.grid';
import { buildTile, clustersGeoJson, type TileLimits } from './tiles.service';
import { CACHED_MAX_ZOOM, TileCache } from './tiles.cache';

/**
 * One spelling per tile: `034`, `0x22`, `3.4e1` or `34.0` would each be a tile of its own to
 * the tile cache and to a CDN, whose copies an attacker could multiply at will.
 */
const tileNumber = z
  .string()
  .regex(/^(?:0|[1-9]\d{0,9})$/, 'must be a whole number in decimal digits, without leading zeros')
  .transform(Number);

const tileParams = z
  .object({
    z: tileNumber.pipe(z.number().max(MAX_ZOOM, `must be at most ${MAX_ZOOM}`)),
    x: tileNumber,
    y: tileNumber,
  })
  .refine((t) => t.x < 2 ** t.z, { message: 'is outside the zoom level', path: ['x'] })
  .refine((t) => t.y < 2 ** t.z, { message: 'is outside the zoom level', path: ['y'] });

const tileQuery = z.object(mapFilterShape).strict('is not a filter of the map');
const clustersQuery = z
  .object({
    ...mapFilterShape,
    bbox: mapFilterShape.bbox.refine((b) => b !== undefined, 'is required'),
    zoom: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(0, `must be between 0 and ${MAX_ZOOM}`)
      .max(MAX_ZOOM, `must be between 0 and ${MAX_ZOOM}`),
  })
  .strict('is not a parameter of this query');

/**
 * Staff maps show the viewer's scope (requireStaff ran first). The public map is the same for
 * everyone, a logged-in responder too; only its caching differs (private with a session, so
 * that shared caches keep to anonymous requests: server/http/conditional.ts).
 */
const viewerOf = (audience: Audience, res: Response) => (audience === 'staff' ? staffOf(res)?.user : undefined);

/** The map's filters as a tile or the clusters ask for them. */
const filterOf = (q: z.infer<typeof tileQuery>, audience: Audience, res: Response) => ({
  categories: q.category,
  kinds: q.kind,
  statuses: q.status,
  since: q.since,
  viewer: viewerOf(audience, res),
});

/**
 * Public answers get ETag, Last-Modified and Cache-Control from server/http/conditional.ts,
 * mounted in front (app.ts), which also answers their 304s; staff answers are private.
 */
export function tilesRouter(db: Queryable, limits: TileLimits = {}, cache = new TileCache()): Router {
  const router = Router();

  const tile =
    (audience: Audience): RequestHandler =>
    async (req, res) => {
      const { z: zoom, x, y } = parse(tileParams, req.params);
      const q = parse(tileQuery, req.query);
      // The ETag names the data's version, the tile and its filters: the bytes for it are these.
      const key = audience === 'public' && zoom <= CACHED_MAX_ZOOM ? publicEtagOf(res) : undefined;
      const cached = key && cache.get(key);
      const body =
        cached ||
        (await buildTile(
          db,
          {
            z: zoom,
            x,
            y,
            filter: filterOf(q, audience, res),
            audience,
          },
          limits,
        ));
      if (key && !cached) cache.set(key, body);
      res.set('Content-Type', 'application/vnd.mapbox-vector-tile');
      if (audience === 'staff') res.set('Cache-Control', PRIVATE_CACHE);
      else res.set('Access-Control-Allow-Origin', '*');
      res.send(body);
    };

  const clusters =
    (audience: Audience): RequestHandler =>
    async (req, res) => {
      const q = parse(clustersQuery, req.query);
      const collection = await clustersGeoJson(
        db,
        {
          bbox: q.bbox,
          zoom: q.zoom,
          filter: filterOf(q, audience, res),
          audience,
        },
        limits,
      );
      if (audience === 'staff') res.set('Cache-Control', PRIVATE_CACHE);
      res.type('application/geo+json').json(collection);
    };

  router.get('/tiles/public/:z/:x/:y.mvt', tile('public'));
  router.get('/tiles/staff/:z/:x/:y.mvt', requireStaff(), tile('staff'));
  router.get('/api/v1/clusters', clusters('public'));
  router.get('/api/v1/staff/clusters', requireStaff(), clusters('staff'));
  return router;
}
