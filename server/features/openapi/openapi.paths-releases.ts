// Releases (server/features/releases, docs/DATA.md "Releases"): dated snapshots of the whole
// public data set at stable URLs, and the admin's request for a new one.
import type { OpenAPIV3 } from 'openapi-types';
import { response } from './openapi.parameters';

const FILES = [
  'datapackage.json',
  'reports.geojson',
  'reports.csv',
  'reports-hxl.csv',
  'reports.csvt',
  'reports.fgb',
  'reports.parquet',
];

const releaseFile: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['name', 'href', 'type', 'bytes', 'hash'],
  properties: {
    name: { type: 'string', enum: FILES.slice(1) },
    href: { type: 'string', format: 'uri' },
    type: { type: 'string', example: 'application/vnd.apache.parquet' },
    bytes: { type: 'integer', minimum: 0 },
    hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  },
};

const releaseList: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['releases', 'latest', 'building'],
  properties: {
    releases: {
      type: 'array',
      description: 'Newest first.',
      items: {
        type: 'object',
        required: ['id', 'created', 'rows', 'href', 'datapackage', 'files'],
        properties: {
          id: { type: 'string', example: '2026-12-06T140000Z' },
          created: { type: 'string', format: 'date-time' },
          rows: { type: 'integer', minimum: 0, description: 'Reports in the release.' },
          href: { type: 'string', format: 'uri' },
          datapackage: { type: 'string', format: 'uri' },
          files: { type: 'array', items: releaseFile },
        },
      },
    },
    latest: { type: 'string', format: 'uri', nullable: true },
    building: {
      type: 'object',
      nullable: true,
      description: 'A release being built, if any.',
      properties: { id: { type: 'string' }, started_at: { type: 'string', format: 'date-time' } },
    },
  },
};

const idParam: OpenAPIV3.ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The release: the UTC time it was made, `YYYY-MM-DDThhmmssZ`.',
  schema: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d{6}Z$' },
};
const fileParam: OpenAPIV3.ParameterObject = {
  name: 'file',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: FILES },
};

const rangeHeaders: Record<string, OpenAPIV3.HeaderObject> = {
  'Content-Length': { schema: { type: 'integer' } },
  ETag: { description: 'Strong: the sha256 of the file, as in datapackage.json.', schema: { type: 'string' } },
  'Accept-Ranges': { schema: { type: 'string', enum: ['bytes'] } },
  'Last-Modified': { schema: { type: 'string' } },
};

const redirect = (what: string): OpenAPIV3.ResponsesObject => ({
  '302': {
    description: `To ${what} of the newest release (cite the dated URL).`,
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  },
  '404': response('NotFound'),
});

const json = (schema: OpenAPIV3.SchemaObject) => ({ 'application/json': { schema } });

const list: OpenAPIV3.OperationObject = {
  tags: ['exports'],
  operationId: 'listReleases',
  summary: 'The releases, newest first',
  description:
    'Every release of the whole public data set (also at `/releases/` and `/releases/index.json`), with its files, sizes and sha256 checksums. Readable from any origin.',
  responses: { '200': { description: 'The releases.', content: json(releaseList) } },
};

export const releasesPaths: OpenAPIV3.PathsObject = {
  '/releases': { get: list },
  '/releases/index.json': { get: { ...list, operationId: 'listReleasesJson' } },
  '/releases/latest': {
    get: {
      tags: ['exports'],
      operationId: 'latestRelease',
      summary: 'The newest release',
      responses: redirect('the package'),
    },
  },
  '/releases/latest/{file}': {
    get: {
      tags: ['exports'],
      operationId: 'latestReleaseFile',
      summary: 'A file of the newest release',
      description: 'GDAL `/vsicurl/`, DuckDB and pandas follow the redirect.',
      parameters: [fileParam],
      responses: redirect('the file'),
    },
  },
  '/releases/{id}': {
    get: {
      tags: ['exports'],
      operationId: 'release',
      summary: 'A release: its datapackage.json',
      description:
        'Also at `/releases/{id}/`. Frictionless Data Package v1: licence, attribution, Table Schema, checksums, row counts.',
      parameters: [idParam],
      responses: {
        '200': { description: 'The Data Package descriptor.', content: json({ type: 'object' }) },
        '404': response('NotFound'),
      },
    },
  },
  '/releases/{id}/{file}': {
    get: {
      tags: ['exports'],
      operationId: 'releaseFile',
      summary: 'A file of a release',
      description:
        'Served from disk with `Content-Length`, a strong `ETag` (its sha256), `Range` (206; 416 beyond the end) and `If-None-Match` (304); `HEAD` answers the same headers. A dated file never changes (`Cache-Control: immutable`).',
      parameters: [
        idParam,
        fileParam,
        { name: 'Range', in: 'header', schema: { type: 'string', example: 'bytes=0-1023' } },
      ],
      responses: {
        '200': {
          description: 'The file.',
          headers: rangeHeaders,
          content: {
            'application/geo+json': { schema: { type: 'object' } },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.flatgeobuf': { schema: { type: 'string', format: 'binary' } },
            'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
            'application/json': { schema: { type: 'object' } },
          },
        },
        '206': {
          description: 'The asked range.',
          headers: { ...rangeHeaders, 'Content-Range': { schema: { type: 'string' } } },
        },
        '304': { description: 'Unchanged (If-None-Match).' },
        '404': response('NotFound'),
        '416': { description: 'The range lies beyond the end of the file.' },
      },
    },
  },
  '/api/v1/releases': {
    post: {
      tags: ['staff'],
      operationId: 'buildRelease',
      summary: 'Build a release now',
      description:
        'Roles: admin. Starts a release in the background (releases are also made on a schedule, RELEASE_INTERVAL_HOURS). It appears in `/releases/` when complete; `building` there says it is under way.',
      security: [{ staffSession: [], csrfToken: [] }],
      responses: {
        '202': {
          description: 'Being built: `Location` is where it will be.',
          headers: { Location: { schema: { type: 'string', format: 'uri' } } },
          content: json({
            type: 'object',
            required: ['id', 'state', 'started_at', 'href'],
            properties: {
              id: { type: 'string' },
              state: { type: 'string', enum: ['building'] },
              started_at: { type: 'string', format: 'date-time' },
              href: { type: 'string', format: 'uri' },
              list: { type: 'string', format: 'uri' },
            },
          }),
        },
        '401': response('Unauthenticated'),
        '403': response('Forbidden'),
        '409': response('Conflict'),
      },
    },
  },
};
