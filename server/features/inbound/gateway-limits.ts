// What every gateway webhook shares: a generous per-address rate limit and a small body. A
// gateway (Twilio, one Android phone) sends every SMS of a crisis from a handful of addresses,
// so the reports' limit (120 per 10 minutes) would drop real messages within minutes; this one
// only stops a runaway sender. Unsigned requests are refused after an HMAC over at most 64 KB.
import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { AppError } from '../../http/errors';
import { clientAddress } from '../../http/rate-limit';

/** A form or JSON body of a webhook: an SMS is at most 1,600 characters, a Twilio form ~40 fields. */
export const WEBHOOK_BODY_LIMIT = '64kb';

/** Ten a second per address on average, a minute's worth at once. */
export const GATEWAY_RATE = { limit: 600, windowMs: 60_000 } as const;

/** `store`: where the count is kept (PostgreSQL: shared by every process); memory if unset. */
export function gatewayRateLimit(store?: Store): RequestHandler {
  return rateLimit({
    ...GATEWAY_RATE,
    ...(store ? { store } : {}),
    keyGenerator: (req) => clientAddress(req),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, next) =>
      next(
        new AppError(
          429,
          'rate_limited',
          'Too many messages',
          `Too many webhook requests from this network address; try again in ${Number(res.getHeader('Retry-After')) || 1} s.`,
        ),
      ),
    validate: { xForwardedForHeader: false, forwardedHeader: false },
  });
}

/** A text field of a gateway's form or JSON: present, a string, and at most `max` characters. */
export function capped(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}
