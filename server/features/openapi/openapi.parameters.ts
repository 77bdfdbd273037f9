// Parameters, headers and responses that several operations share.
import type { OpenAPIV3 } from 'openapi-types';
import { REPORT_SOURCES } from '../reports/reports.repo';
import { STATUSES } from '../reports/reports.schemas';
import { SINGLE_REPORT_MIN_ZOOM } from '../tiles/tiles.grid';
import {
  EMBEDDED_CLUSTER_SINCE_REPORTS,
  MAX_CLUSTER_SINCE_DAYS,
  MAX_CLUSTER_SINCE_REPORTS,
} from '../tiles/tiles.service';

type Parameter = OpenAPIV3.ParameterObject;
export const param = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/parameters/${name}` });
export const response = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/responses/${name}` });
export const schemaRef = (name: string): OpenAPIV3.ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

const commaList = (name: string, description: string, values?: readonly string[]): Parameter => ({
  name,
  in: 'query',
  description: `${description} A comma-separated list (or the parameter repeated).`,
  style: 'form',
  explode: false,
  schema: { type: 'array', items: values ? { type: 'string', enum: [...values] } : { type: 'string' } },
});

export const parameters: Record<string, Parameter> = {
  bbox: {
    name: 'bbox',
    in: 'query',
    description:
      '`minLon,minLat,maxLon,maxLat` in WGS 84 degrees; west > east crosses the antimeridian. Help requests are matched on their public (coarse) point.',
    style: 'form',
    explode: false,
    schema: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
    example: [13.3, 52.45, 13.5, 52.55],
  },
  category: commaList('category', 'Category codes (see `/api/v1/categories`).'),
  kind: commaList('kind', 'Kinds.', ['barrier', 'help']),
  status: commaList('status', 'Statuses.', STATUSES),
  severity: commaList('severity', 'Severities.', ['1', '2', '3']),
  source: commaList(
    'source',
    'Channels the reports came through (`web` also for reports from before channels were recorded).',
    REPORT_SOURCES,
  ),
  since: {
    name: 'since',
    in: 'query',
    description: `RFC 3339 date-time: only reports created or changed since then. Tiles and clusters below zoom ${SINGLE_REPORT_MIN_ZOOM} then count the reports themselves, so there it may reach at most ${MAX_CLUSTER_SINCE_DAYS} days back and match at most ${MAX_CLUSTER_SINCE_REPORTS.toLocaleString('en')} reports in the requested area (${EMBEDDED_CLUSTER_SINCE_REPORTS.toLocaleString('en')} on the embedded database) (else \`422\` naming \`since\`: choose a later \`since\` or zoom in).`,
    schema: { type: 'string', format: 'date-time' },
  },
  datetime: {
    name: 'datetime',
    in: 'query',
    description:
      'On `created_at`: an RFC 3339 instant, or an interval `start/end` where `..` leaves one end open (`2026-01-01T00:00:00Z/..`).',
    schema: { type: 'string' },
    example: '2026-01-01T00:00:00Z/..',
  },
  listLimit: {
    name: 'limit',
    in: 'query',
    description: 'Reports per page.',
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
  cursor: {
    name: 'cursor',
    in: 'query',
    description: 'Opaque; take it from a `next` link.',
    schema: { type: 'string', maxLength: 200 },
  },
  reportId: {
    name: 'id',
    in: 'path',
    required: true,
    description: 'The report number.',
    schema: { type: 'integer', minimum: 1 },
    example: 42,
  },
  idempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    description:
      'A UUID the client makes once per report and sends with every retry: a retry answers with the first result (and `Idempotent-Replayed: true`), never a second report. The same key with a different report is a 422.',
    schema: { type: 'string', format: 'uuid' },
  },
  tileZ: {
    name: 'z',
    in: 'path',
    required: true,
    schema: { type: 'integer', minimum: 0, maximum: 22 },
  },
  tileX: { name: 'x', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
  tileY: { name: 'y', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
  collectionId: {
    name: 'collectionId',
    in: 'path',
    required: true,
    description: '`reports` (all), `barriers` or `help`.',
    schema: { type: 'string', enum: ['reports', 'barriers', 'help'] },
  },
  featureId: {
    name: 'featureId',
    in: 'path',
    required: true,
    description: 'The report number.',
    schema: { type: 'integer', minimum: 1 },
  },
  ogcBbox: {
    name: 'bbox',
    in: 'query',
    description:
      '`minLon,minLat,maxLon,maxLat` in WGS 84 (CRS84), or six numbers with heights (`minLon,minLat,minHeight,maxLon,maxLat,maxHeight`; reports have no height, so the heights bound nothing). A west edge east of the east edge crosses the antimeridian. `bbox-crs` is not supported.',
    style: 'form',
    explode: false,
    schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
  },
  ogcOffset: {
    name: 'offset',
    in: 'query',
    description:
      'Features to skip, 100,000 at most (deep skips cost as much as the rows skipped). The `next` link pages further at the same cost everywhere; the two combine (`offset` after `cursor`).',
    schema: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
  },
  ogcFilter: {
    name: 'filter',
    in: 'query',
    description:
      "A CQL2 text filter (OGC API – Features Part 3) over the queryables (`/collections/{collectionId}/queryables`): comparisons, `LIKE`, `IN`, `BETWEEN`, `IS NULL`, `AND`/`OR`/`NOT`, spatial (`S_INTERSECTS(geometry, POLYGON(...))`) and temporal (`T_AFTER(updated_at, TIMESTAMP('2026-01-01T00:00:00Z'))`) functions. 4,000 characters at most (2,048 in a URL). Each statement of a filtered read has a budget (500 ms on PostgreSQL, 300 ms on the embedded database): a page over it is a `503` `query_timeout`, a count over it leaves `numberMatched` out. docs/DATA.md lists them.",
    schema: { type: 'string', maxLength: 4000 },
    example: "category = 'steps' AND updated_at >= TIMESTAMP('2026-11-01T00:00:00Z')",
  },
  ogcFilterLang: {
    name: 'filter-lang',
    in: 'query',
    description: '`cql2-text` (the default); `cql-text` is the same, by the name of the draft GDAL up to 3.7 uses.',
    schema: { type: 'string', enum: ['cql2-text', 'cql-text'], default: 'cql2-text' },
  },
  ogcFilterCrs: {
    name: 'filter-crs',
    in: 'query',
    description: 'Geometries in `filter` are longitude, latitude in WGS 84; only CRS84.',
    schema: { type: 'string', enum: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'] },
  },
  limit: {
    name: 'limit',
    in: 'query',
    description: 'Features per page; a larger value is served as 1000, the maximum (the `self` link says so).',
    style: 'form',
    explode: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
  ogcCursor: {
    name: 'cursor',
    in: 'query',
    description: 'Opaque keyset position; take it from a `next` link.',
    schema: { type: 'string' },
  },
  f: {
    name: 'f',
    in: 'query',
    description: 'The encoding; only JSON.',
    schema: { type: 'string', enum: ['json'] },
  },
  fItems: {
    name: 'f',
    in: 'query',
    description: 'The encoding; only GeoJSON.',
    schema: { type: 'string', enum: ['json', 'geojson'] },
  },
};

const problem = (description: string): OpenAPIV3.ResponseObject => ({
  description,
  content: { 'application/problem+json': { schema: schemaRef('Problem') } },
});

export const responses: Record<string, OpenAPIV3.ResponseObject> = {
  BadRequest: problem(
    'The request could not be read (malformed JSON or form; an `Idempotency-Key` that is not a UUID; a query parameter over 2,048 characters, or more than 50 of them).',
  ),
  UriTooLong: problem('The URL is longer than 8,192 characters.'),
  NotFound: problem('No such resource, or it is not public.'),
  TooLarge: problem('A photo over 15 MB, more than 5 photos, a form field too long.'),
  UnsupportedMediaType: problem('A `Content-Type` other than JSON or multipart; a file that is not an image.'),
  Invalid: {
    ...problem('A field out of range or unknown; `errors[]` names each one.'),
    content: {
      'application/problem+json': {
        schema: schemaRef('Problem'),
        example: {
          type: 'urn:wegfrei:problem:validation',
          title: 'The report has invalid fields',
          status: 422,
          detail: 'lat: must be between -90 and 90 (degrees of latitude)',
          instance: '/api/v1/reports',
          request_id: '6f1c2a9e-0d1b-4f7e-9a57-2b1f4c0e8d11',
          errors: [{ field: 'lat', detail: 'must be between -90 and 90 (degrees of latitude)' }],
        },
      },
    },
  },
  Unavailable: {
    ...problem('The database does not answer; retry after `Retry-After` seconds.'),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
  TooManyRequests: {
    ...problem(
      'Over the per-address limit (reports, exports, expensive reads, failed logins: docs/API.md, Rate limits); retry after `Retry-After` seconds.',
    ),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
  ExportTooLarge: problem(
    'The export would be larger than the server spools (`export_too_large`; 2 GB unless configured otherwise): narrow it with filters.',
  ),
  ExportUnavailable: {
    ...problem(
      'The database does not answer, or exports in flight fill the space set aside for them (`export_busy`); retry after `Retry-After` seconds.',
    ),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
  PhotosBusy: {
    ...problem(
      'The server is processing too many photos at once (`photos_busy`) or the database does not answer; retry after `Retry-After` seconds.',
    ),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
  Unauthenticated: problem('No staff session.'),
  Forbidden: problem('The role does not allow this, or the `X-CSRF-Token` is missing or wrong.'),
  Conflict: problem('The change conflicts with the current state (a forbidden status transition, a duplicate).'),
  OgcBadRequest: problem('A bad or unknown query parameter (OGC API – Features refuses unknown parameters).'),
  Open311Error: {
    description: 'GeoReport v2 error list.',
    content: { 'application/json': { schema: schemaRef('Open311Error') } },
  },
};

export const headers: Record<string, OpenAPIV3.HeaderObject> = {
  ContentDisposition: {
    description: '`attachment; filename=…`',
    schema: { type: 'string' },
    example: 'attachment; filename="wegfrei-reports.geojson"',
  },
  ExportLength: {
    description:
      'The size of the whole export in bytes, when it was ready within a second (else the export is sent chunked as it is written). Absent on HEAD.',
    schema: { type: 'integer' },
  },
  AcceptRangesNone: {
    description: '`none`: each request makes the export anew, so ranges are not served.',
    schema: { type: 'string', enum: ['none'] },
  },
  License: {
    description: 'The data licence (SPDX id or URL).',
    schema: { type: 'string' },
    example: 'ODbL-1.0',
  },
  Attribution: {
    description: 'The attribution the licence asks for, percent-encoded (UTF-8).',
    schema: { type: 'string' },
    example: '%C2%A9%20Wegfrei%20contributors%2C%20ODbL%201.0',
  },
  LicenseLink: {
    description: '`<licence URL>; rel="license"`: the data licence.',
    schema: { type: 'string' },
    example: '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"',
  },
};
