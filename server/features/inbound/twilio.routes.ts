// Twilio's incoming-message webhook (docs/CHANNELS.md, "SMS: Twilio"): a signed form in, TwiML
// out. Without TWILIO_AUTH_TOKEN the route does not exist (404 from the app's fallback), so an
// unconfigured deployment takes no unsigned messages.
import express, { Router, type Request, type Response } from 'express';
import type { Store } from 'express-rate-limit';
import { AppError, type FieldError } from '../../http/errors';
import type { Logger } from '../../logger';
import { uploadBudget } from '../photos/photos.budget';
import { fetchMedia, MEDIA_LIMITS } from '../open311/open311.media';
import { capped, gatewayRateLimit, WEBHOOK_BODY_LIMIT } from './gateway-limits';
import { receiveMessage, MAX_MESSAGE_PHOTOS, type InboundDeps, type InboundMessage } from './inbound.service';
import * as repo from './inbound.repo';
import { replyTexts } from './inbound.texts';
import { twilioAuthorization, type TwilioConfig } from './twilio.client';
import { isTwilioSigned, type FormParams } from './twilio.signature';

export const TWILIO_WEBHOOK_PATH = '/api/v1/inbound/twilio';

export interface TwilioRouterDeps extends InboundDeps {
  twilio: TwilioConfig | undefined;
  baseUrl: (req: Request) => string;
  /** As Open311's media_url (OPEN311_MEDIA_ALLOW_PRIVATE): tests and closed networks only. */
  allowPrivateMedia: boolean;
  logger: Logger;
  /** Where the webhook's per-address count is kept (PostgreSQL: shared by every process); memory if unset. */
  limitStore?: Store;
}

/** Twilio's own limits: 1,600 characters of text, 10 media; SIDs are 34 characters. */
const LIMITS = { from: 64, body: 1600, sid: 64, url: 2048, type: 100, media: 10 } as const;
const SID = /^[A-Za-z0-9]{2,64}$/;

interface TwilioMessage {
  from: string;
  body: string;
  sid: string;
  media: { url: string; type?: string }[];
  optOut?: 'STOP' | 'START';
}

