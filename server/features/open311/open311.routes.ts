// Open311 GeoReport v2 under /open311/v2, each resource as .json and .xml. Parse and
// validate here; the rules live in open311.service.ts. Every error under /open311/v2 answers
// in GeoReport's error format (not problem+json), in the format the path asked for.
import { isDatabaseUnavailable } from '../../db/unavailable';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import multer from 'multer';
import type pg from 'pg';
import { AppError } from '../../http/errors';
import { clientAddress } from '../../http/rate-limit';
import { photoUploadStorage } from '../../http/uploads';
import { parse } from '../../http/validate';
import type { EventBus } from '../../live/bus';
import { LANGUAGES, type Language } from '../categories/categories.repo';
import type { Taxonomy } from '../categories/categories.service';
import { PHOTO_LIMITS } from '../photos/photos.pipeline';
import type { PhotoStorage } from '../photos/photos.storage';
import { findReport } from '../reports/reports.repo';
import type { Status } from '../reports/reports.schemas';
import { serviceDefinitionJson, serviceJson } from './open311.catalog';
import { FORMATS, send, sendErrors, w3cDateTime, type Format } from './open311.format';
import * as repo from './open311.repo';
import { open311FieldName, readForm, requestParamsSchema, requestsQuerySchema } from './open311.schemas';
import { createdJson, listPage, OPEN311_STATUSES, requestJson, submitRequest } from './open311.service';

export interface Open311Deps {
  /** Writes (new requests, API keys). */
  pool: pg.Pool;
  /**
   * The public reads (lists, one request, discovery): on PostgreSQL the reads' own pool with
   * its statement_timeout, so a burst of deep lists cannot take the connections reports need.
   */
  reads?: pg.Pool;
  events: EventBus;
  storage: PhotoStorage;
  taxonomy: Taxonomy;
  helpGridM: number;
  /** As for the API's reports (reports.service.ts). */
  barrierModeration?: 'pre' | 'post';
  baseUrl: (req: Request) => string;
  /** Lets media_url point at private, loopback or link-local addresses (tests, closed networks). */
  allowPrivateMedia: boolean;
}

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const MIME: Record<Format, string> = { xml: 'text/xml', json: 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const open311Error = (status: number, description: string) => new AppError(status, 'open311', description, description);

const formatOf = (req: Request) => req.params.format as Format;

/** `?locale=de` first, then Accept-Language, then English. */
function languageOf(req: Request, res: Response): Language {
  res.vary('Accept-Language');
  const asked = typeof req.query.locale === 'string' ? req.query.locale.slice(0, 2).toLowerCase() : undefined;
  if (asked && (LANGUAGES as readonly string[]).includes(asked)) return asked as Language;
  return (req.acceptsLanguages(...LANGUAGES) || 'en') as Language;
}

/** Public data: any web page may read it. */
function publicRead(res: Response): void {
  res.set({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
}

const urlencoded = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });
const mediaUpload = multer({
  storage: photoUploadStorage,
  limits: {
    fileSize: PHOTO_LIMITS.maxBytes,
    files: 1,
    fields: 40,
    fieldNameSize: 100,
    fieldSize: 32 * 1024,
    parts: 41,
    headerPairs: 100,
    // attribute[code] is one level; deeper names and array indices (attribute[4294967294],
    // parsed in linear time: GHSA-535w-7cp7-47q4) are refused before they cost anything.
    fieldNestingDepth: 2,
    fieldArrayIndexLimit: 0,
  },
}).single('media');

function uploadProblem(err: unknown): AppError {
  if (err instanceof AppError) return err; // the upload budget's 503, with its Retry-After
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return open311Error(413, `media: must be at most ${PHOTO_LIMITS.maxBytes / (1024 * 1024)} MB`);
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT') {
      return open311Error(400, 'media: send one photo, in the field "media"');
    }
    return open311Error(413, `${err.field ?? 'form'}: ${err.message}`);
  }
  return open311Error(400, 'The multipart/form-data body could not be read');
}

const readBody: express.RequestHandler = (req, res, next) => {
  if (req.is('application/x-www-form-urlencoded')) return urlencoded(req, res, next);
  if (req.is('multipart/form-data')) return mediaUpload(req, res, (err: unknown) => next(err && uploadProblem(err)));
  next(open311Error(415, 'Send application/x-www-form-urlencoded, or multipart/form-data with a photo in "media"'));
};

function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key')?.trim();
  if (key === undefined) return undefined;
  if (!UUID.test(key)) throw open311Error(400, 'Idempotency-Key: must be a UUID made once per request');
  return key.toLowerCase();
}

