import { Router } from 'express';
import { z } from 'zod';
import { AppError, fieldErrorsFromZod } from '../../http/errors';
import type { Queryable } from '../reports/reports.repo';
import { mapFilterShape } from '../reports/reports.schemas';
import { MAX_ZOOM } from './tiles.grid';
import { buildTile, clustersGeoJson } from './tiles.service';

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

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.validation(fieldErrorsFromZod(result.error), 'Invalid map request');
  return result.data as z.output<S>;
}

export function tilesRouter(db: Queryable): Router {
  const router = Router();

  router.get('/tiles/public/:z/:x/:y.mvt', async (req, res) => {
    const { z: zoom, x, y } = parse(tileParams, req.params);
    const q = parse(tileQuery, req.query);
    const tile = await buildTile(db, {
      z: zoom,
      x,
      y,
      filter: { categories: q.category, kinds: q.kind, statuses: q.status, since: q.since },
      audience: 'public',
    });
    // Short enough that a proxy or CDN shows a new report within seconds; Express adds the ETag.
    res.set({
      'Content-Type': 'application/vnd.mapbox-vector-tile',
      'Cache-Control': 'public, max-age=5, stale-while-revalidate=30',
      'Access-Control-Allow-Origin': '*',
    });
    res.send(tile);
  });

  router.get('/api/v1/clusters', async (req, res) => {
    const q = parse(clustersQuery, req.query);
    const collection = await clustersGeoJson(db, {
      bbox: q.bbox,
      zoom: q.zoom,
      filter: { categories: q.category, kinds: q.kind, statuses: q.status, since: q.since },
      audience: 'public',
    });
    res.set('Cache-Control', 'public, max-age=5').type('application/geo+json').json(collection);
  });

  return router;
}