/** The fields Wegfrei reads, each length-capped; a repeated field is refused as not Twilio's. */
function readForm(form: FormParams): TwilioMessage {
  const errors: FieldError[] = [];
  const field = (name: string, max: number, required: boolean) => {
    const raw = form[name];
    if (raw === undefined) {
      if (required) errors.push({ field: name, detail: 'is required' });
      return undefined;
    }
    const value = capped(raw, max);
    if (value === undefined) errors.push({ field: name, detail: `must be one text of at most ${max} characters` });
    else if (value.includes('\u0000')) errors.push({ field: name, detail: 'must not contain NUL characters' });
    return value;
  };
  const from = field('From', LIMITS.from, true);
  const body = field('Body', LIMITS.body, false) ?? '';
  const sid = field('MessageSid', LIMITS.sid, true);
  if (sid !== undefined && !SID.test(sid)) errors.push({ field: 'MessageSid', detail: 'must be a Twilio SID' });
  const numMedia = field('NumMedia', 2, false) ?? '0';
  const count = /^\d{1,2}$/.test(numMedia) ? Number(numMedia) : NaN;
  if (!(count <= LIMITS.media)) errors.push({ field: 'NumMedia', detail: `must be a whole number from 0 to 10` });
  const media: TwilioMessage['media'] = [];
  for (let i = 0; i < Math.min(count || 0, MAX_MESSAGE_PHOTOS); i++) {
    const url = field(`MediaUrl${i}`, LIMITS.url, true);
    const type = field(`MediaContentType${i}`, LIMITS.type, false);
    if (url !== undefined) media.push({ url, type });
  }
  const optOut = field('OptOutType', 10, false);
  if (errors.length) throw AppError.validation(errors, 'The message could not be read');
  if (!from!.trim()) throw AppError.validation([{ field: 'From', detail: 'must not be empty' }]);
  return {
    from: from!,
    body,
    sid: sid!,
    media,
    ...(optOut === 'STOP' || optOut === 'START' ? { optOut } : {}),
  };
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function twiml(res: Response, text: string | undefined): void {
  res
    .status(200)
    .type('text/xml; charset=utf-8')
    .send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${text ? `<Message>${escapeXml(text)}</Message>` : ''}</Response>`,
    );
}

export function twilioRouter(deps: TwilioRouterDeps): Router {
  const router = Router();
  const twilio = deps.twilio;
  if (!twilio) return router;
  const form = express.urlencoded({ extended: false, limit: WEBHOOK_BODY_LIMIT, parameterLimit: 100 });

  /** Each photo fetched through Open311's SSRF guard; one refused or broken is left out, logged. */
  async function fetchPhotos(message: TwilioMessage, log: Logger): Promise<Buffer[]> {
    const images = message.media.filter((m) => m.type === undefined || m.type.toLowerCase().startsWith('image/'));
    if (images.length < message.media.length)
      log.info({ skipped: message.media.length - images.length }, 'Media that are not images were left out');
    const fetched = await Promise.allSettled(
      images.map((m) =>
        fetchMedia(m.url, { allowPrivate: deps.allowPrivateMedia, authorization: twilioAuthorization(twilio!, m.url) }),
      ),
    );
    return fetched.flatMap((r, i) => {
      if (r.status === 'fulfilled') return [r.value];
      const reason = r.reason instanceof AppError ? r.reason.errors[0]?.detail : 'could not be fetched';
      // The URL names the account and message; the reason is enough to act on.
      log.warn({ gateway: 'twilio', media: i, reason }, 'A photo of a message was left out');
      return [];
    });
  }

  let lastRefusalLogged = 0;

  /** receiveMessage, leaving out a photo the pipeline refuses rather than the whole message. */
  async function receive(message: InboundMessage, log: Logger) {
    for (;;) {
      try {
        return await receiveMessage(deps, message);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const bad = /^photos\[(\d+)\]/.exec(err.errors[0]?.field ?? '');
        if (!bad) throw err;
        log.warn(
          { gateway: 'twilio', media: Number(bad[1]), reason: err.errors[0]?.detail },
          'A photo of a message was left out',
        );
        message = { ...message, photos: message.photos.filter((_p, i) => i !== Number(bad[1])) };
      }
    }
  }

  router.post(TWILIO_WEBHOOK_PATH, gatewayRateLimit(deps.limitStore), (req, res, next) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      return next(
        new AppError(415, 'unsupported_media_type', 'Unsupported Content-Type', undefined, [
          { field: 'Content-Type', detail: 'must be application/x-www-form-urlencoded, as Twilio sends' },
        ]),
      );
    }
    form(req, res, (err?: unknown) => {
      // body-parser's own 413 for a form of too many fields names nothing.
      if ((err as { type?: string } | undefined)?.type === 'parameters.too.many') {
        return next(
          new AppError(413, 'body_too_large', 'The body is too large', undefined, [
            { field: 'body', detail: 'has more than 100 fields' },
          ]),
        );
      }
      next(err);
    });
  });
  router.post(TWILIO_WEBHOOK_PATH, async (req, res) => {
    const params = (req.body ?? {}) as FormParams;
    const url = `${deps.baseUrl(req)}${req.originalUrl}`;
    if (!isTwilioSigned(twilio.authToken, req.get('X-Twilio-Signature'), url, params)) {
      // A 403 alone leaves an admin guessing: behind a proxy without PUBLIC_URL, or with another
      // token, every real message fails the same way. Say which URL was checked, at most once a
      // minute (anyone can send unsigned requests); the URL holds no sender.
      if (Date.now() - lastRefusalLogged > 60_000) {
        lastRefusalLogged = Date.now();
        req.log.warn(
          { gateway: 'twilio', checkedUrl: url, signed: req.get('X-Twilio-Signature') !== undefined },
          'A Twilio webhook was refused: its X-Twilio-Signature does not sign checkedUrl and the form with TWILIO_AUTH_TOKEN. ' +
            'If Twilio calls another address (a proxy, https), set PUBLIC_URL to it; else check the Auth Token',
        );
      }
      throw new AppError(403, 'bad_signature', 'Not signed by Twilio', undefined, [
        { field: 'X-Twilio-Signature', detail: 'is missing or does not sign this URL and form with the Auth Token' },
      ]);
    }
    const message = readForm(params);
    const log = req.log;
    const inbound = (photos: Buffer[]): InboundMessage => ({
      channel: 'sms',
      gateway: 'twilio',
      externalId: message.sid,
      sender: message.from,
      // Twilio recognises more opt-out words than we do (and in more languages); it says so here.
      body: message.optOut ?? message.body,
      photos,
      client: req.ip,
    });
    let outcome;
    if (message.media.length) {
      // Fetched photos are held in memory like uploaded ones, so they count against the same budget.
      outcome = await uploadBudget
        .run(message.media.length * MEDIA_LIMITS.maxBytes, async () =>
          receive(inbound(await fetchPhotos(message, log)), log),
        )
        .catch(async (err: unknown) => {
          // Busy with other photos: the words matter more than the picture.
          if (!(err instanceof AppError && err.code === 'photos_busy')) throw err;
          log.warn({ gateway: 'twilio' }, 'Photos of a message were left out: the server is busy with other photos');
          return receive(inbound([]), log);
        });
    } else {
      outcome = await receive(inbound([]), log);
    }
    // Twilio answers STOP and START itself on long codes and toll-free numbers (and refuses to
    // send to an opted-out number): a second confirmation from us would only cost a segment.
    if (outcome.kind === 'stop' || outcome.kind === 'start') return twiml(res, undefined);
    // A sender writing more than a few times an hour (a bot answering our answers) gets nothing.
    if (('quiet' in outcome && outcome.quiet) || (await repo.isOptedOut(deps.pool, 'sms', message.from)))
      return twiml(res, undefined);
    twiml(
      res,
      outcome.kind === 'filed'
        ? replyTexts.filed(outcome.language, outcome.reportId, `${deps.baseUrl(req)}/reports/${outcome.reportId}`)
        : replyTexts.inbox(outcome.language),
    );
  });
  return router;
}
