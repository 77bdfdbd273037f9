// OGC API – Features, Part 1 Core, with the GeoJSON and OpenAPI 3.0 conformance classes:
// what QGIS, GDAL/OGR and other GIS tools read. Public data only; keyset paging by id.
import { Router, type ErrorRequestHandler, type Request } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import type { Taxonomy } from '../categories/categories.service';
import { toFeature } from '../reports/reports.geojson';
import { findReport, listReports } from '../reports/reports.repo';
import { openDataFilterShape, reportParamsSchema, STATUSES } from '../reports/reports.schemas';
import { licenceUrl, type DataLicence } from '../exports/exports.routes';
import { collectionExtent } from './ogc.repo';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
const GEOJSON = 'application/geo+json';
/** The server's maximum `limit` (OGC API – Features, /req/core/fc-limit-definition). */
export const MAX_LIMIT = 1000;

const COLLECTIONS = {
  reports: { title: 'Reports', description: 'Every public report: barriers and help requests.', kinds: undefined },
  barriers: { title: 'Barriers', description: 'Barriers to accessibility reported by the public.', kinds: ['barrier'] },
  help: {
    title: 'Help requests',
    description: 'Requests for help; each shown at the centre of a coarse grid cell, never at the exact place.',
    kinds: ['help'],
  },
} as const;
type CollectionId = keyof typeof COLLECTIONS;

/** An unknown collection is a missing resource (404), not a bad parameter. */
function collectionOf(params: Record<string, string>): { collectionId: CollectionId } {
  const id = params.collectionId ?? '';
  if (!Object.hasOwn(COLLECTIONS, id)) throw AppError.notFound(`Collection ${id}`);
  return { collectionId: id as CollectionId };
}
const itemsQuery = z
  .object({
    ...openDataFilterShape,
    // A page is built in memory (≈ 2 KB a feature): the server's maximum keeps it to a few MB.
    limit: z.coerce
      .number()
      .int()
      .min(1, `must be between 1 and ${MAX_LIMIT}`)
      .max(MAX_LIMIT, `must be between 1 and ${MAX_LIMIT}`)
      .default(100),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'is not a cursor this API gave out')
      .optional(),
    f: z.enum(['json', 'geojson']).optional(),
  })
  .strict('is not a parameter of this collection');
const plainQuery = z.object({ f: z.enum(['json']).optional() }).strict('is not a parameter of this resource');

