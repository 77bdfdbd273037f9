// OGC API – Features: Part 1 Core with GeoJSON and OpenAPI 3.0, Part 3 Filtering (CQL2 text)
// and Part 5 Schemas — what QGIS, GDAL/OGR, OWSLib and web clients read. Public data only.
// docs/DATA.md, "OGC API – Features", is the researcher's guide.
import { Router, type ErrorRequestHandler, type Request } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import type { Taxonomy } from '../categories/categories.service';
import { findReport } from '../reports/reports.repo';
import { reportParamsSchema } from '../reports/reports.schemas';
import { licenceUrl, type DataLicence } from '../exports/exports.routes';
import { COLLECTIONS, type CollectionId } from './ogc.collections';
import { ogcFeature } from './ogc.fields';
import { CQL2_CONFORMANCE } from './cql2';
import { compileItemsFilter, CRS84 } from './ogc.filter';
import { filterKey, itemsQuery, sendItems } from './ogc.items';
import { OPENAPI_MEDIA_TYPE, sendOgcApiDocument } from './ogc.openapi';
import { releaseLinks, type ReleaseSource } from './ogc.releases';
import { collectionExtent } from './ogc.repo';
import { featureSchema, propertiesSchema, queryablesSchema } from './ogc.schemas';

const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas',
  'http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/core-roles-features',
];
const QUERYABLES_REL = 'http://www.opengis.net/def/rel/ogc/1.0/queryables';
const SCHEMA_REL = 'http://www.opengis.net/def/rel/ogc/1.0/schema';
const GEOJSON = 'application/geo+json';
const SCHEMA_JSON = 'application/schema+json';

/** An unknown collection is a missing resource (404), not a bad parameter. */
function collectionOf(params: Record<string, string>): { collectionId: CollectionId } {
  const id = params.collectionId ?? '';
  if (!Object.hasOwn(COLLECTIONS, id)) throw AppError.notFound(`Collection ${id}`);
  return { collectionId: id as CollectionId };
}
const plainQuery = z.object({ f: z.enum(['json']).optional() }).strict('is not a parameter of this resource');

export function ogcRouter(deps: {
  pool: pg.Pool;
  taxonomy: Taxonomy;
  baseUrl: (req: Request) => string;
  licence: DataLicence;
  /** The latest release, linked from each collection (rel=enclosure). */
  releases?: ReleaseSource;
  /** How long one statement of a CQL2-filtered read may run (ms; ogc.filter.ts). */
  filterBudgetMs?: number;
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
          // This API alone, its paths relative to this landing page: GDAL looks for
          // `/collections/{collectionId}/items` there to learn which filters it may send.
          href: `${base}/api`,
          rel: 'service-desc',
          type: OPENAPI_MEDIA_TYPE,
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

  router.get('/ogc/api', (req, res) => {
    parse(plainQuery, req.query);
    sendOgcApiDocument(req, res, deps.baseUrl(req));
  });

  router.get('/ogc/conformance', (req, res) => {
    parse(plainQuery, req.query);
    res.json({ conformsTo: [...CONFORMANCE, ...CQL2_CONFORMANCE] });
  });

  async function describe(req: Request, id: CollectionId) {
    const base = `${ogc(req)}/collections/${id}`;
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
        { href: base, rel: 'self', type: 'application/json', title: c.title },
        { href: `${base}/items`, rel: 'items', type: GEOJSON, title: `${c.title} (GeoJSON)` },
        { href: `${base}/queryables`, rel: QUERYABLES_REL, type: SCHEMA_JSON, title: 'Queryable properties' },
        // The draft's relation, which GDAL up to 3.7 follows.
        { href: `${base}/queryables`, rel: 'queryables', type: SCHEMA_JSON, title: 'Queryable properties' },
        { href: `${base}/schema`, rel: SCHEMA_REL, type: SCHEMA_JSON, title: 'The schema of the features' },
        {
          // RFC 8288 compares relation types case-insensitively; GDAL 3.6 compares this spelling.
          href: `${base}/feature-schema`,
          rel: 'describedBy',
          type: SCHEMA_JSON,
          title: 'A feature as JSON Schema (GDAL reads field types from it)',
        },
        ...releaseLinks(deps.releases, deps.baseUrl(req)),
        { href: licenceUrl(deps.licence.id), rel: 'license', type: 'text/html', title: deps.licence.id },
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

  async function schemaContext(req: Request, id: CollectionId, doc: string) {
    const kinds: readonly string[] = COLLECTIONS[id].kinds ?? ['barrier', 'help'];
    const categories = (await deps.taxonomy.all()).filter((c) => kinds.includes(c.kind)).map((c) => c.code);
    return { url: `${ogc(req)}/collections/${id}/${doc}`, title: COLLECTIONS[id].title, categories, kinds };
  }

  for (const [doc, build] of [
    ['queryables', queryablesSchema],
    ['schema', propertiesSchema],
    ['feature-schema', featureSchema],
  ] as const) {
    router.get(`/ogc/collections/:collectionId/${doc}`, async (req, res) => {
      const { collectionId } = collectionOf(req.params);
      parse(plainQuery, req.query);
      // JSON Schema's own type, unless the client names only JSON: GDAL up to 3.7 asks for
      // application/json and refuses any other answer.
      const type = req.accepts([SCHEMA_JSON, 'application/json']) === 'application/json' ? 'json' : SCHEMA_JSON;
      res
        .vary('Accept')
        .type(type)
        .json(build(await schemaContext(req, collectionId, doc)));
    });
  }

  router.get('/ogc/collections/:collectionId/items', async (req, res) => {
    const { collectionId } = collectionOf(req.params);
    const q = parse(itemsQuery, req.query);
    const where = compileItemsFilter(q.filter, { budgetMs: deps.filterBudgetMs });
    // HEAD is cheap: the checks GET makes, no query.
    if (req.method === 'HEAD') return void res.type(GEOJSON).end();
    const fixedKinds = COLLECTIONS[collectionId].kinds as readonly string[] | undefined;
    const kinds = fixedKinds ? (q.kind ?? [...fixedKinds]).filter((k) => fixedKinds.includes(k)) : q.kind;
    const page =
      kinds && kinds.length === 0
        ? undefined
        : {
            filter: {
              bbox: q.bbox,
              categories: q.category,
              kinds,
              statuses: q.status,
              severities: q.severity,
              sources: q.source,
              createdFrom: q.datetime?.from,
              createdTo: q.datetime?.to,
              where: where?.sql,
            },
            countKey: filterKey(collectionId, q, where?.key ?? ''),
          };
    await sendItems(
      req,
      res,
      { pool: deps.pool, baseUrl: deps.baseUrl(req), collectionUrl: `${ogc(req)}/collections/${collectionId}` },
      q,
      page,
    );
  });

  router.get('/ogc/collections/:collectionId/items/:id', async (req, res) => {
    const { collectionId } = collectionOf(req.params);
    const { id } = parse(reportParamsSchema, req.params);
    parse(plainQuery, req.query);
    const row = await findReport(deps.pool, id, 'public');
    const kinds = COLLECTIONS[collectionId].kinds as readonly string[] | undefined;
    if (!row || (kinds && !kinds.includes(row.kind))) throw AppError.notFound(`Feature ${id} in ${collectionId}`);
    res.type(GEOJSON).json({
      ...ogcFeature(row, deps.baseUrl(req)),
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