/**
 * The API key of a header: `X-API-Key: …` or `Authorization: Bearer …`. GeoReport v2 puts it in
 * the form; a header keeps it out of bodies that clients log and lets one key serve every call.
 * The access log never writes either header (server/logger.ts).
 */
function apiKeyHeader(req: Request): string | undefined {
  const direct = req.get('X-API-Key')?.trim();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('Authorization') ?? '')?.[1];
  if (direct && bearer && direct !== bearer) {
    throw open311Error(403, 'api_key: X-API-Key and Authorization name different keys; send one');
  }
  return direct || bearer || undefined;
}

export function open311Router(deps: Open311Deps): Router {
  const router = Router();
  const v2 = Router();
  router.use('/open311/v2', v2);
  const reads = deps.reads ?? deps.pool;

  v2.param('format', (req, _res, next, value: string) => {
    next(
      (FORMATS as readonly string[]).includes(value)
        ? undefined
        : open311Error(404, `No resource at ${req.baseUrl}${req.path}`),
    );
  });

  v2.get('/discovery.:format', async (req, res) => {
    const base = deps.baseUrl(req);
    const changeset = w3cDateTime(await repo.servicesChangedAt(reads));
    publicRead(res);
    const endpoint = {
      specification: SPECIFICATION,
      url: `${base}/open311/v2`,
      changeset,
      type: 'production',
      formats: FORMATS.map((f) => MIME[f]),
    };
    const discovery = {
      changeset,
      contact: `The people who run this Wegfrei: ${base}/`,
      key_service: 'Reading needs no key. To post requests, ask an administrator of this Wegfrei for an API key.',
    };
    if (formatOf(req) === 'json') {
      send(res, 'json', { json: { ...discovery, endpoints: [endpoint] }, root: 'discovery' });
    } else {
      const xmlEndpoint = { ...endpoint, formats: { format: endpoint.formats } };
      send(res, 'xml', { json: { ...discovery, endpoints: { endpoint: [xmlEndpoint] } }, root: 'discovery' });
    }
  });

  v2.get('/services.:format', async (req, res) => {
    const lang = languageOf(req, res);
    const services = (await deps.taxonomy.all()).map((c) => serviceJson(c, lang));
    publicRead(res);
    res.set('Cache-Control', 'public, max-age=3600');
    send(res, formatOf(req), { json: services, root: 'services', item: 'service' });
  });

  v2.get('/services/:code.:format', async (req, res) => {
    const lang = languageOf(req, res);
    const category = await deps.taxonomy.find(String(req.params.code));
    if (!category) throw open311Error(404, `service_code ${req.params.code} was not found`);
    const definition = serviceDefinitionJson(category, lang);
    publicRead(res);
    res.set('Cache-Control', 'public, max-age=3600');
    if (formatOf(req) === 'json') {
      send(res, 'json', { json: definition, root: 'service_definition' });
    } else {
      const attribute = definition.attributes.map((a) => ({ ...a, values: { value: a.values } }));
      send(res, 'xml', { json: { ...definition, attributes: { attribute } }, root: 'service_definition' });
    }
  });

  v2.get('/requests.:format', async (req, res) => {
    const lang = languageOf(req, res);
    const q = parse(requestsQuerySchema, req.query, 'Invalid filters');
    const taxonomy = await deps.taxonomy.all();
    const unknown = q.service_code?.filter((code) => !taxonomy.some((c) => c.code === code));
    if (unknown?.length) throw open311Error(400, `service_code ${unknown.join(',')} was not found`);
    // service_request_id overrides every other filter (GeoReport v2).
    const filter: repo.RequestFilter = q.service_request_id
      ? { ids: q.service_request_id, offset: 0, limit: q.service_request_id.length }
      : {
          categories: q.service_code,
          statuses: q.status?.flatMap((s): readonly Status[] => OPEN311_STATUSES[s]),
          start: q.start_date,
          end: q.end_date,
          ...listPage(q),
        };
    publicRead(res);
    // HEAD is cheap: the checks GET makes, no query.
    if (req.method === 'HEAD') return void res.type(`${MIME[formatOf(req)]}; charset=utf-8`).end();
    // One query; the connection is free again before the answer is written.
    const rows = await repo.listRequests(reads, filter);
    const base = deps.baseUrl(req);
    const requests = rows.map((row) =>
      requestJson(row, { baseUrl: base, lang, category: taxonomy.find((c) => c.code === row.category) }),
    );
    send(res, formatOf(req), { json: requests, root: 'service_requests', item: 'request' });
  });

  v2.get('/requests/:id.:format', async (req, res) => {
    const lang = languageOf(req, res);
    // An id that cannot be one (`abc`, `0`, 20 digits) names no resource either: 404, as for
    // an id nobody has (GeoReport v2), not 400 — there is nothing the client could fix in it.
    const parsed = requestParamsSchema.safeParse(req.params);
    if (!parsed.success)
      throw open311Error(404, `service_request_id ${String(req.params.id).slice(0, 40)} was not found`);
    const { id } = parsed.data;
    const row = await findReport(reads, id, 'public');
    if (!row) throw open311Error(404, `service_request_id ${id} was not found`);
    const category = await deps.taxonomy.find(row.category);
    publicRead(res);
    send(res, formatOf(req), {
      json: [requestJson(row, { baseUrl: deps.baseUrl(req), lang, category })],
      root: 'service_requests',
      item: 'request',
    });
  });

  v2.post('/requests.:format', readBody, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const headerKey = apiKeyHeader(req);
    // A key in the URL is refused even beside another: URLs end up in proxies' and browsers' logs.
    if (req.query.api_key !== undefined) {
      throw open311Error(
        403,
        'api_key: send it in the form body or the X-API-Key header, not in the URL (URLs end up in logs)',
      );
    }
    const form = readForm(body);
    if (headerKey !== undefined && form.apiKey !== undefined && form.apiKey !== headerKey) {
      throw open311Error(403, 'api_key: the form and the header name different keys; send one');
    }
    const report = await submitRequest(deps, {
      form: { ...form, apiKey: form.apiKey ?? headerKey },
      media: req.file?.buffer,
      idempotencyKey: idempotencyKey(req),
      client: clientAddress(req),
    });
    const base = deps.baseUrl(req);
    const format = formatOf(req);
    res.set('Cache-Control', 'no-store').location(`${base}/open311/v2/requests/${report.id}.${format}`);
    send(
      res,
      format,
      {
        json: [createdJson(report, { baseUrl: base, lang: languageOf(req, res) })],
        root: 'service_requests',
        item: 'request',
      },
      201,
    );
  });

  v2.use((req, _res, next) => next(open311Error(404, `No resource at ${req.baseUrl}${req.path}`)));
  v2.use(open311ErrorHandler);
  return router;
}

