// The webhook of SMS Gateway for Android (docs/CHANNELS.md, "SMS: Android phone gateway"): the
// app on a phone posts `sms:received` events as JSON signed with its signing key — X-Signature
// is the hex HMAC-SHA256 of the raw body followed by X-Timestamp (Unix seconds). It takes no
// answer in-band, so replies go to its send API (android-gateway.client.ts). Without
// ANDROID_SMS_SIGNING_KEY the route does not exist.
import crypto from 'node:crypto';
import express, { Router, type Request } from 'express';
import type { Store } from 'express-rate-limit';
import { z } from 'zod';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import { gatewayRateLimit, WEBHOOK_BODY_LIMIT } from './gateway-limits';
import { receiveMessage, type InboundDeps } from './inbound.service';
import { replyTexts } from './inbound.texts';
import type { AndroidSmsConfig } from './android-gateway.client';
import type { ReplyGateway } from './replies';

export const ANDROID_WEBHOOK_PATH = '/api/v1/inbound/android-sms';

/** The app's documentation advises ±5 minutes: a captured request is worthless after that. */
export const MAX_SKEW_S = 5 * 60;

export interface AndroidRouterDeps extends InboundDeps {
  androidSms: AndroidSmsConfig | undefined;
  /** The send API, when configured: it also confirms STOP, which the opt-out would silence. */
  androidGateway: ReplyGateway | undefined;
  baseUrl: (req: Request) => string;
  /** Where the webhook's per-address count is kept (PostgreSQL: shared by every process); memory if unset. */
  limitStore?: Store;
}

const text = (max: number) => z.string().max(max);
const eventSchema = z.object({
  event: text(64),
  id: text(64).regex(/^[\w-]+$/, 'must be the event id the gateway sent'),
  deviceId: text(128).optional(),
  webhookId: text(128).optional(),
  payload: z
    .object({
      messageId: text(128).optional(),
      // Texts of several parts arrive joined; 4,000 characters is more than any phone sends.
      message: text(4000).optional(),
      // `sender` since 2026; `phoneNumber` before, and kept for now.
      sender: text(64).nullish(),
      phoneNumber: text(64).nullish(),
      recipient: text(64).nullish(),
      simNumber: z.number().int().nullish(),
      receivedAt: text(64).optional(),
    })
    .passthrough(),
});

/** The hex signature the app computes, compared in constant time. */
export function androidSignature(key: string, rawBody: Buffer, timestamp: string): string {
  return crypto
    .createHmac('sha256', key)
    .update(Buffer.concat([rawBody, Buffer.from(timestamp)]))
    .digest('hex');
}

const refused = (field: string, detail: string) =>
  new AppError(403, 'bad_signature', 'Not signed by the gateway', undefined, [{ field, detail }]);

function checkSignature(key: string, req: Request, raw: Buffer): void {
  const signature = req.get('X-Signature')?.toLowerCase() ?? '';
  const timestamp = req.get('X-Timestamp') ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) throw refused('X-Signature', 'must be the hex HMAC-SHA256 of the body');
  if (!/^\d{1,12}$/.test(timestamp)) throw refused('X-Timestamp', 'must be Unix seconds');
  const expected = Buffer.from(androidSignature(key, raw, timestamp));
  if (!crypto.timingSafeEqual(expected, Buffer.from(signature))) {
    throw refused('X-Signature', 'does not sign this body and timestamp with the signing key');
  }
  // After the signature, so that only the gateway learns that its clock is off.
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_S) {
    throw refused('X-Timestamp', `is more than ${MAX_SKEW_S / 60} minutes from now (a replay, or the phone's clock)`);
  }
}

export function androidGatewayRouter(deps: AndroidRouterDeps): Router {
  const router = Router();
  const config = deps.androidSms;
  if (!config) return router;
  // Raw: the signature is over the body as sent, before any JSON parsing.
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });

  router.post(ANDROID_WEBHOOK_PATH, gatewayRateLimit(deps.limitStore), (req, res, next) => {
    if (!req.is('application/json')) {
      return next(
        new AppError(415, 'unsupported_media_type', 'Unsupported Content-Type', undefined, [
          { field: 'Content-Type', detail: 'must be application/json, as the gateway sends' },
        ]),
      );
    }
    raw(req, res, next);
  });
  router.post(ANDROID_WEBHOOK_PATH, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    checkSignature(config.signingKey, req, body);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError(400, 'malformed_body', 'The body is not valid JSON', undefined, [
        { field: 'body', detail: 'is not valid JSON' },
      ]);
    }
    const event = parse(eventSchema, json, 'The event could not be read');
    // Other events (sent, delivered, ping) need no action; a 2xx stops the app retrying them.
    if (event.event !== 'sms:received') return res.json({ outcome: 'ignored' });
    const sender = event.payload.sender ?? event.payload.phoneNumber;
    if (!sender?.trim()) throw AppError.validation([{ field: 'payload.sender', detail: 'is required' }]);
    const outcome = await receiveMessage(deps, {
      channel: 'sms',
      gateway: 'android',
      // The event id, which the app keeps across retries (its messageId is a hash of the text).
      externalId: event.id,
      sender,
      body: event.payload.message ?? '',
      photos: [],
      client: req.ip,
    });
    const target = { channel: 'sms' as const, gateway: 'android', sender, language: outcome.language };
    // A STOP after STOP or a START of someone who never stopped changes nothing and is not
    // answered: a bot repeating either would otherwise cost an SMS each.
    if (outcome.kind === 'stop') {
      // One confirmation, sent past the opt-out just recorded; nothing after it.
      if (outcome.changed)
        void deps.androidGateway
          ?.send(sender, replyTexts.stop(outcome.language))
          .catch((err: unknown) =>
            req.log.warn({ gateway: 'android', err: { message: (err as Error).message } }, 'A reply could not be sent'),
          );
    } else if ('changed' in outcome ? outcome.changed : !(outcome.replayed || outcome.quiet)) {
      const url = outcome.kind === 'filed' ? `${deps.baseUrl(req)}/reports/${outcome.reportId}` : '';
      void deps.replies?.send(target, (l) =>
        outcome.kind === 'filed'
          ? replyTexts.filed(l, outcome.reportId, url)
          : outcome.kind === 'inbox'
            ? replyTexts.inbox(l)
            : replyTexts.start(l),
      );
    }
    res.json({
      outcome: outcome.kind,
      ...(outcome.kind === 'filed' ? { report_id: outcome.reportId } : {}),
    });
  });
  return router;
}