export function ogcRouter(deps: {
  pool: pg.Pool;
  taxonomy: Taxonomy;
  baseUrl: (req: Request) => string;
  licence: DataLicence;
}): Router {
  const router = Router();
  const ogc = (req: Request) => `${deps.baseUrl(req)}/ogc`;

  router.get('/ogc', (req, res) => {
    parse(plainQuery, req.query);
    const base = ogc(req);
    res.json({
      title: 'Wegfrei',
      description: 'Crowdsourced reports of barriers to accessibility and requests for help.',
      links: [
        { href: base, rel: 'self', type: 'application/json', title: 'This document' },
        {
          href: `${deps.baseUrl(req)}/api/openapi.json`,
          rel: 'service-desc',
          type: 'application/vnd.oai.openapi+json;version=3.0',
          title: 'The API definition',
        },
        {
          href: `${deps.baseUrl(req)}/api/docs`,
          rel: 'service-doc',
          type: 'text/html',
          title: 'The API documentation',
        },
        { href: `${base}/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
        { href: `${base}/collections`, rel: 'data', type: 'application/json', title: 'The collections' },
      ],
    });
  });

  router.get('/ogc/conformance', (req, res) => {
    parse(plainQuery, req.query);
    res.json({ conformsTo: CONFORMANCE });
  });

  async function describe(req: Request, id: CollectionId) {
    const base = ogc(req);
    const c = COLLECTIONS[id];
    const extent = await collectionExtent(deps.pool, c.kinds);
    return {
      id,
      title: c.title,
      description: c.description,
      itemType: 'feature',
      crs: [CRS84],
      storageCrs: CRS84,
      extent: {
        spatial: { bbox: [extent.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
        temporal: {
          interval: [[extent.firstCreated?.toISOString() ?? null, null]],
          trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
        },
      },
      links: [
        { href: `${base}/collections/${id}`, rel: 'self', type: 'application/json', title: c.title },
        { href: `${base}/collections/${id}/items`, rel: 'items', type: GEOJSON, title: `${c.title} (GeoJSON)` },
        {
          href: `${base}/collections/${id}/queryables`,
          rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables',
          type: 'application/schema+json',
          title: 'Queryable properties',
        },
        {
          href: licenceUrl(deps.licence.id),
          rel: 'license',
          type: 'text/html',
          title: deps.licence.id,
        },
      ],
    };
  }

  router.get('/ogc/collections', async (req, res) => {
    parse(plainQuery, req.query);
    const collections = [];
    for (const id of Object.keys(COLLECTIONS) as CollectionId[]) collections.push(await describe(req, id));
    res.json({ links: [{ href: `${ogc(req)}/collections`, rel: 'self', type: 'application/json' }], collections });
  });

  router.get('/ogc/collections/:collectionId', async (req, res) => {
    const { collectionId } = collectionOf(req.params);
    parse(plainQuery, req.query);
    res.json(await describe(req, collectionId));
  });

  router.get('/ogc/collections/:collectionId/queryables', async (req, res) => {
    const { collectionId } = collectionOf(req.params);
    parse(plainQuery, req.query);
    const kinds = COLLECTIONS[collectionId].kinds;
    const categories = (await deps.taxonomy.all()).filter(
      (c) => !kinds || (kinds as readonly string[]).includes(c.kind),
    );
    res.type('application/schema+json').json({
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      $id: `${ogc(req)}/collections/${collectionId}/queryables`,
      type: 'object',
      title: COLLECTIONS[collectionId].title,
      properties: {
        geometry: { $ref: 'https://geojson.org/schema/Point.json' },
        category: { type: 'string', title: 'Category', enum: categories.map((c) => c.code) },
        kind: { type: 'string', title: 'Kind', enum: kinds ?? ['barrier', 'help'] },
        status: { type: 'string', title: 'Status', enum: STATUSES.filter((s) => s !== 'rejected') },
        severity: { type: 'integer', title: 'Severity', minimum: 1, maximum: 3 },
      },
      additionalProperties: false,
    });
  });

  router.get('/ogc/collections/:collectionId/items', async (req, res) => {
    const { collectionId } = collectionOf(req.params);
    const q = parse(itemsQuery, req.query);
    // HEAD is cheap: the checks GET makes, no query.
    if (req.method === 'HEAD') return void res.type(GEOJSON).end();
    const fixedKinds = COLLECTIONS[collectionId].kinds as readonly string[] | undefined;
    const kinds = fixedKinds ? (q.kind ?? [...fixedKinds]).filter((k) => fixedKinds.includes(k)) : q.kind;
    const rows =
      kinds && kinds.length === 0
        ? []
        : await listReports(
            deps.pool,
            {
              bbox: q.bbox,
              categories: q.category,
              kinds,
              statuses: q.status,
              severities: q.severity,
              createdFrom: q.datetime?.from,
              createdTo: q.datetime?.to,
              afterId: q.cursor ? Number(q.cursor) : undefined,
              oldestFirst: true,
              limit: q.limit + 1,
            },
            'public',
          );
    const page = rows.slice(0, q.limit);
    const base = deps.baseUrl(req);
    const self = new URL(`${base}${req.originalUrl}`);
    const links = [
      { href: self.toString(), rel: 'self', type: GEOJSON, title: 'This page' },
      {
        href: `${ogc(req)}/collections/${collectionId}`,
        rel: 'collection',
        type: 'application/json',
        title: 'The collection',
      },
    ];
    if (rows.length > q.limit) {
      const next = new URL(self);
      next.searchParams.set('cursor', String(page[page.length - 1]!.id));
      links.push({ href: next.toString(), rel: 'next', type: GEOJSON, title: 'Next page' });
    }
    res.type(GEOJSON).json({
      type: 'FeatureCollection',
      features: page.map((r) => toFeature(r, { baseUrl: base, audience: 'public' })),
      links,
      timeStamp: new Date().toISOString(),
      numberReturned: page.length,
    });
  });

  router.get('/ogc/collections/:collectionId/items/:id', async (req, res) => {
    const { collectionId } = collectionOf(req.params);
    const { id } = parse(reportParamsSchema, req.params);
    parse(plainQuery, req.query);
    const row = await findReport(deps.pool, id, 'public');
    const kinds = COLLECTIONS[collectionId].kinds as readonly string[] | undefined;
    if (!row || (kinds && !kinds.includes(row.kind))) throw AppError.notFound(`Feature ${id} in ${collectionId}`);
    const base = deps.baseUrl(req);
    const feature = toFeature(row, { baseUrl: base, audience: 'public' });
    res.type(GEOJSON).json({
      ...feature,
      links: [
        { href: `${ogc(req)}/collections/${collectionId}/items/${id}`, rel: 'self', type: GEOJSON },
        { href: `${ogc(req)}/collections/${collectionId}`, rel: 'collection', type: 'application/json' },
      ],
    });
  });

  // OGC API says 400 for a bad parameter; the rest of our API says 422.
  const asBadRequest: ErrorRequestHandler = (err, _req, _res, next) => {
    if (err instanceof AppError && err.status === 422) {
      return next(new AppError(400, err.code, err.title, err.detail, err.errors));
    }
    next(err);
  };
  router.use('/ogc', asBadRequest);
  return router;
}