/**
 * Errors thrown by Express' body parsers carry a 4xx status and a type; so does a body whose
 * Content-Encoding does not decode (a zlib error, no type), and the router's own URIError for a
 * path that is not valid percent-encoding.
 */
function parserError(err: { status?: unknown; type?: unknown }): AppError | undefined {
  if (typeof err.status !== 'number' || err.status < 400 || err.status >= 500) return undefined;
  if (err instanceof URIError) return open311Error(400, 'The URL is not valid percent-encoding');
  if (err.status === 413 || err.type === 'parameters.too.many') return open311Error(413, 'The form is too large');
  if (err.status === 415) return open311Error(415, 'The charset or Content-Encoding of the form is not supported');
  return open311Error(400, 'The form could not be read');
}

function toAppError(err: unknown, req: Request): AppError {
  if (err instanceof AppError) return err;
  const fromParser = parserError(err as { status?: unknown; type?: unknown });
  if (fromParser) return fromParser;
  const pgCode = (err as { code?: unknown }).code;
  if (typeof pgCode === 'string' && /^(22|23)/.test(pgCode)) return open311Error(400, 'A value is out of range');
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err }, 'database unavailable');
    return AppError.unavailable();
  }
  if (pgCode === '57014') {
    // statement_timeout: the public reads' budget on PostgreSQL (server/db/database.ts).
    req.log.warn({ err }, 'query cancelled by statement_timeout');
    return new AppError(
      503,
      'query_timeout',
      'The query took too long',
      'The query took too long; narrow the filters (service_code, status, start_date, end_date) or try again later',
      [],
      { 'Retry-After': '5' },
    );
  }
  req.log.error({ err }, 'unhandled error');
  const id = typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
  return open311Error(500, `Something went wrong on our side; quote request id ${id}`);
}

/** Also mounted at the app's level, for what stops a GeoReport request before this router (input limits). */
export const open311ErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const format: Format = /\.xml$/i.test(req.path) ? 'xml' : 'json';
  const error = toAppError(err, req);
  // GeoReport clients know 400 for a request they must fix; 422 is our own word for it.
  const status = error.status === 422 ? 400 : error.status;
  const mediaField = req.file ? 'media' : 'media_url';
  const errors = error.errors.length
    ? error.errors.map((e) => ({ code: status, description: `${open311FieldName(e.field, mediaField)}: ${e.detail}` }))
    : [{ code: status, description: error.detail ?? error.title }];
  res.set(error.headers);
  sendErrors(res, format, status, errors);
};
