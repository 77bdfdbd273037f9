// Telegram's webhook (docs/CHANNELS.md, "Telegram"): POST /api/v1/inbound/telegram with an
// Update (core.telegram.org/bots/api#update). Only Telegram knows the secret given to setWebhook
// (secret_token), and it sends it back in X-Telegram-Bot-Api-Secret-Token: anything else is
// refused with 403 before its body is read. Without a bot token the route does not exist.
//
// Telegram retries an update until it gets a 2xx, so a valid update is answered 200 whatever
// the conversation made of it (a report, a question, nothing); an update that could not be
// taken for want of the database or of memory for photos is answered 503 and comes again,
// and its update_id makes sure it is taken once.
import crypto from 'node:crypto';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import { z } from 'zod';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import { gatewayRateLimit } from './gateway-limits';
import { handleUpdate, sweepExpired, type TelegramBotDeps } from './telegram.bot';

export const TELEGRAM_WEBHOOK_PATH = '/api/v1/inbound/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Telegram's ids are up to 52 bits; chat ids of groups are negative. */
const id = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const fileId = text(200);

const user = z.object({
  id,
  is_bot: z.boolean().optional(),
  language_code: text(35).optional(),
});

const chat = z.object({ id, type: z.enum(['private', 'group', 'supergroup', 'channel']) });

const location = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  horizontal_accuracy: z.number().min(0).max(1500).optional(),
});

const photoSize = z.object({
  file_id: fileId,
  width: z.number().int().min(0).max(1_000_000),
  height: z.number().int().min(0).max(1_000_000),
  file_size: z.number().int().min(0).optional(),
});

// Only the fields the bot reads are checked; Telegram adds fields over time, so others pass.
const message = z.object({
  message_id: id,
  from: user.optional(),
  chat,
  text: text(4096).optional(),
  caption: text(1024).optional(),
  location: location.optional(),
  venue: z.object({ location }).optional(),
  photo: z.array(photoSize).max(20).optional(),
  document: z
    .object({ file_id: fileId, mime_type: text(255).optional(), file_size: z.number().int().min(0).optional() })
    .optional(),
});

const callbackQuery = z.object({
  id: text(200),
  from: user,
  message: z.object({ message_id: id, chat }).optional(),
  // At most 64 bytes, by the Bot API.
  data: text(64).optional(),
});

const updateSchema = z.object({
  update_id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

export type TelegramUpdate = z.infer<typeof updateSchema>;
export type TelegramMessage = z.infer<typeof message>;
export type TelegramCallback = z.infer<typeof callbackQuery>;
export type TelegramPhotoSize = z.infer<typeof photoSize>;

/** Constant time in the secret's content (its length is no secret: setWebhook allows 1–256). */
function secretMatches(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}

export interface TelegramRouterDeps extends TelegramBotDeps {
  secret: string;
  baseUrl: (req: Request) => string;
  /** Where the webhook's per-address count is kept (PostgreSQL: shared by every process); memory if unset. */
  limitStore?: Store;
}

export function telegramRouter(deps: TelegramRouterDeps): Router {
  const router = Router();
  const checkSecret: RequestHandler = (req, res, next) => {
    if (secretMatches(req.headers[SECRET_HEADER], deps.secret)) return next();
    // The body is not read: say so, and close the connection after the answer.
    res.setHeader('Connection', 'close');
    next(
      new AppError(403, 'forbidden', 'Forbidden', 'Only Telegram may call this webhook.', [
        { field: 'X-Telegram-Bot-Api-Secret-Token', detail: 'is missing or wrong' },
      ]),
    );
  };
  const json = express.json({ limit: '64kb', type: () => true });

  router.post(TELEGRAM_WEBHOOK_PATH, gatewayRateLimit(deps.limitStore), checkSecret, json, async (req, res) => {
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      throw AppError.validation([{ field: 'body', detail: 'must be a Telegram Update (a JSON object)' }]);
    }
    const update = parse(updateSchema, req.body, 'The update is not one Telegram sends');
    const ctx = { baseUrl: deps.baseUrl(req), client: req.ip };
    await handleUpdate(deps, ctx, update);
    res.status(200).json({});
    // After the answer: Telegram is not kept waiting for conversations that ended a day ago.
    await sweepExpired(deps, ctx).catch((err: unknown) =>
      req.log.warn({ err: { message: (err as Error).message } }, 'Expired Telegram conversations were not swept'),
    );
  });
  return router;
}
