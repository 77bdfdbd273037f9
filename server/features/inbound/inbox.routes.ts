// The coordinators' inbox of messages from gateways that did not say where or what
// (docs/CHANNELS.md): list, read, file as a report (new or existing), set aside. Coordinators
// and admins only: a message carries its sender's phone number or chat id. Responders work on
// filed reports, in their scope, as before.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import { parse } from '../../http/validate';
import type { MessageRow } from './inbound.repo';
import * as repo from './inbound.repo';
import { fileMessages, setMessageState, type InboundDeps } from './inbound.service';

const INBOX_ROLES = ['admin', 'coordinator'] as const;

const idSchema = z.coerce
  .number({ invalid_type_error: 'must be a message id' })
  .int('must be a message id')
  .positive('must be a message id')
  .max(Number.MAX_SAFE_INTEGER, 'must be a message id');

const listSchema = z
  .object({
    state: z
      .enum(['inbox', 'filed', 'spam', 'not_report'], {
        errorMap: () => ({ message: 'must be inbox, filed, spam or not_report' }),
      })
      .default('inbox'),
    limit: z.coerce
      .number({ invalid_type_error: 'must be a number from 1 to 200' })
      .int('must be a number from 1 to 200')
      .min(1, 'must be a number from 1 to 200')
      .max(200, 'must be a number from 1 to 200')
      .default(50),
    cursor: z.string().max(200, 'is not a cursor this list gave out').optional(),
  })
  .strict('is not a filter of the inbox');

const degrees = (max: number, what: string) =>
  z
    .number({ required_error: 'is required', invalid_type_error: `must be a number (degrees of ${what})` })
    .min(-max, `must be between -${max} and ${max}`)
    .max(max, `must be between -${max} and ${max}`);

const fileSchema = z
  .object({
    message_ids: z
      .array(idSchema, { required_error: 'is required', invalid_type_error: 'must be a list of message ids' })
      .min(1, 'needs at least one message')
      .max(20, 'at most 20 messages become one report'),
    report_id: idSchema.optional(),
    lat: degrees(90, 'latitude').optional(),
    lon: degrees(180, 'longitude').optional(),
    category: z.string().max(60, 'is not a category code').optional(),
    severity: z.number().int('must be 1, 2 or 3').min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3').default(2),
    description: z.string().max(4000, 'must be at most 4000 characters').optional(),
  })
  .strict('is not a field of filing')
  .superRefine((v, ctx) => {
    if (v.report_id !== undefined) {
      for (const field of ['lat', 'lon', 'category', 'description'] as const)
        if (v[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'not with report_id (the report has its own)' });
      return;
    }
    for (const field of ['lat', 'lon', 'category'] as const)
      if (v[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'is required (or report_id)' });
  });

const stateSchema = z
  .object({
    state: z.enum(['spam', 'not_report', 'inbox'], {
      errorMap: () => ({ message: 'must be spam, not_report or inbox' }),
    }),
  })
  .strict('is not a field of a message');

type Cursor = { urgent: boolean; receivedAt: Date; id: number };

const encodeCursor = (m: MessageRow) =>
  Buffer.from(JSON.stringify([m.urgent, m.receivedAt.toISOString(), m.id])).toString('base64url');

function decodeCursor(cursor: string): Cursor {
  try {
    const [urgent, at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const receivedAt = new Date(String(at));
    if (typeof urgent === 'boolean' && Number.isSafeInteger(id) && !Number.isNaN(receivedAt.getTime()))
      return { urgent, receivedAt, id: id as number };
  } catch {
    // below
  }
  throw AppError.validation([{ field: 'cursor', detail: 'is not a cursor this list gave out' }]);
}

/** A message as staff see it; photos are served by /photos/ to coordinators (photos.routes.ts). */
export function messageJson(m: MessageRow, base: string) {
  return {
    id: m.id,
    channel: m.channel,
    gateway: m.gateway,
    sender: m.sender,
    body: m.body,
    place: m.lat === null || m.lon === null ? null : { lat: m.lat, lon: m.lon },
    category: m.category,
    urgent: m.urgent,
    language: m.language,
    state: m.state,
    report_id: m.reportId,
    report_url: m.reportId === null ? null : `${base}/reports/${m.reportId}`,
    received_at: m.receivedAt.toISOString(),
    handled_at: m.handledAt?.toISOString() ?? null,
    photos: m.photos.map((p) => ({
      url: `${base}/photos/${p.hash}.jpg`,
      thumbnail_url: `${base}/photos/${p.hash}.thumb.jpg`,
      width: p.width,
      height: p.height,
    })),
  };
}

export function inboxRouter(deps: InboundDeps & { baseUrl: (req: Request) => string }): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const staffId = (res: express.Response) => staffOf(res)!.user.id;
  const noStore = (res: express.Response) => res.set('Cache-Control', 'private, no-store');

  router.get('/api/v1/staff/inbox', requireStaff(...INBOX_ROLES), async (req, res) => {
    const q = parse(listSchema, req.query, 'The inbox has invalid filters');
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const [messages, counts] = await Promise.all([
      repo.listInbox(deps.pool, { limit: q.limit, state: q.state, after }),
      repo.countInbox(deps.pool),
    ]);
    const base = deps.baseUrl(req);
    noStore(res).json({
      messages: messages.map((m) => messageJson(m, base)),
      waiting: counts.total,
      urgent: counts.urgent,
      next_cursor: messages.length === q.limit ? encodeCursor(messages.at(-1)!) : null,
    });
  });

  router.get('/api/v1/staff/inbox/:id', requireStaff(...INBOX_ROLES), async (req, res) => {
    const id = parse(z.object({ id: idSchema }), req.params).id;
    const message = await repo.findMessage(deps.pool, id);
    if (!message) throw AppError.notFound(`Message ${id}`);
    noStore(res).json(messageJson(message, deps.baseUrl(req)));
  });

  router.post('/api/v1/staff/inbox/file', requireStaff(...INBOX_ROLES), json, async (req, res) => {
    const body = parse(fileSchema, req.body ?? {}, 'The messages cannot be filed');
    const { reportId } = await fileMessages(deps, {
      messageIds: body.message_ids,
      reportId: body.report_id,
      reportUrl: (id) => `${deps.baseUrl(req)}/reports/${id}`,
      fields:
        body.report_id === undefined
          ? {
              lat: body.lat!,
              lon: body.lon!,
              category: body.category!,
              severity: body.severity,
              description: body.description,
            }
          : undefined,
      staffId: staffId(res),
    });
    noStore(res)
      .status(201)
      .json({ report_id: reportId, report_url: `${deps.baseUrl(req)}/reports/${reportId}` });
  });

  router.patch('/api/v1/staff/inbox/:id', requireStaff(...INBOX_ROLES), json, async (req, res) => {
    const id = parse(z.object({ id: idSchema }), req.params).id;
    const { state } = parse(stateSchema, req.body ?? {}, 'The message change has invalid fields');
    const message = await setMessageState(deps, { messageId: id, state, staffId: staffId(res) });
    noStore(res).json(messageJson(message, deps.baseUrl(req)));
  });
  return router;
}
