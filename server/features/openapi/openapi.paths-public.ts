// The citizen-facing API: health, configuration, taxonomy, reports, map tiles and clusters.
import type { OpenAPIV3 } from 'openapi-types';
import { CONFIRMATION_LIMITS } from '../reports/reports.service';
import { param, parameters, response, schemaRef } from './openapi.parameters';
import { exampleFeature } from './openapi.schemas';

const json = (schema: string, example?: unknown): OpenAPIV3.MediaTypeObject =>
  example === undefined ? { schema: schemaRef(schema) } : { schema: schemaRef(schema), example };
const geojson = (schema: string) => ({ 'application/geo+json': json(schema) });
const mapFilters = [param('category'), param('kind'), param('status'), param('since')];

export const publicPaths: OpenAPIV3.PathsObject = {
  '/healthz': {
    get: {
      tags: ['meta'],
      operationId: 'health',
      summary: 'Is the service up?',
      description: 'Answers 200 once migrations ran and the database answers, 503 otherwise.',
      responses: {
        '200': {
          description: 'Up.',
          content: { 'application/json': json('Health', { status: 'ok', database: 'postgres' }) },
        },
        '503': { description: 'The database does not answer.', content: { 'application/json': json('Health') } },
      },
    },
  },
  '/api/openapi.json': {
    get: {
      tags: ['meta'],
      operationId: 'openapi',
      summary: 'This API description (OpenAPI 3.0)',
      description:
        'Served as `application/vnd.oai.openapi+json;version=3.0`, or as `application/json` to a client that asks only for that. `servers` names this server.',
      responses: {
        '200': {
          description: 'The document.',
          content: {
            'application/vnd.oai.openapi+json': { schema: { type: 'object' } },
            'application/json': { schema: { type: 'object' } },
          },
        },
      },
    },
  },
  '/api/docs': {
    get: {
      tags: ['meta'],
      operationId: 'apiDocs',
      summary: 'This API description as a readable page',
      responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },
  '/api/v1/config': {
    get: {
      tags: ['meta'],
      operationId: 'getConfig',
      summary: 'The basemap the apps use and the public grid of help requests',
      responses: { '200': { description: 'The configuration.', content: { 'application/json': json('AppConfig') } } },
    },
  },
  '/api/v1/geocode': {
    get: {
      tags: ['meta'],
      operationId: 'geocode',
      summary: 'Search an address (when the server has a geocoder)',
      description:
        "The citizen app's address search, proxied to the geocoder the server is configured with (`GEOCODER_URL`, Nominatim- or Photon-compatible), so phones never contact a third party. `address_search` in `/api/v1/config` says whether it is on; when off, every search answers `404`. Limited per client address (`429`); answers are cached for an hour.",
      parameters: [
        {
          name: 'q',
          in: 'query',
          required: true,
          description: 'What was typed: a street and number, a place, a postcode. Spaces are collapsed.',
          schema: { type: 'string', minLength: 2, maxLength: 200 },
          example: 'Alexanderplatz 1, Berlin',
        },
        {
          name: 'lang',
          in: 'query',
          description: 'The language of the place names, where the geocoder has them.',
          schema: { type: 'string', enum: ['en', 'de', 'fr'] },
        },
      ],
      responses: {
        '200': {
          description: 'Up to five places, best first.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['results'],
                additionalProperties: false,
                properties: {
                  results: {
                    type: 'array',
                    maxItems: 5,
                    items: {
                      type: 'object',
                      required: ['label', 'lat', 'lon'],
                      additionalProperties: false,
                      properties: {
                        label: { type: 'string', maxLength: 300 },
                        lat: { type: 'number', minimum: -90, maximum: 90 },
                        lon: { type: 'number', minimum: -180, maximum: 180 },
                      },
                    },
                  },
                },
              },
              example: {
                results: [{ label: 'Alexanderplatz 1, 10178 Berlin, Deutschland', lat: 52.5219, lon: 13.4132 }],
              },
            },
          },
        },
        '404': {
          description: 'No geocoder is configured: address search is off.',
          content: { 'application/problem+json': { schema: schemaRef('Problem') } },
        },
        '422': response('Invalid'),
        '429': response('TooManyRequests'),
        '503': {
          description: 'The geocoder did not answer in time, or answered nonsense.',
          content: { 'application/problem+json': { schema: schemaRef('Problem') } },
        },
      },
    },
  },
  '/api/v1/categories': {
    get: {
      tags: ['meta'],
      operationId: 'listCategories',
      summary: 'The taxonomy',
      description:
        'Every category with labels and descriptions in English, German and French, an icon, and its OpenStreetMap, Project Sidewalk and HXL equivalents. Codes are also the Open311 `service_code`.',
      responses: {
        '200': {
          description: 'The categories in display order.',
          content: { 'application/json': json('CategoryList') },
        },
      },
    },
  },
  '/api/v1/reports': {
    post: {
      tags: ['reports'],
      operationId: 'createReport',
      summary: 'Report a barrier or ask for help',
      description:
        'JSON, or `multipart/form-data` with photos in the field `photos`. Photos are decided by their bytes, decoded with a 50-megapixel limit, turned upright, re-encoded and stripped of every metadata field; originals are not kept. Nothing of a refused request is stored.',
      parameters: [param('idempotencyKey')],
      requestBody: {
        required: true,
        content: {
          'application/json': json('NewReport'),
          'multipart/form-data': {
            schema: schemaRef('NewReportForm'),
            encoding: { photos: { contentType: 'image/jpeg, image/png, image/webp, image/heic, image/avif' } },
          },
        },
      },
      responses: {
        '201': {
          description:
            'Stored (or, for a repeated `Idempotency-Key`, the first result again with `Idempotent-Replayed: true`).',
          headers: {
            Location: { description: "The report's public page.", schema: { type: 'string', format: 'uri' } },
            'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } },
          },
          content: { 'application/json': json('ReportFeature', exampleFeature) },
        },
        '400': response('BadRequest'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
        '429': response('TooManyRequests'),
        '503': response('PhotosBusy'),
      },
    },
    get: {
      tags: ['reports'],
      operationId: 'listReports',
      summary: 'Reports in an area, newest first, page by page',
      description:
        'Keyset paging: a page costs the same at any depth and reports arriving meanwhile do not shift later pages. Rejected and hidden reports never appear.',
      parameters: [param('bbox'), ...mapFilters, param('source'), param('listLimit'), param('cursor')],
      responses: {
        '200': { description: 'One page.', content: geojson('ReportPage') },
        '422': response('Invalid'),
      },
    },
  },
  '/api/v1/reports/nearby': {
    get: {
      tags: ['reports'],
      operationId: 'nearbyReports',
      summary: 'Open reports near a point: "already reported?"',
      description: 'Reports with status new, verified, assigned or in progress within `radius_m`, nearest first.',
      parameters: [
        { name: 'lat', in: 'query', required: true, schema: { type: 'number', minimum: -90, maximum: 90 } },
        { name: 'lon', in: 'query', required: true, schema: { type: 'number', minimum: -180, maximum: 180 } },
        { name: 'radius_m', in: 'query', schema: { type: 'number', minimum: 1, maximum: 1000, default: 50 } },
        { name: 'category', in: 'query', description: 'One category code.', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      ],
      responses: {
        '200': { description: 'Nearest first, each with `distance_m`.', content: geojson('NearbyReports') },
        '422': response('Invalid'),
      },
    },
  },
  '/api/v1/reports/{id}': {
    get: {
      tags: ['reports'],
      operationId: 'getReport',
      summary: 'One report',
      parameters: [param('reportId')],
      responses: {
        '200': {
          description: 'The report.',
          content: { 'application/geo+json': json('ReportFeature', exampleFeature) },
        },
        '404': response('NotFound'),
        '422': response('Invalid'),
      },
    },
  },
  '/api/v1/reports/{id}/confirmations': {
    post: {
      tags: ['reports'],
      operationId: 'confirmReport',
      summary: 'Confirm that a barrier is still there, or gone',
      description:
        'Anonymous. Send `device`, a UUID the app makes once and keeps: each device has one answer per report, and sending the other answer replaces it (the server keeps only a hash of the token, per report). Without `device` every confirmation counts separately. ' +
        `From one network address at most ${CONFIRMATION_LIMITS.perAddressAndReport} confirmations of one report are counted (more are accepted with \`counted: false\`), and at most ${CONFIRMATION_LIMITS.perAddressPerWindow} new or changed answers per ${CONFIRMATION_LIMITS.windowS / 60} minutes over all reports are taken (then \`429\` with \`Retry-After\`). See docs/API.md, Confirmations.`,
      parameters: [param('reportId')],
      requestBody: { required: true, content: { 'application/json': json('Confirmation') } },
      responses: {
        '200': {
          description:
            'No new confirmation: the device gave this answer before, or changed its answer, or the address already has as many of this report as are counted (`counted: false`, nothing stored).',
          content: { 'application/json': json('ConfirmationResult') },
        },
        '201': {
          description: 'A new confirmation, counted.',
          content: { 'application/json': json('ConfirmationResult') },
        },
        '400': response('BadRequest'),
        '404': response('NotFound'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
        '429': response('TooManyRequests'),
      },
    },
  },
  '/tiles/public/{z}/{x}/{y}.mvt': {
    get: {
      tags: ['map'],
      operationId: 'publicTile',
      summary: 'A Mapbox Vector Tile of the public map',
      description:
        'Version 2, extent 4096, one layer `reports`. Zoom 0–14: clusters with `count`, `count_barrier`, `count_help`, `max_severity`; each tile is cut into 8 × 8 cells and every report counts in exactly one cell of one tile. Zoom 15–22: single reports with `id`, `category`, `kind`, `status`, `severity`; a public tile of zoom 15 or 16 holding more than 250 reports (not with `since`) has the finest clusters instead (4 × 4 or 2 × 2 cells; tell them apart by `count`). `Cache-Control: public, max-age=0, s-maxage=10` (browsers ask again every time, shared caches keep 10 s), an `ETag` and `Last-Modified` (send `If-None-Match` or `If-Modified-Since` for an empty 304; they change whenever anything public changes).',
      parameters: [param('tileZ'), param('tileX'), param('tileY'), ...mapFilters],
      responses: {
        '200': {
          description: 'The tile (possibly empty).',
          headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
          content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
        },
        '304': { description: 'Not modified since the `ETag` sent in `If-None-Match`.' },
        '422': response('Invalid'),
      },
    },
  },
  '/api/v1/clusters': {
    get: {
      tags: ['map'],
      operationId: 'clusters',
      summary: 'The public map as GeoJSON (for Leaflet and screen-reader lists)',
      description:
        'The same grouping as the tiles. A bbox spanning more than 65,536 cells at that zoom (or crossing the antimeridian) is a 422: zoom out or split it. From zoom 15 (single reports) a bbox spans at most 1,024 tiles and one answer carries at most 5,000 single reports: a public bbox of zoom 15 or 16 holding more gets the finest clusters (`cluster: true`), any other is a 422 naming `bbox`.',
      parameters: [
        { ...parameters.bbox!, required: true },
        {
          name: 'zoom',
          in: 'query',
          required: true,
          schema: { type: 'integer', minimum: 0, maximum: 22 },
        },
        ...mapFilters,
      ],
      responses: {
        '200': { description: 'Clusters or single reports.', content: geojson('ClusterCollection') },
        '422': response('Invalid'),
      },
    },
  },
  '/photos/{name}': {
    get: {
      tags: ['reports'],
      operationId: 'getPhoto',
      summary: 'A photo (display size or thumbnail)',
      description: 'Named by content hash, so cached for a year. No metadata.',
      parameters: [
        {
          name: 'name',
          in: 'path',
          required: true,
          description: "`<sha256>.jpg` or `<sha256>.thumb.jpg`, from a report's `photos`.",
          schema: { type: 'string', pattern: '^[0-9a-f]{64}(\\.thumb)?\\.jpg$' },
        },
      ],
      responses: {
        '200': {
          description: 'The JPEG.',
          content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
        },
        '404': response('NotFound'),
      },
    },
  },
};
