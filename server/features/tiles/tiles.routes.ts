import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { parse } from '../../http/validate';
import { requireStaff, staffOf } from '../../http/auth';
import type { Audience, Queryable } from '../reports/reports.repo';
import { mapFilterShape } from '../reports/reports.schemas';
import { MAX_ZOOM } from './tiles.grid';
import { buildTile, clustersGeoJson, type TileLimits } from './tiles.service';

const tileParams = z
  .object({
    z: z.coerce.number().int().min(0).max(MAX_ZOOM),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
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

const CACHE: Record<Audience, string> = {
  // Short enough that a proxy or CDN shows a new report within seconds; Express adds the ETag.
  public: 'public, max-age=5, stale-while-revalidate=30',
  staff: 'private, no-cache',
};

/**
 * Staff maps show the viewer's scope (requireStaff ran first). The public map is the same for
 * everyone, a logged-in responder too: it is cached publicly.
 */
const viewerOf = (audience: Audience, res: Response) => (audience === 'staff' ? staffOf(res)?.user : undefined);

export function tilesRouter(db: Queryable, limits: TileLimits = {}): Router {
  const router = Router();

  const tile =
    (audience: Audience): RequestHandler =>
    async (req, res) => {
      const { z: zoom, x, y } = parse(tileParams, req.params);
      const q = parse(tileQuery, req.query);
      const body = await buildTile(
        db,
        {
          z: zoom,
          x,
          y,
          filter: {
            categories: q.category,
            kinds: q.kind,
            statuses: q.status,
            since: q.since,
            viewer: viewerOf(audience, res),
          },
          audience,
        },
        limits,
      );
      res.set({ 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Cache-Control': CACHE[audience] });
      if (audience === 'public') res.set('Access-Control-Allow-Origin', '*');
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
          filter: {
            categories: q.category,
            kinds: q.kind,
            statuses: q.status,
            since: q.since,
            viewer: viewerOf(audience, res),
          },
          audience,
        },
        limits,
      );
      res.set('Cache-Control', CACHE[audience]).type('application/geo+json').json(collection);
    };

  router.get('/tiles/public/:z/:x/:y.mvt', tile('public'));
  router.get('/tiles/staff/:z/:x/:y.mvt', requireStaff(), tile('staff'));
  router.get('/api/v1/clusters', clusters('public'));
  router.get('/api/v1/staff/clusters', requireStaff(), clusters('staff'));
  return router;
}
