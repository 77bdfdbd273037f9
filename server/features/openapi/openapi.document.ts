// The API description: OpenAPI 3.0.3 (GDAL's OGC API client reads 3.0). Assembled from the
// parts beside this file; tests/api/openapi.test.ts checks real answers against it.
import type { OpenAPIV3 } from 'openapi-types';
import { isExpensiveRead } from '../../http/rate-limit';
import { headers, parameters, responses } from './openapi.parameters';
import { openDataPaths } from './openapi.paths-open-data';
import { open311Paths } from './openapi.paths-open311';
import { publicPaths } from './openapi.paths-public';
import { releasesPaths } from './openapi.paths-releases';
import { followPaths } from './openapi.paths-follow';
import { feedbackPaths } from './openapi.paths-feedback';
import { statsPaths } from './openapi.paths-stats';
import { inboxPaths } from './openapi.paths-inbox';
import { volunteerPaths } from './openapi.paths-volunteers';
import { inboundPaths } from './openapi.paths-inbound';
import { staffPaths } from './openapi.paths-staff';
import { telegramPaths } from './openapi.paths-telegram';
import { coreSchemas } from './openapi.schemas';
import { metaSchemas } from './openapi.schemas-meta';
import { openDataSchemas } from './openapi.schemas-open-data';

export const OPENAPI_MEDIA_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export const TAGS: OpenAPIV3.TagObject[] = [
  { name: 'reports', description: 'Report a barrier or a need, read reports, confirm them.' },
  { name: 'map', description: 'Vector tiles and clusters of the public map.' },
  { name: 'volunteers', description: 'Volunteers check reports near them (docs/VOLUNTEERS.md).' },
  {
    name: 'exports',
    description:
      'Complete, filterable downloads for researchers: GeoJSON, GeoJSON text sequences, CSV (with HXL). docs/DATA.md is the data dictionary.',
  },
  {
    name: 'ogc',
    description: 'OGC API – Features, Part 1 Core with GeoJSON and OpenAPI 3.0: for QGIS, GDAL/OGR and other GIS.',
  },
  { name: 'open311', description: 'Open311 GeoReport v2, JSON and XML: for civic apps and city systems.' },
  { name: 'meta', description: 'Health, configuration and the taxonomy.' },
  {
    name: 'staff',
    description:
      "For coordinators, responders and admins: a session cookie from `POST /api/v1/auth/login`; state-changing requests also send the `X-CSRF-Token` header with the session's `csrf_token`. `401` without a session, `403` without the role.",
  },
];

/** Joins path items that two parts describe (a public GET and a staff PATCH on one path). */
function mergePaths(...parts: OpenAPIV3.PathsObject[]): OpenAPIV3.PathsObject {
  const merged: OpenAPIV3.PathsObject = {};
  for (const part of parts) {
    for (const [path, item] of Object.entries(part)) merged[path] = { ...merged[path], ...item };
  }
  return merged;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;

/**
 * What every operation may answer before it is reached (server/http/input-limits.ts: 400 for
 * an overlong parameter, 414 for an overlong URL), and what the expensive reads may (their
 * per-address limits: 429; their statement budget: 503). Open311 answers in GeoReport's format.
 */
function withInputLimits(paths: OpenAPIV3.PathsObject): OpenAPIV3.PathsObject {
  const out: OpenAPIV3.PathsObject = {};
  for (const [path, item] of Object.entries(paths)) {
    const copy: OpenAPIV3.PathItemObject = { ...item };
    const open311 = path.startsWith('/open311/');
    const ref = (name: string) => ({ $ref: `#/components/responses/${open311 ? 'Open311Error' : name}` });
    for (const method of METHODS) {
      const op = copy[method];
      if (!op) continue;
      const added: OpenAPIV3.ResponsesObject = { '400': ref('BadRequest'), '414': ref('UriTooLong') };
      if (method === 'get' && isExpensiveRead(path)) {
        Object.assign(added, { '429': ref('TooManyRequests'), '503': ref('Unavailable') });
      }
      copy[method] = {
        ...op,
        responses: {
          ...op.responses,
          ...Object.fromEntries(Object.entries(added).filter(([code]) => !(code in op.responses))),
        },
      };
    }
    out[path] = copy;
  }
  return out;
}

const DOCUMENT: Omit<OpenAPIV3.Document, 'servers'> = {
  openapi: '3.0.3',
  info: {
    title: 'Wegfrei API',
    version: '1.0.0',
    description: [
      'Wegfrei is a crowdsourced map of accessibility barriers and help requests. This API is how the apps, researchers, GIS tools and civic systems read and write it.',
      'Coordinates are GeoJSON order (longitude, latitude), WGS 84 (RFC 7946). Property names are snake_case, times RFC 3339. Errors are `application/problem+json` (RFC 9457) with `errors[]` naming each bad field.',
      'Privacy: contact details never leave the staff API; help requests are shown at the centre of a coarse grid cell (about 500 m) without address or accuracy; rejected and hidden reports leave every public channel; photos carry no metadata.',
      'The data is open: by default under the ODbL 1.0 (a deployment may set another licence); exports and feature APIs name the licence and attribution.',
    ].join('\n\n'),
    license: { name: 'AGPL-3.0-or-later (software)', url: 'https://www.gnu.org/licenses/agpl-3.0.html' },
  },
  tags: TAGS,
  paths: withInputLimits(
    mergePaths(
      publicPaths,
      followPaths,
      feedbackPaths,
      openDataPaths,
      releasesPaths,
      statsPaths,
      open311Paths,
      staffPaths,
      inboxPaths,
      volunteerPaths,
      inboundPaths,
      telegramPaths,
    ),
  ),
  components: {
    schemas: { ...coreSchemas, ...metaSchemas, ...openDataSchemas },
    parameters,
    responses,
    headers,
    securitySchemes: {
      staffSession: {
        type: 'apiKey',
        in: 'cookie',
        name: 'wegfrei_session',
        description: 'Set by `POST /api/v1/auth/login`.',
      },
      csrfToken: {
        type: 'apiKey',
        in: 'header',
        name: 'X-CSRF-Token',
        description: 'The `csrf_token` from login or `/api/v1/auth/me`, on every state-changing staff request.',
      },
    },
  },
};

/** The document with this server's base URL (absolute, so GDAL and code generators need no guessing). */
export function openApiDocument(baseUrl: string): OpenAPIV3.Document {
  return { ...DOCUMENT, servers: [{ url: baseUrl, description: 'This Wegfrei server' }] };
}
