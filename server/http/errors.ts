// One error type with an HTTP status and a machine code; one handler turns every error
// into application/problem+json (RFC 9457). Unknown errors become a logged 500 that names
// only the request id, never a stack, SQL or path.
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../db/unavailable';
import { localiseProblem, problemLanguage } from './messages';

export interface FieldError {
  /** The request field at fault, as the client sent it: `lat`, `photos[2]`, `bbox`. */
  field: string;
  detail: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  static validation(errors: FieldError[], title = 'The request has invalid fields'): AppError {
    const detail = errors.map((e) => `${e.field}: ${e.detail}`).join('; ');
    return new AppError(422, 'validation', title, detail, errors);
  }

  /** The database cannot be reached (restarting, network down): try again shortly. */
  static unavailable(): AppError {
    return new AppError(503, 'unavailable', 'Service unavailable', 'Please try again shortly.', [], {
      'Retry-After': '5',
    });
  }

  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', 'Not found', `${what} does not exist.`);
  }
}

/**
 * A service the app depends on (the photo bucket) failed or cannot be reached: a 503 that names
 * it, not the database's 503 nor a 500. Carries the original error for the log's name and code.
 */
export class DependencyUnavailable extends Error {
  constructor(
    readonly dependency: 'photo store',
    cause: unknown,
  ) {
    const { name, code } = errorNameAndCode(cause);
    super(`${dependency} unavailable: ${[name, code].filter(Boolean).join(' ')}`, { cause });
    this.name = 'DependencyUnavailable';
  }
}

/**
 * An error's name and code only (an S3 error's message or request may name a key): what the
 * log may show. A connection error from Node or the SDK has a `code`; an S3 answer a `Code`.
 */
export function errorNameAndCode(err: unknown): { name?: string; code?: string } {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as { name?: unknown; message?: unknown; code?: unknown; Code?: unknown; errors?: unknown };
  // Node's happy-eyeballs connect fails with an AggregateError whose parts carry the code.
  const inner = Array.isArray(e.errors) ? (e.errors[0] as { code?: unknown } | undefined) : undefined;
  // An error from another realm (a test runner's vm) reaches the SDK as no Error at all: it
  // wraps it as "AWS SDK error wrapper for Error: connect ECONNREFUSED …", code only in the text.
  const wrapped =
    typeof e.message === 'string' ? /^AWS SDK error wrapper for .*?\b(E[A-Z]{3,15})\b/.exec(e.message) : null;
  const code = [e.code, e.Code, inner?.code, wrapped?.[1]].find((c): c is string => typeof c === 'string');
  return { name: typeof e.name === 'string' ? e.name : undefined, code };
}

const DEPENDENCY_PROBLEMS: Record<DependencyUnavailable['dependency'], { code: string; detail: string }> = {
  'photo store': {
    code: 'photo_store_unavailable',
    detail: 'Photos cannot be stored or shown just now; please try again shortly.',
  },
};

export function fieldErrorsFromZod(err: ZodError): FieldError[] {
  // A query list like status=a,b is one field for the client, whatever index was wrong.
  const prefix = (path: (string | number)[]) => path.filter((p) => typeof p === 'string').join('.');
  const errors = err.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: prefix([...issue.path, key]), detail: issue.message }))
      : [{ field: issue.path.length ? prefix(issue.path) : 'body', detail: issue.message }],
  );
  // Two checks of one field that fail with one message (a length and a shape) say it once.
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\u0000${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Title and details follow Accept-Language (en, de, fr); the machine-readable parts never change. */
export function sendProblem(req: Request, res: Response, err: AppError): void {
  const lang = problemLanguage(req);
  const text = localiseProblem({ title: err.title, detail: err.detail ?? err.title, errors: err.errors }, lang);
  res
    .set(err.headers)
    .set('Content-Language', lang)
    .vary('Accept-Language')
    .status(err.status)
    .type('application/problem+json')
    .json({
      type: `urn:wegfrei:problem:${err.code}`,
      title: text.title,
      status: err.status,
      detail: text.detail,
      instance: req.originalUrl.split('?')[0],
      request_id: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '',
      errors: text.errors,
    });
}

/** Errors thrown by Express' own parsers carry a status and a type. */
function fromParserError(err: { status?: number; type?: string; message?: string }): AppError | undefined {
  if (typeof err.status !== 'number' || err.status < 400 || err.status >= 500) return undefined;
  if (err instanceof URIError) {
    return new AppError(400, 'malformed_url', 'The URL could not be read', undefined, [
      { field: 'path', detail: 'is not valid percent-encoding' },
    ]);
  }
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_body', 'The body is not valid JSON', undefined, [
        { field: 'body', detail: 'is not valid JSON' },
      ]);
    case 'entity.too.large':
      return new AppError(413, 'body_too_large', 'The body is too large', undefined, [
        { field: 'body', detail: 'is larger than allowed' },
      ]);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError(415, 'unsupported_encoding', 'Unsupported Content-Type', undefined, [
        { field: err.type === 'charset.unsupported' ? 'Content-Type' : 'Content-Encoding', detail: 'is not supported' },
      ]);
    default:
      return new AppError(
        err.status,
        'bad_request',
        'Bad request',
        'The request could not be read.',
        err.status === 400 ? [{ field: 'body', detail: 'could not be read' }] : [],
      );
  }
}

export const problemHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof AppError) return sendProblem(req, res, err);
  const parserError = fromParserError(err as { status?: number; type?: string });
  if (parserError) return sendProblem(req, res, parserError);
  if (err instanceof DependencyUnavailable) {
    req.log.warn({ dependency: err.dependency, error: errorNameAndCode(err.cause) }, `${err.dependency} unavailable`);
    // A photo's response may already carry its ETag and public caching: a 503 must carry neither.
    res.removeHeader('ETag');
    const { code, detail } = DEPENDENCY_PROBLEMS[err.dependency];
    return sendProblem(
      req,
      res,
      new AppError(503, code, 'Service unavailable', detail, [], { 'Retry-After': '5', 'Cache-Control': 'no-store' }),
    );
  }
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err }, 'database unavailable');
    return sendProblem(req, res, AppError.unavailable());
  }
  const pgCode = (err as { code?: unknown }).code;
  if (pgCode === '57014') {
    // statement_timeout: the public reads' budget on PostgreSQL (server/db/database.ts).
    req.log.warn({ err }, 'query cancelled by statement_timeout');
    return sendProblem(
      req,
      res,
      new AppError(
        503,
        'query_timeout',
        'The query took too long',
        'Narrow the filters (a smaller area, fewer days) or try again later.',
        [],
        { 'Retry-After': '5' },
      ),
    );
  }
  if (pgCode === '23505')
    return sendProblem(req, res, new AppError(409, 'conflict', 'Conflict', 'This already exists.'));
  if (typeof pgCode === 'string' && /^(22|23)/.test(pgCode)) {
    return sendProblem(
      req,
      res,
      new AppError(422, 'invalid', 'The request could not be stored', 'A value is out of range.'),
    );
  }
  req.log.error({ err }, 'unhandled error');
  sendProblem(
    req,
    res,
    new AppError(500, 'internal', 'Internal error', 'Something went wrong on our side; quote the request_id.'),
  );
};

export function notFoundHandler(req: Request, res: Response): void {
  sendProblem(req, res, new AppError(404, 'not_found', 'Not found', `No resource at ${req.path}.`));
}
