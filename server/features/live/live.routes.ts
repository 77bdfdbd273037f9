// GET /api/v1/events: Server-Sent Events of new and changed reports for staff. Each event's id
// is its row in report_events, so a browser reconnecting with Last-Event-ID gets what it
// missed, in order: at most the last REPLAY_MAX_EVENTS events of the last REPLAY_MAX_HOURS.
// A responder's stream carries only the reports of their scope (triage.scope.ts); events of
// other reports are left out whole, so it never names them. There is no public stream.
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { requireStaff, staffOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import type { EventBus } from '../../live/bus';
import type { Logger } from '../../logger';
import { toFeature } from '../reports/reports.geojson';
import { inScope, seesEverything, type Viewer } from '../triage/triage.scope';
import { allowedTransitions } from '../triage/triage.workflow';
import { LiveFeed } from './live.feed';
import { eventsAfter, replayWindow, type LiveEvent } from './live.repo';

const HEARTBEAT_MS = 15_000;
const BATCH = 200;
/**
 * A replay goes back at most this many events and hours: enough for a dashboard that lost
 * its network or slept through a night shift, not a dump of every contact since the start
 * for whoever holds a session (`Last-Event-ID: 0`). Further back, the stream says
 * `replay.truncated` and the client reloads its lists.
 */
export const REPLAY_MAX_EVENTS = 1000;
export const REPLAY_MAX_HOURS = 24;
/**
 * Open streams per account: a coordinator's tabs and devices. Five hundred streams of one
 * responder's session, each reading the database once per event, held `/healthz` for seconds
 * (issue 11's third attack); they now share one read (live.feed.ts), and each still costs its
 * own socket, heartbeat and replay.
 */
export const MAX_STREAMS_PER_USER = 6;

/** Resolves once `res` has sent what it buffered, or is closed. */
function drained(res: Response): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}

/**
 * An event as one stream sends it, made once per audience: a report's feature carries the links
 * of the base URL it was asked at and the transitions of the viewer's role.
 */
const texts = new WeakMap<LiveEvent, Map<string, string>>();
function eventText(event: LiveEvent, viewer: Viewer, base: string): string {
  const key = `${viewer.role} ${base}`;
  let byAudience = texts.get(event);
  const made = byAudience?.get(key);
  if (made !== undefined) return made;
  const report = event.report ? toFeature(event.report, { baseUrl: base, audience: 'staff' }) : null;
  if (event.report && report)
    report.properties.allowed_transitions = allowedTransitions(event.report.status, viewer.role);
  // The inbox's changes name the message only: its words and sender are read by id.
  const data =
    event.messageId === null
      ? { id: event.reportId, type: event.type, report }
      : { message_id: event.messageId, type: event.type };
  const text = `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
  if (!byAudience) texts.set(event, (byAudience = new Map<string, string>()));
  byAudience.set(key, text);
  return text;
}

/** Outside a responder's scope (or gone, so its scope is unknown): not a word of it. */
const visible = (event: LiveEvent, viewer: Viewer): boolean =>
  event.report ? inScope(viewer, event.report) : seesEverything(viewer);

export function liveRouter(deps: {
  pool: pg.Pool;
  events: EventBus;
  logger: Logger;
  baseUrl: (req: Request) => string;
}) {
  const router = Router();
  const open = new Map<number, number>();
  // Room for a whole replay window and a batch that arrives meanwhile.
  const feed = new LiveFeed(deps.pool, deps.events, deps.logger, { keep: REPLAY_MAX_EVENTS + BATCH, batch: BATCH });

  router.get('/api/v1/events', requireStaff(), async (req, res, next) => {
    const userId = staffOf(res)!.user.id;
    const streams = open.get(userId) ?? 0;
    if (streams >= MAX_STREAMS_PER_USER) {
      return next(
        new AppError(
          429,
          'too_many_streams',
          'Too many live streams',
          `At most ${MAX_STREAMS_PER_USER} live streams per account; close another tab or device of this account.`,
          [],
          { 'Retry-After': '30' },
        ),
      );
    }
    open.set(userId, streams + 1);
    res.once('close', () => {
      const left = (open.get(userId) ?? 1) - 1;
      if (left > 0) open.set(userId, left);
      else open.delete(userId);
    });
    const resumeFrom = Number(req.get('Last-Event-ID') ?? req.query.last_event_id);
    const requested = Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? resumeFrom : null;
    const window = await replayWindow(deps.pool, requested, REPLAY_MAX_EVENTS, REPLAY_MAX_HOURS);
    let last = window.start;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'private, no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n: connected at event ${last}\n\n`);
    // No id: the client's Last-Event-ID stays where it was until a real event arrives.
    if (window.truncated) res.write(`event: replay.truncated\ndata: ${JSON.stringify({ replayed_after: last })}\n\n`);
    const base = deps.baseUrl(req);
    const viewer = staffOf(res)!.user;
    let closed = false;
    let sending: Promise<void> | undefined;
    let again = false;

    // The next batch only once the socket has taken the last: a client reading slowly holds no
    // connection and makes the server buffer one batch at most. The batch comes from the feed's
    // one read for every stream, or, for a stream behind what the feed keeps, from the database.
    const send = async () => {
      do {
        again = false;
        await feed.cover(last);
        const events = feed.after(last, BATCH) ?? (await eventsAfter(deps.pool, last, BATCH, viewer));
        if (!events.length || closed) return;
        for (const event of events) {
          last = event.id;
          if (visible(event, viewer)) res.write(eventText(event, viewer, base));
        }
        await drained(res);
        if (events.length === BATCH) again = true;
      } while (again && !closed);
    };
    const wake = () => {
      if (closed) return;
      if (sending) {
        again = true;
        return;
      }
      sending = send()
        .catch((err: unknown) => deps.logger.warn({ err }, 'Sending live events failed'))
        .finally(() => {
          sending = undefined;
          if (again) wake();
        });
    };
    const leave = feed.join(last, wake);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    // On shutdown the stream ends; EventSource reconnects (to another process, or this one
    // restarted) and Last-Event-ID replays what it missed.
    const endStream = () => res.end();
    deps.events.closing.addEventListener('abort', endStream, { once: true });
    req.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      leave();
      deps.events.closing.removeEventListener('abort', endStream);
    });
    wake(); // replay what a reconnecting client missed
  });

  return router;
}
