/**
 * GET /api/v1/geocode: the citizen app's address search, proxied, so a phone never talks to a
 * third party and the geocoder's usage policy (Nominatim's: an identifying User-Agent, no
 * floods) is kept in one place. Off (404) unless GEOCODER_URL is set; /api/v1/config says which.
 */
import { Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { z } from 'zod';
import { AppError } from '../../http/errors';
import { clientAddress } from '../../http/rate-limit';
import { parse } from '../../http/validate';
import type { Logger } from '../../logger';
import { GeocoderError, search, type Place } from './geocoder.client';

export const GEOCODE_MAX_QUERY = 200;
const RESULTS = 5;
const TIMEOUT_MS = 5000;
/** Searches per client address per minute: a person types a few; a shelter shares one address. */
const PER_ADDRESS_PER_MINUTE = 30;
/** Upstream searches in flight at once, for all clients: a public geocoder is not ours to flood. */
const UPSTREAM_CONCURRENT = 4;
/** Of those, one per client address: a person searches one address at a time, and four slow
    searches from one address would otherwise leave everybody else a 503 (issue 13's attack). */
const UPSTREAM_PER_ADDRESS = 1;
/** Upstream searches per second for all clients together, after a burst (GEOCODER_RATE). */
const DEFAULT_RATE_PER_S = 1;
const RATE_BURST = 5;
const CACHE_ENTRIES = 500;
const CACHE_TTL_MS = 60 * 60_000;

export interface GeocoderOptions {
  geocoderUrl?: string;
  publicUrl?: string;
  logger: Logger;
  /** Tests: a lower per-address limit, or 0 for none. */
  perAddressPerMinute?: number;
  /** Upstream searches per second, all clients together (GEOCODER_RATE); 0: no limit. */
  geocoderRate?: number;
  /** Where the per-address count is kept (PostgreSQL: shared by every process); memory if unset. */
  limitStore?: Store;
}

const query = z
  .object({
    q: z
      .string({ required_error: 'is required', invalid_type_error: 'must be given once, as text' })
      .transform((s) => s.trim().replace(/\s+/g, ' '))
      .pipe(
        z
          .string()
          .min(2, 'must be at least 2 characters')
          .max(GEOCODE_MAX_QUERY, `must be at most ${GEOCODE_MAX_QUERY} characters`),
      ),
    lang: z.enum(['en', 'de', 'fr'], { errorMap: () => ({ message: 'must be en, de or fr' }) }).optional(),
  })
  .strict('is not a parameter of the address search');

const off = () =>
  new AppError(404, 'geocoder_off', 'Address search is off', 'This server has no geocoder configured (GEOCODER_URL).');
const busy = (why: string) =>
  new AppError(
    503,
    'geocoder_unavailable',
    'Address search unavailable',
    `The address search did not answer (${why}); try again or set the place on the map.`,
    [],
    {
      'Retry-After': '10',
    },
  );

export function geocoderRouter(opts: GeocoderOptions): Router {
  const router = Router();
  const base = opts.geocoderUrl;
  // Kept per client address: a shared cache answers at once what anybody searched in the last
  // hour, so its timing would tell a stranger whether someone searched a given home address.
  const cache = new Map<string, { at: number; places: Place[] }>();
  let inFlight = 0;
  const inFlightOf = new Map<string, number>();
  const rate = opts.geocoderRate ?? DEFAULT_RATE_PER_S;
  // Many addresses together stay within the geocoder's usage policy (public Nominatim: one a
  // second), or the deployment is banned and address search is gone for everybody.
  let tokens = RATE_BURST;
  let filledAt = Date.now();
  const takeToken = (): boolean => {
    if (rate <= 0) return true;
    const now = Date.now();
    tokens = Math.min(RATE_BURST, tokens + ((now - filledAt) / 1000) * rate);
    filledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const userAgent = `Wegfrei address search (${opts.publicUrl ?? 'self-hosted'})`;
  const perMinute = opts.perAddressPerMinute ?? PER_ADDRESS_PER_MINUTE;

  const limit = rateLimit({
    limit: perMinute,
    windowMs: 60_000,
    keyGenerator: (req) => clientAddress(req),
    skip: () => !base || perMinute === 0,
    ...(opts.limitStore ? { store: opts.limitStore } : {}),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, next) =>
      next(
        new AppError(
          429,
          'rate_limited',
          'Too many address searches',
          'Please wait a minute before searching again.',
          [],
          {
            'Retry-After': String(Number(res.getHeader('Retry-After')) || 60),
          },
        ),
      ),
    validate: { xForwardedForHeader: false, forwardedHeader: false },
  });

  router.get('/api/v1/geocode', limit, async (req, res) => {
    const q = parse(query, req.query, 'The address search has invalid parameters');
    if (!base) throw off();
    const address = clientAddress(req);
    const key = `${address}|${q.lang ?? ''}|${q.q.toLowerCase()}`;
    const hit = cache.get(key);
    let places: Place[];
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) {
      places = hit.places;
    } else {
      const mine = inFlightOf.get(address) ?? 0;
      if (inFlight >= UPSTREAM_CONCURRENT || mine >= UPSTREAM_PER_ADDRESS || !takeToken()) throw busy('busy');
      inFlight += 1;
      inFlightOf.set(address, mine + 1);
      try {
        places = await search(base, q.q, { lang: q.lang, limit: RESULTS, timeoutMs: TIMEOUT_MS, userAgent });
      } catch (err) {
        if (!(err instanceof GeocoderError)) throw err;
        opts.logger.warn({ reason: err.message }, 'geocoder failed');
        throw busy(err.message);
      } finally {
        inFlight -= 1;
        const left = (inFlightOf.get(address) ?? 1) - 1;
        if (left > 0) inFlightOf.set(address, left);
        else inFlightOf.delete(address);
      }
      cache.delete(key);
      cache.set(key, { at: Date.now(), places });
      // A Map iterates in insertion order: the first key is the least recently stored.
      if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    }
    res.set('Cache-Control', 'private, max-age=3600').json({ results: places });
  });
  return router;
}
