// Open data is read from anywhere: notebooks, web maps and tools on other origins fetch the OGC
// API, the exports, the public lists, tiles, clusters, photos and releases (OGC API – Features
// /rec/core/cross-origin). Anyone may read them, so `*`, and never with credentials: a staff
// cookie is not sent to a `*` answer, and staff endpoints are not listed here, so they stay
// same-origin. Writes (a citizen's report, Open311 POST) stay same-origin or server-to-server.
import type { RequestHandler } from 'express';

/** Paths whose GET and HEAD anyone may read from another origin. */
const PUBLIC_READS: readonly RegExp[] = [
  /^\/ogc(?:\/|$)/,
  /^\/api\/v1\/exports\//,
  /^\/api\/v1\/reports(?:\/nearby|\/\d+)?\/?$/,
  /^\/api\/v1\/(?:clusters|categories|config)\/?$/,
  /^\/api\/openapi\.json$/,
  /^\/tiles\/public\//,
  /^\/photos\//,
  /^\/releases(?:\/|$)/,
  /^\/open311\/v2\/(?:services|requests|discovery)/,
];

export const isPublicRead = (path: string): boolean => PUBLIC_READS.some((re) => re.test(path));

/** What a cross-origin script may read of an answer besides the CORS-safelisted headers. */
const EXPOSED = [
  'Link',
  'ETag',
  'Last-Modified',
  'Content-Length',
  'Content-Range',
  'Content-Disposition',
  'Accept-Ranges',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
].join(', ');

/** Request headers a cross-origin reader may send (beyond the safelisted ones). */
const ALLOWED_HEADERS = 'Accept, Accept-Language, If-None-Match, If-Modified-Since, If-Range, Range';

export const publicCors: RequestHandler = (req, res, next) => {
  if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) || !isPublicRead(req.path)) return next();
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Access-Control-Expose-Headers': EXPOSED,
  });
  if (req.method === 'OPTIONS' && req.get('Access-Control-Request-Method')) {
    res.set({
      'Access-Control-Allow-Methods': 'GET, HEAD',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '86400',
    });
    return void res.status(204).end();
  }
  next();
};
