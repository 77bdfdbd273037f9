// Every input is length-capped before anything parses it (issue 11): a 40,000-digit `lat`
// once froze the event loop for seconds. Bodies are capped by their parsers (JSON 64 kB,
// multipart per field and file: server/http/uploads.ts); this caps the URL and each query
// parameter, which no parser of ours needs to see at any length, and takes a body only with
// its length said up front and no larger than the largest report.
import type { RequestHandler } from 'express';
import { PHOTO_LIMITS } from '../features/photos/photos.pipeline';
import { AppError } from './errors';

/** A report with every photo at the largest size, and its fields: no body of ours is larger. */
export const MAX_BODY_BYTES = (PHOTO_LIMITS.maxFiles + 1) * PHOTO_LIMITS.maxBytes + 1024 * 1024;

/** No link of ours comes near this; Node itself refuses request heads over 16 kB. */
export const MAX_URL_LENGTH = 8192;
/** The longest legitimate value is a list of categories or report ids. */
export const MAX_QUERY_VALUE_LENGTH = 2048;
export const MAX_QUERY_PARAMETERS = 50;
const MAX_QUERY_NAME_LENGTH = 100;

function badInput(field: string, detail: string, status = 400): AppError {
  return new AppError(status, 'input_too_long', 'Input too long', `${field}: ${detail}`, [{ field, detail }]);
}

export const inputLimits: RequestHandler = (req, res, next) => {
  // A body in chunks costs the loop a call per chunk, and one of endless one-byte chunks held
  // it from everybody (issue 11's second attack), on any route, answered or not. Browsers,
  // the citizen app's outbox and GeoReport clients all send Content-Length. The connection
  // is closed after the answer, so whatever else was sent is not read.
  if (req.headers['transfer-encoding'] !== undefined) {
    res.setHeader('Connection', 'close');
    return next(
      new AppError(411, 'length_required', 'Length required', 'Send the body with a Content-Length header.', [
        { field: 'Content-Length', detail: 'is required with a body (Transfer-Encoding is not taken)' },
      ]),
    );
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    res.setHeader('Connection', 'close');
    return next(badInput('body', `must be at most ${Math.floor(MAX_BODY_BYTES / 1024 / 1024)} MB`, 413));
  }
  // A request line in absolute form (`GET http://host/path`) is for proxies; our links are
  // built from the path, so only the origin form is taken.
  if (!req.originalUrl.startsWith('/')) return next(badInput('url', 'must be a path starting with /'));
  if (req.originalUrl.length > MAX_URL_LENGTH) {
    return next(badInput('url', `must be at most ${MAX_URL_LENGTH} characters`, 414));
  }
  const query = req.query as Record<string, unknown>;
  const names = Object.keys(query);
  if (names.length > MAX_QUERY_PARAMETERS) {
    return next(badInput('query', `must have at most ${MAX_QUERY_PARAMETERS} parameters`));
  }
  for (const name of names) {
    if (name.length > MAX_QUERY_NAME_LENGTH) {
      return next(badInput('query', `has a parameter name longer than ${MAX_QUERY_NAME_LENGTH} characters`));
    }
    const value = query[name];
    const values = Array.isArray(value) ? value : [value];
    if (values.length > MAX_QUERY_PARAMETERS) {
      return next(badInput(name, `may be given at most ${MAX_QUERY_PARAMETERS} times`));
    }
    for (const v of values) {
      if (typeof v === 'string' && v.length > MAX_QUERY_VALUE_LENGTH) {
        return next(badInput(name, `must be at most ${MAX_QUERY_VALUE_LENGTH} characters`));
      }
    }
  }
  next();
};
